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
