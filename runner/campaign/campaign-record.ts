// The shapes summary.json holds: one record per test of a campaign and the
// campaign around them. Their own file, so that the writer (campaign-summary.ts)
// and the validating reader (campaign-summary-schema.ts) share them without a cycle.

import type { CheckerName } from '../../checkers/checker.js';
import type { Verdict } from '../../core/verdict.js';
import type { storedFormat } from '../../results/schema/stored-file.js';
import type { CampaignTest } from './campaign-parse.js';

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
