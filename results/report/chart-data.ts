// The data behind the report's charts, derived from the history: every
// operation's latency as a point (ok points sampled in big runs, every fail and
// info kept up to a bound), latency quantiles and throughput per time bucket,
// the fault windows and the phase marks. Pure, and sized for a page: a million
// operations come out at a few megabytes.

import { faultWindows } from '../../checkers/fault-windows.js';
import { historyOps, type ClientOp } from '../../checkers/history-ops.js';
import type { HistoryEvent } from '../../core/history.js';

/** Ok points drawn at most, over all kinds; beyond it they are sampled evenly in time. */
export const okPointsMax = 40_000;
/** Fail and info points drawn at most; every one is kept below this. */
export const failInfoPointsMax = 150_000;
/** Time buckets per chart at most: the bucket width is the first nice width that fits. */
const bucketsMax = 300;
const bucketWidthsMs = [
  100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000,
] as const;

export type Outcome = 'ok' | 'fail' | 'info';

export interface ScatterSeries {
  readonly f: string;
  readonly outcome: Outcome;
  /** Operations of this kind and outcome, all of them. */
  readonly count: number;
  /** Invocation times, ms since the run started. */
  readonly t: readonly number[];
  /** Latencies, ms, three significant figures. */
  readonly l: readonly number[];
}

export interface ChartData {
  readonly endS: number;
  readonly windows: readonly {
    readonly fault: string;
    readonly targets: readonly string[];
    readonly startS: number;
    readonly endS: number;
    readonly healed: boolean;
  }[];
  readonly phases: readonly { readonly name: string; readonly atS: number }[];
  readonly scatter: {
    readonly okTotal: number;
    readonly okDrawn: number;
    readonly failInfoTotal: number;
    readonly failInfoDrawn: number;
    readonly series: readonly ScatterSeries[];
  };
  readonly bucketS: number;
  /** Start of each bucket, s. */
  readonly bucketStartsS: readonly number[];
  /** Latency of ok operations by the bucket they were invoked in, ms. */
  readonly quantiles: {
    readonly p50: readonly (number | null)[];
    readonly p95: readonly (number | null)[];
    readonly p99: readonly (number | null)[];
    readonly max: readonly (number | null)[];
  };
  /** Completions per second by the bucket they completed in. */
  readonly throughput: readonly {
    readonly f: string;
    readonly outcome: Outcome;
    readonly opsPerSec: readonly number[];
  }[];
}

interface Sample {
  readonly invokeNs: number;
  readonly latencyNs: number;
}

interface SeriesSamples {
  readonly f: string;
  readonly outcome: Outcome;
  readonly samples: Sample[];
  readonly completesNs: number[];
}

export function chartDataBuild(history: readonly HistoryEvent[]): ChartData {
  const parsed = historyOps(history);
  const ops = parsed.ok ? parsed.value.ops : [];
  const endNs = history[history.length - 1]?.time ?? 0;
  const bucketMs = bucketWidthMs(endNs / 1e6);
  const series = seriesCollect(ops);
  const ok = series.filter((entry) => entry.outcome === 'ok');
  const failInfo = series.filter((entry) => entry.outcome !== 'ok');
  const okTotal = countOf(ok);
  const failInfoTotal = countOf(failInfo);
  const scatter = [
    ...ok.map((entry) => scatterSeries(entry, okTotal / okPointsMax, bucketMs)),
    ...failInfo.map((entry) => scatterSeries(entry, failInfoTotal / failInfoPointsMax, bucketMs)),
  ];
  const buckets = Math.max(1, Math.ceil(endNs / 1e6 / bucketMs));
  return {
    endS: endNs / 1e9,
    windows: faultWindows(history).map((window) => ({
      fault: window.fault,
      targets: window.targets,
      startS: window.startNs / 1e9,
      endS: (window.endNs ?? endNs) / 1e9,
      healed: window.endNs !== null,
    })),
    phases: history.flatMap((event) =>
      event.process === 'nemesis' && event.f === 'phase' && typeof event.value === 'string'
        ? [{ name: event.value, atS: event.time / 1e9 }]
        : [],
    ),
    scatter: {
      okTotal,
      okDrawn: countDrawn(scatter, 'ok'),
      failInfoTotal,
      failInfoDrawn: scatter.filter((entry) => entry.outcome !== 'ok').reduce((sum, entry) => sum + entry.t.length, 0),
      series: scatter,
    },
    bucketS: bucketMs / 1000,
    bucketStartsS: Array.from({ length: buckets }, (_, i) => (i * bucketMs) / 1000),
    quantiles: quantilesByBucket(ok, buckets, bucketMs),
    throughput: series.map((entry) => ({
      f: entry.f,
      outcome: entry.outcome,
      opsPerSec: throughputByBucket(entry, buckets, bucketMs),
    })),
  };
}

export function bucketWidthMs(durationMs: number): number {
  return bucketWidthsMs.find((width) => durationMs / width <= bucketsMax) ?? bucketWidthsMs[bucketWidthsMs.length - 1]!;
}

/** Completed operations by kind and outcome, kinds in name order; operations still open have no latency. */
function seriesCollect(ops: readonly ClientOp[]): SeriesSamples[] {
  const byName = new Map<string, SeriesSamples>();
  for (const op of ops) {
    if (op.outcome === 'open' || op.completion === null) continue;
    const name = `${op.f}\u0000${op.outcome}`;
    let entry = byName.get(name);
    if (entry === undefined) {
      entry = { f: op.f, outcome: op.outcome, samples: [], completesNs: [] };
      byName.set(name, entry);
    }
    entry.samples.push({ invokeNs: op.invoke.time, latencyNs: op.completion.time - op.invoke.time });
    entry.completesNs.push(op.completion.time);
  }
  const order: readonly Outcome[] = ['ok', 'fail', 'info'];
  return [...byName.values()].sort(
    (a, b) => a.f.localeCompare(b.f) || order.indexOf(a.outcome) - order.indexOf(b.outcome),
  );
}

/**
 * Keeps every point when stride <= 1; otherwise one point in `stride`, evenly
 * through the run, plus the slowest point of each time bucket, so sampling
 * never hides a latency spike.
 */
function scatterSeries(entry: SeriesSamples, stride: number, bucketMs: number): ScatterSeries {
  const { samples } = entry;
  const keep = new Uint8Array(samples.length);
  if (stride <= 1) keep.fill(1);
  else {
    for (let i = 0; i < samples.length; i++) if (Math.floor((i + 1) / stride) > Math.floor(i / stride)) keep[i] = 1;
    const slowest = new Map<number, number>();
    samples.forEach((sample, i) => {
      const bucket = Math.floor(sample.invokeNs / 1e6 / bucketMs);
      const best = slowest.get(bucket);
      if (best === undefined || sample.latencyNs > (samples[best]?.latencyNs ?? 0)) slowest.set(bucket, i);
    });
    for (const i of slowest.values()) keep[i] = 1;
  }
  const t: number[] = [];
  const l: number[] = [];
  samples.forEach((sample, i) => {
    if (keep[i] !== 1) return;
    t.push(Math.round(sample.invokeNs / 1e6));
    l.push(Number(Math.max(0.001, sample.latencyNs / 1e6).toPrecision(3)));
  });
  return { f: entry.f, outcome: entry.outcome, count: samples.length, t, l };
}

function quantilesByBucket(ok: readonly SeriesSamples[], buckets: number, bucketMs: number): ChartData['quantiles'] {
  const byBucket: number[][] = Array.from({ length: buckets }, () => []);
  for (const entry of ok) {
    for (const sample of entry.samples)
      byBucket[Math.min(buckets - 1, Math.floor(sample.invokeNs / 1e6 / bucketMs))]?.push(sample.latencyNs / 1e6);
  }
  const sorted = byBucket.map((values) => Float64Array.from(values).sort());
  const at = (q: number) =>
    sorted.map((values) =>
      values.length === 0 ? null : roundMs(values[Math.max(0, Math.ceil(q * values.length) - 1)] ?? 0),
    );
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.map((values) => (values.length === 0 ? null : roundMs(values[values.length - 1] ?? 0))),
  };
}

function throughputByBucket(entry: SeriesSamples, buckets: number, bucketMs: number): number[] {
  const counts = new Array<number>(buckets).fill(0);
  for (const completeNs of entry.completesNs) {
    const bucket = Math.min(buckets - 1, Math.floor(completeNs / 1e6 / bucketMs));
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts.map((count) => Number(((count * 1000) / bucketMs).toPrecision(4)));
}

function roundMs(ms: number): number {
  return Number(Math.max(0.001, ms).toPrecision(3));
}

function countOf(series: readonly SeriesSamples[]): number {
  return series.reduce((sum, entry) => sum + entry.samples.length, 0);
}

function countDrawn(series: readonly ScatterSeries[], outcome: Outcome): number {
  return series.filter((entry) => entry.outcome === outcome).reduce((sum, entry) => sum + entry.t.length, 0);
}
