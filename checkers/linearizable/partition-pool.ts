// The verdict phase on several threads: the partitions the search decides are
// spread over a small pool (one thread per core, bounded; the checking thread
// is one of them, so a pool of n starts n - 1 workers), in the same rounds
// of step quotas as on one thread (partition-rounds.ts), so a quickly failing
// key is still found before the hard ones are finished; a thread keeps the
// searches it paused and goes on with them in the next round. Results land by
// partition index, so the output order does not depend on which thread ends first.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Budget } from './budget.js';
import { partitionConclude, searchStop, type Partition } from './partition.js';
import { roundStepsFirst, roundStepsGrowth } from './partition-rounds.js';
import type { PoolReply, PoolTask } from './partition-task.js';
import { TaskRunner } from './partition-task-run.js';
import type { LinearizabilityOptions, Model, ModelOrigin } from './types.js';

/** Threads in one pool, whatever the core count. */
const poolThreadsMax = 8;
/**
 * Operations the search must decide before threads pay for their start (a
 * thread loads the checker and warms up on its own): below, one thread is
 * faster. Measured with bench:checker (bench/RESULTS.md).
 */
const poolOperationsMin = 1200;
/** How long past the check's deadline the pool waits for a thread before ending it. */
const poolDeadlineGraceMs = 2000;

export interface PoolRequest<S, I, O> {
  readonly model: Model<S, I, O>;
  readonly partitions: readonly Partition<I, O>[];
  /** The partitions left for the search, in the check's order. */
  readonly searched: readonly Partition<I, O>[];
  readonly workers: number;
  readonly budget: Budget;
  readonly options: LinearizabilityOptions;
}

/** The threads a check should use: 1 (this thread) unless several partitions with enough operations wait. */
export function poolWorkersFor<S, I, O>(
  model: Model<S, I, O>,
  searched: readonly Partition<I, O>[],
  options: LinearizabilityOptions,
): number {
  if (model.origin === undefined || searched.length < 2) return 1;
  const operations = searched.reduce((sum, partition) => sum + partition.ops.length, 0);
  if (options.threads === undefined && operations < poolOperationsMin) return 1;
  const threads = options.threads ?? availableParallelism();
  return Math.max(1, Math.min(threads, poolThreadsMax, searched.length));
}

/**
 * Searches request.searched on request.workers threads. Partitions it could
 * not decide because a thread failed stay 'unchecked' (the caller checks those
 * on its own thread); false when no thread could be started at all.
 */
export async function partitionsSearchPool<S, I, O>(request: PoolRequest<S, I, O>): Promise<boolean> {
  const script = workerScriptPath();
  const origin = request.model.origin;
  if (script === null || origin === undefined) return false;
  const workers: Pool = {
    threads: [localThread(), ...Array.from({ length: request.workers - 1 }, () => workerThread(script))],
    ended: new Set(),
    holder: new Map(),
  };
  const guard = new AbortController();
  const graceMs = request.budget.deadlineMs - request.budget.clock.nowMs() + poolDeadlineGraceMs;
  // A thread's search keeps to the budget it is sent; this bounds the wait should one not.
  void request.budget.clock
    .sleep(Math.max(0, graceMs), guard.signal)
    .then(() => (guard.signal.aborted ? undefined : workersEnd(workers)));
  try {
    let pending: readonly Partition<I, O>[] = request.searched;
    for (let quota = roundStepsFirst; pending.length > 0; quota *= roundStepsGrowth) {
      const everyOne = pending.length <= workers.threads.length || request.options.partitionsAll === true;
      const round = { request, origin, workers, queue: [...pending], stepsMax: everyOne ? Infinity : quota };
      pending = await poolRound(round);
    }
    return true;
  } finally {
    guard.abort();
    await workersEnd(workers);
  }
}

/** A worker thread, or the checking thread itself. */
interface PoolThread {
  /** The reply; null when the thread was ended meanwhile. */
  run(task: PoolTask): Promise<PoolReply | null>;
  end(): Promise<void>;
}

interface Pool {
  readonly threads: readonly PoolThread[];
  /** Threads ended or failed: given no more tasks. */
  readonly ended: Set<PoolThread>;
  /** The thread that last searched each partition, and so may hold its paused search. */
  readonly holder: Map<Partition<unknown, unknown>, PoolThread>;
}

interface Round<S, I, O> {
  readonly request: PoolRequest<S, I, O>;
  readonly origin: ModelOrigin;
  readonly workers: Pool;
  readonly queue: Partition<I, O>[];
  readonly stepsMax: number;
}

/**
 * One round: every thread takes the next partition until none is left,
 * preferring those it holds paused (they go on where they stopped) and
 * otherwise starting over one another thread holds; returns those out of steps.
 */
async function poolRound<S, I, O>(round: Round<S, I, O>): Promise<Partition<I, O>[]> {
  const unfinished: Partition<I, O>[] = [];
  const { request } = round;
  const indices = new Map(request.partitions.map((partition, index) => [partition, index]));
  const memoryBytesMax = Math.floor(request.budget.memoryBytesMax / round.workers.threads.length);
  const loops = round.workers.threads.map(async (worker) => {
    for (;;) {
      if (round.workers.ended.has(worker)) return;
      if (searchStop(request.partitions, request.budget, request.options)) return;
      const partition = queueTake(round, worker);
      if (partition === undefined) return;
      const task: PoolTask = {
        index: indices.get(partition)!,
        origin: round.origin,
        ops: partition.ops.map((op) => ({ call: op.call, ret: op.ret, input: op.input, output: op.output })),
        stepsMax: round.stepsMax,
        timeoutMs: Math.max(0, request.budget.deadlineMs - request.budget.clock.nowMs()),
        memoryBytesMax,
      };
      round.workers.holder.set(partition, worker);
      const reply = await worker.run(task);
      // null: the thread was ended (a failure elsewhere, or the deadline); an error: it cannot go on.
      if (reply === null || 'error' in reply) {
        round.workers.ended.add(worker);
        return;
      }
      partition.elapsedMs += reply.elapsedMs;
      partition.statesExplored += reply.outcome.statesExplored;
      if (reply.outcome.kind === 'steps') unfinished.push(partition);
      else partitionConclude(partition, reply.outcome);
      if (searchStop(request.partitions, request.budget, request.options)) await workersEnd(round.workers);
    }
  });
  await Promise.all(loops);
  // Rounds keep the check's partition order whatever order the threads finished in.
  return unfinished.sort((a, b) => indices.get(a)! - indices.get(b)!);
}

/** The first queued partition this thread holds or nobody does; else the last one (taken over). */
function queueTake<S, I, O>(round: Round<S, I, O>, worker: PoolThread): Partition<I, O> | undefined {
  const holder = round.workers.holder;
  const at = round.queue.findIndex((partition) => (holder.get(partition) ?? worker) === worker);
  return at >= 0 ? round.queue.splice(at, 1)[0] : round.queue.pop();
}

function workerThread(script: string): PoolThread {
  const worker = new Worker(script);
  let ended = false;
  worker.once('exit', () => (ended = true));
  return {
    run: (task) =>
      new Promise((resolve) => {
        if (ended) return resolve(null);
        const settle = (reply: PoolReply | null): void => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          resolve(reply);
        };
        const onMessage = (reply: PoolReply): void => settle(reply);
        const onError = (error: Error): void => settle({ index: task.index, error: error.message });
        const onExit = (): void => settle(null);
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        worker.postMessage(task);
      }),
    end: async () => {
      await worker.terminate();
    },
  };
}

/**
 * The checking thread as one of the pool: it runs a task at once, then yields
 * so the replies of the worker threads are taken in between its tasks.
 */
function localThread(): PoolThread {
  const runner = new TaskRunner();
  let ended = false;
  return {
    run: async (task) => {
      await new Promise((resolve) => setImmediate(resolve));
      return ended ? null : runner.run(task);
    },
    end: () => {
      ended = true;
      return Promise.resolve();
    },
  };
}

async function workersEnd(pool: Pool): Promise<void> {
  for (const worker of pool.threads) pool.ended.add(worker);
  await Promise.all(pool.threads.map((worker) => worker.end()));
}

/** The built worker script; from the TypeScript sources (a test run) the one in dist/. null when not built. */
function workerScriptPath(): string | null {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  const script = here.endsWith('.ts')
    ? path.resolve(dir, '../../dist/checkers/linearizable/partition-worker.js')
    : path.join(dir, 'partition-worker.js');
  return existsSync(script) ? script : null;
}
