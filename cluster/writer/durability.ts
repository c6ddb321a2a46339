// The writer's durability points: every replica's SCL per PG (from acks), PGCL
// (the highest LSN a write quorum reports), and VCL, the highest LSN at or below
// which every record of every PG has reached write quorum. Every record is a
// consistency point in version 1, so VDL equals VCL.

import { assert } from '../../core/assert.js';
import { lsnAdd, lsnLater, lsnZero, type Lsn, type PgId } from '../protocol/ids.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { Fifo } from './fifo.js';

export class DurabilityTracker {
  /** Per PG, the records allocated and not yet covered by the PG's PGCL, in LSN order. */
  readonly pending: Fifo<LogRecord>[];
  /** When each pending record was allocated, in step with `pending`. */
  readonly pendingBornMs: Fifo<number>[];
  private readonly scls: Lsn[][];
  private readonly pgcls: Lsn[];
  private readonly scratch: Lsn[];
  private lsnLast = lsnZero;
  private vclCached = lsnZero;

  /** `quorum`: how many replicas must report an LSN in their SCL before it counts. */
  constructor(
    readonly pgCount: number,
    readonly nodeCount: number,
    private readonly quorum: number,
  ) {
    assert(quorum >= 1 && quorum <= nodeCount, `quorum ${quorum} must be within 1..${nodeCount}`);
    this.pending = Array.from({ length: pgCount }, () => new Fifo<LogRecord>());
    this.pendingBornMs = Array.from({ length: pgCount }, () => new Fifo<number>());
    this.scls = Array.from({ length: pgCount }, () => new Array<Lsn>(nodeCount).fill(lsnZero));
    this.pgcls = new Array<Lsn>(pgCount).fill(lsnZero);
    this.scratch = new Array<Lsn>(nodeCount).fill(lsnZero);
  }

  /** Starts a term: every record at or below the PG tails is durable; nothing is pending. */
  reset(pgTails: readonly Lsn[], replicaScls: readonly (readonly Lsn[])[]): void {
    const tailMax = pgTails.reduce(lsnLater, lsnZero);
    for (let pg = 0; pg < this.pgCount; pg++) {
      this.pending[pg]!.drain();
      this.pendingBornMs[pg]!.drain();
      this.scls[pg] = replicaScls[pg]!.slice();
      this.pgcls[pg] = pgTails[pg]!;
    }
    this.lsnLast = tailMax;
    this.vclCached = tailMax;
  }

  vcl(): Lsn {
    return this.vclCached;
  }

  pgcl(pg: PgId): Lsn {
    return this.pgcls[pg]!;
  }

  scl(pg: PgId, node: number): Lsn {
    return this.scls[pg]![node]!;
  }

  recordAdd(record: LogRecord, bornMs: number): void {
    assert(record.lsn > this.lsnLast, `LSN ${record.lsn} allocated at or below ${this.lsnLast}`);
    this.lsnLast = record.lsn;
    this.pending[record.pg]!.push(record);
    this.pendingBornMs[record.pg]!.push(bornMs);
  }

  /** Records a replica's SCL; returns true when VCL advanced. */
  sclReport(pg: PgId, node: number, scl: Lsn): boolean {
    const row = this.scls[pg]!;
    // A replica's SCL can drop (a corrupt block found by scrub); durability already granted stays.
    row[node] = scl;
    const quorumScl = this.kthHighest(row, this.quorum);
    if (quorumScl <= this.pgcls[pg]!) return false;
    this.pgcls[pg] = quorumScl;
    const pending = this.pending[pg]!;
    let popped = false;
    while (pending.length > 0 && pending.peek()!.lsn <= quorumScl) {
      pending.shift();
      this.pendingBornMs[pg]!.shift();
      popped = true;
    }
    if (!popped) return false;
    const before = this.vclCached;
    this.vclRecompute();
    return this.vclCached > before;
  }

  private vclRecompute(): void {
    let vcl = this.lsnLast;
    for (const fifo of this.pending) {
      const first = fifo.peek();
      if (first !== undefined && first.lsn - 1 < vcl) vcl = lsnAdd(first.lsn, -1);
    }
    if (vcl > this.vclCached) this.vclCached = vcl;
  }

  private kthHighest(values: readonly Lsn[], k: number): Lsn {
    const scratch = this.scratch;
    for (let i = 0; i < values.length; i++) scratch[i] = values[i]!;
    scratch.sort((a, b) => b - a);
    return scratch[k - 1]!;
  }
}
