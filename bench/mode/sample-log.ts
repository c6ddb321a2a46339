// The raw measurements of one load point: per operation its kind, outcome and
// three times (when it was meant to start, when it was sent, when it ended), in
// flat arrays with a bound, so figures, timelines and fault-window splits are
// computed afterwards by pure functions.

import { benchOpKinds, type BenchOpKind } from './mix.js';

export const outcomeNames = ['ok', 'fail', 'info'] as const;
export type OutcomeName = (typeof outcomeNames)[number];

/** Bound on the operations one point keeps (about 100 MB); a point that reaches it ends early and says so. */
export const samplesMax = 4_000_000;

export class SampleLog {
  readonly kinds: number[] = [];
  readonly outcomes: number[] = [];
  /** Open loop: the scheduled start; closed loop: the send (there is no schedule to fall behind). */
  readonly intendedNs: number[] = [];
  readonly sentNs: number[] = [];
  readonly completeNs: number[] = [];
  /** Error codes of fail and info outcomes, with their counts. */
  readonly errors = new Map<string, number>();
  /** Open loop: invocations that left more than one interval late (every slot was busy). */
  late = 0;

  get size(): number {
    return this.kinds.length;
  }

  full(): boolean {
    return this.kinds.length >= samplesMax;
  }

  record(kind: BenchOpKind, outcome: OutcomeName, times: SampleTimes, error: string | undefined): void {
    this.kinds.push(benchOpKinds.indexOf(kind));
    this.outcomes.push(outcomeNames.indexOf(outcome));
    this.intendedNs.push(times.intendedNs);
    this.sentNs.push(times.sentNs);
    this.completeNs.push(times.completeNs);
    if (error !== undefined) this.errors.set(error, (this.errors.get(error) ?? 0) + 1);
  }

  okCount(): number {
    return this.outcomes.reduce((sum, outcome) => sum + (outcome === 0 ? 1 : 0), 0);
  }
}

export interface SampleTimes {
  readonly intendedNs: number;
  readonly sentNs: number;
  readonly completeNs: number;
}
