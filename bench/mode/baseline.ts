// A bench run against a stored one: per target and point (matched by label),
// the goodput (higher is better) and the p50 and p99 (lower is better) as
// deltas, each worse by more than the threshold a regression. The repeats'
// spread is said beside it: a threshold below the noise cannot tell.

import type { BaselineComparison, BenchFileRead, FigureDelta } from './bench-file.js';
import type { PointSummary } from './repeat-median.js';

interface CurrentPoint {
  readonly target: string;
  readonly label: string;
  readonly summary: PointSummary;
}

export function baselineCompare(
  baselineDir: string,
  baseline: BenchFileRead,
  current: readonly CurrentPoint[],
  threshold: number,
): BaselineComparison {
  const deltas: FigureDelta[] = [];
  const unmatched: string[] = [];
  let noise = 0;
  for (const point of current) {
    const before = baseline.targets
      .find((target) => target.target === point.target)
      ?.points.find((candidate) => candidate.label === point.label);
    if (before === undefined) {
      unmatched.push(`${point.target} ${point.label}`);
      continue;
    }
    noise = Math.max(noise, point.summary.goodputSpread, point.summary.p99Spread);
    noise = Math.max(noise, before.summary.goodputSpread, before.summary.p99Spread);
    const add = (
      figure: FigureDelta['figure'],
      was: number | null,
      now: number | null,
      higherBetter: boolean,
    ): void => {
      if (was === null || now === null || was === 0) return;
      const delta = (now - was) / was;
      const regression = higherBetter ? delta < -threshold : delta > threshold;
      deltas.push({ target: point.target, point: point.label, figure, baseline: was, current: now, delta, regression });
    };
    add('goodput', before.summary.goodputPerSec, point.summary.goodputPerSec, true);
    add('p50', before.summary.p50Us, point.summary.p50Us, false);
    add('p99', before.summary.p99Us, point.summary.p99Us, false);
  }
  const regressions = deltas.filter((delta) => delta.regression).length;
  return {
    baselineDir,
    threshold,
    deltas,
    unmatched,
    noise,
    regressions,
    verdict: verdictText(regressions, deltas.length, threshold, noise),
  };
}

function verdictText(regressions: number, compared: number, threshold: number, noise: number): string {
  const pct = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;
  const noiseText =
    noise > threshold
      ? `; the repeats spread by up to ${pct(noise)}, more than the ${pct(threshold)} threshold: a difference this small cannot be told from noise here`
      : `; the repeats spread by up to ${pct(noise)}`;
  if (compared === 0) return `nothing to compare: no point of this run is in the baseline${noiseText}`;
  if (regressions === 0)
    return `no figure worse than the baseline by more than ${pct(threshold)} (${compared} compared)${noiseText}`;
  return `${regressions} of ${compared} figures worse than the baseline by more than ${pct(threshold)}${noiseText}`;
}
