// summary.json of a campaign: every test's record (pending until it ran, then
// its verdict, the expected one, duration, checker figures and where its report
// is), rewritten atomically after each test so an interrupted campaign can be
// resumed from it, and read back (validated, campaign-summary-schema.ts) by --resume.

import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { storedFileRead, storedFormat } from '../../results/schema/stored-file.js';
import type { CampaignTest } from './campaign-parse.js';
import type { CampaignSummary, HuntSummary, TestMetrics, TestRecord } from './campaign-record.js';
import { campaignSummaryD } from './campaign-summary-schema.js';

export const campaignFiles = Object.freeze({
  summary: 'summary.json',
  junit: 'junit.xml',
  index: 'index.html',
  runs: 'runs',
  logs: 'logs',
});

export type {
  CampaignSummary,
  CheckerFigure,
  HuntShrink,
  HuntSummary,
  TestMetrics,
  TestRecord,
  TestVerdict,
} from './campaign-record.js';

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
