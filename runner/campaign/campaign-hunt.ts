// A hunt campaign: its tests run in order of seed until the first invalid
// verdict; that run is then shrunk (runner/shrink) and the seed, the shrunk
// schedule and the command that reproduces it go into the summary. The exit
// code says whether the hunt ended as expected (caught, or not caught).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/clock.js';
import { exitCode } from '../../core/verdict.js';
import { shrinkInputRead } from '../shrink/shrink-input.js';
import { shrinkFiles, shrinkRun } from '../shrink/shrink-run.js';
import type { HuntSettings } from './campaign-parse.js';
import type { HuntShrink, HuntSummary, TestRecord } from './campaign-summary.js';

/** The first test, in the hunt's order, whose verdict was invalid. */
export function huntCaught(records: readonly TestRecord[]): TestRecord | null {
  return records.find((record) => record.status === 'done' && record.verdict === 'invalid') ?? null;
}

export function huntSummaryOf(
  hunt: HuntSettings,
  records: readonly TestRecord[],
  shrink: HuntShrink | null,
): HuntSummary {
  const caught = huntCaught(records);
  const run = records.filter((record) => record.status === 'done');
  return {
    expect: hunt.expect,
    caught: caught !== null,
    testId: caught?.id ?? null,
    seed: caught?.seed ?? null,
    testsRun: run.length,
    seedsTried: new Set(run.map((record) => record.seed)).size,
    seedsTotal: new Set(records.map((record) => record.seed)).size,
    shrink,
  };
}

/** 0 when the hunt ended as expected, 1 when not, 4 when it was interrupted before it could end. */
export function huntExitCode(summary: HuntSummary, interrupted: boolean): number {
  if (interrupted && !summary.caught) return exitCode.crashed;
  return summary.caught === (summary.expect === 'caught') ? exitCode.valid : exitCode.invalid;
}

export interface HuntShrinkEnv {
  readonly campaignDir: string;
  readonly cliPath: string;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
}

/** Shrinks the caught run; a resumed hunt whose run was shrunk already reads that shrink back. */
export async function huntShrink(caught: TestRecord, hunt: HuntSettings, env: HuntShrinkEnv): Promise<HuntShrink> {
  if (caught.runDir === null) return shrinkError('the caught test left no run directory');
  const runDir = path.join(env.campaignDir, caught.runDir);
  const relative = (file: string): string => path.relative(env.campaignDir, file);
  const stored = storedShrinkRead(path.join(runDir, shrinkFiles.record));
  if (stored !== null)
    return {
      ...stored,
      schedule: relative(path.join(runDir, shrinkFiles.schedule)),
      record: relative(path.join(runDir, shrinkFiles.record)),
    };
  const input = shrinkInputRead(runDir);
  if (!input.ok) return shrinkError(input.error);
  const done = await shrinkRun({
    input: input.input,
    limits: { attemptsMax: hunt.shrinkAttempts, budgetMs: hunt.shrinkBudgetMs, anyChecker: false },
    cliPath: env.cliPath,
    clock: env.clock,
    signal: env.signal,
    progress: env.progress,
  });
  const { outcome } = done;
  const reproduced = outcome.reproducedBy !== null;
  return {
    status: reproduced ? 'shrunk' : 'not-reproduced',
    message: reproduced
      ? `${outcome.kept.length} of ${outcome.episodes.length} episodes in ${outcome.attempts.length} attempts (${outcome.end})`
      : `no re-run failed as the run did in ${outcome.attempts.length} attempts (${outcome.end})`,
    schedule: relative(done.schedulePath),
    record: relative(done.recordPath),
    command: done.command,
    episodesBefore: outcome.episodes.length,
    faults: outcome.kept.map((index) => outcome.episodes[index]!.fault),
    concurrency: outcome.concurrency,
    timeLimitMs: outcome.timeLimitMs,
    attempts: outcome.attempts.length,
  };
}

function shrinkError(message: string): HuntShrink {
  return {
    status: 'error',
    message,
    schedule: null,
    record: null,
    command: null,
    episodesBefore: 0,
    faults: [],
    concurrency: null,
    timeLimitMs: null,
    attempts: 0,
  };
}

/** The result of an earlier shrink from its shrink.json; null when there is none or it is not one. */
function storedShrinkRead(file: string): Omit<HuntShrink, 'schedule' | 'record'> | null {
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
  const record = raw as {
    original?: { episodes?: unknown[] };
    attempts?: unknown[];
    result?: {
      reproduced?: unknown;
      faults?: unknown;
      concurrency?: unknown;
      timeLimitMs?: unknown;
      command?: unknown;
    };
  };
  const result = record.result;
  if (
    result === undefined ||
    typeof result.reproduced !== 'boolean' ||
    !Array.isArray(result.faults) ||
    typeof result.command !== 'string'
  )
    return null;
  return {
    status: result.reproduced ? 'shrunk' : 'not-reproduced',
    message: 'shrunk before the campaign was resumed',
    command: result.command,
    episodesBefore: record.original?.episodes?.length ?? 0,
    faults: result.faults.map(String),
    concurrency: typeof result.concurrency === 'number' ? result.concurrency : null,
    timeLimitMs: typeof result.timeLimitMs === 'number' ? result.timeLimitMs : null,
    attempts: record.attempts?.length ?? 0,
  };
}
