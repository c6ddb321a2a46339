// Ships redo records to storage: per PG, records accumulate into a batch that
// goes out at once when a pipe slot is free (so a lone client waits for
// nothing) and otherwise grows up to batchRecordsMax; each batch is one frame
// sent to every replica, several batches in flight. Acks feed the durability
// tracker; replicas that fall behind get the missing records again.

import type { Clock } from '../../core/clock.js';
import type { Logger } from '../log.js';
import { frameEncodeBinary } from '../protocol/frame.js';
import type { LogRecord, StorageReply } from '../protocol/storage-messages.js';
import type { DurabilityTracker } from './durability.js';
import { batchesInFlightMax, resendBatchesPerPassMax, resendIntervalMs, storageRequestTimeoutMs } from './limits.js';
import type { LinkResult, RidCounter, StorageLink } from './storage-link.js';
import { pgIdsAll, type Epoch, type Lsn, type PgId } from '../protocol/ids.js';

export interface ShipperEvents {
  /** VCL moved: acknowledge what it covers. */
  readonly vclAdvanced: () => void;
  /** A replica holds a newer epoch: this writer is fenced. */
  readonly fenced: (epoch: Epoch, nodeId: string) => void;
  /** A replica accepted a request sent at `sentMs` under our epoch (lease renewal). */
  readonly accepted: (link: StorageLink, sentMs: number) => void;
}

export interface ShipperOptions {
  readonly writerId: string;
  readonly epoch: Epoch;
  readonly batchRecordsMax: number;
  /** Replicas whose ack frees a batch slot (the write quorum). */
  readonly quorum: number;
}

export class LogShipper {
  private readonly open: LogRecord[][];
  private readonly slotsBusy: number[];
  private readonly resentMs: number[][];
  private flushScheduled = false;
  private stopped = false;

  constructor(
    private readonly links: readonly StorageLink[],
    private readonly durability: DurabilityTracker,
    private readonly rids: RidCounter,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: ShipperOptions,
    private readonly events: ShipperEvents,
  ) {
    const pgs = durability.pgCount;
    this.open = Array.from({ length: pgs }, () => []);
    this.slotsBusy = new Array<number>(pgs).fill(0);
    this.resentMs = Array.from({ length: pgs }, () => new Array<number>(links.length).fill(-Infinity));
  }

  add(record: LogRecord): void {
    this.durability.recordAdd(record, this.clock.nowMs());
    this.open[record.pg]!.push(record);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // One turn of the event loop lets records that arrive together share a batch.
      setImmediate(() => this.flush());
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** Sends batches while slots are free. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.stopped) return;
    for (const pg of pgIdsAll(this.open.length)) {
      while (this.open[pg]!.length > 0 && this.slotsBusy[pg]! < batchesInFlightMax) {
        const pending = this.open[pg]!;
        const batch =
          pending.length <= this.options.batchRecordsMax ? pending : pending.splice(0, this.options.batchRecordsMax);
        if (batch === pending) this.open[pg] = [];
        this.batchSend(pg, batch);
      }
    }
  }

  private batchSend(pg: PgId, records: readonly LogRecord[]): void {
    const rid = this.rids.next();
    const frame = frameEncodeBinary({
      t: 'append',
      rid,
      writerId: this.options.writerId,
      epoch: this.options.epoch,
      pg,
      records,
    });
    const sentMs = this.clock.nowMs();
    let answered = 0;
    let acks = 0;
    let slotHeld = true;
    this.slotsBusy[pg]!++;
    const release = (): void => {
      if (!slotHeld) return;
      slotHeld = false;
      this.slotsBusy[pg]!--;
      if (this.open[pg]!.length > 0 && !this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    };
    for (const link of this.links) {
      const done = (result: LinkResult): void => {
        answered++;
        if (this.replyHandle(pg, link, sentMs, result)) acks++;
        if (acks >= this.options.quorum || answered === this.links.length) release();
      };
      if (!link.admitted || !link.sendFrame(rid, frame, storageRequestTimeoutMs, done)) answered++;
    }
    if (answered === this.links.length) release();
  }

  /** Applies one replica's answer to an append; true when it acknowledged. */
  private replyHandle(pg: PgId, link: StorageLink, sentMs: number, result: LinkResult): boolean {
    if (this.stopped || !result.ok) return false;
    const reply = result.reply;
    if (reply.t === 'ack') {
      this.events.accepted(link, sentMs);
      if (reply.scl !== undefined) this.sclUpdate(reply.pg ?? pg, link.index, reply.scl);
      return true;
    }
    this.rejectHandle(link, reply);
    return false;
  }

  /** Records a replica's SCL from any reply (appends, heartbeats, repair). */
  sclUpdate(pg: PgId, node: number, scl: Lsn): void {
    if (pg >= this.open.length) return;
    if (this.durability.sclReport(pg, node, scl)) this.events.vclAdvanced();
  }

  rejectHandle(link: StorageLink, reply: StorageReply): void {
    if (reply.t !== 'reject') {
      this.log.warn(`storage node ${link.nodeId} answered an append with ${reply.t}`);
      return;
    }
    if (reply.code === 'stale-epoch' && reply.epoch > this.options.epoch) {
      this.events.fenced(reply.epoch, link.nodeId);
      return;
    }
    this.log.debug(`storage node ${link.nodeId} refused records: ${reply.code}: ${reply.message}`);
  }

  /**
   * Sends the records a replica lacks once the oldest of them has waited
   * resendIntervalMs (a lost batch, a reconnect). Only records above PGCL are
   * still held here; a replica missing older ones gets them by gossip.
   */
  resendPass(): void {
    if (this.stopped) return;
    const now = this.clock.nowMs();
    for (const pg of pgIdsAll(this.open.length)) {
      const pending = this.durability.pending[pg]!;
      const last = pending.back();
      if (last === undefined) continue;
      for (const link of this.links) {
        const scl = this.durability.scl(pg, link.index);
        if (!link.admitted || scl >= last.lsn || scl < this.durability.pgcl(pg)) continue;
        if (now - this.resentMs[pg]![link.index]! < resendIntervalMs) continue;
        const first = pending.firstIndexWhere((record) => record.lsn > scl);
        if (this.durability.pendingBornMs[pg]!.at(first)! + resendIntervalMs > now) continue;
        this.resentMs[pg]![link.index] = now;
        this.resendTo(pg, link, first);
      }
    }
  }

  private resendTo(pg: PgId, link: StorageLink, from: number): void {
    const pending = this.durability.pending[pg]!;
    let index = from;
    for (let sent = 0; sent < resendBatchesPerPassMax && index < pending.length; sent++) {
      const records: LogRecord[] = [];
      while (records.length < this.options.batchRecordsMax && index < pending.length)
        records.push(pending.at(index++)!);
      const rid = this.rids.next();
      const frame = frameEncodeBinary({
        t: 'append',
        rid,
        writerId: this.options.writerId,
        epoch: this.options.epoch,
        pg,
        records,
      });
      const sentMs = this.clock.nowMs();
      link.sendFrame(rid, frame, storageRequestTimeoutMs, (result) => this.replyHandle(pg, link, sentMs, result));
    }
  }
}
