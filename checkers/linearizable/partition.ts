// One partition (key) of a history as the checker works through it: its
// operations, the verdict so far, and what the verdict phase leaves for the
// evidence phase (the search's longest prefix, or the list-order conflict).

import type { JsonValue } from '../../core/history.js';
import { budgetExpired, type Budget } from './budget.js';
import type { BoundConflict, ReadConflict } from './list-order.js';
import type { LongestPrefix, SearchOutcome } from './search.js';
import type { LinearizabilityOptions, LinOp, PartitionFailure } from './types.js';

/** Partitions described one by one in the result's details; beyond, only counted. */
const partitionDetailsMax = 1000;

export type PartitionVerdict = 'valid' | 'invalid' | 'unknown' | 'unchecked';
/** How a partition was decided: the general search, or the list-order check. */
export type PartitionMethod = 'search' | 'list-order';

export interface Partition<I, O> {
  readonly key: string | null;
  readonly ops: readonly LinOp<I, O>[];
  verdict: PartitionVerdict;
  method: PartitionMethod;
  statesExplored: number;
  elapsedMs: number;
  reason?: string;
  /** Set by the verdict phase for an invalid partition the search decided. */
  longest?: LongestPrefix<unknown>;
  /** Set by the verdict phase for an invalid partition the list-order check decided. */
  listConflict?: ReadConflict | BoundConflict;
  /** Set by the evidence phase. */
  failure?: PartitionFailure;
}

/** Operations by key in order of first appearance, each partition sorted by call position. */
export function partitionsByKey<I, O>(operations: readonly LinOp<I, O>[]): Partition<I, O>[] {
  const byKey = new Map<string | null, LinOp<I, O>[]>();
  for (const op of operations) {
    const list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, [op]);
    else list.push(op);
  }
  return [...byKey].map(([key, ops]) => ({
    key,
    ops: ops.sort((a, b) => a.call - b.call),
    verdict: 'unchecked',
    method: 'search',
    statesExplored: 0,
    elapsedMs: 0,
  }));
}

/** Stop checking: a partition failed (unless every one is wanted), or the time is up. */
export function searchStop(
  partitions: readonly Partition<unknown, unknown>[],
  budget: Budget,
  options: LinearizabilityOptions,
): boolean {
  return (partitions.some((p) => p.verdict === 'invalid') && options.partitionsAll !== true) || budgetExpired(budget);
}

/** Records a finished search's verdict; the evidence for a failure comes later. */
export function partitionConclude(
  partition: Partition<unknown, unknown>,
  outcome: Exclude<SearchOutcome<unknown>, { kind: 'steps' }>,
): void {
  switch (outcome.kind) {
    case 'linearizable':
      partition.verdict = 'valid';
      return;
    case 'budget':
      partition.verdict = 'unknown';
      partition.reason = outcome.reason;
      return;
    case 'not-linearizable':
      partition.verdict = 'invalid';
      partition.longest = outcome.longest;
      return;
  }
}

export function partitionsJson(partitions: readonly Partition<unknown, unknown>[]): JsonValue {
  return partitions.slice(0, partitionDetailsMax).map((partition) => ({
    key: partition.key,
    operations: partition.ops.length,
    verdict: partition.verdict,
    method: partition.method,
    statesExplored: partition.statesExplored,
    elapsedMs: Math.round(partition.elapsedMs * 1000) / 1000,
    ...(partition.reason === undefined ? {} : { reason: partition.reason }),
  }));
}
