// The transitions a schedule can wait for before its next fault (a writer
// recovering, a replica falling behind, everyone caught up), so faults land
// at the fragile moments instead of at fixed times. Each event is a pure
// condition over snapshots; awaitEvent polls the observer until it holds.
//
// SCLs are compared with their PG's highest SCL one poll earlier, not in the
// same snapshot: under load the replicas' SCLs always differ by the records in
// flight, and only a replica that has not reached what the newest held a poll
// ago is behind.

import { pollUntil, PollTimeoutError, type Clock } from '../../core/clock.js';
import type { JsonValue } from '../../core/history.js';
import type { Observer } from './observer.js';
import {
  primaryReady,
  sclHighest,
  snapshotSummary,
  storageAnswered,
  writersAnswered,
  type Snapshot,
} from './snapshot.js';

export const awaitEvents = [
  'epoch-change',
  'writer-recovering',
  'writer-ready',
  'replica-behind',
  'caught-up',
] as const;
export type AwaitEvent = (typeof awaitEvents)[number];

export const awaitSummaries: Readonly<Record<AwaitEvent, string>> = Object.freeze({
  'epoch-change': 'a primary with a higher epoch than when the await began is ready',
  'writer-recovering': 'no writer is ready, or one reports role recovering',
  'writer-ready': 'a primary writer is ready for clients',
  'replica-behind': "a running storage node's SCL is behind its PG's highest",
  'caught-up': "every running storage node is at its PG's highest SCL",
});

/** The longest an await may wait; a schedule asking for more gets this. */
export const awaitTimeoutMsMax = 30_000;
/** How often an await looks again. */
export const awaitPollMs = 100;

export type Seen = Readonly<Record<string, JsonValue>>;

export function isAwaitEvent(name: string): name is AwaitEvent {
  return (awaitEvents as readonly string[]).includes(name);
}

/** What shows the event happened, or null while it has not: `baseline` is the snapshot when the await began. */
export function awaitSeen(event: AwaitEvent, baseline: Snapshot, previous: Snapshot, current: Snapshot): Seen | null {
  switch (event) {
    case 'epoch-change': {
      const primary = primaryReady(current);
      if (primary === null || primary.health.epoch <= baseline.epochPrimaryMax) return null;
      return { primary: primary.id, epoch: primary.health.epoch, epochBefore: baseline.epochPrimaryMax };
    }
    case 'writer-recovering': {
      const recovering = writersAnswered(current).filter((w) => w.health.role === 'recovering');
      const primary = primaryReady(current);
      if (primary !== null && recovering.length === 0) return null;
      return { recovering: recovering.map((w) => w.id), primaryReady: primary?.id ?? null };
    }
    case 'writer-ready': {
      const primary = primaryReady(current);
      return primary === null ? null : { primary: primary.id, epoch: primary.health.epoch };
    }
    case 'replica-behind': {
      const behind = replicasBehind(previous, current);
      return behind.length === 0 ? null : { behind };
    }
    case 'caught-up': {
      const silent = current.storage.filter((node) => node.kind === 'unreachable').map((node) => node.id);
      if (silent.length > 0 || storageAnswered(current).length === 0) return null;
      if (replicasBehind(previous, current).length > 0) return null;
      return { scls: sclHighest(current) };
    }
  }
}

/** Each answering replica that lacks, in some PG, what the newest replica held in `previous`. */
function replicasBehind(previous: Snapshot, current: Snapshot): JsonValue[] {
  const goal = sclHighest(previous);
  return storageAnswered(current).flatMap((node) =>
    goal.flatMap((highest, pg) => {
      const scl = node.health.scls[pg] ?? -1;
      return scl < highest ? [{ node: node.id, pg, scl, highest }] : [];
    }),
  );
}

export type AwaitResult =
  | { readonly ok: true; readonly seen: Seen; readonly waitedMs: number }
  | { readonly ok: false; readonly error: string; readonly waitedMs: number };

/** Polls the observer until `event` holds, for at most timeoutMs (capped at awaitTimeoutMsMax). */
export async function awaitEvent(
  observer: Observer,
  clock: Clock,
  event: AwaitEvent,
  timeoutMs: number,
  signal?: AbortSignal | null,
): Promise<AwaitResult> {
  const beganMs = clock.nowMs();
  const baseline = await observer.observe();
  let previous = baseline;
  try {
    const seen = await pollUntil(clock, {
      what: `${event} (${awaitSummaries[event]})`,
      timeoutMs: Math.min(Math.max(0, timeoutMs), awaitTimeoutMsMax),
      intervalMs: awaitPollMs,
      signal: signal ?? null,
      probe: async () => {
        const current = await observer.observe();
        const found = awaitSeen(event, baseline, previous, current);
        previous = current;
        return found;
      },
      detail: () => `last seen: ${snapshotSummary(previous)}`,
    });
    return { ok: true, seen, waitedMs: Math.round(clock.nowMs() - beganMs) };
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    return { ok: false, error: error.message, waitedMs: Math.round(clock.nowMs() - beganMs) };
  }
}
