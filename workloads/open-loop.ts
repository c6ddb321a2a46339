// The open-loop schedule: invocations leave at a fixed rate whatever the store
// does, up to a bound on operations outstanding. When every slot is busy the
// schedule waits for one and counts the invocations that left late (more than
// one interval, and more than timer jitter, after their time); the latency
// checker corrects for that (coordinated omission) with the interval.

import type { Clock } from '../core/clock.js';
import type { OpCounts, PhaseRun } from './interpreter.js';
import type { ClientOp } from './op.js';

/** The longest one sleep of the scheduler, so an abort or the time limit is noticed promptly. */
const sleepMsMax = 50;
/** Timers fire a millisecond or so late; an invocation counts as late only past this (or one interval, if longer). */
const lateToleranceNs = 10e6;

export interface OpenLoopWorkers {
  perform(worker: number, op: ClientOp): Promise<void>;
  processOf(worker: number): number;
}

export async function openLoopRun(
  phase: PhaseRun,
  rate: number,
  slots: number,
  clock: Clock,
  workers: OpenLoopWorkers,
  counts: OpCounts,
): Promise<void> {
  const intervalNs = 1e9 / rate;
  const lateNs = Math.max(intervalNs, lateToleranceNs);
  const free = Array.from({ length: slots }, (_, i) => slots - 1 - i);
  const inFlight = new Set<Promise<void>>();
  let slotWake: (() => void) | null = null;
  let dueNs = clock.nowNs();
  while (phase.mayInvoke()) {
    const nowNs = clock.nowNs();
    if (nowNs < dueNs) {
      await sleep(Math.min(sleepMsMax, Math.max(1, Math.floor((dueNs - nowNs) / 1e6))), phase.remainingMs());
      continue;
    }
    const worker = free.pop();
    if (worker === undefined) {
      // Bounded: a slot frees when an operation completes, and each is bounded by the op deadline.
      await new Promise<void>((resolve) => (slotWake = resolve));
      continue;
    }
    const op = phase.take(workers.processOf(worker));
    if (op === null) break;
    if (nowNs - dueNs > lateNs) counts.late++;
    dueNs += intervalNs;
    const running: Promise<void> = workers.perform(worker, op).finally(() => {
      inFlight.delete(running);
      free.push(worker);
      const wake = slotWake;
      slotWake = null;
      wake?.();
    });
    inFlight.add(running);
  }
  await Promise.all(inFlight);
}

function sleep(ms: number, remainingMs: number): Promise<void> {
  const bounded = Math.max(0, Math.min(ms, Math.ceil(remainingMs)));
  return new Promise((resolve) => setTimeout(resolve, bounded));
}
