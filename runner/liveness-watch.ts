// The liveness phase's look at the storage nodes once the clients are done:
// the replicas watched until, per PG, each holds the PG's highest SCL; then a
// scrub of every node, a wait until none has unrepaired blocks, and a second
// scrub. Every round is recorded as a nemesis info event with its figures.

import { replicasBehind } from '../checkers/liveness.js';
import {
  observeF,
  type RepairObservation,
  type ReplicasObservation,
  type ScrubObservation,
} from '../checkers/liveness-events.js';
import type { NodeSpec } from '../cluster/topology.js';
import { pollUntil, PollTimeoutError, type Clock } from '../core/clock.js';
import type { JsonValue } from '../core/history.js';
import { repairStatsMissing, type StoreObserver } from './liveness-store.js';

/** Interval of the replica and repair watches' rounds. */
export const livenessPollMs = 250;

export interface WatchEnv {
  readonly nodes: readonly NodeSpec[];
  readonly observer: StoreObserver;
  readonly clock: Clock;
  /** Records one observation as a nemesis info event. */
  readonly record: (f: string, value: JsonValue) => void;
  /** The bound of each watch (--liveness-timeout). */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** Watches until every replica caught up or the bound ran out; true when they caught up. */
export async function replicasWatch(env: WatchEnv): Promise<boolean> {
  const startMs = env.clock.nowMs();
  let round = 0;
  return roundsUntil(env, 'every replica at its PG’s highest SCL', async () => {
    round++;
    const nodes = await Promise.all(env.nodes.map((node) => env.observer.replica(node)));
    const value: ReplicasObservation = { round, watchedMs: elapsed(env, startMs), timeoutMs: env.timeoutMs, nodes };
    env.record(observeF.replicas, value);
    return replicasBehind(value).length === 0 ? true : null;
  });
}

/** The first scrub, the wait for every found block to be repaired, the second scrub; true when nothing is left. */
export async function repairCheck(env: WatchEnv): Promise<boolean> {
  await scrubPass(env, 1);
  const repaired = await repairWait(env);
  if (env.signal.aborted) return false;
  const second = await scrubPass(env, 2);
  return repaired && second.nodes.every((node) => node.figures !== null && node.figures.blocksCorrupt === 0);
}

async function scrubPass(env: WatchEnv, pass: 1 | 2): Promise<ScrubObservation> {
  const value: ScrubObservation = {
    pass,
    nodes: await Promise.all(env.nodes.map((node) => env.observer.scrub(node))),
  };
  env.record(observeF.scrub, value);
  return value;
}

/**
 * Polls the repair stats until every node reports 0 unrepaired blocks. A store
 * that reports no repair stats at all is not waited on: waiting cannot change that.
 */
async function repairWait(env: WatchEnv): Promise<boolean> {
  const startMs = env.clock.nowMs();
  let round = 0;
  return roundsUntil(env, 'no unrepaired blocks on any storage node', async () => {
    round++;
    const nodes = await Promise.all(env.nodes.map((node) => env.observer.repairStats(node)));
    const value: RepairObservation = { round, watchedMs: elapsed(env, startMs), timeoutMs: env.timeoutMs, nodes };
    env.record(observeF.repair, value);
    if (nodes.every((node) => node.blocksUnrepaired === 0)) return true;
    return nodes.every((node) => node.error === repairStatsMissing) ? false : null;
  });
}

/** Runs rounds until `round` answers true or false (null: look again), or the bound or the signal ends the wait (false). */
async function roundsUntil(env: WatchEnv, what: string, round: () => Promise<boolean | null>): Promise<boolean> {
  try {
    return await pollUntil(env.clock, {
      what,
      timeoutMs: env.timeoutMs,
      intervalMs: livenessPollMs,
      signal: env.signal,
      probe: round,
    });
  } catch (error) {
    if (error instanceof PollTimeoutError) return false;
    throw error;
  }
}

function elapsed(env: WatchEnv, startMs: number): number {
  return Math.round(env.clock.nowMs() - startMs);
}
