import { describe, expect, test } from 'vitest';
import { epochOf, lsnOf, pgIdOf } from '../protocol/ids.js';
import type { Truncation } from '../protocol/storage-messages.js';
import { PgState } from './pg-state.js';
import { range, records } from './test-support/harness.js';

function pgWith(lsns: readonly number[], options: Parameters<typeof records>[1] = {}): PgState {
  const pg = new PgState(pgIdOf(0));
  for (const record of records(lsns, options)) pg.insert(record);
  return pg;
}

function truncation(epoch: number, afterLsn: number, uptoLsn: number): Truncation {
  return { epoch: epochOf(epoch), pg: pgIdOf(0), afterLsn: lsnOf(afterLsn), uptoLsn: lsnOf(uptoLsn) };
}

describe('the SCL of a PG', () => {
  test('is the end of the backlink chain from the first record, whatever the arrival order', () => {
    const pg = new PgState(pgIdOf(0));
    const chain = records([3, 7, 8, 20]);
    pg.insert(chain[2]!);
    pg.insert(chain[0]!);
    expect(pg.scl).toBe(3);
    expect(pg.gapExists).toBe(true);
    pg.insert(chain[1]!);
    expect(pg.scl).toBe(8);
    pg.insert(chain[3]!);
    expect([pg.scl, pg.gapExists]).toEqual([20, false]);
  });

  test('stops before a record lost to corruption and resumes when it is refilled', () => {
    const pg = pgWith(range(1, 10));
    pg.recordsLose([4, 5].map(lsnOf));
    expect(pg.scl).toBe(3);
    for (const record of records(range(1, 10)).slice(3, 5)) pg.insert(record);
    expect(pg.scl).toBe(10);
  });

  test('drops annulled records and continues across the truncation through prev = afterLsn', () => {
    const pg = pgWith(range(1, 10));
    expect(pg.truncationApply(truncation(2, 5, 100))).toBe(5);
    expect(pg.truncationApply(truncation(2, 5, 100))).toBe(0);
    expect(pg.scl).toBe(5);
    expect(pg.insert(records([50], { prevFirst: 9 })[0]!)).toBe(false);
    for (const record of records([101, 102], { prevFirst: 5, epoch: 2 })) pg.insert(record);
    expect(pg.scl).toBe(102);
  });

  test('prefers the later epoch when two records claim the same predecessor (a truncation not yet heard of)', () => {
    const pg = pgWith(range(1, 6));
    pg.insert(records([200], { prevFirst: 4, epoch: 2 })[0]!);
    expect(pg.scl).toBe(200);
  });

  test('counts only records above the coalesced base, and the chain continues from it', () => {
    const pg = pgWith(range(1, 10), { key: () => 'x' });
    pg.baseAdvance(pg.chainPointAtOrBelow(lsnOf(7)));
    expect([pg.base, pg.scl, pg.records.size]).toEqual([7, 10, 3]);
    expect(pg.keys.read('x', lsnOf(8))).toMatchObject({ value: 'v8' });
    expect(pg.keys.read('x', lsnOf(6))).toMatchObject({ t: 'pruned' });
    expect(pg.insert(records([3])[0]!)).toBe(false);
  });
});
