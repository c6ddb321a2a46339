// What every checker is: a pure function from a history to a verdict with
// figures. A checker that throws is reported as `unknown` with the reason, so
// one broken checker never hides the others' verdicts.

import type { HistoryEvent } from '../core/history.js';
import type { Verdict } from '../core/verdict.js';
import type { WorkloadName } from '../workloads/workload.js';
import type {
  AvailabilityDetails,
  DurabilityDetails,
  LatencyDetails,
  LinearizableDetails,
  NodeLogsDetails,
  SetDetails,
} from './checker-details.js';
import type { ModelName } from './linearizable/models/registry.js';

/** A fault's active interval, from the nemesis events of the history (ns since run start). */
export interface FaultWindow {
  readonly fault: string;
  readonly targets: readonly string[];
  readonly startNs: number;
  /** null when the history ends before the heal. */
  readonly endNs: number | null;
}

export interface CheckContext {
  readonly workload: WorkloadName;
  /** The linearizability model (checkers/linearizable/models); null: the workload's own. */
  readonly model: ModelName | null;
  /** Budget for each search-based checker. */
  readonly timeoutMs: number;
  readonly memoryBytesMax: number;
  readonly openLoop: boolean;
  /** Intended interval between invocations in open-loop runs (ns), for coordinated-omission correction. */
  readonly intervalNs: number | null;
}

/** One checker's result, as results.json stores it. */
export interface CheckerResultOf<Name extends string, Details> {
  readonly checker: Name;
  readonly verdict: Verdict;
  /** One line a person reads first: "3 acknowledged appends lost", "valid: 12 034 ops". */
  readonly summary: string;
  /** Why the verdict is unknown or invalid, when it is. */
  readonly reason?: string;
  /** The checker's figures and evidence; null when it crashed or had nothing to look at (the reason says which). */
  readonly details: Details | null;
}

export type LinearizableResult = CheckerResultOf<'linearizable', LinearizableDetails>;
export type DurabilityResult = CheckerResultOf<'durability', DurabilityDetails>;
export type SetResult = CheckerResultOf<'set', SetDetails>;
export type AvailabilityResult = CheckerResultOf<'availability', AvailabilityDetails>;
export type LatencyResult = CheckerResultOf<'latency', LatencyDetails>;
export type NodeLogsResult = CheckerResultOf<'node-logs', NodeLogsDetails>;

/** Every checker's result, told apart by `checker`. */
export type CheckerResult =
  LinearizableResult | DurabilityResult | SetResult | AvailabilityResult | LatencyResult | NodeLogsResult;

export type CheckerName = CheckerResult['checker'];

/** The result of the named checker among a run's results, typed as that checker's; undefined when it did not run. */
export function checkerResultFind<Name extends CheckerName>(
  results: readonly CheckerResult[],
  name: Name,
): Extract<CheckerResult, { readonly checker: Name }> | undefined {
  return results.find(
    (result): result is Extract<CheckerResult, { readonly checker: Name }> => result.checker === name,
  );
}

export interface Checker<Result extends CheckerResult = CheckerResult> {
  readonly name: Result['checker'];
  check(history: readonly HistoryEvent[], context: CheckContext): Result;
}

export function checkerRun(checker: Checker, history: readonly HistoryEvent[], context: CheckContext): CheckerResult {
  try {
    return checker.check(history, context);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      checker: checker.name,
      verdict: 'unknown',
      summary: `checker crashed: ${message}`,
      reason: message,
      details: null,
    };
  }
}
