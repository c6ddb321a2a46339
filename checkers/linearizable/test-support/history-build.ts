// Builds histories for tests from compact lines: [process, type, f, value, key, error].
// Index and time follow the line order, as a history file's would.

import type { HistoryEvent, JsonValue, OpType, ProcessId } from '../../../core/history.js';

export type Line = readonly [
  process: ProcessId,
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
    process,
    time: index * 1000,
    ...(key === undefined ? {} : { key }),
    ...(error === undefined ? {} : { error }),
  }));
}
