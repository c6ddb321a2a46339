import { describe, expect, it } from 'vitest';
import { epochOf, lsnOf, pgIdOf } from '../protocol/ids.js';
import type { LogRecord, Truncation } from '../protocol/storage-messages.js';
import { pgChainFind as pgChainFindOf, type PgChain, type PgReply } from './recovery-chain.js';

function rec(lsn: number, prev: number, volumeEpoch = 1): LogRecord {
  return {
    lsn: lsnOf(lsn),
    pg: pgIdOf(0),
    prev: lsnOf(prev),
    volumeEpoch: epochOf(volumeEpoch),
    membershipEpoch: epochOf(1),
    key: `k${lsn}`,
    kind: 'put',
    value: lsn,
    cpl: true,
  };
}

function trunc(epoch: number, afterLsn: number, uptoLsn: number): Truncation {
  return { epoch: epochOf(epoch), pg: pgIdOf(0), afterLsn: lsnOf(afterLsn), uptoLsn: lsnOf(uptoLsn) };
}

/** The chain of replies whose base and SCL are given as plain numbers. */
function pgChainFind(
  replies: readonly (Omit<PgReply, 'base' | 'scl'> & { readonly base: number; readonly scl: number })[],
): PgChain {
  return pgChainFindOf(replies.map((reply) => ({ ...reply, base: lsnOf(reply.base), scl: lsnOf(reply.scl) })));
}

describe('pgChainFind', () => {
  it('finds the tail of an unbroken chain from the union of the replies', () => {
    const chain = pgChainFind([
      { base: 0, scl: 2, records: [rec(1, 0), rec(2, 1)], truncations: [] },
      { base: 0, scl: 3, records: [rec(1, 0), rec(2, 1), rec(3, 2)], truncations: [] },
    ]);
    expect(chain.tail).toBe(3);
    expect(chain.records.map((r) => r.lsn)).toEqual([1, 2, 3]);
  });

  it('stops at a gap: records after a missing one are annulled, not kept', () => {
    const chain = pgChainFind([{ base: 0, scl: 1, records: [rec(1, 0), rec(3, 2), rec(4, 3)], truncations: [] }]);
    expect(chain.tail).toBe(1);
    expect(chain.annulled).toBe(2);
  });

  it('keeps nothing when the first record of the PG is missing', () => {
    const chain = pgChainFind([{ base: 0, scl: 0, records: [rec(2, 1), rec(3, 2)], truncations: [] }]);
    expect(chain.tail).toBe(0);
    expect(chain.records).toEqual([]);
  });

  it('follows the backlink across an earlier truncation and ignores the records it annulled', () => {
    const chain = pgChainFind([
      {
        base: 0,
        scl: 105,
        records: [rec(1, 0), rec(2, 1, 1), rec(101, 1, 2), rec(105, 101, 2)],
        truncations: [trunc(2, 1, 100)],
      },
      { base: 0, scl: 2, records: [rec(1, 0), rec(2, 1, 1)], truncations: [] },
    ]);
    expect(chain.tail).toBe(105);
    expect(chain.records.map((r) => r.lsn)).toEqual([1, 101, 105]);
    expect(chain.lsnSeenMax).toBe(105);
  });

  it('does not trust an SCL that counts annulled records', () => {
    const chain = pgChainFind([
      { base: 0, scl: 3, records: [rec(1, 0), rec(2, 1), rec(3, 2)], truncations: [] },
      { base: 0, scl: 1, records: [rec(1, 0)], truncations: [trunc(2, 1, 50)] },
    ]);
    expect(chain.tail).toBe(1);
    expect(chain.lsnSeenMax).toBe(50);
  });

  it('starts at a coalesced base, below which replicas return no records', () => {
    const chain = pgChainFind([
      { base: 10, scl: 11, records: [rec(11, 10)], truncations: [] },
      { base: 0, scl: 9, records: [], truncations: [] },
    ]);
    expect(chain.tail).toBe(11);
  });

  it('starts at a vouched SCL when replicas no longer return the records below it', () => {
    const chain = pgChainFind([
      { base: 0, scl: 10, records: [rec(11, 10)], truncations: [] },
      { base: 0, scl: 12, records: [rec(11, 10), rec(12, 11)], truncations: [] },
    ]);
    expect(chain.tail).toBe(12);
    expect(chain.records.map((r) => r.lsn)).toEqual([11, 12]);
  });
});
