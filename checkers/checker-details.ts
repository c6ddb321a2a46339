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
  /** The parts of elapsedMs: until the verdict, then the failures' evidence (absent in older results). */
  readonly verdictMs?: number;
  readonly evidenceMs?: number;
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

/** A stop of the final heal that did not take effect: the fault may still be on. */
export interface HealFailure {
  readonly index: number;
  readonly fault: string;
  readonly targets: readonly string[];
  readonly error: string;
}

/** A replica the last observation shows short of its PG's highest SCL (pg null: the node did not answer). */
export interface ReplicaBehind {
  readonly node: string;
  readonly pg: number | null;
  readonly scl: number | null;
  readonly pgHighest: number | null;
  readonly watchedMs: number;
  readonly error: string | null;
}

export interface ReplicaWatch {
  readonly nodes: number;
  readonly pgs: number;
  readonly rounds: number;
  readonly watchedMs: number;
  readonly timeoutMs: number;
  readonly caughtUp: boolean;
}

/** The clients' part of the liveness phase: every key written and read after the heal. */
export interface LivenessKeys {
  readonly keys: number;
  /** Keys with no ok write, and with no ok read, invoked after the phase began (bounded lists). */
  readonly unwritten: readonly string[];
  readonly unread: readonly string[];
  /** The slowest first ok write and read of a key, from the start of the phase. */
  readonly writeOkMsMax: number | null;
  readonly readOkMsMax: number | null;
}

export interface LivenessDetails {
  /** null when the phase did not end (the run stopped before the replicas were observed). */
  readonly keys: LivenessKeys | null;
  readonly replicas: ReplicaWatch | null;
  readonly behind: readonly ReplicaBehind[];
  readonly healFailures: readonly HealFailure[];
}

/** A node whose figures the repair check lacks: it did not answer, or the store does not report them. */
export interface RepairFiguresMissing {
  readonly node: string;
  readonly what: string;
  readonly error: string;
}

export interface RepairDetails {
  readonly nodes: number;
  /** Totals of the first scrub pass, over the nodes that answered. */
  readonly blocksChecked: number;
  readonly blocksCorruptFound: number;
  /** Totals of the second pass and of the last repair observation. */
  readonly blocksCorruptAfter: number;
  readonly blocksUnrepaired: number;
  readonly blockRepairsMax: number | null;
  readonly repairRounds: number;
  readonly repairWatchedMs: number | null;
  readonly unrepaired: readonly { readonly node: string; readonly blocks: number; readonly watchedMs: number }[];
  readonly corruptAfter: readonly { readonly node: string; readonly blocks: number }[];
  readonly repairedTooOften: readonly {
    readonly node: string;
    readonly blockRepairsMax: number;
    readonly allowed: number;
  }[];
  readonly missing: readonly RepairFiguresMissing[];
  /** Nodes whose second pass a bound cut short: it did not look at every block. */
  readonly secondPassIncomplete: readonly string[];
}
