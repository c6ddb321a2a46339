// The shapes summary.json holds: one record per test of a campaign and the
// campaign around them. Their own file, so that the writer (campaign-summary.ts)
// and the validating reader (campaign-summary-schema.ts) share them without a cycle.

import type { CheckerName } from '../../checkers/checker.js';
import type { Verdict } from '../../core/verdict.js';
import type { storedFormat } from '../../results/schema/stored-file.js';
import type { CampaignTest } from './campaign-parse.js';
import type { HuntExpect } from './campaign-schema.js';

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
  /** The share of a sharded campaign this directory holds, or, merged, what each shard gave (absent: unsharded). */
  readonly shard?: ShardSummary;
}

/** A shard's summary names its share; a merged one has index null and one outcome per shard. */
export interface ShardSummary {
  /** 1-based; null in a merged summary. */
  readonly index: number | null;
  readonly count: number;
  /** Merged only (empty in a shard's own summary), in order of index. */
  readonly shards: readonly ShardOutcome[];
}

export interface ShardOutcome {
  readonly index: number;
  /** The shard's campaign directory as merged; null when none of the merged directories held it. */
  readonly dir: string | null;
  /** missing: no directory held it; otherwise the shard's own status. */
  readonly status: 'running' | 'finished' | 'interrupted' | 'missing';
  /** Tests the split gave the shard, and how many of them it finished. */
  readonly tests: number;
  readonly done: number;
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
