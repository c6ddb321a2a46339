// What a client operation is before and after it runs: the description a
// generator yields, and the completion a client returns. The f names, keys and
// value shapes are the conventions the checkers read (see workload files).

import type { JsonValue } from '../core/history.js';

export type ClientF = 'read' | 'write' | 'cas' | 'append' | 'add';

export interface ClientOp {
  readonly f: ClientF;
  readonly key: string;
  /** The argument: null for reads, a number for write/append/add, [from, to] for cas. */
  readonly value: JsonValue;
}

export type CompletionType = 'ok' | 'fail' | 'info';

export interface Completion {
  readonly type: CompletionType;
  /** ok: the result (a read's observed value); fail/info: the invoked value. */
  readonly value: JsonValue;
  /** A stable error code on fail and info. */
  readonly error?: string;
}
