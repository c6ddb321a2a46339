// The verdict phase on this thread: the list-order check for the partitions
// it fits, then the search in rounds for the rest. Only verdicts are made
// here; the evidence for a failure is built afterwards (check.ts).

import type { Budget } from './budget.js';
import { listOrderCheck, type ListOp } from './list-order.js';
import { isListAppendModel } from './models/list-append.js';
import { partitionConclude, searchStop, type Partition } from './partition.js';
import { PausedSearches } from './paused-searches.js';
import { searchCreate } from './search.js';
import type { LinearizabilityOptions, LinOp, Model } from './types.js';

/** Search steps each partition gets in the first round; later rounds multiply it. */
export const roundStepsFirst = 65_536;
export const roundStepsGrowth = 8;

/**
 * Decides by the list-order check every partition of the list-append model
 * whose appended values are unique (O(n log n), exact under that condition);
 * returns the partitions left for the search.
 */
export function partitionsListOrder<S, I, O>(
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
      partition.listConflict = outcome;
    }
    partition.elapsedMs += budget.clock.nowMs() - startMs;
  }
  return rest;
}

/**
 * Searches in rounds: each round gives every unfinished partition a step
 * quota, and a partition that runs out goes on in the next round with a
 * larger one, from where it stopped (paused-searches.ts). One thread thus
 * finds a quickly failing key without first sinking the budget into a hard
 * one (what Porcupine gets from one goroutine per key).
 */
export function partitionsSearch<S, I, O>(
  model: Model<S, I, O>,
  partitions: readonly Partition<I, O>[],
  searched: Partition<I, O>[],
  budget: Budget,
  options: LinearizabilityOptions,
): void {
  const paused = new PausedSearches<Partition<I, O>>(budget.memoryBytesMax);
  let pending = searched;
  for (let quota = roundStepsFirst; pending.length > 0; quota *= roundStepsGrowth) {
    // With one partition left, or every partition to be checked anyway, a quota only wastes work.
    const stepsMax = pending.length === 1 || options.partitionsAll === true ? Infinity : quota;
    const unfinished: Partition<I, O>[] = [];
    for (const partition of pending) {
      if (searchStop(partitions, budget, options)) continue;
      const startMs = budget.clock.nowMs();
      const search = paused.take(partition) ?? searchCreate({ model, ops: partition.ops, init: model.init(), budget });
      const outcome = search.run(stepsMax, budget);
      partition.elapsedMs += budget.clock.nowMs() - startMs;
      partition.statesExplored += outcome.statesExplored;
      if (outcome.kind === 'steps') {
        paused.keep(partition, search);
        unfinished.push(partition);
      } else partitionConclude(partition, outcome);
    }
    pending = unfinished;
  }
}
