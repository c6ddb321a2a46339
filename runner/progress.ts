// What a run is doing now, for the progress line on a terminal: the phase, the
// time since the start and the operation counts. The loop updates it; the
// command line reads it on its own timer.

import type { Clock } from '../core/clock.js';
import type { OpCounts } from '../workloads/phase.js';

export type RunPhase = 'starting' | 'main' | 'heal' | 'recovery' | 'final' | 'stopping' | 'checking' | 'done';

export class RunProgress {
  phase: RunPhase = 'starting';
  counts: Readonly<OpCounts> | null = null;
  private readonly startMs: number;

  constructor(private readonly clock: Clock) {
    this.startMs = clock.nowMs();
  }

  elapsedMs(): number {
    return this.clock.nowMs() - this.startMs;
  }

  /** One line: "12.3s main 10234 ops (ok 10001, fail 200, info 33)". */
  line(): string {
    const c = this.counts;
    const ops = c === null ? '' : ` ${c.invoked} ops (ok ${c.ok}, fail ${c.fail}, info ${c.info})`;
    return `${(this.elapsedMs() / 1000).toFixed(1)}s ${this.phase}${ops}`;
  }
}
