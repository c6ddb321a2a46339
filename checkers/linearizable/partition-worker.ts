// Entry point of one worker thread of the partition pool: each task message
// is run (partition-task-run.ts) and its outcome posted back.

import { parentPort } from 'node:worker_threads';
import type { PoolTask } from './partition-task.js';
import { TaskRunner } from './partition-task-run.js';

const port = parentPort;
if (port === null) throw new Error('partition-worker.js runs as a worker thread of the partition pool');
const runner = new TaskRunner();
port.on('message', (task: PoolTask) => {
  port.postMessage(runner.run(task));
});
