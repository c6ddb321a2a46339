// checkLinearizable: the linearizability checker's entry point. It splits the
// operations by key (P-compositionality: a history is linearizable iff each
// key's sub-history is), decides the partitions a fast exact check fits
// (list-append with unique values: list-order.ts), searches the rest under
// one budget, and gathers the evidence for the partitions that fail.

import { clockCreate } from '../../core/clock.js';
import type { HistoryEvent, JsonValue } from '../../core/history.js';
import { budgetCreate, budgetExpired, type Budget } from './budget.js';
import { partitionFailureBuild } from './evidence.js';
import { listOrderFailure } from './list-order-evidence.js';
import { listOrderCheck, type ListOp } from './list-order.js';
import { isListAppendModel } from './models/list-append.js';
import { historyToOperations } from './operations.js';
import { searchRun, type SearchOutcome } from './search.js';
import type { LinearizabilityOptions, LinearizabilityResult, LinOp, Model, PartitionFailure } from './types.js';

/** Search steps each partition gets in the first round; later rounds multiply it. */
const roundStepsFirst = 65_536;
const roundStepsGrowth = 8;
/** Partitions described one by one in the result's details; beyond, only counted. */
const partitionDetailsMax = 1000;

type PartitionVerdict = 'valid' | 'invalid' | 'unknown' | 'unchecked';
/** How a partition was decided: the general search, or the list-order check. */
type PartitionMethod = 'search' | 'list-order';

interface Partition<I, O> {
  readonly key: string | null;
  readonly ops: readonly LinOp<I, O>[];
  verdict: PartitionVerdict;
  method: PartitionMethod;
  statesExplored: number;
  elapsedMs: number;
  reason?: string;
  failure?: PartitionFailure;
}

/**
 * Checks a history (events, paired here) or operations already paired.
 * Throws HistoryShapeError when events cannot be paired or converted.
 */
export function checkLinearizable<S, I, O>(
  model: Model<S, I, O>,
  history: readonly HistoryEvent[] | readonly LinOp<I, O>[],
  options: LinearizabilityOptions,
): LinearizabilityResult {
  const clock = options.clock ?? clockCreate();
  const startMs = clock.nowMs();
  const budget = budgetCreate(clock, options.timeoutMs, options.memoryBytesMax);
  const operations = isEvents(history) ? historyToOperations(model, history) : history;
  const partitions = partitionsByKey(operations);
  const searched = partitionsListOrder(model, partitions, budget, options);
  partitionsSearch(model, partitions, searched, budget, options);
  const failures = partitions.flatMap((partition) => (partition.failure === undefined ? [] : [partition.failure]));
  const unknownReasons = partitions
    .filter((p) => p.verdict === 'unknown')
    .map((p) => `${keyName(p.key)}: ${p.reason ?? 'unknown'}`);
  const unchecked = partitions.filter((partition) => partition.verdict === 'unchecked').length;
  if (failures.length === 0 && unchecked > 0)
    unknownReasons.push(`${unchecked} partitions not checked: the time budget ran out`);
  const verdict = failures.length > 0 ? 'invalid' : unknownReasons.length > 0 ? 'unknown' : 'valid';
  const reason = verdict === 'invalid' ? failuresReason(model, failures) : unknownReasons.join('; ');
  return {
    verdict,
    ...(verdict === 'valid' ? {} : { reason }),
    operations: operations.length,
    partitions: partitions.length,
    failures,
    elapsedMs: clock.nowMs() - startMs,
    statesExplored: partitions.reduce((sum, partition) => sum + partition.statesExplored, 0),
    details: { partitions: partitionsJson(partitions) },
  };
}

/**
 * Decides by the list-order check every partition of the list-append model
 * whose appended values are unique (O(n log n), exact under that condition);
 * returns the partitions left for the search.
 */
function partitionsListOrder<S, I, O>(
  model: Model<S, I, O>,
  partitions: Partition<I, O>[],
  budget: Budget,
  options: LinearizabilityOptions,
): Partition<I, O>[] {
  if (!isListAppendModel(model)) return partitions;
  const rest: Partition<I, O>[] = [];
  for (const partition of partitions) {
    if (searchStop(partitions, budget, options)) continue;
    const startMs = budget.clock.nowMs();
    const ops = partition.ops as unknown as readonly (ListOp & LinOp)[];
    const outcome = listOrderCheck(ops);
    if (outcome.kind === 'not-unique') {
      rest.push(partition);
      continue;
    }
    partition.method = 'list-order';
    if (outcome.kind === 'linearizable') partition.verdict = 'valid';
    else {
      partition.verdict = 'invalid';
      partition.failure = listOrderFailure(partition.key, ops, outcome, options.evidence !== false);
    }
    partition.elapsedMs += budget.clock.nowMs() - startMs;
  }
  return rest;
}

/** Stop checking: a partition failed (unless every one is wanted), or the time is up. */
function searchStop(
  partitions: readonly Partition<unknown, unknown>[],
  budget: Budget,
  options: LinearizabilityOptions,
): boolean {
  return (partitions.some((p) => p.verdict === 'invalid') && options.partitionsAll !== true) || budgetExpired(budget);
}

/**
 * Searches in rounds: each round gives every unfinished partition a step
 * quota, and a partition that runs out starts over in the next round with a
 * larger one. One thread thus finds a quickly failing key without first
 * sinking the budget into a hard one (what Porcupine gets from one goroutine
 * per key), while only one search holds memory at a time.
 */
function partitionsSearch<S, I, O>(
  model: Model<S, I, O>,
  partitions: readonly Partition<I, O>[],
  searched: Partition<I, O>[],
  budget: Budget,
  options: LinearizabilityOptions,
): void {
  let pending = searched;
  for (let quota = roundStepsFirst; pending.length > 0; quota *= roundStepsGrowth) {
    // With one partition left, or every partition to be checked anyway, a quota only wastes work.
    const stepsMax = pending.length === 1 || options.partitionsAll === true ? Infinity : quota;
    const unfinished: Partition<I, O>[] = [];
    for (const partition of pending) {
      if (searchStop(partitions, budget, options)) continue;
      const startMs = budget.clock.nowMs();
      const outcome = searchRun({ model, ops: partition.ops, init: model.init(), budget, stepsMax });
      partition.elapsedMs += budget.clock.nowMs() - startMs;
      partition.statesExplored += outcome.statesExplored;
      if (outcome.kind === 'steps') unfinished.push(partition);
      else partitionConclude(model, partition, outcome, budget, options.evidence !== false);
    }
    pending = unfinished;
  }
}

function partitionConclude<S, I, O>(
  model: Model<S, I, O>,
  partition: Partition<I, O>,
  outcome: Exclude<SearchOutcome<S>, { kind: 'steps' }>,
  budget: Budget,
  evidence: boolean,
): void {
  switch (outcome.kind) {
    case 'linearizable':
      partition.verdict = 'valid';
      return;
    case 'budget':
      partition.verdict = 'unknown';
      partition.reason = outcome.reason;
      return;
    case 'not-linearizable': {
      const startMs = budget.clock.nowMs();
      partition.verdict = 'invalid';
      partition.failure = partitionFailureBuild({
        model,
        key: partition.key,
        ops: partition.ops,
        longest: outcome.longest,
        budget,
        window: evidence,
      });
      partition.elapsedMs += budget.clock.nowMs() - startMs;
      return;
    }
  }
}

function isEvents<I, O>(history: readonly HistoryEvent[] | readonly LinOp<I, O>[]): history is readonly HistoryEvent[] {
  const first = history[0];
  return first !== undefined && 'type' in first;
}

/** Operations by key in order of first appearance, each partition sorted by call position. */
function partitionsByKey<I, O>(operations: readonly LinOp<I, O>[]): Partition<I, O>[] {
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

function failuresReason<S, I, O>(model: Model<S, I, O>, failures: readonly PartitionFailure[]): string {
  const first = failures[0]!;
  const breaking = first.operations.find((op) => op.id === first.breakingOp) as LinOp<I, O> | undefined;
  const what =
    breaking === undefined
      ? ''
      : `: no linearization gets past op ${breaking.id} (${model.describeOperation(breaking.input, breaking.output)})`;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more keys)` : '';
  return `${keyName(first.key)} is not linearizable${what}${more}`;
}

function keyName(key: string | null): string {
  return key === null ? 'the history' : `key ${JSON.stringify(key)}`;
}

function partitionsJson(partitions: readonly Partition<unknown, unknown>[]): JsonValue {
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
