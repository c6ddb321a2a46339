// Interprets a nemesis schedule beside the clients: each fault operation is
// recorded as an invoke when it starts and an info when it took effect (or
// failed), on process 'nemesis'. Pauses end early when the phase is over; an
// operation in progress is never abandoned, only bounded by a deadline.

import type { Clock } from '../core/clock.js';
import type { Prng } from '../core/prng.js';
import type { Nemesis, NemesisOp, NemesisOutcome, NemesisStep } from '../nemesis/nemesis.js';
import type { HistoryRecorder } from '../results/history-recorder.js';
import type { Generator } from '../workloads/generator.js';

/** The longest one fault operation may take before it is recorded as failed ('nemesis-timeout'). */
export const nemesisOpDeadlineMs = 60_000;
/** Bound on the operations of one schedule, so a schedule that never ends cannot hang the heal. */
export const nemesisOpsMax = 10_000;

export interface NemesisLoopContext {
  readonly nemesis: Nemesis;
  readonly recorder: HistoryRecorder;
  readonly clock: Clock;
  readonly prng: Prng;
}

/** Runs `schedule` until it is done or `signal` aborts (checked between operations). */
export async function nemesisLoopRun(
  context: NemesisLoopContext,
  schedule: Generator<NemesisStep>,
  signal: AbortSignal | null,
): Promise<void> {
  let gen = schedule;
  for (let ops = 0; ops < nemesisOpsMax && signal?.aborted !== true; ops++) {
    const step = gen.op({ prng: context.prng, process: 'nemesis', timeNs: context.clock.nowNs() });
    if (step.kind === 'done') return;
    gen = step.next;
    if (step.op.kind === 'sleep') await sleepAbortable(step.op.ms, signal);
    else await nemesisPerform(context, step.op.op);
  }
}

async function nemesisPerform(context: NemesisLoopContext, op: NemesisOp): Promise<void> {
  const { recorder, clock } = context;
  recorder.record({ type: 'invoke', f: op.f, value: op.value, process: 'nemesis', time: clock.nowNs() });
  const outcome = await outcomeBounded(context.nemesis, op);
  const time = clock.nowNs();
  if (outcome.ok) recorder.record({ type: 'info', f: op.f, value: outcome.value, process: 'nemesis', time });
  else recorder.record({ type: 'info', f: op.f, value: outcome.value, process: 'nemesis', time, error: outcome.error });
}

async function outcomeBounded(nemesis: Nemesis, op: NemesisOp): Promise<NemesisOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<NemesisOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, value: op.value, error: 'nemesis-timeout' }), nemesisOpDeadlineMs);
  });
  try {
    return await Promise.race([nemesis.invoke(op), deadline]);
  } catch (error) {
    // A nemesis that throws has a bug; the run goes on so the cluster is still healed and stopped.
    return {
      ok: false,
      value: op.value,
      error: `nemesis-error: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    clearTimeout(timer);
  }
}

function sleepAbortable(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
