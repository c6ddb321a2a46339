// Runs one campaign test as a child process of `quorumlab test`, so a crash or
// a hang of one test is isolated: it is stopped after its timeout, recorded as
// crashed with the reason, and the campaign goes on. The child's stderr goes to
// logs/<id>.log; its --json summary and results.json give the record.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { checkerResultFind, type CheckerResult } from '../../checkers/checker.js';
import type { Clock } from '../../core/clock.js';
import { exitCode } from '../../core/verdict.js';
import { reportFile } from '../../results/report/report-write.js';
import { keyFigure } from '../../results/report/report-summary.js';
import { runFiles } from '../../results/run-store.js';
import { runResultsD } from '../../results/schema/results-file.js';
import { storedFileRead } from '../../results/schema/stored-file.js';
import type { OpCounts } from '../../workloads/phase.js';
import { portSlotEnv } from './campaign-parallel.js';
import type { CampaignTest } from './campaign-parse.js';
import {
  campaignFiles,
  metricsNone,
  type CheckerFigure,
  type TestMetrics,
  type TestRecord,
  type TestVerdict,
} from './campaign-summary.js';

/** A test process that printed its result but has not exited after this long is stopped; its verdict stands. */
const exitGraceMs = 30_000;
/** After the timeout's SIGTERM, the child has this long to heal and stop its cluster before SIGKILL. */
const killGraceMs = 20_000;
/** Characters of a crash message kept in the record. */
const messageCharsMax = 2000;

export interface ChildEnv {
  /** dist/cli/main.js */
  readonly cliPath: string;
  readonly campaignDir: string;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** "SLOT/SLOTS" when tests run side by side: the child's slice of the node port band. */
  readonly portSlot?: string;
}

export async function testChildRun(test: CampaignTest, base: TestRecord, env: ChildEnv): Promise<TestRecord> {
  const logDir = path.join(env.campaignDir, campaignFiles.logs);
  mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `${test.id}.log`);
  const storeDir = path.join(env.campaignDir, campaignFiles.runs);
  const startMs = env.clock.nowMs();
  const child = execa(
    process.execPath,
    [env.cliPath, 'test', ...test.args, '--name', test.id, '--store', storeDir, '--json'],
    {
      reject: false,
      stdin: 'ignore',
      stderr: { file: log },
      timeout: test.timeoutMs,
      forceKillAfterDelay: killGraceMs,
      cancelSignal: env.signal,
      maxBuffer: 16 * 1024 * 1024,
      env: env.portSlot === undefined ? test.env : { ...test.env, [portSlotEnv]: env.portSlot },
    },
  );
  const lingering = exitAfterResultWatch(child);
  const result = await child;
  clearTimeout(lingering.timer);
  const durationMs = Math.round(env.clock.nowMs() - startMs);
  const common = {
    ...base,
    status: 'done' as const,
    durationMs,
    log: path.relative(env.campaignDir, log),
    exitCode: result.exitCode ?? null,
  };
  const json = lastJsonLine(result.stdout);
  const runDir = json !== null && typeof json['run'] === 'string' ? json['run'] : null;
  // A verdict counts only with the child's summary line (a Node crash exits 1 too, like an invalid run);
  // its own exit code is in the line, so a child stopped after printing it still has its verdict.
  const verdict =
    json === null || (result.timedOut && !lingering.stopped) || result.isCanceled
      ? 'crashed'
      : verdictOf(typeof json['exitCode'] === 'number' ? json['exitCode'] : result.exitCode);
  const reason = crashReason(result, test, log);
  const checks = runDir === null ? null : runChecks(runDir);
  const note = lingering.stopped
    ? `\n(the test process did not exit within ${exitGraceMs / 1000} s of printing its result and was stopped)`
    : '';
  const figures = checks?.ok === true ? checks.figures : [];
  // A results.json that does not validate leaves the record without figures, and says why.
  const message =
    (verdict === 'crashed'
      ? reason
      : checks?.ok === false
        ? checks.error
        : figures
            .filter((figure) => figure.verdict !== 'valid')
            .map((figure) => `${figure.checker}: ${figure.summary}`)
            .join('\n') || 'every checker valid') + note;
  return {
    ...common,
    verdict,
    matches: verdict === test.expect,
    runDir: runDir === null ? null : path.relative(env.campaignDir, runDir),
    report:
      runDir !== null && existsSync(path.join(runDir, reportFile))
        ? path.relative(env.campaignDir, path.join(runDir, reportFile))
        : null,
    message: message.slice(0, messageCharsMax),
    checkers: figures,
    metrics: checks?.ok === true ? checks.metrics : metricsNone,
  };
}

function verdictOf(code: number | undefined): TestVerdict {
  if (code === exitCode.valid) return 'valid';
  if (code === exitCode.invalid) return 'invalid';
  if (code === exitCode.unknown) return 'unknown';
  return 'crashed';
}

function crashReason(
  child: { timedOut: boolean; isCanceled: boolean; exitCode?: number | undefined; signal?: string | undefined },
  test: CampaignTest,
  log: string,
): string {
  if (child.timedOut)
    return `timed out after ${Math.round(test.timeoutMs / 1000)} s and was stopped; see ${path.basename(log)}`;
  if (child.isCanceled) return 'the campaign was interrupted while this test ran';
  if (child.exitCode === exitCode.usage) return `bad usage (exit 3): ${lastLines(log, 3)}`;
  if (child.signal !== undefined) return `killed by ${child.signal}: ${lastLines(log, 5)}`;
  if (child.exitCode !== exitCode.crashed)
    return `ended with exit ${child.exitCode ?? '?'} and no result summary: ${lastLines(log, 5)}`;
  return `crashed (exit ${child.exitCode}): ${lastLines(log, 5)}`;
}

/** The little of a running child the watch uses. */
interface WatchedChild {
  readonly stdout: { on(event: 'data', listener: (chunk: Buffer) => void): unknown } | null;
  kill(signal?: NodeJS.Signals): boolean;
}

/**
 * Watches the child's output for its --json result line and, once it is there,
 * stops a child that lingers (a handle left open keeps Node alive) instead of
 * waiting for the whole timeout.
 */
function exitAfterResultWatch(child: WatchedChild): { timer: NodeJS.Timeout | undefined; stopped: boolean } {
  const watch: { timer: NodeJS.Timeout | undefined; stopped: boolean } = { timer: undefined, stopped: false };
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (watch.timer !== undefined || !text.endsWith('\n') || lastJsonLine(text) === null) return;
    watch.timer = setTimeout(() => {
      watch.stopped = true;
      child.kill('SIGTERM');
    }, exitGraceMs);
  });
  return watch;
}

/** The child's --json summary is its last line of output. */
function lastJsonLine(stdout: string): Record<string, unknown> | null {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch (error) {
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}

type RunChecks =
  | { readonly ok: true; readonly figures: readonly CheckerFigure[]; readonly metrics: TestMetrics }
  | { readonly ok: false; readonly error: string };

/** Checker figures and the run's headline metrics from results.json; null when the run wrote none. */
function runChecks(runDir: string): RunChecks | null {
  const resultsPath = path.join(runDir, runFiles.results);
  if (!existsSync(resultsPath)) return null;
  const results = storedFileRead(resultsPath, runResultsD);
  if (!results.ok) return results;
  const { checkers, counts } = results.value;
  return {
    ok: true,
    figures: checkers.map((result) => ({
      checker: result.checker,
      verdict: result.verdict,
      summary: result.summary,
      figure: keyFigure(result),
    })),
    metrics: metricsFrom(checkers, counts),
  };
}

function metricsFrom(checkers: readonly CheckerResult[], counts: Readonly<OpCounts>): TestMetrics {
  const availability = checkerResultFind(checkers, 'availability')?.details ?? null;
  const latency = checkerResultFind(checkers, 'latency')?.details ?? null;
  const p99 = (latency?.series ?? []).filter((row) => row.outcome === 'ok').map((row) => row.p99Us);
  const seconds = latency?.timeline.buckets ?? null;
  return {
    okFraction: availability?.overall.okFraction ?? null,
    p99OkMs: p99.length === 0 ? null : Math.max(...p99) / 1000,
    opsOk: counts.ok,
    okPerSec: seconds === null || seconds === 0 ? null : counts.ok / seconds,
  };
}

function lastLines(file: string, count: number): string {
  if (!existsSync(file)) return '(no output)';
  const lines = readFileSync(file, 'utf8')
    .replace(/\r/g, '\n')
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines.slice(-count).join(' | ') || '(no output)';
}
