// Repeats of one point reduced to medians, and how noisy they were: the spread
// (max - min) / median of goodput and of p99, which says whether a comparison
// against a threshold can be trusted on this machine.

import type { PointFigures } from './point-figures.js';

export interface PointSummary {
  readonly goodputPerSec: number;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
  readonly p999Us: number | null;
  /** (max - min) / median over the repeats; 0 for one repeat. */
  readonly goodputSpread: number;
  readonly p99Spread: number;
}

export function pointSummary(repeats: readonly PointFigures[]): PointSummary {
  const goodputs = repeats.map((figures) => figures.goodputPerSec);
  const p99s = present(repeats.map((figures) => figures.latency?.p99Us ?? null));
  return {
    goodputPerSec: median(goodputs) ?? 0,
    p50Us: median(present(repeats.map((figures) => figures.latency?.p50Us ?? null))),
    p99Us: median(p99s),
    p999Us: median(present(repeats.map((figures) => figures.latency?.p999Us ?? null))),
    goodputSpread: spread(goodputs),
    p99Spread: spread(p99s),
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function spread(values: readonly number[]): number {
  const mid = median(values);
  if (mid === null || mid === 0 || values.length < 2) return 0;
  return (Math.max(...values) - Math.min(...values)) / mid;
}

function present(values: readonly (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null);
}
