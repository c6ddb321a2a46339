// The phases of one test against its target: start the cluster, expand the
// nemesis schedule into its plan, run the workload with the plan's lanes beside
// it, heal, wait for recovery, read every key once more, stop the cluster and
// collect its logs. It never throws: a crash is returned with what was
// recorded up to it, and the cluster is always stopped.

import type { NodeId } from '../cluster/topology.js';
import type { Clock } from '../core/clock.js';
import type { Prng } from '../core/prng.js';
import type { NemesisPackage } from '../nemesis/nemesis.js';
import type { SchedulePlan } from '../nemesis/schedule/plan.js';
import { planGenerators, scheduleExpand } from '../nemesis/schedule/schedule.js';
import type { HistoryRecorder } from '../results/history-recorder.js';
import { runNodeLogsCopy, type RunDir } from '../results/run-store.js';
import { genList } from '../workloads/generator.js';
import { Interpreter } from '../workloads/interpreter.js';
import type { ClientOp } from '../workloads/op.js';
import type { OpCounts } from '../workloads/phase.js';
import type { Workload } from '../workloads/workload.js';
import { nemesisLanesRun, nemesisLoopRun, type NemesisLoopContext } from './nemesis-loop.js';
import { nemesisNoneName, nemesisSelect } from './nemesis-select.js';
import type { RunProgress } from './progress.js';
import type { RecoveryWait, RunTarget } from './run-target.js';
import type { TestOptions } from './test-options.js';

/** Attempts at the final read of a key whose read failed or timed out. */
export const finalReadAttemptsMax = 5;
/** Pause between final read attempts, so a recovering writer gets time. */
const finalReadRetryDelayMs = 500;
/** Bound on one round of final reads. */
const finalReadRoundTimeoutMs = 30_000;
/** Extra time past the client's own timeout before the interpreter gives up on an operation. */
const opDeadlineGraceMs = 2000;

export interface ExecuteEnv {
  readonly options: TestOptions;
  readonly workload: Workload;
  readonly target: RunTarget;
  readonly recorder: HistoryRecorder;
  readonly clock: Clock;
  readonly prng: Prng;
  readonly run: RunDir;
  /** SIGINT/SIGTERM: stop the clients, heal, stop the cluster, keep what was recorded. */
  readonly signal: AbortSignal;
  readonly progress: RunProgress;
  /** Called once the cluster is up (the run record adds what the runtime chose: image, subnet). */
  readonly onStarted?: () => void;
  /** Called with the nemesis plan before the main phase (written out as schedule.json). */
  readonly onPlanned?: (plan: SchedulePlan) => void;
}

export interface Execution {
  readonly crash: string | null;
  readonly aborted: boolean;
  readonly counts: Readonly<OpCounts>;
  readonly recovery: RecoveryWait | null;
  /** Keys with no ok final read. */
  readonly finalReadsMissing: readonly string[];
  readonly nodeLogs: { readonly copied: readonly string[]; readonly missing: readonly string[] };
}

export async function testExecute(env: ExecuteEnv): Promise<Execution> {
  const { options, target, clock } = env;
  const interpreter = new Interpreter({
    concurrency: options.concurrency,
    clientOpen: target.clientOpen(env.workload),
    recorder: env.recorder,
    clock,
    prng: env.prng.fork('generator'),
    opDeadlineMs: options.opTimeoutMs + opDeadlineGraceMs,
  });
  env.progress.counts = interpreter.counts;
  // Forked in a fixed order whatever the nemesis, so --seed replays both streams.
  const nemesisPrng = env.prng.fork('nemesis');
  let crash: string | null = null;
  let nemesis: NemesisPackage | null = null;
  let recovery: RecoveryWait | null = null;
  let finalReadsMissing: readonly string[] = env.workload.keys;
  try {
    await target.start(env.signal);
    env.onStarted?.();
    nemesis = nemesisStart(env, nemesisPrng);
    // Drawn after the package took its target stream, so --seed replays the schedule and the targets.
    const plan = nemesis === null ? null : nemesisPlan(options, nemesisPrng);
    if (plan !== null) env.onPlanned?.(plan);
    await nemesis?.nemesis.setup();
    await mainPhase(env, interpreter, nemesis === null || plan === null ? null : { nemesis, plan }, nemesisPrng);
    recovery = await healPhase(env, nemesis, nemesisPrng);
    if (!env.signal.aborted) finalReadsMissing = await finalPhase(env, interpreter);
  } catch (error) {
    crash = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  env.progress.phase = 'stopping';
  interpreter.close();
  await nemesisTeardown(nemesis);
  await target.stop();
  const nodeLogs = runNodeLogsCopy(env.run, target.logs());
  target.dispose();
  return {
    crash,
    aborted: env.signal.aborted,
    counts: { ...interpreter.counts },
    recovery,
    finalReadsMissing,
    nodeLogs,
  };
}

function nemesisStart(env: ExecuteEnv, prng: Prng): NemesisPackage | null {
  const { target, options } = env;
  if (target.runtime === null) return null;
  const unavailable = new Map(options.nemesisUnavailable.map((entry) => [entry.fault, entry.reason]));
  const create = nemesisSelect(options.nemesis, options.nemesisSchedule, unavailable);
  const primary = (): NodeId | null => target.writerPrimary();
  return create({
    runtime: target.runtime,
    prng,
    clock: env.clock,
    intervalMs: options.nemesisIntervalMs,
    links: target.links(),
    config: options.cluster,
    ...(primary() === null ? {} : { writerPrimary: () => primary()! }),
  });
}

/** The run's schedule expanded for its time limit; the none nemesis has an empty plan. */
function nemesisPlan(options: TestOptions, prng: Prng): SchedulePlan {
  return scheduleExpand(options.nemesisSchedule, {
    faults: options.nemesis.filter((name) => name !== nemesisNoneName),
    intervalMs: options.nemesisIntervalMs,
    timeLimitMs: options.timeLimitMs,
    prng,
    workload: options.workload,
    geometry: options.cluster.geometry,
  });
}

async function mainPhase(
  env: ExecuteEnv,
  interpreter: Interpreter,
  nemesis: { readonly nemesis: NemesisPackage; readonly plan: SchedulePlan } | null,
  prng: Prng,
): Promise<void> {
  env.progress.phase = 'main';
  const { options } = env;
  const mainOver = new AbortController();
  const stopMain = (): void => mainOver.abort();
  env.signal.addEventListener('abort', stopMain, { once: true });
  const nemesisDone =
    nemesis === null
      ? Promise.resolve()
      : nemesisLanesRun(
          { ...loopContext(env, nemesis.nemesis, prng), burst: (clients, forMs) => interpreter.burst(clients, forMs) },
          planGenerators(nemesis.plan),
          mainOver.signal,
        );
  try {
    await interpreter.run(env.workload.generator, {
      timeLimitMs: options.timeLimitMs,
      opsLimit: options.opsLimit,
      rate: options.rate,
      signal: mainOver.signal,
    });
  } finally {
    mainOver.abort();
    env.signal.removeEventListener('abort', stopMain);
    await nemesisDone;
  }
}

/** Heals every fault; then, unless the run was interrupted, waits for the writer to be ready. */
async function healPhase(env: ExecuteEnv, nemesis: NemesisPackage | null, prng: Prng): Promise<RecoveryWait | null> {
  env.progress.phase = 'heal';
  phaseMark(env, 'heal');
  if (nemesis !== null) await nemesisLoopRun(loopContext(env, nemesis, prng), nemesis.finalGenerator, null);
  if (env.signal.aborted) return null;
  env.progress.phase = 'recovery';
  return env.target.recoveryWait(env.options.recoveryTimeoutMs, env.signal);
}

/** Reads every key; a key whose read did not succeed is read again, a bounded number of times. */
async function finalPhase(env: ExecuteEnv, interpreter: Interpreter): Promise<readonly string[]> {
  env.progress.phase = 'final';
  phaseMark(env, 'final');
  let pending: readonly ClientOp[] = env.workload.finalReads;
  for (let attempt = 1; attempt <= finalReadAttemptsMax && pending.length > 0 && !env.signal.aborted; attempt++) {
    if (attempt > 1) await env.clock.sleep(finalReadRetryDelayMs, env.signal);
    const from = env.recorder.events.length;
    await interpreter.run(genList(pending), {
      timeLimitMs: finalReadRoundTimeoutMs,
      opsLimit: null,
      rate: null,
      signal: env.signal,
    });
    const readOk = new Set<string>();
    for (const event of env.recorder.events.slice(from)) {
      if (event.type === 'ok' && event.f === 'read' && event.key !== undefined) readOk.add(event.key);
    }
    pending = pending.filter((op) => !readOk.has(op.key));
  }
  return pending.map((op) => op.key);
}

function phaseMark(env: ExecuteEnv, phase: 'heal' | 'final'): void {
  env.recorder.record({ type: 'info', f: 'phase', value: phase, process: 'nemesis', time: env.clock.nowNs() });
}

function loopContext(env: ExecuteEnv, nemesis: NemesisPackage, prng: Prng): NemesisLoopContext {
  return { nemesis: nemesis.nemesis, recorder: env.recorder, clock: env.clock, prng };
}

async function nemesisTeardown(nemesis: NemesisPackage | null): Promise<void> {
  if (nemesis === null) return;
  try {
    await nemesis.nemesis.teardown();
  } catch (error) {
    process.stderr.write(
      `quorumlab: nemesis ${nemesis.name} teardown failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
