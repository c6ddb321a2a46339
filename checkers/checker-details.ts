// What each checker reports beside its verdict: the figures and the evidence
// that results.json stores and the report draws. Each checker builds its own
// type here, so the writer and the reader (results/schema) agree at compile time.

import type { JsonValue } from '../core/history.js';
import type { DurabilityProblem, DurabilityProblemKind } from './durability-key.js';
import type { CorrectionOutcome, LatencyQuantiles } from './latency-histogram.js';
import type { TimelineSeries } from './latency-timeline.js';
import type { SetCategory, SetEvidence } from './set-classify.js';

/** How the final phase was found: by its marker in the history, or inferred from the last reads. */
export type FinalPhase = 'marker' | 'inferred';

export interface LinearizableOpDetails {
  readonly id: number;
  readonly process: number;
  readonly key: string | null;
  readonly invokeIndex: number;
  readonly completeIndex: number | null;
  /** The operation as the model describes it: "write 3", "cas 1 -> 2". */
  readonly text: string;
}

/** A failing key's evidence, bounded: the window, the breaking op and the end of the longest prefix. */
export interface LinearizableFailureDetails {
  readonly key: string | null;
  readonly prefixLength: number;
  /** Position in the longest prefix where prefixTail starts. */
  readonly prefixTailStart: number;
  readonly prefixTail: readonly number[];
  readonly prefixTailStates: readonly string[];
  readonly breakingOp: number | null;
  readonly window: readonly number[];
  readonly windowStartStates: readonly string[];
  readonly windowMinimal: boolean | null;
  readonly operations: readonly LinearizableOpDetails[];
}

export interface LinearizableDetails {
  readonly model: string;
  readonly operations: number;
  readonly partitions: number;
  readonly elapsedMs: number;
  readonly statesExplored: number;
  readonly failures: readonly LinearizableFailureDetails[];
  /** The search's own figures per key, as it reports them. */
  readonly search: JsonValue;
}

export interface DurabilityKeyRow {
  readonly key: string;
  readonly status: 'valid' | 'invalid' | 'unknown';
  readonly finalReadIndex: number | null;
  readonly acked: number;
  readonly lost: number;
  readonly infoPresent: number;
  readonly problems: number;
}

export interface DurabilityDetails {
  readonly workload: 'register' | 'append';
  readonly finalPhase: FinalPhase;
  readonly keys: number;
  readonly keysUnknown: readonly string[];
  readonly acked: number;
  readonly infoPresent: number;
  readonly counts: Readonly<Record<DurabilityProblemKind, number>>;
  readonly problems: readonly DurabilityProblem[];
  readonly perKey: readonly DurabilityKeyRow[];
}

export interface SetDetails {
  readonly finalPhase: FinalPhase;
  readonly elements: number;
  readonly counts: Readonly<Record<SetCategory, number>>;
  readonly neverReadAcked: number;
  /** Bounded evidence of the categories that make a run invalid or unknown. */
  readonly evidence: Readonly<Partial<Record<SetCategory, readonly SetEvidence[]>>>;
}

export interface OkFraction {
  readonly ops: number;
  readonly ok: number;
  readonly okFraction: number | null;
}

export interface WindowAvailability extends OkFraction {
  readonly fault: string;
  readonly targets: readonly string[];
  readonly startNs: number;
  readonly endNs: number | null;
  /** From the heal to the first ok completion after it; null when the window never healed or nothing succeeded after. */
  readonly healToFirstOkMs: number | null;
}

export interface AvailabilityDetails {
  readonly overall: OkFraction;
  readonly outside: OkFraction;
  readonly windows: readonly WindowAvailability[];
}

export type LatencyOutcome = 'ok' | 'fail' | 'info';

export interface LatencySeriesDetails extends LatencyQuantiles {
  readonly f: string;
  readonly outcome: LatencyOutcome;
  readonly count: number;
  readonly countRecorded: number;
  readonly correction: CorrectionOutcome;
  /** The HdrHistogram, compressed and base64-encoded. */
  readonly histogram: string;
}

export interface LatencyTimelineSeries extends TimelineSeries {
  readonly f: string;
  readonly outcome: LatencyOutcome;
}

export interface LatencyDetails {
  readonly unit: 'us';
  readonly settings: { readonly lowestUs: number; readonly highestUs: number; readonly significantDigits: number };
  readonly openLoop: boolean;
  readonly intervalUs: number | null;
  readonly opsOpen: number;
  readonly series: readonly LatencySeriesDetails[];
  readonly timeline: {
    readonly bucketMs: number;
    readonly buckets: number;
    readonly series: readonly LatencyTimelineSeries[];
  };
}

export interface LogEvidence {
  readonly node: string;
  readonly line: number;
  readonly text: string;
}

export interface NodeLogCounts {
  readonly node: string;
  readonly lines: number;
  readonly error: number;
  readonly warn: number;
  readonly fatal: number;
  readonly dataLoss: number;
  readonly crashLines: number;
}

export interface NodeLogsDetails {
  readonly perNode: readonly NodeLogCounts[];
  readonly fatal: readonly LogEvidence[];
  readonly dataLoss: readonly LogEvidence[];
  readonly crash: readonly LogEvidence[];
}
