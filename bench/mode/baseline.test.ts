import { describe, expect, test } from 'vitest';
import { baselineCompare } from './baseline.js';
import type { BenchFileRead } from './bench-file.js';
import type { PointSummary } from './repeat-median.js';
import { median, pointSummary } from './repeat-median.js';
import type { PointFigures } from './point-figures.js';

const summary = (goodputPerSec: number, p99Us: number, spread = 0.02): PointSummary => ({
  goodputPerSec,
  p50Us: p99Us / 4,
  p99Us,
  p999Us: p99Us * 2,
  goodputSpread: spread,
  p99Spread: spread,
});

const baseline = (points: Record<string, PointSummary>): BenchFileRead => ({
  format: 1,
  kind: 'bench',
  histogram: { lowestUs: 1, highestUs: 60_000_000, significantDigits: 3 },
  targets: [
    {
      target: 'quorumlab',
      points: Object.entries(points).map(([label, s]) => ({ label, summary: s, repeats: [] })),
      sweep: null,
    },
  ],
});

describe('comparison with a baseline', () => {
  test('a goodput drop and a p99 rise past the threshold are regressions; small changes are not', () => {
    const result = baselineCompare(
      'store/old',
      baseline({ 'clients 16': summary(1000, 10_000), 'clients 64': summary(2000, 20_000) }),
      [
        { target: 'quorumlab', label: 'clients 16', summary: summary(850, 10_500) },
        { target: 'quorumlab', label: 'clients 64', summary: summary(1950, 25_000) },
      ],
      0.1,
    );
    const flagged = result.deltas.filter((d) => d.regression).map((d) => `${d.point} ${d.figure}`);
    expect(flagged).toEqual(['clients 16 goodput', 'clients 64 p50', 'clients 64 p99']);
    expect(result.regressions).toBe(3);
    expect(result.deltas.find((d) => d.point === 'clients 16' && d.figure === 'goodput')!.delta).toBeCloseTo(-0.15);
    expect(result.verdict).toMatch(/^3 of 6 figures worse than the baseline by more than 10\.0%/);
  });

  test('better figures are never regressions', () => {
    const result = baselineCompare(
      'b',
      baseline({ 'rate 500/s': summary(500, 9000) }),
      [{ target: 'quorumlab', label: 'rate 500/s', summary: summary(700, 3000) }],
      0.1,
    );
    expect(result.regressions).toBe(0);
  });

  test('points missing from the baseline are listed, not compared', () => {
    const result = baselineCompare(
      'b',
      baseline({ 'clients 16': summary(1000, 10_000) }),
      [
        { target: 'quorumlab', label: 'clients 8', summary: summary(1000, 10_000) },
        { target: 'etcd', label: 'clients 16', summary: summary(1000, 10_000) },
      ],
      0.1,
    );
    expect(result.deltas).toEqual([]);
    expect(result.unmatched).toEqual(['quorumlab clients 8', 'etcd clients 16']);
    expect(result.verdict).toMatch(/^nothing to compare/);
  });

  test('repeats noisier than the threshold are said to be so', () => {
    const result = baselineCompare(
      'b',
      baseline({ 'clients 16': summary(1000, 10_000, 0.3) }),
      [{ target: 'quorumlab', label: 'clients 16', summary: summary(1000, 10_000) }],
      0.1,
    );
    expect(result.noise).toBeCloseTo(0.3);
    expect(result.verdict).toMatch(/spread by up to 30\.0%, more than the 10\.0% threshold/);
  });
});

describe('repeats reduced to medians', () => {
  const figures = (goodputPerSec: number, p99Us: number): PointFigures =>
    ({
      goodputPerSec,
      latency: { p50Us: 1, p90Us: 1, p95Us: 1, p99Us, p999Us: p99Us, maxUs: p99Us, meanUs: 1 },
    }) as PointFigures;

  test('the median of three, and the spread as (max - min) / median', () => {
    const s = pointSummary([figures(100, 10), figures(120, 30), figures(90, 20)]);
    expect(s.goodputPerSec).toBe(100);
    expect(s.p99Us).toBe(20);
    expect(s.goodputSpread).toBeCloseTo(0.3);
    expect(s.p99Spread).toBeCloseTo(1);
  });

  test('an even count takes the mean of the middle two; one repeat has no spread', () => {
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(pointSummary([figures(100, 10)]).goodputSpread).toBe(0);
  });
});
