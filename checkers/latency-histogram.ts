// HdrHistograms of operation latency in microseconds, with explicit settings,
// and the coordinated-omission correction for open-loop runs. The correction
// adds, for every latency L above the intended interval I, the samples
// L-I, L-2I, ... down to I that a stalled open-loop sender would have measured.

import type { Histogram } from 'hdr-histogram-js';
import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';

export const latencyHistogramSettings = {
  lowestUs: 1,
  /** One minute: longer than any client timeout, so only a stuck clock lands above it. */
  highestUs: 60_000_000,
  significantDigits: 3,
} as const;

/**
 * Sub-bucket count of a 3-significant-digit histogram: values closer than
 * value/2048 share a bucket, so grouping within that span loses nothing the
 * histogram keeps.
 */
const precisionRatio = 2048;

/**
 * Bound on the recording steps the correction may take per histogram; beyond it
 * the figures stay uncorrected and say so, rather than stalling the checker.
 */
export const correctionStepsMax = 20_000_000;

export function latencyHistogramCreate(): Histogram {
  return build({
    lowestDiscernibleValue: latencyHistogramSettings.lowestUs,
    highestTrackableValue: latencyHistogramSettings.highestUs,
    numberOfSignificantValueDigits: latencyHistogramSettings.significantDigits,
    // 64-bit counts: corrected open-loop histograms can hold more than 2^32 samples in one bucket.
    bitBucketSize: 64,
    autoResize: false,
    useWebAssembly: false,
  });
}

/** Microseconds from nanoseconds, clamped into the histogram's range. */
export function latencyUsFromNs(latencyNs: number): number {
  return Math.min(
    latencyHistogramSettings.highestUs,
    Math.max(latencyHistogramSettings.lowestUs, Math.round(latencyNs / 1000)),
  );
}

export type CorrectionOutcome =
  { readonly corrected: true; readonly steps: number } | { readonly corrected: false; readonly reason: string };

/**
 * Records the samples into the histogram; with intervalUs, corrected for
 * coordinated omission. The library's recordValueWithExpectedInterval takes one
 * step per synthetic sample (millions for one timeout in a fast open loop), so
 * samples are grouped by histogram bucket and each group's synthetic samples are
 * recorded in runs no wider than the histogram's resolution, with a count. The
 * result matches the per-sample correction to within the histogram's precision
 * (about 0.1% in counts and values), in a bounded number of steps.
 */
export function latencyRecord(
  histogram: Histogram,
  samplesUs: readonly number[],
  intervalUs: number | null,
): CorrectionOutcome | null {
  const groups = bucketGroups(samplesUs);
  for (const group of groups) histogram.recordValueWithCount(group.maxUs, group.count);
  if (intervalUs === null) return null;
  if (intervalUs < 1)
    return { corrected: false, reason: `interval ${intervalUs} us is below the histogram's resolution` };
  const synthetic = new Map<number, number>();
  let steps = 0;
  for (const group of groups) {
    steps = syntheticAdd(synthetic, group.meanUs, group.count, intervalUs, steps);
    if (steps > correctionStepsMax)
      return { corrected: false, reason: `correction needs more than ${correctionStepsMax} steps` };
  }
  for (const [valueUs, count] of synthetic) histogram.recordValueWithCount(valueUs, count);
  return { corrected: true, steps };
}

/** Adds the synthetic samples of `count` samples of valueUs; returns the step count so far. */
function syntheticAdd(
  synthetic: Map<number, number>,
  valueUs: number,
  count: number,
  intervalUs: number,
  steps: number,
): number {
  let next = valueUs - intervalUs;
  while (next >= intervalUs && steps <= correctionStepsMax) {
    const perRun = Math.max(1, Math.floor(next / precisionRatio / intervalUs));
    const runLength = Math.min(perRun, Math.floor((next - intervalUs) / intervalUs) + 1);
    const middleUs = Math.round(next - ((runLength - 1) * intervalUs) / 2);
    synthetic.set(middleUs, (synthetic.get(middleUs) ?? 0) + runLength * count);
    next -= runLength * intervalUs;
    steps++;
  }
  return steps;
}

interface BucketGroup {
  /** The group's largest sample: recorded there, the histogram's max stays exact. */
  readonly maxUs: number;
  /** The group's mean sample: its synthetic samples start there, which centres the grouping error. */
  readonly meanUs: number;
  readonly count: number;
}

/** Samples grouped by the histogram bucket they fall in. */
function bucketGroups(samplesUs: readonly number[]): BucketGroup[] {
  const groups = new Map<number, { maxUs: number; sumUs: number; count: number }>();
  for (const sampleUs of samplesUs) {
    const shift = Math.max(0, Math.floor(Math.log2(sampleUs)) - 10);
    const bucketUs = shift === 0 ? sampleUs : Math.floor(sampleUs / 2 ** shift) * 2 ** shift;
    const group = groups.get(bucketUs);
    if (group === undefined) groups.set(bucketUs, { maxUs: sampleUs, sumUs: sampleUs, count: 1 });
    else {
      group.maxUs = Math.max(group.maxUs, sampleUs);
      group.sumUs += sampleUs;
      group.count++;
    }
  }
  return [...groups.values()].map((group) => ({
    maxUs: group.maxUs,
    meanUs: Math.round(group.sumUs / group.count),
    count: group.count,
  }));
}

export type LatencyQuantiles = {
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p95Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
  readonly meanUs: number;
};

export function latencyQuantiles(histogram: Histogram): LatencyQuantiles {
  return {
    p50Us: histogram.getValueAtPercentile(50),
    p90Us: histogram.getValueAtPercentile(90),
    p95Us: histogram.getValueAtPercentile(95),
    p99Us: histogram.getValueAtPercentile(99),
    p999Us: histogram.getValueAtPercentile(99.9),
    maxUs: histogram.maxValue,
    meanUs: Math.round(histogram.mean),
  };
}

export function latencyHistogramEncode(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}
