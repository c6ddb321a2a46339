// Interprets a nemesis schedule beside the clients: each fault operation is
// recorded as an invoke when it starts and an info when it took effect (or
// failed, with its error code), on process 'nemesis'. Pauses are the clock's,
// and end early when the phase is over; an operation in progress is never
// abandoned, only bounded by a deadline on the same clock. A plan's lanes run
// concurrently, each in order, each told the outcome of its last operation;
// a burst step asks the workload for extra clients through a callback, and
// a solo makes one lane play alone for a while (SoloGate).

import { pollUntil, PollTimeoutError, type Clock } from '../core/clock.js';
import type { Prng } from '../core/prng.js';
import { nemesisError, type NemesisErrorCode } from '../nemesis/errors.js';
import type { Nemesis, NemesisOp, NemesisOutcome } from '../nemesis/nemesis.js';
import { outcomeEventFields } from '../nemesis/outcome.js';
import type { LaneContext, LaneStep } from '../nemesis/schedule/lane.js';
import type { HistoryRecorder } from '../results/history-recorder.js';
import type { Generator } from '../workloads/generator.js';

/** The longest one fault operation may take before it is recorded as failed ('nemesis-timeout'). */
export const nemesisOpDeadlineMs = 60_000;
/** Bound on the operations of one lane, so a schedule that never ends cannot hang the heal. */
export const nemesisOpsMax = 10_000;
/** How long a lane beginning a solo waits for the other lanes' faults to be stopped before it plays regardless. */
export const soloSettleMsMax = 15_000;
/** How long a lane waits for another lane's solo to end (or to be free to begin its own) before it goes on. */
export const soloWaitMsMax = 90_000;
const soloPollMs = 25;

/**
 * Who plays alone: at most one lane holds the solo; the others start no fault
 * (and begin no solo) until it ends. Each lane's started, not yet stopped,
 * faults are kept so the holder can wait for them to be stopped. Every wait is
 * bounded, so two lanes waiting on each other cannot hang the run.
 */
export class SoloGate {
  #holder: number | null = null;
  readonly #open: Set<string>[];

  constructor(lanes: number) {
    this.#open = Array.from({ length: lanes }, () => new Set<string>());
  }

  get holder(): number | null {
    return this.#holder;
  }

  /** Faults lane `lane` has started and not stopped. */
  openOf(lane: number): readonly string[] {
    return [...(this.#open[lane] ?? [])];
  }

  /** A start counts as open from its invoke (a start in progress is already changing the cluster) ... */
  invoked(lane: number, f: string): void {
    if (f.startsWith('start-')) this.#open[lane]?.add(f.slice('start-'.length));
  }

  /** ... and a stop as closed once it is done. */
  performed(lane: number, f: string): void {
    if (f.startsWith('stop-')) this.#open[lane]?.delete(f.slice('stop-'.length));
  }

  /** Waits until no other lane holds the solo (bounded); a start or a solo begin goes through here. */
  async clear(lane: number, clock: Clock, signal: AbortSignal | null): Promise<void> {
    await waitBounded(clock, signal, 'another lane to end its solo', soloWaitMsMax, () =>
      this.#holder === null || this.#holder === lane ? true : null,
    );
  }

  async begin(lane: number, clock: Clock, signal: AbortSignal | null): Promise<void> {
    await this.clear(lane, clock, signal);
    this.#holder = lane;
    await waitBounded(clock, signal, 'the other lanes to stop their faults', soloSettleMsMax, () =>
      this.#open.every((open, index) => index === lane || open.size === 0) ? true : null,
    );
  }

  end(lane: number): void {
    if (this.#holder === lane) this.#holder = null;
  }
}

async function waitBounded(
  clock: Clock,
  signal: AbortSignal | null,
  what: string,
  timeoutMs: number,
  probe: () => true | null,
): Promise<void> {
  try {
    await pollUntil(clock, { what, timeoutMs, intervalMs: soloPollMs, signal, probe });
  } catch (error) {
    // Out of bound or aborted: the lane goes on (an aborted lane ends at its next step).
    if (!(error instanceof PollTimeoutError)) throw error;
  }
}

export interface NemesisLoopContext {
  readonly nemesis: Nemesis;
  readonly recorder: HistoryRecorder;
  readonly clock: Clock;
  readonly prng: Prng;
  /** Runs `clients` extra workload clients for `forMs` without waiting for them; absent, a burst does nothing. */
  readonly burst?: (clients: number, forMs: number) => void;
}

/** Runs every lane at once, each until it is done or `signal` aborts. */
export async function nemesisLanesRun(
  context: NemesisLoopContext,
  lanes: readonly Generator<LaneStep>[],
  signal: AbortSignal | null,
): Promise<void> {
  const gate = new SoloGate(lanes.length);
  await Promise.all(lanes.map((lane, index) => nemesisLoopRun(context, lane, signal, { gate, lane: index })));
}

/** The lanes' shared solo gate and this lane's index in it. */
export interface LaneSeat {
  readonly gate: SoloGate;
  readonly lane: number;
}

/** Runs `schedule` until it is done or `signal` aborts (checked between operations; a pause ends at once). */
export async function nemesisLoopRun(
  context: NemesisLoopContext,
  schedule: Generator<LaneStep>,
  signal: AbortSignal | null,
  seat: LaneSeat = { gate: new SoloGate(1), lane: 0 },
): Promise<void> {
  try {
    await laneRun(context, schedule, signal, seat);
  } finally {
    seat.gate.end(seat.lane);
  }
}

async function laneRun(
  context: NemesisLoopContext,
  schedule: Generator<LaneStep>,
  signal: AbortSignal | null,
  { gate, lane }: LaneSeat,
): Promise<void> {
  let gen = schedule;
  let outcomeLast: NemesisOutcome | null = null;
  for (let ops = 0; ops < nemesisOpsMax && signal?.aborted !== true; ops++) {
    const laneContext: LaneContext = {
      prng: context.prng,
      process: 'nemesis',
      timeNs: context.clock.nowNs(),
      outcomeLast,
    };
    const step = gen.op(laneContext);
    if (step.kind === 'done') return;
    gen = step.next;
    const op = step.op;
    if (op.kind === 'sleep') await context.clock.sleep(op.ms, signal);
    else if (op.kind === 'burst') context.burst?.(op.clients, op.forMs);
    else if (op.kind === 'solo') {
      if (op.begin) await gate.begin(lane, context.clock, signal);
      else gate.end(lane);
    } else {
      // A start waits out another lane's solo; the phase may end meanwhile, and then nothing more starts.
      if (op.op.f.startsWith('start-')) await gate.clear(lane, context.clock, signal);
      if (isAborted(signal)) return;
      gate.invoked(lane, op.op.f);
      outcomeLast = await nemesisPerform(context, op.op);
      gate.performed(lane, op.op.f);
    }
  }
}

function isAborted(signal: AbortSignal | null): boolean {
  return signal?.aborted === true;
}

async function nemesisPerform(context: NemesisLoopContext, op: NemesisOp): Promise<NemesisOutcome> {
  const { recorder, clock } = context;
  recorder.record({ type: 'invoke', f: op.f, value: op.value, process: 'nemesis', time: clock.nowNs() });
  const outcome = await outcomeBounded(context, op);
  recorder.record({ type: 'info', f: op.f, process: 'nemesis', time: clock.nowNs(), ...outcomeEventFields(outcome) });
  return outcome;
}

async function outcomeBounded(context: NemesisLoopContext, op: NemesisOp): Promise<NemesisOutcome> {
  const settled = new AbortController();
  const deadline = context.clock
    .sleep(nemesisOpDeadlineMs, settled.signal)
    .then((): NemesisOutcome => failure(op, 'nemesis-timeout', `no outcome within ${nemesisOpDeadlineMs} ms`));
  try {
    return await Promise.race([context.nemesis.invoke(op), deadline]);
  } catch (error) {
    // A nemesis that throws has a bug; the run goes on so the cluster is still healed and stopped.
    return failure(op, 'nemesis-error', error instanceof Error ? error.message : String(error));
  } finally {
    settled.abort();
  }
}

function failure(op: NemesisOp, code: NemesisErrorCode, message: string): NemesisOutcome {
  return { ok: false, value: op.value, error: nemesisError(code, message) };
}
