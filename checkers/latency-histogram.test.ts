import { build, decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { prngCreate } from '../core/prng.js';
import {
  latencyHistogramCreate,
  latencyHistogramEncode,
  latencyHistogramSettings,
  latencyQuantiles,
  latencyRecord,
  latencyUsFromNs,
} from './latency-histogram.js';

/** The library's own per-sample correction, the reference the grouped correction must match. */
function referenceHistogram(samplesUs: readonly number[], intervalUs: number) {
  const histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: latencyHistogramSettings.highestUs,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly: false,
  });
  for (const sample of samplesUs) histogram.recordValueWithExpectedInterval(sample, intervalUs);
  return histogram;
}

describe('latency histograms', () => {
  it('records without correction exactly what the library records', () => {
    const prng = prngCreate(11);
    const samples = Array.from({ length: 5000 }, () => prng.between(50, 3_000_000));
    const ours = latencyHistogramCreate();
    expect(latencyRecord(ours, samples, null)).toBeNull();
    const reference = referenceHistogram(samples, 0);
    expect(ours.totalCount).toBe(reference.totalCount);
    expect(latencyQuantiles(ours)).toEqual(latencyQuantiles(reference));
  });

  it.each([
    ['a slow tail', 7, 1_000, 200],
    ['timeouts far above the interval', 8, 2_000, 2_000_000],
    ['a tiny interval', 9, 3, 20_000],
  ])('corrects for coordinated omission like the library (%s)', (_name, seed, intervalUs, spreadUs) => {
    const prng = prngCreate(seed);
    const samples = Array.from(
      { length: 1000 },
      () => prng.between(1, spreadUs) + (prng.chance(0.05) ? spreadUs * 4 : 0),
    );
    const ours = latencyHistogramCreate();
    expect(latencyRecord(ours, samples, intervalUs)).toMatchObject({ corrected: true });
    const reference = referenceHistogram(samples, intervalUs);
    expect(Math.abs(ours.totalCount - reference.totalCount)).toBeLessThanOrEqual(reference.totalCount * 0.001);
    expect(ours.maxValue).toBe(reference.maxValue);
    for (const percentile of [50, 90, 95, 99, 99.9]) {
      expect(
        Math.abs(ours.getValueAtPercentile(percentile) - reference.getValueAtPercentile(percentile)),
      ).toBeLessThanOrEqual(reference.getValueAtPercentile(percentile) * 0.002 + 1);
    }
  });

  it('raises the percentiles of a stalled open-loop run', () => {
    const samples = [...Array.from<number>({ length: 99 }).fill(1_000), 1_000_000];
    const plain = latencyHistogramCreate();
    const corrected = latencyHistogramCreate();
    latencyRecord(plain, samples, null);
    latencyRecord(corrected, samples, 10_000);
    expect(latencyQuantiles(plain).p90Us).toBeLessThan(1_100);
    expect(latencyQuantiles(corrected).p90Us).toBeGreaterThan(100_000);
    expect(corrected.totalCount).toBe(100 + 99);
  });

  it('encodes a histogram that decodes to the same counts', () => {
    const histogram = latencyHistogramCreate();
    latencyRecord(histogram, [5, 500, 50_000], null);
    const decoded = decodeFromCompressedBase64(latencyHistogramEncode(histogram));
    expect(decoded.totalCount).toBe(3);
    expect(decoded.getValueAtPercentile(50)).toBe(histogram.getValueAtPercentile(50));
    expect(decoded.maxValue).toBeGreaterThanOrEqual(50_000);
    expect(decoded.maxValue).toBeLessThanOrEqual(50_000 * 1.001);
  });

  it('clamps latencies into the histogram range instead of throwing', () => {
    expect(latencyUsFromNs(-5)).toBe(1);
    expect(latencyUsFromNs(120e9)).toBe(latencyHistogramSettings.highestUs);
    expect(latencyUsFromNs(2_400)).toBe(2);
  });
});
