// The messages between the partition pool (partition-pool.ts) and its worker
// threads (partition-worker.ts): one search of one partition, and its outcome.
// Everything here survives the structured clone a message goes through.

import type { SearchOp, SearchOutcome } from './search.js';
import type { ModelOrigin } from './types.js';

export interface PoolTask {
  /** The partition's index in the check; the reply carries it back. */
  readonly index: number;
  readonly origin: ModelOrigin;
  /** Searched from scratch unless the thread holds the partition's paused search. */
  readonly ops: readonly SearchOp<unknown, unknown>[];
  /** The round's step quota (Infinity: none). */
  readonly stepsMax: number;
  /** What is left of the check's time budget when the task is sent. */
  readonly timeoutMs: number;
  /** This worker's share of the check's memory budget. */
  readonly memoryBytesMax: number;
}

export type PoolReply =
  | { readonly index: number; readonly outcome: SearchOutcome<unknown>; readonly elapsedMs: number }
  | { readonly index: number; readonly error: string };
