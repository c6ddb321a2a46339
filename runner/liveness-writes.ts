// The liveness phase's writes: after the heal, one write of a fresh value to
// every key through the normal interpreter and workload client, so the history
// shows whether the store takes writes again. A key whose write did not succeed
// is written again with a new value, in a bounded number of rounds.

import type { Clock } from '../core/clock.js';
import type { HistoryRecorder } from '../results/history-recorder.js';
import { genList } from '../workloads/generator.js';
import type { Interpreter } from '../workloads/interpreter.js';
import type { Workload } from '../workloads/workload.js';

/** Rounds of liveness writes at most. */
export const livenessWriteRoundsMax = 5;
/** Pause between rounds, so a writer still settling gets time. */
const livenessWriteRetryDelayMs = 500;

export interface LivenessWritesEnv {
  readonly workload: Workload;
  readonly interpreter: Interpreter;
  readonly recorder: HistoryRecorder;
  readonly clock: Clock;
  /** The bound of all rounds together (--liveness-timeout). */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** Writes every key; returns the keys with no ok write when the rounds or the bound ran out. */
export async function livenessWritesRun(env: LivenessWritesEnv): Promise<readonly string[]> {
  const deadlineMs = env.clock.nowMs() + env.timeoutMs;
  let pending = new Set(env.workload.keys);
  for (let round = 0; round < livenessWriteRoundsMax && pending.size > 0 && !env.signal.aborted; round++) {
    const leftMs = deadlineMs - env.clock.nowMs();
    if (leftMs <= 0) break;
    if (round > 0) await env.clock.sleep(Math.min(livenessWriteRetryDelayMs, leftMs), env.signal);
    const from = env.recorder.events.length;
    const writes = env.workload.livenessWrites(round).filter((op) => pending.has(op.key));
    await env.interpreter.run(genList(writes), {
      timeLimitMs: Math.max(1, deadlineMs - env.clock.nowMs()),
      opsLimit: null,
      rate: null,
      signal: env.signal,
    });
    const writeOk = new Set<string>();
    for (const event of env.recorder.events.slice(from)) {
      if (event.type === 'ok' && event.f !== 'read' && event.key !== undefined) writeOk.add(event.key);
    }
    pending = new Set([...pending].filter((key) => !writeOk.has(key)));
  }
  return [...pending];
}
