// summary.json of a campaign: every test's record (pending until it ran, then
// its verdict, the expected one, duration, checker figures and where its report
// is), rewritten atomically after each test so an interrupted campaign can be
// resumed from it, and read back (validated, campaign-summary-schema.ts) by --resume.

import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckerName } from '../../checkers/checker.js';
import type { Verdict } from '../../core/verdict.js';
import { storedFileRead, storedFormat } from '../../results/schema/stored-file.js';
import type { CampaignTest } from './campaign-parse.js';
import type { HuntExpect } from './campaign-schema.js';
import { campaignSummaryD } from './campaign-summary-schema.js';

export const campaignFiles = Object.freeze({
  summary: 'summary.json',
  junit: 'junit.xml',
  index: 'index.html',
  runs: 'runs',
  logs: 'logs',
});

export type TestVerdict = 'valid' | 'invalid' | 'unknown' | 'crashed';

export interface CheckerFigure {
  readonly checker: CheckerName;
  readonly verdict: Verdict;
  readonly summary: string;
  /** The key figure the report's first screen shows for this checker. */
  readonly figure: string;
}

export interface TestMetrics {
  readonly okFraction: number | null;
  readonly p99OkMs: number | null;
  readonly opsOk: number | null;
  readonly okPerSec: number | null;
}

/** A test as the summary keeps it: what the campaign file said, and how it went. */
export interface TestRecord extends Pick<
  CampaignTest,
  'id' | 'workload' | 'nemesis' | 'runtime' | 'seed' | 'bugs' | 'timeLimit' | 'timeLimitMs' | 'expect'
> {
  readonly status: 'pending' | 'done';
  readonly verdict: TestVerdict | null;
  readonly matches: boolean | null;
  readonly exitCode: number | null;
  readonly durationMs: number | null;
  /** Paths relative to the campaign directory. */
  readonly runDir: string | null;
  readonly report: string | null;
  readonly log: string | null;
  /** Why it failed or crashed, or the checkers' summary: the JUnit failure message. */
  readonly message: string;
  readonly checkers: readonly CheckerFigure[];
  readonly metrics: TestMetrics;
}

export interface CampaignSummary {
  readonly format: typeof storedFormat;
  readonly campaign: string;
  readonly description: string;
  readonly file: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly status: 'running' | 'finished' | 'interrupted';
  readonly total: number;
  readonly done: number;
  readonly matched: number;
  readonly mismatched: number;
  readonly exitCode: number | null;
  readonly tests: readonly TestRecord[];
  /** A hunt's outcome (absent for a matrix campaign). */
  readonly hunt?: HuntSummary;
}

/** How a hunt went: the first invalid verdict, in order of seed, and the shrink of that run. */
export interface HuntSummary {
  readonly expect: HuntExpect;
  readonly caught: boolean;
  /** The test that was invalid, and its seed; null when none was. */
  readonly testId: string | null;
  readonly seed: number | null;
  /** Tests run until the catch (every test when nothing was caught). */
  readonly testsRun: number;
  /** Distinct seeds among the tests run, and in the whole hunt. */
  readonly seedsTried: number;
  readonly seedsTotal: number;
  readonly shrink: HuntShrink | null;
}

export interface HuntShrink {
  /** shrunk: a smaller failing schedule was reproduced; not-reproduced: no re-run failed; error: the shrink could not run. */
  readonly status: 'shrunk' | 'not-reproduced' | 'error';
  readonly message: string;
  /** Paths relative to the campaign directory. */
  readonly schedule: string | null;
  readonly record: string | null;
  /** The `quorumlab test` command that reproduces the shrunk failure. */
  readonly command: string | null;
  readonly episodesBefore: number;
  /** The kept episodes' faults. */
  readonly faults: readonly string[];
  readonly concurrency: number | null;
  readonly timeLimitMs: number | null;
  readonly attempts: number;
}

/** "caught at seed 3 (test x-s3, 3 of 10 seeds)" or "not caught in 10 seeds". */
export function huntLine(summary: HuntSummary): string {
  return summary.caught
    ? `caught at seed ${summary.seed} (test ${summary.testId}, ${summary.seedsTried} of ${summary.seedsTotal} seeds, ${summary.testsRun} tests)`
    : `not caught in ${summary.seedsTried} seeds (${summary.testsRun} tests)`;
}

export const metricsNone: TestMetrics = Object.freeze({ okFraction: null, p99OkMs: null, opsOk: null, okPerSec: null });

export function recordPending(test: CampaignTest): TestRecord {
  return {
    id: test.id,
    workload: test.workload,
    nemesis: test.nemesis,
    runtime: test.runtime,
    seed: test.seed,
    bugs: test.bugs,
    timeLimit: test.timeLimit,
    timeLimitMs: test.timeLimitMs,
    expect: test.expect,
    status: 'pending',
    verdict: null,
    matches: null,
    exitCode: null,
    durationMs: null,
    runDir: null,
    report: null,
    log: null,
    message: '',
    checkers: [],
    metrics: metricsNone,
  };
}

/** The summary with its format and its counts recomputed from the records. */
export function summaryOf(
  base: Omit<CampaignSummary, 'format' | 'total' | 'done' | 'matched' | 'mismatched'>,
): CampaignSummary {
  const done = base.tests.filter((test) => test.status === 'done');
  const matched = done.filter((test) => test.matches === true).length;
  return {
    format: storedFormat,
    ...base,
    total: base.tests.length,
    done: done.length,
    matched,
    mismatched: done.length - matched,
  };
}

export function summaryWrite(dir: string, summary: CampaignSummary): void {
  const target = path.join(dir, campaignFiles.summary);
  writeFileSync(`${target}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
  renameSync(`${target}.tmp`, target);
}

/** A stored summary for --resume; an unreadable one is an operating error, with the file named. */
export function summaryRead(
  dir: string,
): { readonly ok: true; readonly summary: CampaignSummary } | { readonly ok: false; readonly error: string } {
  const read = storedFileRead(path.join(dir, campaignFiles.summary), campaignSummaryD);
  return read.ok ? { ok: true, summary: read.value } : read;
}
