// The storage conversations of recovery: reading one PG's state from one node
// page by page (step 2), and re-sending a PG's chain to replicas until a write
// quorum reports it in their SCL (step 4).

import type { LogRecord, Truncation } from '../protocol/storage-messages.js';
import { gather } from './gather.js';
import { recoveryStepTimeoutMs, stateReadPageRecords } from './limits.js';
import type { PgChain, PgReply } from './recovery-chain.js';
import type { RecoveryContext } from './recovery-context.js';
import type { StorageLink } from './storage-link.js';
import { epochLater, epochZero, lsnLater, lsnZero, type Epoch, type Lsn, type PgId } from '../protocol/ids.js';

/** A storage node holds a newer epoch: this candidate has lost. */
export class Fenced extends Error {
  constructor(readonly epoch: Epoch) {
    super(`a storage node holds the newer epoch ${epoch}`);
  }
}

/** A step could not reach its quorum in time; the whole recovery is tried again. */
export class StepFailed extends Error {}

export type StateAnswer =
  | { readonly t: 'ok'; readonly reply: PgReply }
  | { readonly t: 'fenced'; readonly epoch: Epoch }
  | { readonly t: 'failed'; readonly reason: string };

/** Bound on state-read pages from one node (stateReadPageRecords each). */
const stateReadPagesMax = 100_000;

export async function pgStateRead(link: StorageLink, writerId: string, epoch: Epoch, pg: PgId): Promise<StateAnswer> {
  const records: LogRecord[] = [];
  let truncations: readonly Truncation[] = [];
  let scl = lsnZero;
  let base = lsnZero;
  let afterLsn = lsnZero;
  for (let page = 0; page < stateReadPagesMax; page++) {
    const result = await link.request(
      { t: 'state-read', writerId, epoch, pg, afterLsn, limit: stateReadPageRecords },
      recoveryStepTimeoutMs,
    );
    if (!result.ok) return { t: 'failed', reason: result.reason };
    const reply = result.reply;
    if (reply.t === 'reject') {
      if (reply.code === 'stale-epoch' && reply.epoch > epoch) return { t: 'fenced', epoch: reply.epoch };
      return { t: 'failed', reason: `${link.nodeId} refused state-read: ${reply.code}: ${reply.message}` };
    }
    if (reply.t !== 'state' || reply.pg !== pg)
      return { t: 'failed', reason: `${link.nodeId} answered state-read with ${reply.t}` };
    if (page === 0) {
      scl = reply.scl;
      base = reply.base ?? lsnZero;
    }
    truncations = reply.truncations;
    for (const record of reply.records) if (record.pg === pg) records.push(record);
    const last = reply.records[reply.records.length - 1];
    if (!reply.more || last === undefined || last.lsn <= afterLsn)
      return { t: 'ok', reply: { scl, base, records, truncations } };
    afterLsn = last.lsn;
  }
  return { t: 'failed', reason: `${link.nodeId}: state of PG ${pg} exceeds ${stateReadPagesMax} pages` };
}

export type SclAnswer =
  | { readonly t: 'ok'; readonly scl: Lsn }
  | { readonly t: 'fenced'; readonly epoch: Epoch }
  | { readonly t: 'failed'; readonly reason: string };

/** A replica's SCL for a PG, by a one-record state-read above `afterLsn` (also how an idle writer renews its lease). */
export async function pgSclRead(
  link: StorageLink,
  writerId: string,
  epoch: Epoch,
  pg: PgId,
  afterLsn: Lsn,
  timeoutMs: number,
): Promise<SclAnswer> {
  const result = await link.request({ t: 'state-read', writerId, epoch, pg, afterLsn, limit: 1 }, timeoutMs);
  if (!result.ok) return { t: 'failed', reason: result.reason };
  const reply = result.reply;
  if (reply.t === 'reject' && reply.code === 'stale-epoch' && reply.epoch > epoch)
    return { t: 'fenced', epoch: reply.epoch };
  if (reply.t !== 'state') return { t: 'failed', reason: `${link.nodeId} answered state-read with ${reply.t}` };
  return { t: 'ok', scl: reply.scl };
}

/**
 * Re-sends the chain to every replica whose SCL is below the tail, in order and
 * in batches, until a write quorum reports the tail. Returns the replicas' SCLs,
 * or null when no write quorum got there.
 */
export async function pgRepair(
  ctx: RecoveryContext,
  epoch: Epoch,
  pg: PgId,
  chain: PgChain,
  sclStart: readonly Lsn[],
): Promise<Lsn[] | null> {
  const scls = sclStart.slice();
  const quorum = ctx.geometry.writeQuorum;
  const reached = (): number => scls.filter((scl) => scl >= chain.tail).length;
  if (reached() >= quorum) return scls;
  const requests = ctx.links.map((link) => replicaRepair(ctx, epoch, pg, chain, link, scls));
  const answers = await gather(requests, () => reached() >= quorum);
  const newer = answers.reduce(epochLater, epochZero);
  if (newer > epoch) throw new Fenced(newer);
  return reached() >= quorum ? scls : null;
}

/** Brings one replica up to the tail; returns a newer epoch the replica holds, else epochZero. */
async function replicaRepair(
  ctx: RecoveryContext,
  epoch: Epoch,
  pg: PgId,
  chain: PgChain,
  link: StorageLink,
  scls: Lsn[],
): Promise<Epoch> {
  let index = chain.records.findIndex((record) => record.lsn > scls[link.index]!);
  if (index < 0) index = chain.records.length;
  while (index < chain.records.length && scls[link.index]! < chain.tail) {
    const records = chain.records.slice(index, index + ctx.batchRecordsMax);
    index += records.length;
    const result = await link.request(
      { t: 'append', writerId: ctx.writerId, epoch, pg, records },
      recoveryStepTimeoutMs,
    );
    if (!result.ok) return epochZero;
    const reply = result.reply;
    if (reply.t === 'reject') return reply.code === 'stale-epoch' ? reply.epoch : epochZero;
    if (reply.t === 'ack' && reply.scl !== undefined) scls[link.index] = lsnLater(scls[link.index]!, reply.scl);
  }
  if (scls[link.index]! < chain.tail) {
    // The replica may hold the chain already (or get it from peers by gossip): ask for its SCL.
    const state = await pgSclRead(link, ctx.writerId, epoch, pg, chain.tail, recoveryStepTimeoutMs);
    if (state.t === 'ok') scls[link.index] = lsnLater(scls[link.index]!, state.scl);
    if (state.t === 'fenced') return state.epoch;
  }
  return epochZero;
}
