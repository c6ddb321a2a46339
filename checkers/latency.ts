// The latency checker: an HdrHistogram per operation kind (f) and outcome,
// corrected for coordinated omission in open-loop runs, with percentiles,
// throughput and quantiles over time, and the encoded histograms. It measures:
// the verdict is valid unless the history cannot be read. latencyHdrFile gives
// the same histograms as the content of the run's latency.hdr.

import type { Histogram } from 'hdr-histogram-js';
import { HistogramLogWriter } from 'hdr-histogram-js';
import type { HistoryEvent } from '../core/history.js';
import type { LatencyDetails, LatencyOutcome, LatencySeriesDetails } from './checker-details.js';
import type { CheckContext, Checker, LatencyResult } from './checker.js';
import type { ClientOp } from './history-ops.js';
import { historyOps } from './history-ops.js';
import type { CorrectionOutcome } from './latency-histogram.js';
import {
  latencyHistogramCreate,
  latencyHistogramEncode,
  latencyHistogramSettings,
  latencyQuantiles,
  latencyRecord,
  latencyUsFromNs,
} from './latency-histogram.js';
import type { LatencySample } from './latency-timeline.js';
import { bucketCount, bucketMs, timelineSeries } from './latency-timeline.js';

const checkerName = 'latency';
const outcomes: readonly LatencyOutcome[] = ['ok', 'fail', 'info'];
type CompletedOutcome = LatencyOutcome;

interface LatencySeries {
  readonly f: string;
  readonly outcome: CompletedOutcome;
  readonly samples: readonly LatencySample[];
}

export const latencyChecker: Checker<LatencyResult> = {
  name: checkerName,
  check(history: readonly HistoryEvent[], context: CheckContext): LatencyResult {
    const parsed = historyOps(history);
    if (!parsed.ok)
      return {
        checker: checkerName,
        verdict: 'unknown',
        summary: `history unreadable: ${parsed.error}`,
        reason: parsed.error,
        details: null,
      };
    const { ops, endNs } = parsed.value;
    const series = latencySeries(ops);
    const buckets = bucketCount(endNs);
    const intervalUs = correctionIntervalUs(context);
    const rows = seriesHistogramsWith(series, intervalUs, (entry, histogram, correction): LatencySeriesDetails => ({
      f: entry.f,
      outcome: entry.outcome,
      count: entry.samples.length,
      countRecorded: histogram.totalCount,
      ...latencyQuantiles(histogram),
      correction: correction ?? { corrected: false, reason: 'closed loop' },
      histogram: latencyHistogramEncode(histogram),
    }));
    const timeline = series.map((entry) => ({
      f: entry.f,
      outcome: entry.outcome,
      ...timelineSeries(entry.samples, buckets),
    }));
    const details: LatencyDetails = {
      unit: 'us',
      settings: latencyHistogramSettings,
      openLoop: context.openLoop,
      intervalUs,
      opsOpen: ops.filter((op) => op.outcome === 'open').length,
      series: rows,
      timeline: { bucketMs, buckets, series: timeline },
    };
    return {
      checker: checkerName,
      verdict: 'valid',
      summary: latencySummary(rows, context.openLoop, intervalUs),
      details,
    };
  },
};

/** The content of latency.hdr: one interval histogram per kind and outcome, tagged `f:outcome`, in the HdrHistogram log format. */
export function latencyHdrFile(history: readonly HistoryEvent[], context: CheckContext): string {
  let text = '';
  const writer = new HistogramLogWriter((chunk) => {
    text += chunk;
  });
  writer.outputLogFormatVersion();
  writer.outputComment(
    '[quorumlab operation latency: values in microseconds, Interval_Max in milliseconds, tags are f:outcome]',
  );
  const parsed = historyOps(history);
  if (!parsed.ok) {
    writer.outputComment(`[history unreadable: ${parsed.error}]`);
    return text;
  }
  writer.outputLegend();
  const durationSec = parsed.value.endNs / 1e9;
  seriesHistogramsWith(latencySeries(parsed.value.ops), correctionIntervalUs(context), (entry, histogram) => {
    histogram.tag = `${entry.f}:${entry.outcome}`;
    writer.outputIntervalHistogram(histogram, 0, durationSec, 1000);
  });
  return text;
}

/** Builds each series' histogram, hands it to `use`, and frees it. */
function seriesHistogramsWith<T>(
  series: readonly LatencySeries[],
  intervalUs: number | null,
  use: (entry: LatencySeries, histogram: Histogram, correction: CorrectionOutcome | null) => T,
): T[] {
  return series.map((entry) => {
    const histogram = latencyHistogramCreate();
    try {
      const correction = latencyRecord(
        histogram,
        entry.samples.map((sample) => sample.latencyUs),
        intervalUs,
      );
      return use(entry, histogram, correction);
    } finally {
      histogram.destroy();
    }
  });
}

/** Completed operations by kind and outcome, kinds in name order; open operations have no latency. */
function latencySeries(ops: readonly ClientOp[]): LatencySeries[] {
  const byName = new Map<string, { f: string; outcome: CompletedOutcome; samples: LatencySample[] }>();
  for (const op of ops) {
    if (op.outcome === 'open' || op.completion === null) continue;
    const name = `${op.f}:${op.outcome}`;
    let entry = byName.get(name);
    if (entry === undefined) {
      entry = { f: op.f, outcome: op.outcome, samples: [] };
      byName.set(name, entry);
    }
    entry.samples.push({
      invokeNs: op.invoke.time,
      completeNs: op.completion.time,
      latencyUs: latencyUsFromNs(op.completion.time - op.invoke.time),
    });
  }
  return [...byName.values()].sort(
    (a, b) => a.f.localeCompare(b.f) || outcomes.indexOf(a.outcome) - outcomes.indexOf(b.outcome),
  );
}

/** The intended interval of an open-loop run in microseconds; null (no correction) for closed loops or an unknown interval. */
function correctionIntervalUs(context: CheckContext): number | null {
  if (!context.openLoop || context.intervalNs === null || context.intervalNs <= 0) return null;
  return Math.max(1, Math.round(context.intervalNs / 1000));
}

function latencySummary(
  rows: readonly { f: string; outcome: CompletedOutcome; count: number; p99Us: number }[],
  openLoop: boolean,
  intervalUs: number | null,
): string {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  if (total === 0) return 'no completed operations to measure';
  const okRows = rows.filter((row) => row.outcome === 'ok').map((row) => `${row.f} ${latencyText(row.p99Us)}`);
  const mode = !openLoop
    ? 'closed loop'
    : intervalUs === null
      ? 'open loop, uncorrected (no interval)'
      : 'open loop, corrected for coordinated omission';
  return `${total} ops measured (${mode}); p99 of ok ops: ${okRows.length > 0 ? okRows.join(', ') : 'none'}`;
}

/** A latency a person reads at a glance: microseconds below 1 ms, seconds from 1 s. */
function latencyText(latencyUs: number): string {
  if (latencyUs < 1_000) return `${latencyUs} us`;
  if (latencyUs < 1_000_000) return `${(latencyUs / 1_000).toFixed(1)} ms`;
  return `${(latencyUs / 1_000_000).toFixed(2)} s`;
}
