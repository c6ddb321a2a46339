// What one thread of the partition pool does with a task, on a worker thread
// (partition-worker.ts) or on the checking thread itself: go on with the
// partition's paused search, or start one (the model built again from its
// registry origin), run it for the task's quota within the task's budget.

import { clockCreate } from '../../core/clock.js';
import { budgetCreate } from './budget.js';
import { modelByName } from './models/registry.js';
import type { PoolReply, PoolTask } from './partition-task.js';
import { PausedSearches } from './paused-searches.js';
import { searchCreate } from './search.js';

export class TaskRunner {
  private readonly clock = clockCreate();
  private paused: PausedSearches<number> | null = null;

  run(task: PoolTask): PoolReply {
    const startMs = this.clock.nowMs();
    const budget = budgetCreate(this.clock, task.timeoutMs, task.memoryBytesMax);
    this.paused ??= new PausedSearches<number>(task.memoryBytesMax);
    let search = this.paused.take(task.index);
    if (search === undefined) {
      const model = modelByName(task.origin.name, task.origin.options);
      if (model === undefined) return { index: task.index, error: `no model named "${task.origin.name}"` };
      search = searchCreate({ model, ops: task.ops, init: model.init(), budget });
    }
    const outcome = search.run(task.stepsMax, budget);
    if (outcome.kind === 'steps') this.paused.keep(task.index, search);
    return { index: task.index, outcome, elapsedMs: this.clock.nowMs() - startMs };
  }
}
