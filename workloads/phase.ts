// One phase of a run as the interpreter and the open-loop schedule both see it:
// its limits, the counts of what it invoked, and the generator as it advances.
// Both schedules read the time limit from the run's clock, never from a timer.

import type { Clock } from '../core/clock.js';
import { clientProcessOf } from '../core/history.js';
import type { Prng } from '../core/prng.js';
import type { Generator } from './generator.js';
import type { ClientOp } from './op.js';

export interface PhaseLimits {
  /** Stop invoking after this long; null: until the generator is exhausted. */
  readonly timeLimitMs: number | null;
  /** Stop after this many invocations in this phase; null: no bound. */
  readonly opsLimit: number | null;
  /** Operations per second for an open loop; null for a closed loop. */
  readonly rate: number | null;
  /** Aborting stops new invocations; operations in flight complete (bounded by the deadline). */
  readonly signal?: AbortSignal;
}

export interface OpCounts {
  invoked: number;
  ok: number;
  fail: number;
  info: number;
  /** Open loop: invocations that left more than one interval after their scheduled time. */
  late: number;
}

/** One phase's bookkeeping: the generator as it advances, and whether more may be invoked. */
export class PhaseRun {
  invoked = 0;
  exhausted = false;
  private readonly deadlineNs: number;

  constructor(
    private gen: Generator<ClientOp>,
    readonly limits: PhaseLimits,
    private readonly clock: Clock,
    private readonly prng: Prng,
  ) {
    this.deadlineNs = limits.timeLimitMs === null ? Infinity : clock.nowNs() + limits.timeLimitMs * 1e6;
  }

  mayInvoke(): boolean {
    if (this.exhausted || this.limits.signal?.aborted === true) return false;
    if (this.limits.opsLimit !== null && this.invoked >= this.limits.opsLimit) return false;
    return this.clock.nowNs() < this.deadlineNs;
  }

  remainingMs(): number {
    return (this.deadlineNs - this.clock.nowNs()) / 1e6;
  }

  /** The next operation for `process`, or null when the generator is done. */
  take(process: number): ClientOp | null {
    const step = this.gen.op({ prng: this.prng, process: clientProcessOf(process), timeNs: this.clock.nowNs() });
    if (step.kind === 'done') {
      this.exhausted = true;
      return null;
    }
    this.gen = step.next;
    this.invoked++;
    return step.op;
  }
}
