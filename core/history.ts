// The history model shared by the runner, the checkers and the report: Jepsen's
// operation vocabulary (invoke / ok / fail / info) with our key and error
// fields. One HistoryEvent is one line of history.jsonl.

import type { Brand } from './brand.js';

/** What happened: `invoke` opens an operation; `ok`, `fail`, `info` complete it. */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** A logical client process: an integer, distinct from other numbers at compile time. */
export type ClientProcess = Brand<number, 'ClientProcess'>;

/** A logical client process, or the nemesis. */
export type ProcessId = ClientProcess | 'nemesis';

/** Where a raw number enters as a client process (the interpreter numbering processes, history parsers). */
export function clientProcessOf(n: number): ClientProcess {
  return n as ClientProcess;
}

/** Values recorded in a history: JSON data. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface HistoryEvent {
  /** Position in the history, 0-based, dense. */
  readonly index: number;
  readonly type: OpType;
  /** The operation's function: read, write, cas, append, add, ... or a nemesis fault name. */
  readonly f: string;
  /** The key the operation is on; absent for multi-key operations and the nemesis. */
  readonly key?: string;
  /**
   * The operation's value. Invoke: the argument (a read's is null). ok: the
   * result (a read's observed value). fail/info: as invoked.
   */
  readonly value: JsonValue;
  readonly process: ProcessId;
  /** Nanoseconds since the run started, monotonic. */
  readonly time: number;
  /** A stable error code, on fail and info completions. */
  readonly error?: string;
}

export function isClientEvent(event: HistoryEvent): event is HistoryEvent & { process: ClientProcess } {
  return typeof event.process === 'number';
}
