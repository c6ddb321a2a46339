// What every checker is: a pure function from a history to a verdict with
// figures. A checker that throws is reported as `unknown` with the reason, so
// one broken checker never hides the others' verdicts.

import type { HistoryEvent, JsonValue } from '../core/history.js';
import type { Verdict } from '../core/verdict.js';

/** A fault's active interval, from the nemesis events of the history (ns since run start). */
export interface FaultWindow {
  readonly fault: string;
  readonly targets: readonly string[];
  readonly startNs: number;
  /** null when the history ends before the heal. */
  readonly endNs: number | null;
}

export interface CheckContext {
  /** register | append | set | bench. */
  readonly workload: string;
  /** Name of the linearizability model (checkers/linearizable/models). */
  readonly model: string;
  /** Budget for each search-based checker. */
  readonly timeoutMs: number;
  readonly memoryBytesMax: number;
  readonly openLoop: boolean;
  /** Intended interval between invocations in open-loop runs (ns), for coordinated-omission correction. */
  readonly intervalNs: number | null;
}

export interface CheckerResult {
  readonly checker: string;
  readonly verdict: Verdict;
  /** One line a person reads first: "3 acknowledged appends lost", "valid: 12 034 ops". */
  readonly summary: string;
  /** Why the verdict is unknown or invalid, when it is. */
  readonly reason?: string;
  /** Checker-specific figures and evidence, JSON, for results.json and the report. */
  readonly details: JsonValue;
}

export interface Checker {
  readonly name: string;
  check(history: readonly HistoryEvent[], context: CheckContext): CheckerResult;
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
