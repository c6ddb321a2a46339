// The open-loop schedule: invocations leave at a fixed rate whatever the store
// does, up to a bound on operations outstanding. When every slot is busy the
// schedule waits for one and counts the invocations that left late (more than
// one interval, and more than timer jitter, after their time); the latency
// checker corrects for that (coordinated omission) with the interval.

import type { Clock } from '../core/clock.js';
import type { ClientOp } from './op.js';
import type { OpCounts, PhaseRun } from './phase.js';

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
      // Until the next invocation is due, or the time limit; an abort ends the sleep at once.
      const waitMs = Math.min(Math.ceil((dueNs - nowNs) / 1e6), Math.ceil(phase.remainingMs()));
      await clock.sleep(waitMs, phase.limits.signal);
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
