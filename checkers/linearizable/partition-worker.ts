// Entry point of one worker thread of the partition pool: for each task it
// builds the model again from its registry origin, runs the search with the
// task's quota and budget, and posts the outcome back.

import { parentPort } from 'node:worker_threads';
import { clockCreate } from '../../core/clock.js';
import { budgetCreate } from './budget.js';
import { modelByName } from './models/registry.js';
import type { PoolReply, PoolTask } from './partition-task.js';
import { searchRun } from './search.js';

const port = parentPort;
if (port === null) throw new Error('partition-worker.js runs as a worker thread of the partition pool');

port.on('message', (task: PoolTask) => {
  port.postMessage(taskRun(task));
});

function taskRun(task: PoolTask): PoolReply {
  const model = modelByName(task.origin.name, task.origin.options);
  if (model === undefined) return { index: task.index, error: `no model named "${task.origin.name}"` };
  const clock = clockCreate();
  const startMs = clock.nowMs();
  const budget = budgetCreate(clock, task.timeoutMs, task.memoryBytesMax);
  const outcome = searchRun({ model, ops: task.ops, init: model.init(), budget, stepsMax: task.stepsMax });
  return { index: task.index, outcome, elapsedMs: clock.nowMs() - startMs };
}
