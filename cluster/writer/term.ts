// One epoch of a writer as the primary: the pieces that serve clients
// (sequencer, shipper, reads, lease) built from what recovery found, the
// timers that drive timeouts, resends and heartbeats, and the handshake that
// brings each storage connection up to date before records flow on it.

import type { Clock } from '../../core/clock.js';
import { bugOn, type ClusterConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { WriterHealth } from '../protocol/client-messages.js';
import type { KeyOp } from './client-ops.js';
import { DurabilityTracker } from './durability.js';
import { gather } from './gather.js';
import type { Respond } from './inflight.js';
import { KeyLoader } from './key-loader.js';
import { KeyTable } from './key-table.js';
import {
  heartbeatIntervalMs,
  housekeepingIntervalMs,
  recoveryStepTimeoutMs,
  storageRequestTimeoutMs,
} from './limits.js';
import { LogShipper } from './log-shipper.js';
import { ReadLease } from './read-lease.js';
import { ReadServer } from './read-server.js';
import type { ReadTuning } from './read-tuning.js';
import { pgSclRead } from './recovery-io.js';
import type { RecoveryOutcome } from './recovery.js';
import { Sequencer } from './sequencer.js';
import type { RidCounter, StorageLink } from './storage-link.js';
import { StorageReader } from './storage-reader.js';
import type { Epoch } from '../protocol/ids.js';

export interface TermContext {
  readonly links: readonly StorageLink[];
  readonly rids: RidCounter;
  readonly cluster: ClusterConfig;
  readonly writerId: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** The writer's read controls (they outlive the term). */
  readonly readTuning: ReadTuning;
  /** A storage node holds a newer epoch: the writer must step down. */
  readonly fenced: (epoch: Epoch, nodeId: string) => void;
}

export type Recovered = Extract<RecoveryOutcome, { t: 'open' }>;

export class Term {
  readonly epoch: Epoch;
  private readonly durability: DurabilityTracker;
  private readonly shipper: LogShipper;
  private readonly lease: ReadLease;
  private readonly reads: ReadServer;
  private readonly sequencer: Sequencer;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly heartbeatBusy: boolean[];
  private closed = false;

  constructor(
    private readonly ctx: TermContext,
    private readonly recovered: Recovered,
  ) {
    const { geometry, writer } = ctx.cluster;
    this.epoch = recovered.epoch;
    const ackQuorum = bugOn(ctx.cluster, 'ack-before-quorum') ? geometry.writeQuorum - 1 : geometry.writeQuorum;
    this.durability = new DurabilityTracker(geometry.pgCount, ctx.links.length, ackQuorum);
    this.durability.reset(
      recovered.pgs.map((pg) => pg.tail),
      recovered.replicaScls,
    );
    this.lease = new ReadLease(ctx.links.length, geometry.readQuorum);
    const reader = new StorageReader(ctx.links, this.durability, ctx.clock, ctx.readTuning, {
      hedgeAfterMs: writer.hedgeAfterMs,
      timeoutMs: writer.quorumTimeoutMs,
      staleReads: bugOn(ctx.cluster, 'stale-storage-read'),
    });
    const keys = new KeyTable(geometry.pgCount);
    for (const pg of recovered.pgs) {
      // A chain that reaches back to the PG's first record is its whole history (nothing coalesced away).
      const first = pg.records[0];
      if (pg.tail === 0 || (first !== undefined && first.prev === 0)) keys.pgBuild(pg.pg, pg.records);
    }
    const loader = new KeyLoader(reader);
    this.reads = new ReadServer(keys, loader, reader, this.lease, ctx.clock, ctx.readTuning, {
      cacheEnabled: writer.cacheEnabled,
      readUncommitted: bugOn(ctx.cluster, 'read-uncommitted'),
      leaseWaitMs: writer.quorumTimeoutMs,
    });
    this.shipper = new LogShipper(
      ctx.links,
      this.durability,
      ctx.rids,
      ctx.clock,
      ctx.log,
      {
        writerId: ctx.writerId,
        epoch: this.epoch,
        batchRecordsMax: writer.batchRecordsMax,
        quorum: geometry.writeQuorum,
      },
      {
        vclAdvanced: () => this.sequencer.vclAdvanced(),
        fenced: (epoch, nodeId) => this.fencedBy(epoch, nodeId),
        accepted: (link, sentMs) => this.accepted(link, sentMs),
      },
    );
    const pgTails = recovered.pgs.map((pg) => pg.tail);
    this.sequencer = new Sequencer(
      {
        epoch: this.epoch,
        pgCount: geometry.pgCount,
        allocationLimit: writer.allocationLimit,
        backpressureTimeoutMs: writer.backpressureTimeoutMs,
        quorumTimeoutMs: writer.quorumTimeoutMs,
        uptoLsn: recovered.uptoLsn,
        pgTails,
      },
      this.durability,
      this.shipper,
      keys,
      loader,
      this.reads,
      ctx.clock,
    );
    this.heartbeatBusy = ctx.links.map(() => false);
  }

  /** Brings every connected storage node up to date; resolves once a write quorum is, or after a bound. */
  async start(): Promise<void> {
    for (const link of this.ctx.links) link.admitted = false;
    this.timers.push(setInterval(() => this.housekeeping(), housekeepingIntervalMs));
    this.timers.push(setInterval(() => this.heartbeat(), heartbeatIntervalMs));
    const handshakes = this.ctx.links.filter((link) => link.connected).map((link) => this.handshake(link));
    await gather(
      handshakes,
      () => this.ctx.links.filter((link) => link.admitted).length >= this.ctx.cluster.geometry.writeQuorum,
    );
    this.heartbeat();
  }

  /** A storage connection came (back) up during the term. */
  linkConnected(link: StorageLink): void {
    if (!this.closed) void this.handshake(link);
  }

  submit(request: KeyOp, respond: Respond): void {
    this.sequencer.submit(request, respond);
  }

  health(): WriterHealth {
    return { role: 'writer', ready: !this.closed, ...this.sequencer.health() };
  }

  close(code: 'fenced' | 'shutting-down'): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const link of this.ctx.links) link.admitted = false;
    this.sequencer.close(code);
  }

  /**
   * Our epoch (again: a node that missed the claim adopts it), then every
   * truncation of every PG, in order on this connection, before any record.
   */
  private async handshake(link: StorageLink): Promise<void> {
    const claim = await link.request(
      { t: 'epoch-claim', writerId: this.ctx.writerId, epoch: this.epoch },
      recoveryStepTimeoutMs,
    );
    if (this.closed || !claim.ok) return;
    if (claim.reply.t === 'reject') {
      if (claim.reply.code === 'stale-epoch' && claim.reply.epoch > this.epoch)
        this.fencedBy(claim.reply.epoch, link.nodeId);
      else
        this.ctx.log.warn(`storage node ${link.nodeId} refused our epoch: ${claim.reply.code}: ${claim.reply.message}`);
      return;
    }
    for (const pg of this.recovered.pgs) {
      for (const truncation of pg.truncations) {
        const result = await link.request(
          { t: 'truncate', writerId: this.ctx.writerId, epoch: this.epoch, truncation },
          recoveryStepTimeoutMs,
        );
        if (this.closed || !result.ok) return;
        if (result.reply.t !== 'ack') {
          this.ctx.log.warn(
            `storage node ${link.nodeId} refused truncation ${JSON.stringify(truncation)}: ${JSON.stringify(result.reply)}`,
          );
          return;
        }
      }
    }
    if (!link.connected) return;
    link.admitted = true;
    this.ctx.log.info(`storage node ${link.nodeId} is up to date with epoch ${this.epoch}`);
  }

  private housekeeping(): void {
    this.sequencer.timeoutsPass();
    this.reads.expirePass();
    this.shipper.resendPass();
  }

  /** Renews the lease and refreshes SCLs through replicas that accepted nothing of ours lately. */
  private heartbeat(): void {
    const now = this.ctx.clock.nowMs();
    for (const link of this.ctx.links) {
      if (
        !link.admitted ||
        this.heartbeatBusy[link.index] ||
        now - this.lease.acceptedLastMs(link.index) < heartbeatIntervalMs / 2
      )
        continue;
      this.heartbeatBusy[link.index] = true;
      void this.heartbeatSend(link, now).finally(() => {
        this.heartbeatBusy[link.index] = false;
      });
    }
  }

  private async heartbeatSend(link: StorageLink, sentMs: number): Promise<void> {
    const afterLsn = this.health().lsnNext;
    for (const pg of this.recovered.pgs) {
      const answer = await pgSclRead(link, this.ctx.writerId, this.epoch, pg.pg, afterLsn, storageRequestTimeoutMs);
      if (this.closed) return;
      if (answer.t === 'fenced') return this.fencedBy(answer.epoch, link.nodeId);
      if (answer.t !== 'ok') return;
      this.shipper.sclUpdate(pg.pg, link.index, answer.scl);
    }
    this.accepted(link, sentMs);
  }

  private accepted(link: StorageLink, sentMs: number): void {
    this.lease.accepted(link.index, sentMs);
    this.reads.leaseRenewed();
  }

  private fencedBy(epoch: Epoch, nodeId: string): void {
    if (this.closed) return;
    this.ctx.log.warn(
      `fenced: storage node ${nodeId} holds epoch ${epoch}, newer than ours (${this.epoch}); stepping down`,
    );
    this.close('fenced');
    this.ctx.fenced(epoch, nodeId);
  }
}
