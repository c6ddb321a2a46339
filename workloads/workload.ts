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
  /** The liveness phase, after the heal: one write of a value unique in the run to every key; round counts retries from 0. */
  livenessWrites(round: number): readonly ClientOp[];
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

/**
 * The value of a key's liveness write in a round: the main phase counts up
 * from 1, so negative values are unique in the run, and distinct per key and round.
 */
export function livenessValue(round: number, keyIndex: number, keyCount: number): number {
  return -(round * keyCount + keyIndex + 1);
}
