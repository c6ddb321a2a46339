// The in-memory state of one PG on one storage node: the records it holds, the
// backlink chain that defines its SCL, the truncations it applies, and the key
// version index for reads. No I/O here; the node changes this state only for
// records that are already durable.

import { lsnZero, type Lsn, type PgId } from '../protocol/ids.js';
import type { LogRecord, Truncation } from '../protocol/storage-messages.js';
import { KeyIndex, upperBound } from './key-index.js';

export class PgState {
  /** Chain LSN up to which the state lives in cold pages; records at or below it are not held individually. */
  base = lsnZero;
  /** Highest LSN reachable from base through backlinks without a gap. */
  private sclChain = lsnZero;
  /** lose-hot-log-tail: the SCL the node had before a restart, still reported after forgetting records. */
  sclClaimed = lsnZero;
  readonly records = new Map<Lsn, LogRecord>();
  private lsnsSorted: Lsn[] = [];
  /** prev -> LSN of the record that follows it on the chain. */
  private readonly nextByPrev = new Map<Lsn, Lsn>();
  truncations: Truncation[] = [];
  readonly keys = new KeyIndex();

  constructor(readonly pg: PgId) {}

  /** The SCL this node reports (acks, health, gossip, read checks). */
  get scl(): Lsn {
    return this.sclChain >= this.sclClaimed ? this.sclChain : this.sclClaimed;
  }

  /** Whether a record received now would add anything. */
  accepts(record: LogRecord): boolean {
    return record.lsn > this.base && !this.records.has(record.lsn) && !this.annulled(record.lsn);
  }

  annulled(lsn: Lsn): boolean {
    for (const t of this.truncations) if (lsn > t.afterLsn && lsn <= t.uptoLsn) return true;
    return false;
  }

  /** Adds a durable record; returns false when it adds nothing (duplicate, annulled, coalesced). */
  insert(record: LogRecord): boolean {
    if (!this.accepts(record)) return false;
    this.records.set(record.lsn, record);
    const last = this.lsnsSorted[this.lsnsSorted.length - 1];
    if (last === undefined || record.lsn > last) this.lsnsSorted.push(record.lsn);
    else this.lsnsSorted.splice(upperBound(this.lsnsSorted, record.lsn), 0, record.lsn);
    this.keys.add(record);
    this.chainLink(record);
    return true;
  }

  /** Applies a truncation; idempotent. Returns how many held records it voided. */
  truncationApply(truncation: Truncation): number {
    const same = this.truncations.find((t) => t.afterLsn === truncation.afterLsn && t.uptoLsn === truncation.uptoLsn);
    if (same !== undefined) return 0;
    this.truncations = [...this.truncations, truncation];
    const from = upperBound(this.lsnsSorted, truncation.afterLsn);
    const to = upperBound(this.lsnsSorted, truncation.uptoLsn);
    const voided = this.lsnsSorted.slice(from, to);
    this.recordsDrop(voided);
    if (this.sclClaimed > truncation.afterLsn && this.sclClaimed <= truncation.uptoLsn)
      this.sclClaimed = truncation.afterLsn;
    return voided.length;
  }

  /** Forgets records found corrupt; the SCL drops below the first of them until gossip refills them. */
  recordsLose(lsns: readonly Lsn[]): void {
    this.recordsDrop(lsns.filter((lsn) => this.records.has(lsn)));
  }

  /** Held records above afterLsn in LSN order, at most `limit`. */
  recordsAbove(afterLsn: Lsn, limit: number): { records: LogRecord[]; more: boolean } {
    const from = upperBound(this.lsnsSorted, afterLsn);
    const lsns = this.lsnsSorted.slice(from, from + limit);
    return { records: lsns.map((lsn) => this.records.get(lsn)!), more: from + limit < this.lsnsSorted.length };
  }

  /** Held records with the given LSNs (gossip asking for specific ones). */
  recordsPick(lsns: readonly Lsn[]): LogRecord[] {
    return lsns.map((lsn) => this.records.get(lsn)).filter((r): r is LogRecord => r !== undefined);
  }

  /** Records are held above the SCL: the chain has a gap. */
  get gapExists(): boolean {
    const last = this.lsnsSorted[this.lsnsSorted.length - 1];
    return last !== undefined && last > this.scl;
  }

  /** The highest held chain LSN at or below `bound` (a valid coalescing base). */
  chainPointAtOrBelow(bound: Lsn): Lsn {
    if (bound >= this.sclChain) return this.sclChain;
    const at = upperBound(this.lsnsSorted, bound) - 1;
    for (let i = at; i >= 0; i--) {
      const lsn = this.lsnsSorted[i]!;
      if (lsn <= this.base) break;
      if (this.onChain(lsn)) return lsn;
    }
    return this.base;
  }

  /**
   * Moves the base up to a chain LSN: records at or below it leave memory (the
   * caller has made their page state durable first).
   */
  baseAdvance(newBase: Lsn): void {
    if (newBase <= this.base) return;
    this.recordsDropThrough(newBase);
    this.base = newBase;
    this.keys.pruneBelow(newBase);
    if (this.sclChain < newBase) this.sclChain = newBase;
    this.chainAdvance();
  }

  /** Sets the base and page state read from the cold log at start-up, before any record is inserted. */
  baseLoad(base: Lsn, entries: readonly LogRecord[]): void {
    this.base = base;
    this.sclChain = base;
    this.keys.pageLoad(entries);
  }

  /** Installs a peer's page state at a base above this node's SCL (snapshot transfer). */
  baseInstall(newBase: Lsn, entries: readonly LogRecord[]): void {
    this.keys.pageReplace(entries, newBase);
    this.recordsDropThrough(newBase);
    this.base = newBase;
    this.chainRecompute();
  }

  /** Forgets the records at or below lsn (they now live in the page state). */
  private recordsDropThrough(lsn: Lsn): void {
    const to = upperBound(this.lsnsSorted, lsn);
    for (const dropped of this.lsnsSorted.slice(0, to)) {
      const record = this.records.get(dropped)!;
      this.records.delete(dropped);
      if (this.nextByPrev.get(record.prev) === dropped) this.nextByPrev.delete(record.prev);
    }
    this.lsnsSorted = this.lsnsSorted.slice(to);
  }

  private onChain(lsn: Lsn): boolean {
    const record = this.records.get(lsn);
    return record !== undefined && lsn <= this.sclChain && this.nextByPrev.get(record.prev) === lsn;
  }

  private chainLink(record: LogRecord): void {
    const current = this.nextByPrev.get(record.prev);
    if (current === undefined) {
      this.nextByPrev.set(record.prev, record.lsn);
      this.chainAdvance();
      return;
    }
    // Two records claim the same predecessor: one belongs to a writer whose
    // records a truncation annulled (this node has not heard of it yet). The
    // later epoch is the surviving history.
    const other = this.records.get(current);
    if (other !== undefined && other.volumeEpoch >= record.volumeEpoch) return;
    this.nextByPrev.set(record.prev, record.lsn);
    this.chainRecompute();
  }

  private recordsDrop(lsns: readonly Lsn[]): void {
    if (lsns.length === 0) return;
    const gone = new Set(lsns);
    for (const lsn of lsns) {
      const record = this.records.get(lsn);
      if (record === undefined) continue;
      this.records.delete(lsn);
      this.keys.remove(record);
      if (this.nextByPrev.get(record.prev) === lsn) this.nextByPrev.delete(record.prev);
    }
    this.lsnsSorted = this.lsnsSorted.filter((lsn) => !gone.has(lsn));
    // A surviving record may now be the only one following a predecessor.
    for (const lsn of this.lsnsSorted) {
      const record = this.records.get(lsn)!;
      if (!this.nextByPrev.has(record.prev)) this.nextByPrev.set(record.prev, lsn);
    }
    this.chainRecompute();
  }

  private chainRecompute(): void {
    this.sclChain = this.base;
    this.chainAdvance();
  }

  private chainAdvance(): void {
    for (;;) {
      const next = this.nextByPrev.get(this.sclChain);
      if (next === undefined || !this.records.has(next)) return;
      this.sclChain = next;
    }
  }
}
