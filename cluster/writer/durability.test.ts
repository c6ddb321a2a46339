import { describe, expect, it } from 'vitest';
import { epochOf, lsnOf, pgIdOf } from '../protocol/ids.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { DurabilityTracker } from './durability.js';

function rec(lsn: number, pg: number, prev: number): LogRecord {
  return {
    lsn: lsnOf(lsn),
    pg: pgIdOf(pg),
    prev: lsnOf(prev),
    volumeEpoch: epochOf(1),
    membershipEpoch: epochOf(1),
    key: 'k',
    kind: 'put',
    value: lsn,
    cpl: true,
  };
}

function trackerReset(
  tracker: DurabilityTracker,
  tails: readonly number[],
  scls: readonly (readonly number[])[],
): void {
  tracker.reset(
    tails.map(lsnOf),
    scls.map((row) => row.map(lsnOf)),
  );
}

describe('DurabilityTracker', () => {
  it('counts a record durable once a write quorum of replicas report it in their SCL', () => {
    const tracker = new DurabilityTracker(1, 6, 4);
    trackerReset(tracker, [0], [[0, 0, 0, 0, 0, 0]]);
    tracker.recordAdd(rec(1, 0, 0), 0);
    for (const node of [0, 1, 2]) expect(tracker.sclReport(pgIdOf(0), node, lsnOf(1))).toBe(false);
    expect(tracker.vcl()).toBe(0);
    expect(tracker.sclReport(pgIdOf(0), 3, lsnOf(1))).toBe(true);
    expect(tracker.vcl()).toBe(1);
  });

  it('holds VCL below the oldest record of any PG that lacks a quorum', () => {
    const tracker = new DurabilityTracker(2, 6, 4);
    trackerReset(
      tracker,
      [0, 0],
      [
        [0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
      ],
    );
    tracker.recordAdd(rec(1, 0, 0), 0);
    tracker.recordAdd(rec(2, 1, 0), 0);
    tracker.recordAdd(rec(3, 0, 1), 0);
    for (const node of [0, 1, 2, 3]) tracker.sclReport(pgIdOf(1), node, lsnOf(2));
    expect(tracker.vcl()).toBe(0);
    for (const node of [0, 1, 2, 3]) tracker.sclReport(pgIdOf(0), node, lsnOf(3));
    expect(tracker.vcl()).toBe(3);
  });

  it('never moves VCL back when a replica reports a lower SCL', () => {
    const tracker = new DurabilityTracker(1, 6, 4);
    trackerReset(tracker, [0], [[0, 0, 0, 0, 0, 0]]);
    tracker.recordAdd(rec(1, 0, 0), 0);
    for (const node of [0, 1, 2, 3]) tracker.sclReport(pgIdOf(0), node, lsnOf(1));
    tracker.sclReport(pgIdOf(0), 0, lsnOf(0));
    expect(tracker.vcl()).toBe(1);
    expect(tracker.pgcl(pgIdOf(0))).toBe(1);
  });
});
