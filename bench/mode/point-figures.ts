// The figures of one load point, from its raw samples: goodput, latency
// quantiles per operation kind (from the intended start: coordinated-omission
// corrected in the open loop; the uncorrected p99 beside it), one-second
// timelines, and goodput and latency inside and outside fault windows. Pure.

import type { Histogram } from 'hdr-histogram-js';
import type { FaultWindow } from '../../checkers/checker.js';
import {
  latencyHistogramCreate,
  latencyHistogramEncode,
  latencyQuantiles,
  latencyUsFromNs,
  type LatencyQuantiles,
} from '../../checkers/latency-histogram.js';
import { benchOpKinds, type BenchOpKind } from './mix.js';
import { outcomeNames, type OutcomeName, type SampleLog } from './sample-log.js';
import type { PointRun } from './point-run.js';

const nsPerSecond = 1e9;
/** Timeline buckets are one second wide. */
const bucketNs = nsPerSecond;

export interface OpFigures {
  readonly count: number;
  readonly ok: number;
  /** Quantiles of the ok operations; null when none completed ok. */
  readonly latency: LatencyQuantiles | null;
}

export interface SpanFigures {
  readonly seconds: number;
  readonly ok: number;
  readonly goodputPerSec: number;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
}

export interface PointTimeline {
  /** Second i covers [i, i+1) s from the point's start. */
  readonly okPerSec: readonly number[];
  readonly errorsPerSec: readonly number[];
  readonly p50Us: readonly (number | null)[];
  readonly p99Us: readonly (number | null)[];
}

export interface PointFigures {
  readonly seconds: number;
  readonly ops: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly goodputPerSec: number;
  /** Quantiles of every ok operation, from the intended start. */
  readonly latency: LatencyQuantiles | null;
  /** The p99 measured from the send instead: what a closed-loop style measurement of the same run says. */
  readonly p99UncorrectedUs: number | null;
  readonly late: number;
  /** The point ended early at the sample bound. */
  readonly truncated: boolean;
  readonly perOp: Readonly<Partial<Record<BenchOpKind, OpFigures>>>;
  readonly errors: Readonly<Record<string, number>>;
  readonly timeline: PointTimeline;
  /** Fault windows relative to the point's start, and figures inside and outside them; null without a nemesis. */
  readonly faults: {
    readonly windows: readonly { readonly fault: string; readonly startS: number; readonly endS: number }[];
    readonly inside: SpanFigures;
    readonly outside: SpanFigures;
  } | null;
}

export interface PointHistogram {
  readonly kind: BenchOpKind;
  readonly outcome: OutcomeName;
  readonly seconds: number;
  readonly maxUs: number;
  readonly encoded: string;
}

export function pointFigures(run: PointRun, windows: readonly FaultWindow[] | null, truncated: boolean): PointFigures {
  const { log } = run;
  const seconds = Math.max(1e-9, (run.endNs - run.startNs) / nsPerSecond);
  const ok = log.okCount();
  const outcomes = outcomeNames.map((_, index) => log.outcomes.filter((outcome) => outcome === index).length);
  const okLatencies = indicesOf(log, (i) => log.outcomes[i] === 0);
  return {
    seconds,
    ops: log.size,
    ok,
    fail: outcomes[1] ?? 0,
    info: outcomes[2] ?? 0,
    goodputPerSec: ok / seconds,
    latency: quantilesOf(log, okLatencies, 'intended'),
    p99UncorrectedUs: quantilesOf(log, okLatencies, 'sent')?.p99Us ?? null,
    late: log.late,
    truncated,
    perOp: perOpFigures(log),
    errors: Object.fromEntries(log.errors),
    timeline: timelineOf(run),
    faults: windows === null ? null : faultSplit(run, windows, seconds),
  };
}

/** Every kind and outcome's histogram, encoded (latency.hdr); latency from the intended start. */
export function pointHistograms(run: PointRun): PointHistogram[] {
  const { log } = run;
  const seconds = (run.endNs - run.startNs) / nsPerSecond;
  const out: PointHistogram[] = [];
  benchOpKinds.forEach((kind, kindIndex) =>
    outcomeNames.forEach((outcome, outcomeIndex) => {
      const indices = indicesOf(log, (i) => log.kinds[i] === kindIndex && log.outcomes[i] === outcomeIndex);
      if (indices.length === 0) return;
      histogramWith(log, indices, 'intended', (histogram) =>
        out.push({ kind, outcome, seconds, maxUs: histogram.maxValue, encoded: latencyHistogramEncode(histogram) }),
      );
    }),
  );
  return out;
}

function perOpFigures(log: SampleLog): Partial<Record<BenchOpKind, OpFigures>> {
  const out: Partial<Record<BenchOpKind, OpFigures>> = {};
  benchOpKinds.forEach((kind, kindIndex) => {
    const all = indicesOf(log, (i) => log.kinds[i] === kindIndex);
    if (all.length === 0) return;
    const okOnes = all.filter((i) => log.outcomes[i] === 0);
    out[kind] = { count: all.length, ok: okOnes.length, latency: quantilesOf(log, okOnes, 'intended') };
  });
  return out;
}

function timelineOf(run: PointRun): PointTimeline {
  const { log } = run;
  const buckets = Math.max(1, Math.ceil((run.endNs - run.startNs) / bucketNs));
  const okPerSec = new Array<number>(buckets).fill(0);
  const errorsPerSec = new Array<number>(buckets).fill(0);
  const byStart: number[][] = Array.from({ length: buckets }, () => []);
  for (let i = 0; i < log.size; i++) {
    const done = Math.min(buckets - 1, Math.max(0, Math.floor((log.completeNs[i]! - run.startNs) / bucketNs)));
    if (log.outcomes[i] === 0) {
      okPerSec[done]!++;
      const start = Math.min(buckets - 1, Math.max(0, Math.floor((log.intendedNs[i]! - run.startNs) / bucketNs)));
      byStart[start]!.push(i);
    } else errorsPerSec[done]!++;
  }
  const quantiles = byStart.map((indices) => quantilesOf(log, indices, 'intended'));
  // The last bucket is usually partial: its counts are divided by its own width, so the rate does not seem to drop.
  const widthS = (i: number): number => Math.max(1e-3, Math.min(1, (run.endNs - run.startNs) / bucketNs - i));
  return {
    okPerSec: okPerSec.map((count, i) => count / widthS(i)),
    errorsPerSec: errorsPerSec.map((count, i) => count / widthS(i)),
    p50Us: quantiles.map((q) => q?.p50Us ?? null),
    p99Us: quantiles.map((q) => q?.p99Us ?? null),
  };
}

/** Operations by where their intended start falls; time inside is the windows' union within the point. */
function faultSplit(
  run: PointRun,
  windows: readonly FaultWindow[],
  seconds: number,
): NonNullable<PointFigures['faults']> {
  const { log } = run;
  const spans = windows.map((w) => ({
    fault: w.fault,
    startNs: Math.max(run.startNs, w.startNs),
    endNs: Math.min(run.endNs, w.endNs ?? run.endNs),
  }));
  const live = spans.filter((span) => span.endNs > span.startNs);
  const inside = (timeNs: number): boolean => live.some((span) => timeNs >= span.startNs && timeNs < span.endNs);
  const insideSeconds = unionNs(live) / nsPerSecond;
  const okInside = indicesOf(log, (i) => log.outcomes[i] === 0 && inside(log.intendedNs[i]!));
  const okOutside = indicesOf(log, (i) => log.outcomes[i] === 0 && !inside(log.intendedNs[i]!));
  return {
    windows: live.map((span) => ({
      fault: span.fault,
      startS: (span.startNs - run.startNs) / nsPerSecond,
      endS: (span.endNs - run.startNs) / nsPerSecond,
    })),
    inside: spanFigures(log, okInside, insideSeconds),
    outside: spanFigures(log, okOutside, seconds - insideSeconds),
  };
}

function spanFigures(log: SampleLog, okIndices: readonly number[], seconds: number): SpanFigures {
  const quantiles = quantilesOf(log, okIndices, 'intended');
  return {
    seconds,
    ok: okIndices.length,
    goodputPerSec: seconds > 0 ? okIndices.length / seconds : 0,
    p50Us: quantiles?.p50Us ?? null,
    p99Us: quantiles?.p99Us ?? null,
  };
}

function unionNs(spans: readonly { readonly startNs: number; readonly endNs: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.startNs - b.startNs);
  let total = 0;
  let reach = -Infinity;
  for (const span of sorted) {
    const from = Math.max(reach, span.startNs);
    if (span.endNs > from) total += span.endNs - from;
    reach = Math.max(reach, span.endNs);
  }
  return total;
}

function indicesOf(log: SampleLog, keep: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < log.size; i++) if (keep(i)) out.push(i);
  return out;
}

function quantilesOf(log: SampleLog, indices: readonly number[], from: 'intended' | 'sent'): LatencyQuantiles | null {
  if (indices.length === 0) return null;
  return histogramWith(log, indices, from, latencyQuantiles);
}

function histogramWith<T>(
  log: SampleLog,
  indices: readonly number[],
  from: 'intended' | 'sent',
  use: (h: Histogram) => T,
): T {
  const histogram = latencyHistogramCreate();
  try {
    const starts = from === 'intended' ? log.intendedNs : log.sentNs;
    for (const i of indices) histogram.recordValue(latencyUsFromNs(log.completeNs[i]! - starts[i]!));
    return use(histogram);
  } finally {
    histogram.destroy();
  }
}
