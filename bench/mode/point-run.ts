// Runs one load point against a target's clients: a closed loop of N clients,
// or an open loop at a fixed rate through workloads/open-loop.ts, for a fixed
// time. In the open loop each operation's latency runs from the time the
// schedule meant it to start, so a stalled store cannot hide the operations it
// held back (coordinated omission). Nothing is recorded in a history.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from '../../core/clock.js';
import type { Prng } from '../../core/prng.js';
import { assert } from '../../core/assert.js';
import type { WorkloadClient } from '../../workloads/client.js';
import { genUnfold, type Generator } from '../../workloads/generator.js';
import type { ClientOp, Completion } from '../../workloads/op.js';
import { openLoopRun } from '../../workloads/open-loop.js';
import { PhaseRun, type OpCounts, type PhaseLimits } from '../../workloads/phase.js';
import type { BenchOp, BenchOpSource } from './bench-workload.js';
import { SampleLog } from './sample-log.js';

/** Past the client's own timeout, how long an operation may hang before it counts as unknown ('client-hung'). */
const opDeadlineGraceMs = 2000;
/** A closed-loop client yields to the event loop after this many operations, so timers run even against instant clients. */
const yieldEveryOps = 64;

export type PointLoad =
  | { readonly kind: 'closed'; readonly clients: number }
  /** slots: operations outstanding at most; past them the schedule falls behind and the lateness counts. */
  | { readonly kind: 'open'; readonly rate: number; readonly slots: number };

export interface PointEnv {
  /** The target's clients, opened (and connected) once for the whole run; a point uses as many as its load needs. */
  readonly clients: readonly WorkloadClient[];
  readonly clock: Clock;
  readonly prng: Prng;
  readonly source: BenchOpSource;
  readonly opTimeoutMs: number;
  readonly signal: AbortSignal;
}

export interface PointRun {
  readonly log: SampleLog;
  readonly startNs: number;
  readonly endNs: number;
}

/** The point's live counts, for a progress line. */
export type PointCounts = OpCounts;

export async function pointRun(
  load: PointLoad,
  durationMs: number,
  env: PointEnv,
  counts: PointCounts,
): Promise<PointRun> {
  const log = new SampleLog();
  const generator = genUnfold<null, ClientOp>(null, (_, context) => ({
    op: env.source.next(context.prng),
    state: null,
  }));
  const limits = { timeLimitMs: durationMs, opsLimit: null, rate: null, signal: env.signal };
  const phase = new BoundedPhase(generator, limits, env.clock, env.prng, () => log.full());
  const workers = load.kind === 'closed' ? load.clients : load.slots;
  assert(
    workers >= 1 && workers <= env.clients.length,
    `a point needs 1 to ${env.clients.length} clients, got ${workers}`,
  );
  const clients = env.clients.slice(0, workers);
  const startNs = env.clock.nowNs();
  if (load.kind === 'closed') await closedRun(phase, clients, env, log, counts);
  else await openRun(phase, load, clients, env, log, counts);
  return { log, startNs, endNs: env.clock.nowNs() };
}

/** A phase that also ends when the point's sample log is full. */
class BoundedPhase extends PhaseRun {
  constructor(
    generator: Generator<ClientOp>,
    limits: PhaseLimits,
    clock: Clock,
    prng: Prng,
    private readonly full: () => boolean,
  ) {
    super(generator, limits, clock, prng);
  }

  override mayInvoke(): boolean {
    return super.mayInvoke() && !this.full();
  }
}

async function closedRun(
  phase: PhaseRun,
  clients: readonly WorkloadClient[],
  env: PointEnv,
  log: SampleLog,
  counts: PointCounts,
): Promise<void> {
  const loop = async (client: WorkloadClient, worker: number): Promise<void> => {
    for (let n = 1; phase.mayInvoke(); n++) {
      const op = phase.take(worker) as BenchOp | null;
      if (op === null) return;
      const sentNs = env.clock.nowNs();
      await perform(client, op, sentNs, sentNs, env, log, counts);
      if (n % yieldEveryOps === 0) await yieldToEventLoop();
    }
  };
  await Promise.all(clients.map((client, worker) => loop(client, worker)));
}

async function openRun(
  phase: PhaseRun,
  load: Extract<PointLoad, { kind: 'open' }>,
  clients: readonly WorkloadClient[],
  env: PointEnv,
  log: SampleLog,
  counts: PointCounts,
): Promise<void> {
  const intervalNs = 1e9 / load.rate;
  // openLoopRun schedules invocation k at its start plus k intervals and invokes in that order.
  const scheduleStartNs = env.clock.nowNs();
  let invoked = 0;
  await openLoopRun(
    phase,
    load.rate,
    load.slots,
    env.clock,
    {
      processOf: (worker) => worker,
      perform: (worker, op) => {
        const intendedNs = scheduleStartNs + invoked++ * intervalNs;
        return perform(clients[worker]!, op as BenchOp, intendedNs, env.clock.nowNs(), env, log, counts);
      },
    },
    counts,
  );
  log.late = counts.late;
}

async function perform(
  client: WorkloadClient,
  op: BenchOp,
  intendedNs: number,
  sentNs: number,
  env: PointEnv,
  log: SampleLog,
  counts: PointCounts,
): Promise<void> {
  counts.invoked++;
  const completion = await bounded(env, opRun(client, op));
  counts[completion.type]++;
  log.record(op.f, completion.type, { intendedNs, sentNs, completeNs: env.clock.nowNs() }, completion.error);
}

/** A cas reads the key first and sets it from what it read: one operation of YCSB F, timed as a whole. */
async function opRun(client: WorkloadClient, op: BenchOp): Promise<Completion> {
  if (op.f !== 'cas') return client.invoke(op);
  const read = await client.invoke({ f: 'read', key: op.key, value: null });
  if (read.type !== 'ok') return read;
  const from = typeof read.value === 'string' || typeof read.value === 'number' ? read.value : null;
  return client.invoke({ f: 'cas', key: op.key, value: [from, op.value] });
}

async function bounded(env: PointEnv, running: Promise<Completion>): Promise<Completion> {
  const settled = new AbortController();
  const deadlineMs = env.opTimeoutMs + opDeadlineGraceMs;
  const hung = env.clock
    .sleep(deadlineMs, settled.signal)
    .then((): Completion => ({ type: 'info', value: null, error: 'client-hung' }));
  try {
    return await Promise.race([running, hung]);
  } finally {
    settled.abort();
  }
}
