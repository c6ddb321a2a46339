// The pure core of recovery: from the union of the records and truncations a
// read quorum of one PG returned, find the PG's chain tail (the last record
// reachable from the start by backlinks without a gap) and the live records
// of the chain. Every record that reached a write quorum is in every read
// quorum, so every acknowledged record is on this chain.

import type { LogRecord, Truncation } from '../protocol/storage-messages.js';
import { lsnLater, lsnZero, type Lsn } from '../protocol/ids.js';

export interface PgReply {
  readonly scl: Lsn;
  /** The replica's coalesced base: records at or below it are in pages, no longer returned, and durable. */
  readonly base: Lsn;
  readonly records: readonly LogRecord[];
  readonly truncations: readonly Truncation[];
}

export interface PgChain {
  /** The chain tail: the new truncation's afterLsn. */
  readonly tail: Lsn;
  /** The live records of the chain, in LSN order (what repair re-sends). */
  readonly records: readonly LogRecord[];
  /** Every truncation any replica reported, without duplicates. */
  readonly truncations: readonly Truncation[];
  /** The highest LSN any reply mentions (records, SCLs, truncation bounds). */
  readonly lsnSeenMax: Lsn;
  /** Live records above the tail that the truncation will annul. */
  readonly annulled: number;
}

/** A truncation written by epoch e annuls the records of older epochs in its range; later writers never allocate inside it. */
export function recordAnnulled(record: LogRecord, truncations: readonly Truncation[]): boolean {
  for (const t of truncations) {
    if (record.lsn > t.afterLsn && record.lsn <= t.uptoLsn && record.volumeEpoch < t.epoch) return true;
  }
  return false;
}

export function pgChainFind(replies: readonly PgReply[]): PgChain {
  const truncations = truncationsUnion(replies);
  const byLsn = new Map<Lsn, LogRecord>();
  let lsnSeenMax = lsnZero;
  for (const reply of replies) {
    lsnSeenMax = lsnLater(lsnSeenMax, lsnLater(reply.scl, reply.base));
    for (const record of reply.records) {
      lsnSeenMax = lsnLater(lsnSeenMax, record.lsn);
      if (!byLsn.has(record.lsn) && !recordAnnulled(record, truncations)) byLsn.set(record.lsn, record);
    }
  }
  for (const t of truncations) lsnSeenMax = lsnLater(lsnSeenMax, t.uptoLsn);
  const next = new Map<Lsn, LogRecord>();
  for (const record of byLsn.values()) {
    const rival = next.get(record.prev);
    // Two live records with one backlink cannot both be on the chain; the newer epoch's record is the one a later writer built on.
    if (rival === undefined || record.volumeEpoch > rival.volumeEpoch) next.set(record.prev, record);
  }
  const records: LogRecord[] = [];
  let tail = chainStart(replies, byLsn, truncations);
  for (let record = next.get(tail); record !== undefined; record = next.get(tail)) {
    records.push(record);
    tail = record.lsn;
  }
  let annulled = 0;
  for (const record of byLsn.values()) if (record.lsn > tail) annulled++;
  return { tail, records, truncations, lsnSeenMax, annulled };
}

/**
 * Where the walk starts: LSN 0, or the highest SCL a replica vouches for (it
 * holds every record up to it), unless that SCL sits inside a truncation range
 * (a replica that missed the truncation counts annulled records). Starting at
 * a vouched SCL keeps the chain whole when replicas no longer return records
 * they have folded into pages.
 */
function chainStart(
  replies: readonly PgReply[],
  byLsn: ReadonlyMap<Lsn, LogRecord>,
  truncations: readonly Truncation[],
): Lsn {
  let start = lsnZero;
  for (const reply of replies) start = lsnLater(start, reply.base);
  for (const reply of replies) {
    if (reply.scl <= start) continue;
    const inRange = truncations.some((t) => reply.scl > t.afterLsn && reply.scl <= t.uptoLsn);
    const record = byLsn.get(reply.scl);
    if (!inRange && (record === undefined || !recordAnnulled(record, truncations))) start = reply.scl;
  }
  // Records below the start that the replies did return are re-sent too: walk back from the start.
  return walkBack(start, byLsn);
}

function walkBack(start: Lsn, byLsn: ReadonlyMap<Lsn, LogRecord>): Lsn {
  let lsn = start;
  let record = byLsn.get(lsn);
  while (record !== undefined && byLsn.has(record.prev)) {
    lsn = record.prev;
    record = byLsn.get(lsn);
  }
  return record === undefined ? lsn : record.prev;
}

function truncationsUnion(replies: readonly PgReply[]): Truncation[] {
  const seen = new Map<string, Truncation>();
  for (const reply of replies) {
    for (const t of reply.truncations) seen.set(`${t.epoch}/${t.afterLsn}/${t.uptoLsn}`, t);
  }
  return [...seen.values()].sort((a, b) => a.epoch - b.epoch);
}
