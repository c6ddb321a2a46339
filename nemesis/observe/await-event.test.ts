// The await events as conditions over hand-made snapshots, and the await's
// polling on simulated time: it reports what it saw once the condition holds
// and times out within its bound otherwise.

import { describe, expect, it } from 'vitest';
import { clockVirtualCreate } from '../../core/clock.js';
import { snapshotMake, type SnapshotFixture } from '../test-support/snapshot-fixtures.js';
import { awaitEvent, awaitPollMs, awaitSeen, awaitTimeoutMsMax } from './await-event.js';
import type { Observer } from './observer.js';
import type { Snapshot } from './snapshot.js';

const steady: SnapshotFixture = {
  storage: { s00: [10], s01: [10], s10: [10], s11: [10], s20: [10], s21: [10] },
  writers: { w0: { epoch: 1 }, w1: { role: 'standby', ready: false } },
  epochPrimaryMax: 1,
};
const newPrimary: SnapshotFixture = { ...steady, writers: { w0: 'down', w1: { epoch: 2 } }, epochPrimaryMax: 2 };
const recovering: SnapshotFixture = { ...steady, writers: { w0: 'down', w1: { role: 'recovering', ready: false } } };
const lagging: SnapshotFixture = { ...steady, storage: { ...steady.storage, s11: [4] } };
const restarted: SnapshotFixture = { ...steady, storage: { ...steady.storage, s11: 'unreachable' } };
const deposedBack: SnapshotFixture = { ...newPrimary, writers: { w0: { epoch: 1 }, w1: 'down' } };

describe('await events', () => {
  it.each([
    ['epoch-change', steady, steady, null],
    ['epoch-change', steady, newPrimary, { primary: 'w1', epoch: 2, epochBefore: 1 }],
    ['epoch-change', newPrimary, deposedBack, null],
    ['writer-recovering', steady, steady, null],
    ['writer-recovering', steady, recovering, { recovering: ['w1'], primaryReady: null }],
    ['writer-ready', steady, recovering, null],
    ['writer-ready', recovering, newPrimary, { primary: 'w1', epoch: 2 }],
    ['replica-behind', steady, steady, null],
    ['replica-behind', steady, lagging, { behind: [{ node: 's11', pg: 0, scl: 4, highest: 10 }] }],
    ['caught-up', steady, lagging, null],
    ['caught-up', steady, restarted, null],
    ['caught-up', lagging, steady, { scls: [10] }],
  ] as const)('%s from %j to %j sees %j', (event, before, after, seen) => {
    const baseline = snapshotMake(before);
    expect(awaitSeen(event, baseline, baseline, snapshotMake(after))).toEqual(seen);
  });

  it('compares SCLs with the previous poll, so records in flight are no lag', () => {
    const previous = snapshotMake(steady);
    const ahead = snapshotMake({ ...steady, storage: { ...steady.storage, s00: [12] } });
    expect(awaitSeen('replica-behind', previous, previous, ahead)).toBeNull();
    expect(awaitSeen('caught-up', previous, previous, ahead)).toEqual({ scls: [12] });
  });

  it('polls until the event holds and reports what it saw', async () => {
    const clock = clockVirtualCreate();
    const observer = scripted([steady, steady, steady, recovering, newPrimary]);
    const result = await clock.runUntil(awaitEvent(observer, clock, 'epoch-change', 5000), 10_000);
    expect(result).toEqual({ ok: true, seen: { primary: 'w1', epoch: 2, epochBefore: 1 }, waitedMs: 3 * awaitPollMs });
  });

  it('times out within its bound, capped at the longest await, naming the event and the last state', async () => {
    const clock = clockVirtualCreate();
    const result = await clock.runUntil(awaitEvent(scripted([steady]), clock, 'replica-behind', 60_000), 120_000);
    expect(result.ok).toBe(false);
    expect(result.waitedMs).toBe(awaitTimeoutMsMax);
    if (!result.ok) expect(result.error).toMatch(/timed out after 30000 ms waiting for replica-behind.*s00 scl 10/);
  });
});

/** An observer that returns the given snapshots in turn, the last one for ever after. */
function scripted(fixtures: readonly SnapshotFixture[]): Observer {
  const snapshots: Snapshot[] = fixtures.map(snapshotMake);
  let next = 0;
  return { observe: () => Promise.resolve(snapshots[Math.min(next++, snapshots.length - 1)]!) };
}
