// What the interpreter talks to: a client that performs one operation at a
// time for one worker and always answers with a completion (operating errors
// are completions, never exceptions).

import type { ClientOp, Completion } from './op.js';

export interface WorkloadClient {
  invoke(op: ClientOp): Promise<Completion>;
  /** Releases the client's connection; idempotent. */
  close(): void;
}

/** Opens the client of one worker (0 .. concurrency-1). */
export type WorkloadClientOpen = (worker: number) => WorkloadClient;
