// Background gossip with the other replicas of every PG. Each round asks every
// peer for its SCL and truncations (cheap), pulls missing records from the most
// advanced peer when this node still lags what that peer had a round ago, asks
// for the exact records of blocks found bad, and reports data loss when no peer
// can supply what corruption destroyed here.

import { lsnZero, type Lsn, type PgId } from '../protocol/ids.js';
import type { LogRecord, StorageReply } from '../protocol/storage-messages.js';
import type { GroupCommit } from './group-commit.js';
import { truncationApply } from './handlers.js';
import type { NodeState } from './node-state.js';
import type { PeerLink } from './peer-link.js';
import { badBlocksSettle } from './repair.js';

/** Records asked for in one pull. */
export const gossipPullLimit = 4096;
/** Pages pulled from one peer for one PG in one round. */
export const gossipPagesPerRound = 8;
/** Bound on one gossip request. */
export const gossipTimeoutMs = 1000;
/** Rounds a loss must stay unfillable, with every peer answering, before it is reported. */
export const dataLossRounds = 5;

type Reply = StorageReply;

export class Gossip {
  /** Highest SCL per PG reported by any peer in the previous round. */
  private peerSclMaxPrev: number[];
  private gapRounds: number[];

  constructor(
    private readonly state: NodeState,
    private readonly commit: GroupCommit,
    private readonly peers: readonly PeerLink[],
  ) {
    this.peerSclMaxPrev = state.pgs.map(() => 0);
    this.gapRounds = state.pgs.map(() => 0);
  }

  async round(): Promise<void> {
    for (const pg of this.state.pgs) await this.pgRound(pg.pg);
  }

  private async pgRound(pgId: PgId): Promise<void> {
    const pg = this.state.pgs[pgId]!;
    const target = this.peerSclMaxPrev[pgId]!;
    if (pg.scl < target) await this.catchUp(pgId);
    const replies = await Promise.all(
      this.peers.map((peer) =>
        peer.request(
          { t: 'gossip-pull', from: this.state.nodeId, pg: pgId, afterLsn: pg.scl, limit: 0 },
          gossipTimeoutMs,
        ),
      ),
    );
    let sclMax = 0;
    let answered = 0;
    for (const [i, result] of replies.entries()) {
      if (!result.ok || result.reply.t !== 'gossip-records') continue;
      answered++;
      sclMax = Math.max(sclMax, result.reply.scl);
      this.peerSclNote(this.peers[i]!.peerId, pgId, result.reply.scl);
      await this.truncationsAdopt(result.reply);
    }
    this.peerSclMaxPrev[pgId] = sclMax;
    await this.lostRecordsAsk(pgId);
    this.gapWatch(pgId, answered === this.peers.length && sclMax <= pg.scl);
    await badBlocksSettle(this.state, pgId);
  }

  /** Pulls pages of records (or a snapshot) from the peer that was most advanced. */
  private async catchUp(pgId: PgId): Promise<void> {
    const pg = this.state.pgs[pgId]!;
    const peer = this.peers[this.peerBest(pgId)];
    if (peer === undefined) return;
    let afterLsn = pg.scl;
    for (let page = 0; page < gossipPagesPerRound; page++) {
      const result = await peer.request(
        { t: 'gossip-pull', from: this.state.nodeId, pg: pgId, afterLsn, limit: gossipPullLimit },
        gossipTimeoutMs,
      );
      if (!result.ok) return;
      const reply = result.reply;
      await this.truncationsAdopt(reply);
      if (reply.t === 'gossip-snapshot') {
        await this.snapshotInstall(reply);
        afterLsn = pg.scl;
        continue;
      }
      if (reply.t !== 'gossip-records') return;
      await this.fill(pgId, reply.records);
      const last = reply.records[reply.records.length - 1];
      if (!reply.more || last === undefined) return;
      afterLsn = last.lsn;
    }
  }

  /** Asks every peer for the exact records of bad blocks that are still missing. */
  private async lostRecordsAsk(pgId: PgId): Promise<void> {
    const pg = this.state.pgs[pgId]!;
    for (const bad of this.state.badBlocks.filter((b) => b.pg === pgId && b.lsns.length > 0)) {
      const missing = bad.lsns.filter((lsn) => lsn > pg.base && !pg.records.has(lsn) && !pg.annulled(lsn));
      if (missing.length === 0) continue;
      const replies = await Promise.all(
        this.peers.map((peer) =>
          peer.request(
            {
              t: 'gossip-pull',
              from: this.state.nodeId,
              pg: pgId,
              afterLsn: lsnZero,
              lsns: missing,
              limit: missing.length,
            },
            gossipTimeoutMs,
          ),
        ),
      );
      const found = replies.flatMap((r) => (r.ok && r.reply.t === 'gossip-records' ? r.reply.records : []));
      await this.fill(pgId, found);
      const allAnswered = replies.every((r) => r.ok && r.reply.t === 'gossip-records');
      const stillMissing = missing.filter((lsn) => !pg.records.has(lsn) && !pg.annulled(lsn));
      if (!allAnswered || stillMissing.length === 0) continue;
      bad.roundsUnfound++;
      if (bad.roundsUnfound >= dataLossRounds && !bad.dataLossReported) {
        bad.dataLossReported = true;
        this.state.log.dataLoss(
          `pg ${pgId}: records ${stillMissing.join(',')} of bad block ${bad.fileSeq}:${bad.blockNo} are on no peer`,
        );
      }
    }
  }

  /** A gap left by corruption at restart that no peer can fill for several rounds is reported once. */
  private gapWatch(pgId: PgId, nobodyAhead: boolean): void {
    const pg = this.state.pgs[pgId]!;
    const corrupted = this.state.badBlocks.some((b) => b.pg === pgId && b.lsns.length === 0 && !b.dataLossReported);
    this.gapRounds[pgId] = corrupted && pg.gapExists && nobodyAhead ? this.gapRounds[pgId]! + 1 : 0;
    if (this.gapRounds[pgId] < dataLossRounds) return;
    for (const bad of this.state.badBlocks) if (bad.pg === pgId && bad.lsns.length === 0) bad.dataLossReported = true;
    const next = pg.recordsAbove(pg.scl, 1).records[0];
    this.state.log.dataLoss(
      `pg ${pgId}: records after LSN ${pg.scl} (before ${next?.lsn ?? '?'}) were in corrupt blocks and are on no peer`,
    );
  }

  private async fill(pgId: PgId, records: readonly LogRecord[]): Promise<void> {
    const pg = this.state.pgs[pgId]!;
    const wanted = records.filter((r) => r.pg === pgId && pg.accepts(r));
    if (wanted.length > 0) await this.commit.submit(pgId, wanted, 'gossip');
  }

  private async snapshotInstall(reply: Extract<Reply, { t: 'gossip-snapshot' }>): Promise<void> {
    const pg = this.state.pgs[reply.pg]!;
    if (reply.base <= pg.scl) return;
    await this.commit.drain();
    await this.state.coldLogs[reply.pg]!.passWrite(reply.entries, reply.base, this.state.meta.epochDurable);
    pg.baseInstall(reply.base, reply.entries);
    this.state.log.info(
      `pg ${reply.pg}: installed a snapshot at base ${reply.base} (${reply.entries.length} page entries); SCL ${pg.scl}`,
    );
  }

  private async truncationsAdopt(reply: Reply): Promise<void> {
    if (reply.t !== 'gossip-records' && reply.t !== 'gossip-snapshot') return;
    for (const truncation of reply.truncations ?? []) {
      if (truncation.pg === reply.pg) await truncationApply(this.state, truncation);
    }
  }

  private peerSclNote(peerId: string, pgId: PgId, scl: Lsn): void {
    let scls = this.state.peerScls.get(peerId);
    if (scls === undefined) this.state.peerScls.set(peerId, (scls = this.state.pgs.map(() => -1)));
    scls[pgId] = scl;
  }

  private peerBest(pgId: PgId): number {
    let best = -1;
    let bestScl = -1;
    this.peers.forEach((peer, i) => {
      const scl = this.state.peerScls.get(peer.peerId)?.[pgId] ?? -1;
      if (scl > bestScl) [best, bestScl] = [i, scl];
    });
    return best;
  }
}
