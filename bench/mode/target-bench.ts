// One target's share of a bench run: start its cluster through runTargetCreate,
// load the records, warm up, then run the points (each level of a closed loop,
// one open-loop rate, or the sweep's steps), each repeated and with the
// nemesis beside it, and stop the cluster whatever happens.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/clock.js';
import { stringHash32, type Prng } from '../../core/prng.js';
import { runFilePath, runFiles, runNodeLogsCopy, type RunDir } from '../../results/run-store.js';
import { runTargetCreate, type RunTarget } from '../../runner/run-target.js';
import type { WorkloadClient, WorkloadClientOpen } from '../../workloads/client.js';
import type { BenchOptions, BenchTarget } from './bench-options.js';
import type { BenchPointRecord, BenchTargetRecord } from './bench-file.js';
import { benchKey, benchOpSource, benchValue, benchWorkload, mixReadsLists } from './bench-workload.js';
import { cpuPerOp, cpuSample } from './cpu-roles.js';
import { keyChooserCreate } from './key-chooser.js';
import { pointFigures, pointHistograms, type PointHistogram } from './point-figures.js';
import { withNemesis } from './point-nemesis.js';
import { pointRun, type PointCounts, type PointLoad } from './point-run.js';
import { pointSummary } from './repeat-median.js';
import { sweepNext } from './sweep.js';

/** Clients that write the records before the first point. */
const preloadClients = 32;
/** Docker's bound on a run id, which names the run's containers and network (docker-labels.ts). */
const runIdDockerMax = 63;

/**
 * Names a target's processes, or its containers and network: [A-Za-z0-9_.-] only, at most 63 characters, a long
 * one cut with a hash of the whole keeping it unique.
 */
export function targetRunId(runId: string, target: string): string {
  const full = `${runId}-${target}`;
  const safe = full.replace(/[^A-Za-z0-9_.-]/g, '_');
  if (safe.length <= runIdDockerMax) return safe;
  const hash = stringHash32(full).toString(16).padStart(8, '0');
  return `${safe.slice(0, runIdDockerMax - hash.length - 1)}-${hash}`;
}

/** Tries of each client's first connect before the first point. */
const connectAttemptsMax = 5;
/** Bound on the record load; a store that takes longer is too slow to bench. */
const preloadTimeoutMs = 120_000;

export interface BenchProgress {
  target: string;
  point: string;
  counts: PointCounts | null;
}

export interface TargetEnv {
  readonly clock: Clock;
  readonly prng: Prng;
  readonly signal: AbortSignal;
  readonly run: RunDir;
  readonly runId: string;
  readonly progress: BenchProgress;
  /** Every point's encoded histograms, for latency.hdr. */
  readonly histograms: (target: string, point: string, repeat: number, histograms: readonly PointHistogram[]) => void;
  /** One line for the operator (recovery problems, warnings). */
  readonly say: (line: string) => void;
}

export async function targetBench(
  bench: BenchOptions,
  target: BenchTarget,
  env: TargetEnv,
  alone: boolean,
): Promise<BenchTargetRecord> {
  const baseDir = path.join(runFilePath(env.run, runFiles.nodeData), target.name);
  mkdirSync(baseDir, { recursive: true });
  const runTarget = runTargetCreate(target.options, targetRunId(env.runId, target.name), env.clock, baseDir);
  let clients: readonly WorkloadClient[] = [];
  try {
    env.progress.target = target.name;
    env.progress.point = 'starting';
    await runTarget.start(env.signal);
    const clientOpen = runTarget.clientOpen(benchWorkload(bench.mix));
    env.progress.point = 'loading records';
    await preload(bench, clientOpen, env);
    env.progress.point = 'connecting clients';
    clients = await clientsConnect(bench, clientOpen, env);
    const points = await pointsRun(bench, target, runTarget, clients, env);
    return { target: target.name, runtime: target.options.runtime, ...points };
  } finally {
    for (const client of clients) client.close();
    env.progress.point = 'stopping';
    await runTarget.stop();
    const logsRun = alone ? env.run : { ...env.run, path: path.join(env.run.path, target.name) };
    runNodeLogsCopy(logsRun, runTarget.logs());
    runTarget.dispose();
  }
}

async function pointsRun(
  bench: BenchOptions,
  target: BenchTarget,
  runTarget: RunTarget,
  clients: readonly WorkloadClient[],
  env: TargetEnv,
): Promise<Pick<BenchTargetRecord, 'points' | 'sweep'>> {
  const chooser = keyChooserCreate(bench.distribution, bench.keyCount, bench.zipfConstant);
  const source = benchOpSource(bench.mix, chooser, bench.valueSize);
  const prng = env.prng.fork(`target/${target.name}`);
  const pointEnv = {
    clients,
    clock: env.clock,
    prng,
    source,
    opTimeoutMs: target.options.opTimeoutMs,
    signal: env.signal,
  };
  const point = async (load: PointLoad): Promise<BenchPointRecord> => {
    const label = load.kind === 'closed' ? `clients ${load.clients}` : `rate ${load.rate.toFixed(0)}/s`;
    const repeats = [];
    const cpu = [];
    for (let repeat = 0; repeat < bench.repeat && !env.signal.aborted; repeat++) {
      env.progress.point = `${label}${bench.repeat > 1 ? ` (${repeat + 1}/${bench.repeat})` : ''}`;
      const counts: PointCounts = { invoked: 0, ok: 0, fail: 0, info: 0, late: 0 };
      env.progress.counts = counts;
      const before = await cpuSample(runTarget.runtime);
      const ran = await withNemesis(runTarget, target.options, { pointMs: bench.pointMs, prng, clock: env.clock }, () =>
        pointRun(load, bench.pointMs, pointEnv, counts),
      );
      const after = await cpuSample(runTarget.runtime);
      if (ran.recoveryProblem !== null) env.say(`${target.name} ${label}: ${ran.recoveryProblem}`);
      const figures = pointFigures(ran.value, ran.windows, ran.value.log.full());
      repeats.push(figures);
      cpu.push(cpuPerOp(before, after, figures.ok));
      env.histograms(target.name, label, repeat, pointHistograms(ran.value));
    }
    const last = cpu[cpu.length - 1] ?? null;
    return { label, load, summary: pointSummary(repeats), cpuUsPerOp: last, repeats };
  };
  if (bench.warmupMs > 0) await warmup(bench, pointEnv);
  const load = bench.load;
  if (load.kind === 'closed') {
    const points: BenchPointRecord[] = [];
    for (const clients of load.clients) if (!env.signal.aborted) points.push(await point({ kind: 'closed', clients }));
    return { points, sweep: null };
  }
  if (load.kind === 'open') return { points: [await point(load)], sweep: null };
  const points: BenchPointRecord[] = [];
  for (;;) {
    const steps = points.map((p) => ({ rate: p.load.kind === 'open' ? p.load.rate : 0, ...p.summary }));
    const next = sweepNext(load.rule, steps);
    if (next.stop) return { points, sweep: { stopReason: next.reason, saturation: next.saturation } };
    if (env.signal.aborted) return { points, sweep: { stopReason: 'interrupted', saturation: null } };
    points.push(await point({ kind: 'open', rate: next.rate, slots: load.slots }));
  }
}

/** The first point's load for --warmup, measured and thrown away: connections opened, caches and JIT warm. */
async function warmup(bench: BenchOptions, pointEnv: Parameters<typeof pointRun>[2]): Promise<void> {
  const load: PointLoad =
    bench.load.kind === 'closed'
      ? { kind: 'closed', clients: bench.load.clients[0]! }
      : bench.load.kind === 'open'
        ? bench.load
        : { kind: 'open', rate: bench.load.rule.rateStart, slots: bench.load.slots };
  await pointRun(load, bench.warmupMs, pointEnv, { invoked: 0, ok: 0, fail: 0, info: 0, late: 0 });
}

/**
 * Opens every client the run's largest point needs and has each read a key, so their connections are up before
 * anything is measured (a point would otherwise time the connects of its clients). A connect that fails is tried
 * again, a bounded number of times; a client still without one connects on its first operation.
 */
async function clientsConnect(
  bench: BenchOptions,
  clientOpen: WorkloadClientOpen,
  env: TargetEnv,
): Promise<readonly WorkloadClient[]> {
  const load = bench.load;
  const count = load.kind === 'closed' ? Math.max(...load.clients) : load.slots;
  const clients = Array.from({ length: count }, (_, worker) => clientOpen(worker));
  let unconnected = 0;
  await Promise.all(
    clients.map(async (client) => {
      for (let attempt = 1; attempt <= connectAttemptsMax && !env.signal.aborted; attempt++) {
        const done = await client.invoke({ f: 'read', key: benchKey(0, mixReadsLists(bench.mix)), value: null });
        if (done.error !== 'connect-failed') return;
      }
      unconnected++;
    }),
  );
  if (unconnected > 0) env.say(`${unconnected} of ${count} clients could not connect before the first point`);
  return clients;
}

/** Writes records 0 .. recordCount-1 once, so reads find values; the records that failed are counted and said. */
async function preload(bench: BenchOptions, clientOpen: WorkloadClientOpen, env: TargetEnv): Promise<void> {
  if (bench.recordCount === 0 || bench.mix.weights.read + bench.mix.weights.write + bench.mix.weights.cas === 0) return;
  const deadlineMs = env.clock.nowMs() + preloadTimeoutMs;
  let next = 0;
  let failed = 0;
  const worker = async (index: number): Promise<void> => {
    const client = clientOpen(index);
    try {
      while (next < bench.recordCount && env.clock.nowMs() < deadlineMs && !env.signal.aborted) {
        const record = next++;
        const done = await client.invoke({
          f: 'write',
          key: benchKey(record, false),
          value: benchValue(-record - 1, bench.valueSize),
        });
        if (done.type !== 'ok') failed++;
      }
    } finally {
      client.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(preloadClients, bench.recordCount) }, (_, i) => worker(i)));
  if (next < bench.recordCount)
    throw new Error(`loading ${bench.recordCount} records took more than ${preloadTimeoutMs} ms`);
  if (failed > 0) env.say(`${failed} of ${bench.recordCount} record writes failed; reads of those keys find nothing`);
}
