// checkLinearizable: the linearizability checker's entry point. It splits the
// operations by key (P-compositionality: a history is linearizable iff each
// key's sub-history is), decides the partitions a fast exact check fits
// (list-append with unique values: list-order.ts), searches the rest under
// one budget (on this thread or on worker threads), and only then gathers the
// evidence for the partitions that fail, under a budget of its own.

import { clockCreate } from '../../core/clock.js';
import type { HistoryEvent } from '../../core/history.js';
import { budgetCreate, type Budget } from './budget.js';
import { partitionFailureBuild } from './evidence.js';
import { listOrderFailure } from './list-order-evidence.js';
import type { ListOp } from './list-order.js';
import { historyToOperations } from './operations.js';
import { partitionsByKey, partitionsJson, type Partition } from './partition.js';
import { partitionsSearchPool, poolWorkersFor } from './partition-pool.js';
import { partitionsListOrder, partitionsSearch } from './partition-rounds.js';
import type { LongestPrefix } from './search.js';
import type { LinearizabilityOptions, LinearizabilityResult, LinOp, Model, PartitionFailure } from './types.js';

/**
 * Checks a history (events, paired here) or operations already paired, on
 * this thread. Throws HistoryShapeError when events cannot be paired or converted.
 */
export function checkLinearizable<S, I, O>(
  model: Model<S, I, O>,
  history: readonly HistoryEvent[] | readonly LinOp<I, O>[],
  options: LinearizabilityOptions,
): LinearizabilityResult {
  const check = checkStart(model, history, options);
  partitionsSearch(model, check.partitions, check.searched, check.budget, options);
  return checkFinish(model, check, options);
}

/**
 * The same check, with the partitions the search decides spread over worker
 * threads when there are several and enough operations to pay for the threads
 * (partition-pool.ts); otherwise, or for a model the registry did not build,
 * on this thread. Verdicts and the order of partitions and failures are those
 * of checkLinearizable.
 */
export async function checkLinearizableParallel<S, I, O>(
  model: Model<S, I, O>,
  history: readonly HistoryEvent[] | readonly LinOp<I, O>[],
  options: LinearizabilityOptions,
): Promise<LinearizabilityResult> {
  const check = checkStart(model, history, options);
  const workers = poolWorkersFor(model, check.searched, options);
  const { partitions, searched, budget } = check;
  const pooled = workers > 1 && (await partitionsSearchPool({ model, partitions, searched, workers, options, budget }));
  // What the pool left undecided (a thread failed, or none started) is searched here.
  const rest = searched.filter((partition) => partition.verdict === 'unchecked');
  partitionsSearch(model, partitions, rest, budget, options);
  return checkFinish(model, check, options, pooled ? workers : 1);
}

interface CheckState<I, O> {
  readonly startMs: number;
  readonly budget: Budget;
  readonly operations: readonly LinOp<I, O>[];
  readonly partitions: Partition<I, O>[];
  /** The partitions the list-order check left for the search. */
  readonly searched: Partition<I, O>[];
}

function checkStart<S, I, O>(
  model: Model<S, I, O>,
  history: readonly HistoryEvent[] | readonly LinOp<I, O>[],
  options: LinearizabilityOptions,
): CheckState<I, O> {
  const clock = options.clock ?? clockCreate();
  const startMs = clock.nowMs();
  const budget = budgetCreate(clock, options.timeoutMs, options.memoryBytesMax);
  const operations = isEvents(history) ? historyToOperations(model, history) : history;
  const partitions = partitionsByKey(operations);
  const searched = partitionsListOrder(model, partitions, budget, options);
  return { startMs, budget, operations, partitions, searched };
}

/** The evidence phase, under its own budget, then the result with the time of each phase. */
function checkFinish<S, I, O>(
  model: Model<S, I, O>,
  check: CheckState<I, O>,
  options: LinearizabilityOptions,
  threads = 1,
): LinearizabilityResult {
  const { partitions, operations } = check;
  const clock = check.budget.clock;
  const verdictEndMs = clock.nowMs();
  const evidenceBudget = budgetCreate(clock, options.evidenceTimeoutMs ?? options.timeoutMs, options.memoryBytesMax);
  for (const partition of partitions) partitionEvidence(model, partition, evidenceBudget, options.evidence !== false);
  const evidenceMs = clock.nowMs() - verdictEndMs;
  const failures = partitions.flatMap((partition) => (partition.failure === undefined ? [] : [partition.failure]));
  const unknownReasons = partitions
    .filter((p) => p.verdict === 'unknown')
    .map((p) => `${keyName(p.key)}: ${p.reason ?? 'unknown'}`);
  const unchecked = partitions.filter((partition) => partition.verdict === 'unchecked').length;
  if (failures.length === 0 && unchecked > 0)
    unknownReasons.push(`${unchecked} partitions not checked: the time budget ran out`);
  const verdict = failures.length > 0 ? 'invalid' : unknownReasons.length > 0 ? 'unknown' : 'valid';
  const reason = verdict === 'invalid' ? failuresReason(model, failures) : unknownReasons.join('; ');
  const verdictMs = verdictEndMs - check.startMs;
  return {
    verdict,
    ...(verdict === 'valid' ? {} : { reason }),
    operations: operations.length,
    partitions: partitions.length,
    failures,
    elapsedMs: clock.nowMs() - check.startMs,
    verdictMs,
    evidenceMs,
    threads,
    statesExplored: partitions.reduce((sum, partition) => sum + partition.statesExplored, 0),
    details: { verdictMs, evidenceMs, threads, partitions: partitionsJson(partitions) },
  };
}

/** The evidence for an invalid partition: the longest prefix always, the window when wanted. */
function partitionEvidence<S, I, O>(
  model: Model<S, I, O>,
  partition: Partition<I, O>,
  budget: Budget,
  window: boolean,
): void {
  if (partition.verdict !== 'invalid') return;
  const startMs = budget.clock.nowMs();
  if (partition.listConflict !== undefined) {
    const ops = partition.ops as unknown as readonly (ListOp & LinOp)[];
    partition.failure = listOrderFailure(partition.key, ops, partition.listConflict, window);
  } else if (partition.longest !== undefined) {
    const longest = partition.longest as LongestPrefix<S>;
    partition.failure = partitionFailureBuild({
      model,
      key: partition.key,
      ops: partition.ops,
      longest,
      budget,
      window,
    });
  }
  partition.elapsedMs += budget.clock.nowMs() - startMs;
}

function isEvents<I, O>(history: readonly HistoryEvent[] | readonly LinOp<I, O>[]): history is readonly HistoryEvent[] {
  const first = history[0];
  return first !== undefined && 'type' in first;
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
