// One test, start to finish: a run directory with test.json written before
// anything starts, the phases against the target with the history streamed to
// disk (and the nemesis plan written out as schedule.json, a schedule file that
// replays it), then every checker over the history and the node logs,
// results.json and latency.hdr, and the exit code (0 valid, 1 invalid, 2
// unknown, 4 crashed).

import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CheckContext } from '../checkers/checker.js';
import { isModelName } from '../checkers/linearizable/index.js';
import { assert } from '../core/assert.js';
import { checkersRun, latencyHdrFile, type CheckersOutcome, type NodeLogText } from '../checkers/index.js';
import type { Clock } from '../core/clock.js';
import type { HistoryEvent } from '../core/history.js';
import { prngCreate, stringHash32 } from '../core/prng.js';
import { exitCode, verdictExitCode } from '../core/verdict.js';
import type { SchedulePlan } from '../nemesis/schedule/plan.js';
import { planFileJson } from '../nemesis/schedule/schedule-file.js';
import { HistoryFileWriter } from '../results/history-file.js';
import { HistoryRecorder } from '../results/history-recorder.js';
import {
  runDirCreate,
  runFilePath,
  runFiles,
  runFileWrite,
  runJsonWrite,
  runLatestPoint,
  type RunDir,
} from '../results/run-store.js';
import { reportWriteWith } from '../results/report/report-write.js';
import type { RunResults } from '../results/schema/results-file.js';
import { storedFormat } from '../results/schema/stored-file.js';
import type { TestFile } from '../results/schema/test-file.js';
import { versionsRead } from '../results/versions.js';
import { workloadCreate } from '../workloads/index.js';
import { faultEffects } from './fault-effects.js';
import type { RunProgress } from './progress.js';
import { runTargetCreate } from './run-target.js';
import { testExecute, type Execution } from './test-execute.js';
import type { FaultUnavailable, TestOptions } from './test-options.js';

/** Budget of each search-based checker. */
export const checkTimeoutMs = 60_000;
export const checkMemoryBytesMax = 1024 * 1024 * 1024;
/** The nemesis plan of a run, in the --nemesis-schedule format. */
export const scheduleFileName = 'schedule.json';

export interface TestRunEnv {
  readonly clock: Clock;
  /** The command line, recorded in test.json. */
  readonly argv: readonly string[];
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  readonly progress: RunProgress;
}

export interface TestRunOutcome {
  readonly run: RunDir;
  readonly exitCode: number;
  readonly execution: Execution;
  readonly checks: CheckersOutcome | null;
  readonly seed: number;
  readonly events: number;
  /** The history as recorded (the summary reads the nemesis's effects from it). */
  readonly history: readonly HistoryEvent[];
  readonly nemesisUnavailable: readonly FaultUnavailable[];
}

export async function testRun(options: TestOptions, env: TestRunEnv): Promise<TestRunOutcome> {
  const run = runDirCreate(options.storeDir, options.name, env.clock.wallIso());
  const runId = runIdOf(options, run);
  let record = testJson(options, env, runId);
  runJsonWrite(run, runFiles.test, record);
  const latest = runLatestPoint(run);
  if (!latest.ok) process.stderr.write(`quorumlab: ${latest.error}\n`);
  const recorder = new HistoryRecorder(HistoryFileWriter.open(runFilePath(run, runFiles.history)));
  const workload = workloadCreate(options.workload, { keyCount: options.keyCount });
  const target = runTargetCreate(options, runId, env.clock, path.resolve(runFilePath(run, runFiles.nodeData)));
  // Rewritten once the cluster is up, with what the runtime chose (image, subnet), and once the nemesis
  // plan is drawn: a crash later keeps both.
  const onStarted = (): void => {
    record = { ...record, runtime: target.describe() };
    runJsonWrite(run, runFiles.test, record);
  };
  const onPlanned = (plan: SchedulePlan): void => {
    const schedule = planFileJson(plan);
    runJsonWrite(run, scheduleFileName, schedule);
    record = { ...record, nemesis: { faults: options.nemesis, schedule } };
    runJsonWrite(run, runFiles.test, record);
  };
  const execution = await testExecute({
    options,
    workload,
    target,
    recorder,
    clock: env.clock,
    prng: prngCreate(options.seed),
    run,
    signal: env.signal,
    progress: env.progress,
    onStarted,
    onPlanned,
  });
  recorder.close();
  env.progress.phase = 'checking';
  const history = recorder.events;
  const context = checkContext(options, workload.model);
  const checks = checkersRun(
    history,
    context,
    options.runtime === 'memory' ? {} : { nodeLogs: nodeLogsRead(run, execution.nodeLogs.copied) },
  );
  const code = execution.crash !== null || execution.aborted ? exitCode.crashed : verdictExitCode(checks.verdict);
  runJsonWrite(run, runFiles.results, resultsJson(options, execution, checks, code, history));
  runFileWrite(run, runFiles.latency, latencyHdrFile(history, context));
  reportWriteSafely(run, history);
  env.progress.phase = 'done';
  return {
    run,
    exitCode: code,
    execution,
    checks,
    seed: options.seed,
    events: history.length,
    history,
    nemesisUnavailable: options.nemesisUnavailable,
  };
}

/** The report is a view of the results: failing to write it is reported, and the run's verdict stands. */
function reportWriteSafely(run: RunDir, history: readonly HistoryEvent[]): void {
  try {
    const written = reportWriteWith(run.path, history);
    if (!written.ok) process.stderr.write(`quorumlab: report not written: ${written.error}\n`);
  } catch (error) {
    process.stderr.write(
      `quorumlab: report not written: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
}

/** The workload names its model as a string; one not in the registry is a programming error. */
function checkContext(options: TestOptions, model: string): CheckContext {
  assert(isModelName(model), `workload ${options.workload} names no known linearizability model: "${model}"`);
  return {
    workload: options.workload,
    model,
    timeoutMs: checkTimeoutMs,
    memoryBytesMax: checkMemoryBytesMax,
    openLoop: options.rate !== null,
    intervalNs: options.rate === null ? null : 1e9 / options.rate,
  };
}

/**
 * Names the run's processes, or its containers and network. Docker's run ids
 * take [a-zA-Z0-9_.-] and at most 63 characters: a `+` becomes `_`, and a long
 * test name is cut, with a hash of the whole keeping it unique.
 */
function runIdOf(options: TestOptions, run: RunDir): string {
  const full = `${options.name}-${run.stamp}`;
  if (options.runtime !== 'docker') return full;
  const safe = full.replace(/[^A-Za-z0-9_.-]/g, '_');
  if (safe.length <= runIdDockerMax) return safe;
  const hash = stringHash32(full).toString(16).padStart(8, '0');
  return `${safe.slice(0, runIdDockerMax - hash.length - 1)}-${hash}`;
}

/** The Docker runtime's bound on a run id (docker-labels.ts). */
const runIdDockerMax = 63;

function testJson(options: TestOptions, env: TestRunEnv, runId: string): TestFile {
  return {
    format: storedFormat,
    name: options.name,
    runId,
    seed: options.seed,
    startedAt: env.clock.wallIso(),
    commandLine: env.argv,
    versions: versionsRead(),
    host: { platform: process.platform, arch: process.arch, cpus: os.cpus().length },
    options,
  };
}

function resultsJson(
  options: TestOptions,
  execution: Execution,
  checks: CheckersOutcome,
  code: number,
  history: readonly HistoryEvent[],
): RunResults {
  return {
    format: storedFormat,
    verdict: execution.crash !== null || execution.aborted ? 'crashed' : checks.verdict,
    checkersVerdict: checks.verdict,
    exitCode: code,
    seed: options.seed,
    workload: options.workload,
    nemesis: options.nemesis,
    nemesisUnavailable: options.nemesisUnavailable,
    faults: faultEffects(history),
    crash: execution.crash,
    aborted: execution.aborted,
    counts: execution.counts,
    events: history.length,
    recovery: execution.recovery,
    finalReadsMissing: execution.finalReadsMissing,
    nodeLogs: execution.nodeLogs,
    checkers: checks.results,
  };
}

function nodeLogsRead(run: RunDir, nodes: readonly string[]): NodeLogText[] {
  return nodes.map((node) => ({
    node,
    text: readFileSync(path.join(runFilePath(run, runFiles.nodes), `${node}.log`), 'utf8'),
  }));
}
