// What a report is rendered from: a run's config (test.json), its results
// (results.json, null when the run never got that far) and its history, read
// once from loose JSON into typed values. Stored files may come from an older
// or crashed run, so a missing field becomes null instead of an error.

import type { CheckerResult } from '../../checkers/checker.js';
import type { HistoryEvent, JsonValue } from '../../core/history.js';
import type { Verdict } from '../../core/verdict.js';

export interface ReportRun {
  readonly testName: string;
  readonly runId: string;
  readonly seed: number | null;
  readonly startedAt: string | null;
  /** The command line as recorded (process.argv); null when test.json has none. */
  readonly commandLine: readonly string[] | null;
  readonly workload: string | null;
  readonly runtime: string | null;
  readonly nemesis: readonly string[];
  readonly bugs: readonly string[];
  readonly timeLimitMs: number | null;
  readonly concurrency: number | null;
  readonly rate: number | null;
  /** test.json as stored, shown whole at the end of the report. */
  readonly config: JsonValue;
  readonly results: ReportResults | null;
  readonly history: readonly HistoryEvent[];
}

export interface ReportResults {
  /** valid | invalid | unknown | crashed */
  readonly verdict: Verdict | 'crashed';
  readonly exitCode: number | null;
  readonly counts: Readonly<Record<string, number>>;
  readonly crash: string | null;
  readonly aborted: boolean;
  readonly checkers: readonly CheckerResult[];
}

type JsonObject = { readonly [key: string]: JsonValue };

/** test.json and results.json as parsed JSON (results null when absent), and the history. */
export function reportRunFrom(testJson: unknown, resultsJson: unknown, history: readonly HistoryEvent[]): ReportRun {
  const test = objectOr(testJson);
  const options = objectOr(test['options']);
  const cluster = objectOr(options['cluster']);
  const name = stringOr(test['name']) ?? stringOr(options['name']) ?? 'unnamed';
  return {
    testName: name,
    runId: stringOr(test['runId']) ?? name,
    seed: numberOr(test['seed']) ?? numberOr(options['seed']),
    startedAt: stringOr(test['startedAt']),
    commandLine: stringsOr(test['commandLine']),
    workload: stringOr(options['workload']),
    runtime: stringOr(options['runtime']),
    nemesis: stringsOr(options['nemesis']) ?? [],
    bugs: stringsOr(cluster['bugs']) ?? [],
    timeLimitMs: numberOr(options['timeLimitMs']),
    concurrency: numberOr(options['concurrency']),
    rate: numberOr(options['rate']),
    config: (testJson ?? null) as JsonValue,
    results: resultsJson === null || resultsJson === undefined ? null : resultsFrom(objectOr(resultsJson)),
    history,
  };
}

function resultsFrom(results: JsonObject): ReportResults {
  const verdict = stringOr(results['verdict']);
  const counts = objectOr(results['counts']);
  return {
    verdict: verdict === 'valid' || verdict === 'invalid' || verdict === 'crashed' ? verdict : 'unknown',
    exitCode: numberOr(results['exitCode']),
    counts: Object.fromEntries(
      Object.entries(counts).flatMap(([key, value]) => (typeof value === 'number' ? [[key, value]] : [])),
    ),
    crash: stringOr(results['crash']),
    aborted: results['aborted'] === true,
    checkers: (Array.isArray(results['checkers']) ? (results['checkers'] as readonly JsonValue[]) : []).map(
      checkerFrom,
    ),
  };
}

function checkerFrom(value: JsonValue): CheckerResult {
  const entry = objectOr(value);
  const verdict = stringOr(entry['verdict']);
  const reason = stringOr(entry['reason']);
  return {
    checker: stringOr(entry['checker']) ?? 'unnamed',
    verdict: verdict === 'valid' || verdict === 'invalid' ? verdict : 'unknown',
    summary: stringOr(entry['summary']) ?? '',
    ...(reason === null ? {} : { reason }),
    details: entry['details'] ?? null,
  };
}

export function objectOr(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

export function stringOr(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function numberOr(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function arrayOr(value: unknown): readonly JsonValue[] {
  return Array.isArray(value) ? (value as readonly JsonValue[]) : [];
}

function stringsOr(value: unknown): readonly string[] | null {
  if (!Array.isArray(value)) return null;
  return (value as readonly unknown[]).filter((item): item is string => typeof item === 'string');
}
