// A whole bench run: a run directory like a test's, each target benched in
// turn, the comparison with a baseline, and the files: bench.json (written
// first as a stub, so an interrupted run leaves a record), latency.hdr and
// report.html. Exit 0, or 1 when a figure regressed past the threshold.

import { rmSync } from 'node:fs';
import os from 'node:os';
import { HistogramLogWriter } from 'hdr-histogram-js';
import { latencyHistogramSettings } from '../../checkers/latency-histogram.js';
import type { Clock } from '../../core/clock.js';
import type { JsonValue } from '../../core/history.js';
import { prngCreate } from '../../core/prng.js';
import { exitCode } from '../../core/verdict.js';
import { chartJsSource } from '../../results/report/report-write.js';
import {
  runDirCreate,
  runFilePath,
  runFileWrite,
  runJsonWrite,
  runLatestPoint,
  runFiles,
  type RunDir,
} from '../../results/run-store.js';
import { storedFileRead, storedFormat } from '../../results/schema/stored-file.js';
import { versionsRead } from '../../results/versions.js';
import { benchReportHtml } from '../../results/report/bench-report.js';
import { baselineCompare } from './baseline.js';
import type { BenchOptions } from './bench-options.js';
import {
  benchFileD,
  type BaselineComparison,
  type BenchFile,
  type BenchSettings,
  type BenchTargetRecord,
} from './bench-file.js';
import { mixText } from './mix.js';
import type { PointHistogram } from './point-figures.js';
import { targetBench, type BenchProgress } from './target-bench.js';

const usPerMs = 1000;

export const benchFiles = Object.freeze({ bench: 'bench.json', latency: runFiles.latency, report: 'report.html' });

export const benchUnchecked =
  'not checked: bench mode measures speed and does not check the results for correctness (quorumlab test does)';

export interface BenchEnv {
  readonly clock: Clock;
  readonly argv: readonly string[];
  readonly signal: AbortSignal;
  readonly progress: BenchProgress;
  readonly say: (line: string) => void;
}

export interface BenchOutcome {
  readonly file: BenchFile;
  readonly run: RunDir;
  readonly exitCode: number;
  readonly crash: string | null;
}

export async function benchRun(options: BenchOptions, env: BenchEnv): Promise<BenchOutcome> {
  const first = options.targets[0]!.options;
  const baseline = options.baseline === null ? null : baselineRead(options.baseline);
  const run = runDirCreate(first.storeDir, first.name, env.clock.wallIso());
  const runId = `${first.name}-${run.stamp}`;
  const hdr = hdrLogCreate();
  const targets: BenchTargetRecord[] = [];
  let file = benchFileMake(options, env, run, runId, targets, null);
  runJsonWrite(run, benchFiles.bench, file);
  runLatestPoint(run);
  let crash: string | null = null;
  try {
    for (const target of options.targets) {
      if (env.signal.aborted) break;
      const prng = prngCreate(target.options.seed);
      targets.push(
        await targetBench(
          options,
          target,
          { ...env, prng, run, runId, histograms: hdr.add },
          options.targets.length === 1,
        ),
      );
    }
  } catch (error) {
    crash = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  const comparison =
    baseline === null || crash !== null
      ? null
      : baselineCompare(
          options.baseline!,
          baseline,
          targets.flatMap((target) =>
            target.points.map((point) => ({ target: target.target, label: point.label, summary: point.summary })),
          ),
          options.regression,
        );
  // Each target removed its own node data; the directory that held them goes too, as a test's does.
  rmSync(runFilePath(run, runFiles.nodeData), { recursive: true, force: true });
  file = benchFileMake(options, env, run, runId, targets, comparison);
  runJsonWrite(run, benchFiles.bench, file);
  runFileWrite(run, benchFiles.latency, hdr.text());
  runFileWrite(run, benchFiles.report, benchReportHtml(file, { chartJs: chartJsSource() }));
  const code =
    crash !== null
      ? exitCode.crashed
      : comparison !== null && comparison.regressions > 0
        ? exitCode.invalid
        : exitCode.valid;
  return { file, run, exitCode: code, crash };
}

function baselineRead(
  dir: string,
): ReturnType<typeof benchFileD> extends infer D ? (D extends { ok: true; value: infer V } ? V : never) : never {
  const read = storedFileRead(`${dir}/${benchFiles.bench}`, benchFileD);
  if (!read.ok) throw new BaselineError(`--baseline: ${read.error}`);
  return read.value;
}

/** A --baseline that cannot be read: a user's mistake, said before anything runs. */
export class BaselineError extends Error {}

function benchFileMake(
  options: BenchOptions,
  env: BenchEnv,
  run: RunDir,
  runId: string,
  targets: readonly BenchTargetRecord[],
  baseline: BaselineComparison | null,
): BenchFile {
  const first = options.targets[0]!.options;
  return {
    format: storedFormat,
    kind: 'bench',
    name: first.name,
    runId,
    startedAt: run.stamp,
    commandLine: [...env.argv],
    host: { platform: process.platform, arch: process.arch, cpus: os.cpus().length },
    versions: versionsRead(),
    checked: false,
    note: benchUnchecked,
    settings: settingsOf(options),
    histogram: {
      unit: 'us',
      lowestUs: latencyHistogramSettings.lowestUs,
      highestUs: latencyHistogramSettings.highestUs,
      significantDigits: latencyHistogramSettings.significantDigits,
      latencyFrom:
        'open loop: the intended start on the schedule (coordinated omission corrected); closed loop: the send',
    },
    targets,
    ratios: ratiosOf(targets),
    baseline,
  };
}

function settingsOf(options: BenchOptions): BenchSettings {
  const first = options.targets[0]!.options;
  return {
    mix: options.mix.name,
    mixWeights: { ...options.mix.weights },
    mixText: mixText(options.mix),
    distribution: options.distribution,
    zipfConstant: options.zipfConstant,
    recordCount: options.recordCount,
    keyCount: options.keyCount,
    valueSize: options.valueSize,
    load: JSON.parse(JSON.stringify(options.load)) as JsonValue,
    pointMs: options.pointMs,
    warmupMs: options.warmupMs,
    repeat: options.repeat,
    regression: options.regression,
    targets: options.targets.map((target) => target.name),
    runtime: first.runtime,
    seed: first.seed,
    nemesis: [...first.nemesis],
    nemesisIntervalMs: first.nemesisIntervalMs,
    pgCount: first.cluster.geometry.pgCount,
    opTimeoutMs: first.opTimeoutMs,
  };
}

/** Two targets: the second's figures over the first's, for the points both ran. */
function ratiosOf(targets: readonly BenchTargetRecord[]): JsonValue {
  if (targets.length !== 2) return null;
  const [a, b] = targets as [BenchTargetRecord, BenchTargetRecord];
  return {
    of: `${b.target} / ${a.target}`,
    points: a.points.flatMap((pa) => {
      const pb = b.points.find((point) => point.label === pa.label);
      if (pb === undefined) return [];
      const ratio = (x: number | null, y: number | null): number | null =>
        x === null || y === null || x === 0 ? null : y / x;
      return [
        {
          point: pa.label,
          goodput: ratio(pa.summary.goodputPerSec, pb.summary.goodputPerSec),
          p50: ratio(pa.summary.p50Us, pb.summary.p50Us),
          p99: ratio(pa.summary.p99Us, pb.summary.p99Us),
        },
      ];
    }),
  };
}

/** latency.hdr: every point's histograms in the HdrHistogram log format, tagged target.point.repeat.kind:outcome. */
function hdrLogCreate(): {
  add: (target: string, point: string, repeat: number, histograms: readonly PointHistogram[]) => void;
  text: () => string;
} {
  let text = '';
  const writer = new HistogramLogWriter((chunk) => {
    text += chunk;
  });
  writer.outputLogFormatVersion();
  writer.outputComment(
    '[quorumlab bench latency: values in microseconds from the intended start, Interval_Max in milliseconds, tags are target.point.repeat.kind:outcome]',
  );
  writer.outputLegend();
  return {
    add: (target, point, repeat, histograms) => {
      writer.outputComment(`[${target} ${point} repeat ${repeat + 1}]`);
      const pointTag = point.replace(/[^A-Za-z0-9]+/g, '-');
      for (const entry of histograms) {
        // The log line as HistogramLogWriter writes it (tag, start, length, max in ms, the encoded histogram).
        const tag = `${target}.${pointTag}.${repeat + 1}.${entry.kind}:${entry.outcome}`;
        text += `Tag=${tag},0.000,${entry.seconds.toFixed(3)},${(entry.maxUs / usPerMs).toFixed(3)},${entry.encoded}\n`;
      }
    },
    text: () => text,
  };
}
