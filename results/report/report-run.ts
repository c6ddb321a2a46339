// What a report is rendered from: a run's config (test.json), its results
// (results.json, null when the run never got that far) and its history. The
// files are validated where they are read (results/schema); this gathers the
// figures of the first screen from the typed values.

import { checkerResultFind, type CheckerName, type CheckerResult } from '../../checkers/checker.js';
import type { HistoryEvent, JsonValue } from '../../core/history.js';
import type { RunResults } from '../schema/results-file.js';
import type { TestFile } from '../schema/test-file.js';

export interface ReportRun {
  readonly testName: string;
  readonly runId: string;
  readonly seed: number;
  readonly startedAt: string;
  /** The command line as recorded (process.argv). */
  readonly commandLine: readonly string[];
  readonly workload: string;
  readonly runtime: string;
  readonly nemesis: readonly string[];
  readonly bugs: readonly string[];
  readonly timeLimitMs: number;
  readonly concurrency: number;
  readonly rate: number | null;
  /** test.json as stored, shown whole at the end of the report. */
  readonly config: JsonValue;
  readonly results: RunResults | null;
  readonly history: readonly HistoryEvent[];
}

/** A run from its validated test.json and results.json (null when absent), the history, and test.json as stored. */
export function reportRunFrom(
  test: TestFile,
  results: RunResults | null,
  history: readonly HistoryEvent[],
  config: JsonValue = test as unknown as JsonValue,
): ReportRun {
  const { options } = test;
  return {
    testName: test.name,
    runId: test.runId,
    seed: test.seed,
    startedAt: test.startedAt,
    commandLine: test.commandLine,
    workload: options.workload,
    runtime: options.runtime,
    nemesis: options.nemesis,
    bugs: options.cluster.bugs,
    timeLimitMs: options.timeLimitMs,
    concurrency: options.concurrency,
    rate: options.rate,
    config,
    results,
    history,
  };
}

/** The run's result of the named checker, typed as that checker's; undefined when it did not run. */
export function checkerResultOf<Name extends CheckerName>(
  run: ReportRun,
  name: Name,
): Extract<CheckerResult, { readonly checker: Name }> | undefined {
  return checkerResultFind(run.results?.checkers ?? [], name);
}
