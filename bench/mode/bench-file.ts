// bench.json, the schema: what was run (mix, load, targets, histogram
// settings), every point's repeats and medians, the sweep's stop and
// saturation, and the baseline comparison. The decoder checks the figures a
// --baseline comparison and the report read; the rest is kept as written.

import type { JsonValue } from '../../core/history.js';
import type { Decoder } from '../../results/schema/decode.js';
import { arrayD, jsonD, literalD, nullableD, numberD, objectD, stringD } from '../../results/schema/decode.js';
import type { storedFormat } from '../../results/schema/stored-file.js';
import type { PointFigures } from './point-figures.js';
import type { PointLoad } from './point-run.js';
import type { PointSummary } from './repeat-median.js';

/** CPU microseconds per ok operation of each role during a point; null where /proc could not tell. */
export interface CpuPerOp {
  readonly writer: number;
  readonly storage: number;
  readonly bench: number;
}

export interface BenchPointRecord {
  /** "clients 64" or "rate 2000/s": the key a baseline comparison matches points by. */
  readonly label: string;
  readonly load: PointLoad;
  readonly summary: PointSummary;
  readonly cpuUsPerOp: CpuPerOp | null;
  readonly repeats: readonly PointFigures[];
}

export interface BenchTargetRecord {
  readonly target: string;
  readonly runtime: string;
  readonly points: readonly BenchPointRecord[];
  readonly sweep: { readonly stopReason: string; readonly saturation: number | null } | null;
}

/** What the run was asked to do, as parsed. */
export interface BenchSettings {
  readonly mix: string;
  readonly mixWeights: Readonly<Record<string, number>>;
  readonly mixText: string;
  readonly distribution: string;
  readonly zipfConstant: number;
  readonly recordCount: number;
  readonly keyCount: number;
  readonly valueSize: number;
  readonly load: JsonValue;
  readonly pointMs: number;
  readonly warmupMs: number;
  readonly repeat: number;
  readonly regression: number;
  readonly targets: readonly string[];
  readonly runtime: string;
  readonly seed: number;
  readonly nemesis: readonly string[];
  readonly nemesisIntervalMs: number;
  readonly pgCount: number;
  readonly opTimeoutMs: number;
}

export interface BenchFile {
  readonly format: typeof storedFormat;
  readonly kind: 'bench';
  readonly name: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly commandLine: readonly string[];
  readonly host: { readonly platform: string; readonly arch: string; readonly cpus: number };
  readonly versions: { readonly node: string; readonly quorumlab: string };
  /** Whether the workload's results were checked for correctness (never yet: --check is refused). */
  readonly checked: boolean;
  readonly note: string;
  readonly settings: BenchSettings;
  /** How latencies were recorded: the HDR settings and where latency is measured from. */
  readonly histogram: {
    readonly unit: 'us';
    readonly lowestUs: number;
    readonly highestUs: number;
    readonly significantDigits: number;
    readonly latencyFrom: string;
  };
  readonly targets: readonly BenchTargetRecord[];
  /** Two targets: the second's goodput and p99 over the first's, point by point. */
  readonly ratios: JsonValue;
  readonly baseline: BaselineComparison | null;
}

/** What a reader of bench.json may rely on: the figures of every point. */
export interface BenchFileRead {
  readonly format: typeof storedFormat;
  readonly kind: 'bench';
  readonly histogram: { readonly lowestUs: number; readonly highestUs: number; readonly significantDigits: number };
  readonly targets: readonly {
    readonly target: string;
    readonly points: readonly {
      readonly label: string;
      readonly summary: Omit<PointSummary, 'p50Us' | 'p999Us'> & { readonly p50Us: number | null };
      readonly repeats: readonly JsonValue[];
    }[];
    readonly sweep: JsonValue;
  }[];
}

/** One figure of a point against the baseline's (bench.json's `baseline`, written by baseline.ts). */
export interface FigureDelta {
  readonly target: string;
  readonly point: string;
  readonly figure: 'goodput' | 'p50' | 'p99';
  readonly baseline: number;
  readonly current: number;
  /** (current - baseline) / baseline. */
  readonly delta: number;
  /** Worse by more than the threshold, in the figure's bad direction. */
  readonly regression: boolean;
}

export interface BaselineComparison {
  readonly baselineDir: string;
  readonly threshold: number;
  readonly deltas: readonly FigureDelta[];
  /** Points of this run the baseline does not have (by target and label). */
  readonly unmatched: readonly string[];
  /** The largest spread of goodput or p99 over the repeats of either run. */
  readonly noise: number;
  readonly regressions: number;
  readonly verdict: string;
}

const numberOrNullD = nullableD(numberD);

export const benchFileD: Decoder<BenchFileRead> = objectD({
  format: literalD(1),
  kind: literalD('bench'),
  histogram: objectD({ lowestUs: numberD, highestUs: numberD, significantDigits: numberD }),
  targets: arrayD(
    objectD({
      target: stringD,
      points: arrayD(
        objectD({
          label: stringD,
          summary: objectD({
            goodputPerSec: numberD,
            p50Us: numberOrNullD,
            p99Us: numberOrNullD,
            goodputSpread: numberD,
            p99Spread: numberD,
          }),
          repeats: arrayD(jsonD),
        }),
      ),
      sweep: jsonD,
    }),
  ),
});
