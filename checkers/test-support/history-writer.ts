// Writes small histories by hand for the checkers' tests, with the runner's
// conventions: dense indices, times in nanoseconds that advance 1 ms per event
// unless a test moves the clock, nemesis and phase events on process 'nemesis'.

import { clientProcessOf, type HistoryEvent, type JsonValue, type OpType } from '../../core/history.js';
import type { WorkloadName } from '../../workloads/workload.js';
import type { CheckContext } from '../checker.js';
import type { ModelName } from '../linearizable/index.js';

const stepNs = 1_000_000;

export interface HistoryWriter {
  readonly events: HistoryEvent[];
  /** Moves the clock to an absolute time (ms since the start); it never goes back. */
  at(ms: number): HistoryWriter;
  invoke(process: number, f: string, key: string, value: JsonValue): HistoryWriter;
  /** Completes the process's open operation; the value defaults to the invocation's. */
  complete(process: number, type: Exclude<OpType, 'invoke'>, value?: JsonValue, error?: string): HistoryWriter;
  /** An invocation and its completion back to back. */
  op(
    process: number,
    f: string,
    key: string,
    value: JsonValue,
    type: Exclude<OpType, 'invoke'>,
    result?: JsonValue,
  ): HistoryWriter;
  nemesis(type: OpType, f: string, value: JsonValue, error?: string): HistoryWriter;
  phase(phase: 'heal' | 'final'): HistoryWriter;
}

export function historyWrite(): HistoryWriter {
  const events: HistoryEvent[] = [];
  const open = new Map<number, HistoryEvent>();
  let timeNs = 0;
  const push = (event: Omit<HistoryEvent, 'index' | 'time'>): void => {
    events.push({ ...event, index: events.length, time: timeNs });
    timeNs += stepNs;
  };
  const writer: HistoryWriter = {
    events,
    at(ms) {
      timeNs = Math.max(timeNs, ms * 1e6);
      return writer;
    },
    invoke(process, f, key, value) {
      push({ type: 'invoke', f, key, value, process: clientProcessOf(process) });
      const last = events[events.length - 1];
      if (last !== undefined) open.set(process, last);
      return writer;
    },
    complete(process, type, value, error) {
      const invoke = open.get(process);
      if (invoke === undefined) throw new Error(`test history: process ${process} has no open operation`);
      open.delete(process);
      const event = {
        type,
        f: invoke.f,
        value: value === undefined ? invoke.value : value,
        process: clientProcessOf(process),
        ...(invoke.key === undefined ? {} : { key: invoke.key }),
      };
      push(error === undefined ? event : { ...event, error });
      return writer;
    },
    op(process, f, key, value, type, result) {
      return writer.invoke(process, f, key, value).complete(process, type, result);
    },
    nemesis(type, f, value, error) {
      push(
        error === undefined ? { type, f, value, process: 'nemesis' } : { type, f, value, process: 'nemesis', error },
      );
      return writer;
    },
    phase(phase) {
      return writer.nemesis('info', 'phase', phase);
    },
  };
  return writer;
}

/** The check context of a closed-loop run of the workload, with generous budgets. */
export function contextFor(
  workload: WorkloadName,
  overrides: { openLoop?: boolean; intervalNs?: number | null; model?: ModelName } = {},
): CheckContext {
  return {
    workload,
    model: overrides.model ?? null,
    timeoutMs: 10_000,
    memoryBytesMax: 256 * 1024 * 1024,
    openLoop: overrides.openLoop ?? false,
    intervalNs: overrides.intervalNs ?? null,
  };
}
