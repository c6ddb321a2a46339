// A workload: the operations to run (a generator for the main phase and one
// read per key for the final phase), how each maps to a store request, and the
// linearizability model its histories are checked against.

import type { ClientResponseValue, StoreClient } from '../cluster/client.js';
import type { JsonValue } from '../core/history.js';
import type { Generator } from './generator.js';
import type { ClientOp } from './op.js';

export const workloadNames = ['register', 'append', 'set'] as const;
export type WorkloadName = (typeof workloadNames)[number];

export type StoreRequest = Parameters<StoreClient['request']>[0];

export interface Workload {
  readonly name: WorkloadName;
  /** The model name of checkers/linearizable for this workload's histories. */
  readonly model: string;
  readonly keys: readonly string[];
  /** The main phase: endless; the interpreter applies the time and operation limits. */
  readonly generator: Generator<ClientOp>;
  /** The final phase: one read of every key. */
  readonly finalReads: readonly ClientOp[];
  request(op: ClientOp): StoreRequest;
  /** The value recorded on an ok completion, from the store's answer. */
  okValue(op: ClientOp, answer: ClientResponseValue): JsonValue;
}

export interface WorkloadOptions {
  /** How many keys (registers, lists or sets) the workload spreads over. */
  readonly keyCount: number;
}

export function keysMake(prefix: string, count: number): readonly string[] {
  return Object.freeze(Array.from({ length: count }, (_, i) => `${prefix}${i}`));
}
