// Reads from storage: one node whose last reported SCL for the PG covers the
// read point (never a quorum read), the fastest first by tracked latency (or
// each in turn, when tuned to spread reads round-robin), a hedge to a second
// node when the first is slow, retries on refusal, and a definite failure when
// no node can serve within the timeout.

import { randomInt } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { StoreValue } from '../protocol/client-messages.js';
import type { DurabilityTracker } from './durability.js';
import type { KeyKind } from './key-table.js';
import { storageReadAttemptsMax, storageReadRetryMs } from './limits.js';
import type { ReadTuning } from './read-tuning.js';
import type { StorageLink } from './storage-link.js';
import type { Lsn, PgId } from '../protocol/ids.js';

export type ReadOutcome =
  | {
      readonly ok: true;
      readonly kind: KeyKind;
      readonly value: StoreValue | null;
      readonly list: readonly StoreValue[];
    }
  | { readonly ok: false; readonly reason: string };

export interface StorageReaderOptions {
  readonly hedgeAfterMs: number;
  readonly timeoutMs: number;
  /** The stale-storage-read bug: any node, asked at its own SCL when that is lower. */
  readonly staleReads: boolean;
}

export class StorageReader {
  /** Round-robin: the link index to look at first. */
  private turn = 0;

  constructor(
    private readonly links: readonly StorageLink[],
    private readonly durability: DurabilityTracker,
    private readonly clock: Clock,
    private readonly tuning: ReadTuning,
    private readonly options: StorageReaderOptions,
  ) {}

  read(pg: PgId, key: string, readPoint: Lsn): Promise<ReadOutcome> {
    return new Promise((resolve) => new ReadAttempt(this, pg, key, readPoint, resolve).next());
  }

  /** The best untried node for this read, or null. */
  choose(pg: PgId, readPoint: Lsn, tried: ReadonlySet<number>): StorageLink | null {
    if (this.tuning.spread === 'round-robin') return this.chooseInTurn(pg, readPoint, tried);
    if (this.options.staleReads) {
      const any = this.links.filter((link) => link.admitted && !tried.has(link.index));
      return any.length === 0 ? null : any[randomInt(any.length)]!;
    }
    let best: StorageLink | null = null;
    for (const link of this.links) {
      if (!link.admitted || tried.has(link.index)) continue;
      if (this.durability.scl(pg, link.index) < readPoint) continue;
      if (best === null || link.latencyMsEwma < best.latencyMsEwma) best = link;
    }
    return best;
  }

  /** The next eligible node after the last one chosen; eligibility is the usual rule (the bug's, with the bug on). */
  private chooseInTurn(pg: PgId, readPoint: Lsn, tried: ReadonlySet<number>): StorageLink | null {
    for (let i = 0; i < this.links.length; i++) {
      const link = this.links[(this.turn + i) % this.links.length]!;
      if (!link.admitted || tried.has(link.index)) continue;
      if (!this.options.staleReads && this.durability.scl(pg, link.index) < readPoint) continue;
      this.turn = (link.index + 1) % this.links.length;
      return link;
    }
    return null;
  }

  /** The read point to send: the bug asks a lagging node at its own SCL so that it serves an old version. */
  readPointFor(pg: PgId, link: StorageLink, readPoint: Lsn): Lsn {
    const scl = this.durability.scl(pg, link.index);
    return this.options.staleReads && scl < readPoint ? scl : readPoint;
  }

  get hedgeAfterMs(): number {
    return this.options.hedgeAfterMs;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  nowMs(): number {
    return this.clock.nowMs();
  }
}

/** One read in progress: its tries, its hedge timer and its deadline. */
class ReadAttempt {
  private readonly tried = new Set<number>();
  private readonly deadlineMs: number;
  private attempts = 0;
  private outstanding = 0;
  private settled = false;
  private hedgeTimer: NodeJS.Timeout | null = null;
  private lastReason = 'no storage node has reported an SCL at the read point';

  constructor(
    private readonly reader: StorageReader,
    private readonly pg: PgId,
    private readonly key: string,
    private readonly readPoint: Lsn,
    private readonly resolve: (outcome: ReadOutcome) => void,
  ) {
    this.deadlineMs = reader.nowMs() + reader.timeoutMs;
  }

  next(): void {
    if (this.settled) return;
    if (this.attempts >= storageReadAttemptsMax || this.reader.nowMs() >= this.deadlineMs) {
      this.finish({
        ok: false,
        reason: `no storage node served ${this.key} at read point ${this.readPoint}: ${this.lastReason}`,
      });
      return;
    }
    const link = this.reader.choose(this.pg, this.readPoint, this.tried);
    if (link === null) {
      // Every eligible node has been tried (or none is eligible yet): wait for SCLs to be refreshed, then try all again.
      if (this.outstanding === 0) this.retryLater();
      return;
    }
    this.attempts++;
    this.tried.add(link.index);
    this.outstanding++;
    const readPoint = this.reader.readPointFor(this.pg, link, this.readPoint);
    const remainingMs = Math.max(1, this.deadlineMs - this.reader.nowMs());
    void link.request({ t: 'read', pg: this.pg, key: this.key, readPoint }, remainingMs).then((result) => {
      this.outstanding--;
      if (this.settled) return;
      if (result.ok && result.reply.t === 'read-result') {
        this.finish({ ok: true, kind: result.reply.kind, value: result.reply.value, list: result.reply.list });
        return;
      }
      this.lastReason = result.ok
        ? `${link.nodeId} answered ${result.reply.t === 'reject' ? result.reply.code : result.reply.t}`
        : result.reason;
      this.next();
    });
    if (this.hedgeTimer === null) {
      this.hedgeTimer = setTimeout(() => {
        this.hedgeTimer = null;
        if (this.outstanding > 0) this.next();
      }, this.reader.hedgeAfterMs);
    }
  }

  private retryLater(): void {
    this.tried.clear();
    setTimeout(() => this.next(), storageReadRetryMs);
  }

  private finish(outcome: ReadOutcome): void {
    this.settled = true;
    if (this.hedgeTimer) clearTimeout(this.hedgeTimer);
    this.resolve(outcome);
  }
}
