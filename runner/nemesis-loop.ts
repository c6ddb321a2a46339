// Interprets a nemesis schedule beside the clients: each fault operation is
// recorded as an invoke when it starts and an info when it took effect (or
// failed, with its error code), on process 'nemesis'. Pauses are the clock's,
// and end early when the phase is over; an operation in progress is never
// abandoned, only bounded by a deadline on the same clock. A plan's lanes run
// concurrently, each in order, each told the outcome of its last operation;
// a burst step asks the workload for extra clients through a callback.

import type { Clock } from '../core/clock.js';
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
  await Promise.all(lanes.map((lane) => nemesisLoopRun(context, lane, signal)));
}

/** Runs `schedule` until it is done or `signal` aborts (checked between operations; a pause ends at once). */
export async function nemesisLoopRun(
  context: NemesisLoopContext,
  schedule: Generator<LaneStep>,
  signal: AbortSignal | null,
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
    if (step.op.kind === 'sleep') await context.clock.sleep(step.op.ms, signal);
    else if (step.op.kind === 'burst') context.burst?.(step.op.clients, step.op.forMs);
    else outcomeLast = await nemesisPerform(context, step.op.op);
  }
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
