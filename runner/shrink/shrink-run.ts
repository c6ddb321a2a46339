// A shrink of one invalid run, with its effects: each attempt a real
// `quorumlab test` child (as a campaign runs its tests) under <run>/shrink/,
// then shrunk-schedule.json and shrink.json written beside the run's own files,
// which are left as they were, and the command that reproduces the result.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/clock.js';
import { testChildRun } from '../campaign/campaign-child.js';
import { testTimeoutGraceMs, type CampaignTest } from '../campaign/campaign-parse.js';
import { recordPending } from '../campaign/campaign-summary.js';
import { durationText, rerunArgs } from './rerun-args.js';
import { scheduleJsonText, scheduleStarts } from './episodes.js';
import type { ShrinkInput } from './shrink-input.js';
import {
  shrinkSearch,
  type AttemptPlan,
  type AttemptResult,
  type ShrinkLimits,
  type ShrinkOutcome,
} from './shrink-search.js';

export const shrinkFiles = Object.freeze({
  schedule: 'shrunk-schedule.json',
  cluster: 'shrunk-cluster.json',
  record: 'shrink.json',
  /** Attempts' schedules, logs and runs. */
  attempts: 'shrink',
});

export interface ShrinkRunOptions {
  readonly input: ShrinkInput;
  readonly limits: ShrinkLimits;
  /** dist/cli/main.js */
  readonly cliPath: string;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly progress: (line: string) => void;
}

export interface ShrinkRunOutcome {
  readonly outcome: ShrinkOutcome;
  /** The `quorumlab test` command line that reproduces the smallest failure found. */
  readonly command: string;
  readonly schedulePath: string;
  readonly recordPath: string;
}

export async function shrinkRun(options: ShrinkRunOptions): Promise<ShrinkRunOutcome> {
  const { input } = options;
  const runDir = path.resolve(input.runDir);
  const attemptsDir = path.join(runDir, shrinkFiles.attempts);
  mkdirSync(attemptsDir, { recursive: true });
  const configPath = input.base.configJson === null ? null : path.join(runDir, shrinkFiles.cluster);
  if (configPath !== null && input.base.configJson !== null) fileWrite(configPath, input.base.configJson);
  options.progress(
    `shrink ${input.runDir}: ${scheduleStarts(input.schedule)} fault starts, ${input.recorded.concurrency} clients, ${durationText(input.recorded.timeLimitMs)}; failed: ${input.checkersFailed.join(', ')}`,
  );
  const run = (plan: AttemptPlan): Promise<AttemptResult> => attemptRun(plan, options, attemptsDir, configPath);
  const outcome = await shrinkSearch(
    {
      schedule: input.schedule,
      concurrency: input.recorded.concurrency,
      timeLimitMs: input.recorded.timeLimitMs,
      checkersFailed: input.checkersFailed,
    },
    { ...options.limits, signal: options.signal },
    run,
    options.clock,
  );
  const schedulePath = path.join(runDir, shrinkFiles.schedule);
  fileWrite(schedulePath, scheduleJsonText(outcome.schedule));
  const shown = (file: string): string => path.join(input.runDir, path.relative(runDir, file));
  const args = rerunArgs(
    input.base,
    { schedulePath: shown(schedulePath), concurrency: outcome.concurrency, timeLimitMs: outcome.timeLimitMs },
    configPath === null ? null : shown(configPath),
  );
  const command = ['quorumlab', 'test', ...args].map(shellWord).join(' ');
  const recordPath = path.join(runDir, shrinkFiles.record);
  fileWrite(recordPath, `${JSON.stringify(shrinkRecord(input, outcome, command), null, 2)}\n`);
  return { outcome, command, schedulePath, recordPath };
}

async function attemptRun(
  plan: AttemptPlan,
  options: ShrinkRunOptions,
  attemptsDir: string,
  configPath: string | null,
): Promise<AttemptResult> {
  const id = `attempt-${String(plan.number).padStart(2, '0')}`;
  const schedulePath = path.join(attemptsDir, `${id}.schedule.json`);
  fileWrite(schedulePath, scheduleJsonText(plan.schedule));
  const { input } = options;
  const test: CampaignTest = {
    id,
    entry: 0,
    workload: input.recorded.workload,
    nemesis: input.base.flags.nemesis ?? input.recorded.nemesis.join(','),
    runtime: input.recorded.runtime,
    seed: input.recorded.seed,
    bugs: input.recorded.cluster.bugs,
    timeLimit: durationText(plan.timeLimitMs),
    timeLimitMs: plan.timeLimitMs,
    expect: 'invalid',
    args: rerunArgs(
      input.base,
      { schedulePath, concurrency: plan.concurrency, timeLimitMs: plan.timeLimitMs },
      configPath,
    ),
    env: {},
    timeoutMs: plan.timeLimitMs + testTimeoutGraceMs,
  };
  const record = await testChildRun(test, recordPending(test), {
    cliPath: options.cliPath,
    campaignDir: attemptsDir,
    clock: options.clock,
    signal: options.signal,
  });
  const checkersInvalid = record.checkers
    .filter((figure) => figure.verdict === 'invalid')
    .map((figure) => figure.checker);
  const result: AttemptResult = {
    verdict: record.verdict ?? 'crashed',
    checkersInvalid,
    runDir: record.runDir === null ? null : path.join(shrinkFiles.attempts, record.runDir),
    durationMs: record.durationMs ?? 0,
    message: record.message,
  };
  options.progress(
    `attempt ${plan.number} (${plan.phase}): ${plan.episodes.length} episodes, ${plan.concurrency} clients, ${durationText(plan.timeLimitMs)}: ${result.verdict}${checkersInvalid.length === 0 ? '' : ` (${checkersInvalid.join(', ')})`}`,
  );
  return result;
}

/** shrink.json: the run, every attempt, and the result. */
function shrinkRecord(input: ShrinkInput, outcome: ShrinkOutcome, command: string): Record<string, unknown> {
  return {
    format: 1,
    run: input.runDir,
    seed: input.recorded.seed,
    scheduleSource: input.scheduleSource,
    checkersFailed: input.checkersFailed,
    original: {
      episodes: outcome.episodes.map(({ index, lane, fault, startAtMs }) => ({ index, lane, fault, startAtMs })),
      concurrency: input.recorded.concurrency,
      timeLimitMs: input.recorded.timeLimitMs,
    },
    attempts: outcome.attempts,
    end: outcome.end,
    result: {
      reproduced: outcome.reproducedBy !== null,
      reproducedBy: outcome.reproducedBy?.runDir ?? null,
      episodes: outcome.kept,
      faults: outcome.kept.map((index) => outcome.episodes[index]!.fault),
      concurrency: outcome.concurrency,
      timeLimitMs: outcome.timeLimitMs,
      schedule: shrinkFiles.schedule,
      command,
    },
  };
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=,+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

function fileWrite(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
