// Builds histories for tests from compact lines: [process, type, f, value, key, error].
// Index and time follow the line order, as a history file's would.

import { clientProcessOf } from '../../../core/history.js';
import type { HistoryEvent, JsonValue, OpType } from '../../../core/history.js';

export type Line = readonly [
  /** A client process as a plain number, or the nemesis. */
  process: number | 'nemesis',
  type: OpType,
  f: string,
  value?: JsonValue,
  key?: string | undefined,
  error?: string,
];

export function historyOf(lines: readonly Line[]): HistoryEvent[] {
  return lines.map(([process, type, f, value, key, error], index) => ({
    index,
    type,
    f,
    value: value ?? null,
    process: process === 'nemesis' ? process : clientProcessOf(process),
    time: index * 1000,
    ...(key === undefined ? {} : { key }),
    ...(error === undefined ? {} : { error }),
  }));
}
