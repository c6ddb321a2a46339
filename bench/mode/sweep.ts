// The sweep's stop rule, pure: the open-loop rate rises by a factor each step,
// and the sweep stops once the p99 crosses the bound, once goodput stops
// growing (a step gains less than the minimum over the best so far), or at the
// step bound. The saturation point is the step of highest goodput within the bound.

export interface SweepRule {
  readonly rateStart: number;
  readonly rateFactor: number;
  readonly rateMax: number;
  readonly stepsMax: number;
  readonly p99MaxUs: number;
  /** A step must raise the best goodput by at least this fraction to count as growth. */
  readonly growthMin: number;
}

export interface SweepStep {
  readonly rate: number;
  readonly goodputPerSec: number;
  readonly p99Us: number | null;
}

export type SweepNext =
  | { readonly stop: false; readonly rate: number }
  | { readonly stop: true; readonly reason: string; readonly saturation: number | null };

export function sweepNext(rule: SweepRule, steps: readonly SweepStep[]): SweepNext {
  if (steps.length === 0) return { stop: false, rate: rule.rateStart };
  const last = steps[steps.length - 1]!;
  const saturation = sweepSaturation(rule, steps);
  if (last.p99Us === null || last.p99Us > rule.p99MaxUs)
    return {
      stop: true,
      reason: `p99 ${last.p99Us === null ? 'absent (no ok operation)' : `${(last.p99Us / 1000).toFixed(1)} ms`} at ${rateText(last.rate)} crossed ${(rule.p99MaxUs / 1000).toFixed(1)} ms`,
      saturation,
    };
  if (steps.length >= 2) {
    const bestBefore = Math.max(...steps.slice(0, -1).map((step) => step.goodputPerSec));
    if (last.goodputPerSec < bestBefore * (1 + rule.growthMin))
      return {
        stop: true,
        reason: `goodput stopped growing: ${last.goodputPerSec.toFixed(0)}/s at ${rateText(last.rate)} against ${bestBefore.toFixed(0)}/s before (less than +${(rule.growthMin * 100).toFixed(0)}%)`,
        saturation,
      };
  }
  if (steps.length >= rule.stepsMax) return { stop: true, reason: `step bound ${rule.stepsMax} reached`, saturation };
  const rate = last.rate * rule.rateFactor;
  if (rate > rule.rateMax) return { stop: true, reason: `rate bound ${rateText(rule.rateMax)} reached`, saturation };
  return { stop: false, rate };
}

/** The index of the step of highest goodput whose p99 is within the bound; null when none is. */
export function sweepSaturation(rule: SweepRule, steps: readonly SweepStep[]): number | null {
  let best: number | null = null;
  steps.forEach((step, index) => {
    if (step.p99Us === null || step.p99Us > rule.p99MaxUs) return;
    if (best === null || step.goodputPerSec > steps[best]!.goodputPerSec) best = index;
  });
  return best;
}

function rateText(rate: number): string {
  return `${rate.toFixed(0)}/s`;
}
