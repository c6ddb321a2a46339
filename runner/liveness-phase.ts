// The end of the liveness phase, once the clients have written and read every
// key: the storage nodes watched from outside until their replicas caught up
// and their damaged blocks were repaired, each look recorded in the history for
// the liveness and repair checkers. The in-process store has no nodes to watch.

import type { Runtime } from '../cluster/runtime/runtime.js';
import type { NodeId } from '../cluster/topology.js';
import type { Clock } from '../core/clock.js';
import type { JsonValue } from '../core/history.js';
import type { HistoryRecorder } from '../results/history-recorder.js';
import { storeObserverCreate, type StoreObserver } from './liveness-store.js';
import { repairCheck, replicasWatch, type WatchEnv } from './liveness-watch.js';

export interface LivenessObserveEnv {
  /** null for the in-process store: the observations are recorded with no nodes. */
  readonly runtime: Runtime | null;
  readonly recorder: HistoryRecorder;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly observer?: StoreObserver;
}

/** Watches the replicas, then checks the repairs; the verdicts are the checkers', from what is recorded. */
export async function livenessObserve(env: LivenessObserveEnv): Promise<void> {
  const watch: WatchEnv = {
    nodes: env.runtime?.nodes().filter((node) => node.role === 'storage') ?? [],
    observer: env.observer ?? storeObserverCreate(),
    clock: env.clock,
    record: (f, value) => nemesisInfo(env.recorder, env.clock, f, value),
    timeoutMs: env.timeoutMs,
    signal: env.signal,
  };
  await replicasWatch(watch);
  if (env.signal.aborted) return;
  await repairCheck(watch);
}

/**
 * For the workbench's own tests: stops a storage node after the heal and keeps
 * it stopped, so a run shows what the liveness checker says of a replica that
 * never comes back. Recorded, so the history says why the node is gone.
 */
export async function nodeKeepStopped(
  runtime: Runtime,
  node: NodeId,
  recorder: HistoryRecorder,
  clock: Clock,
): Promise<void> {
  recorder.record({
    type: 'invoke',
    f: keepStoppedF,
    value: { targets: [node] },
    process: 'nemesis',
    time: clock.nowNs(),
  });
  try {
    await runtime.nodeStop(node);
    nemesisInfo(recorder, clock, keepStoppedF, { targets: [node] });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    recorder.record({
      type: 'info',
      f: keepStoppedF,
      value: { targets: [node] },
      process: 'nemesis',
      time: clock.nowNs(),
      error: message,
    });
  }
}

const keepStoppedF = 'keep-stopped';

function nemesisInfo(recorder: HistoryRecorder, clock: Clock, f: string, value: JsonValue): void {
  recorder.record({ type: 'info', f, value, process: 'nemesis', time: clock.nowNs() });
}
