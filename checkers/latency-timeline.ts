// Latency and throughput over time, in one-second buckets, for the report's
// charts. Throughput counts completions in the second they completed (what the
// store delivered then); latency quantiles are by the second an operation was
// invoked, so a slow operation shows up where it met a fault. The quantiles
// here are exact over raw samples and not corrected for coordinated omission.

export const bucketMs = 1000;

export interface LatencySample {
  readonly invokeNs: number;
  readonly completeNs: number;
  readonly latencyUs: number;
}

export type TimelineSeries = {
  readonly opsPerSec: readonly number[];
  readonly p50Us: readonly (number | null)[];
  readonly p95Us: readonly (number | null)[];
  readonly p99Us: readonly (number | null)[];
  readonly maxUs: readonly (number | null)[];
};

export function bucketCount(endNs: number): number {
  return Math.floor(endNs / (bucketMs * 1e6)) + 1;
}

/** One series' arrays, dense over the run's buckets (index i covers [i s, i+1 s)). */
export function timelineSeries(samples: readonly LatencySample[], buckets: number): TimelineSeries {
  const opsPerSec = new Array<number>(buckets).fill(0);
  const byInvoke: number[][] = Array.from({ length: buckets }, () => []);
  for (const sample of samples) {
    const completeBucket = Math.min(buckets - 1, bucketOf(sample.completeNs));
    opsPerSec[completeBucket] = (opsPerSec[completeBucket] ?? 0) + 1;
    byInvoke[Math.min(buckets - 1, bucketOf(sample.invokeNs))]?.push(sample.latencyUs);
  }
  const sorted = byInvoke.map((values) => values.sort((a, b) => a - b));
  return {
    opsPerSec: opsPerSec.map((count) => (count * 1000) / bucketMs),
    p50Us: sorted.map((values) => quantileNearestRank(values, 0.5)),
    p95Us: sorted.map((values) => quantileNearestRank(values, 0.95)),
    p99Us: sorted.map((values) => quantileNearestRank(values, 0.99)),
    maxUs: sorted.map((values) => values[values.length - 1] ?? null),
  };
}

function bucketOf(timeNs: number): number {
  return Math.max(0, Math.floor(timeNs / (bucketMs * 1e6)));
}

/** The smallest sample with at least a fraction q of the samples at or below it; null for no samples. */
function quantileNearestRank(sortedValues: readonly number[], q: number): number | null {
  if (sortedValues.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sortedValues.length));
  return sortedValues[rank - 1] ?? null;
}
