// The writer's single serialization point for one epoch: every operation is
// decided against the latest state of its key, gets the next LSN (bounded by
// VDL + allocationLimit), and is answered only once VDL covers it, in LSN
// order. Reads are served at the VDL read point. When the term ends (fenced,
// stopping) every waiting client gets an answer.

import type { Clock } from '../../core/clock.js';
import type { StoreValue } from '../protocol/client-messages.js';
import { epochOf, lsnAdd, type Epoch, type Lsn } from '../protocol/ids.js';
import type { Mutation, Query } from './client-ops.js';
import type { StoreErrorCode } from '../protocol/errors.js';
import { keyPg, type LogRecord } from '../protocol/storage-messages.js';
import type { DurabilityTracker } from './durability.js';
import { Fifo } from './fifo.js';
import { type Inflight, inflightDependentAdd, type InflightOutcome, type Respond } from './inflight.js';
import { entryApplyDurable, entryLatest, type KeyEntry, type KeyTable } from './key-table.js';
import { KeyLoader } from './key-loader.js';
import { allocationWaitersMax, inflightRecordsMax } from './limits.js';
import type { LogShipper } from './log-shipper.js';
import { ReadServer } from './read-server.js';
import { responseError, responseOk } from './responses.js';

/** Membership never changes in version 1: every record carries the first membership epoch. */
const membershipEpochFirst = epochOf(1);

export interface SequencerOptions {
  readonly epoch: Epoch;
  readonly pgCount: number;
  readonly allocationLimit: number;
  readonly backpressureTimeoutMs: number;
  readonly quorumTimeoutMs: number;
  /** The truncation bound of this term's recovery: new LSNs start above it. */
  readonly uptoLsn: Lsn;
  /** Each PG's chain tail: the backlink of its first record this term, and its first read point. */
  readonly pgTails: readonly Lsn[];
}

interface Waiter {
  readonly op: Mutation;
  readonly entry: KeyEntry;
  readonly respond: Respond;
  readonly deadlineMs: number;
}

export class Sequencer {
  private lsnNext: Lsn;
  private vdl: Lsn;
  private closedCode: 'fenced' | 'shutting-down' | null = null;
  private readonly pgPrev: Lsn[];
  /** Per PG, the LSN of its newest durable record: the PG's read point at VDL. */
  readonly pgReadPoint: Lsn[];
  private readonly inflight = new Fifo<Inflight>();
  private readonly waiters = new Fifo<Waiter>();
  private timeoutScannedLsn = 0;

  constructor(
    private readonly options: SequencerOptions,
    private readonly durability: DurabilityTracker,
    private readonly shipper: LogShipper,
    private readonly keys: KeyTable,
    private readonly loader: KeyLoader,
    private readonly reads: ReadServer,
    private readonly clock: Clock,
  ) {
    this.lsnNext = lsnAdd(options.uptoLsn, 1);
    this.vdl = durability.vcl();
    this.pgPrev = options.pgTails.slice();
    this.pgReadPoint = options.pgTails.slice();
  }

  get closed(): boolean {
    return this.closedCode !== null;
  }

  health(): { vdl: Lsn; vcl: Lsn; lsnNext: Lsn; epoch: Epoch } {
    return { vdl: this.vdl, vcl: this.durability.vcl(), lsnNext: this.lsnNext, epoch: this.options.epoch };
  }

  submit(request: Mutation | Query, respond: Respond): void {
    if (this.closedCode !== null) {
      respond(responseError(request.id, 'not-ready', 'this writer is no longer the primary'));
      return;
    }
    const pg = keyPg(request.key, this.options.pgCount);
    if (request.t === 'read' || request.t === 'read-list') this.reads.serve(request, pg, respond, this.pgReadPoint);
    else this.mutate(request, this.keys.entry(request.key, pg), respond);
  }

  private mutate(op: Mutation, entry: KeyEntry, respond: Respond): void {
    if (this.closedCode !== null) {
      respond(responseError(op.id, 'not-ready', 'this writer is no longer the primary'));
      return;
    }
    if (!entry.loaded) {
      this.loader.load(
        entry,
        this.pgReadPoint,
        () => this.mutate(op, entry, respond),
        (message) => respond(responseError(op.id, 'read-unavailable', message)),
      );
      return;
    }
    if (this.waiters.length === 0 && this.allocatable()) {
      this.decide(op, entry, respond);
      return;
    }
    if (this.waiters.length >= allocationWaitersMax) {
      respond(responseError(op.id, 'backpressure-timeout', `${allocationWaitersMax} requests already wait for an LSN`));
      return;
    }
    entry.holds++;
    this.waiters.push({ op, entry, respond, deadlineMs: this.clock.nowMs() + this.options.backpressureTimeoutMs });
  }

  /** No LSN above VDL (or this term's truncation bound) + allocationLimit, and a bounded number in memory. */
  private allocatable(): boolean {
    return (
      this.lsnNext <= Math.max(this.vdl, this.options.uptoLsn) + this.options.allocationLimit &&
      this.inflight.length < inflightRecordsMax
    );
  }

  /** Decides an operation against the key's latest state, at the moment it gets its LSN. */
  private decide(op: Mutation, entry: KeyEntry, respond: Respond): void {
    const latest = entryLatest(entry);
    const wantsList = op.t === 'append';
    if ((wantsList && latest.kind === 'register') || (!wantsList && latest.kind === 'list')) {
      this.failAfter(latest.inflight, respond, op.id, 'wrong-type', `key ${op.key} holds a ${latest.kind}`);
      return;
    }
    if (op.t === 'cas' && latest.value !== op.from) {
      this.failAfter(
        latest.inflight,
        respond,
        op.id,
        'cas-mismatch',
        `key ${op.key} holds ${JSON.stringify(latest.value)}`,
      );
      return;
    }
    const value: StoreValue = op.t === 'cas' ? op.to : op.value;
    this.allocate(entry, op.t === 'append' ? 'append' : 'put', value, op.id, respond);
  }

  /**
   * A definite failure reports the value it saw; when that value is still in
   * flight the answer waits until it is durable, or a crash could erase it.
   */
  private failAfter(
    seen: Inflight | null,
    respond: Respond,
    id: number,
    code: 'wrong-type' | 'cas-mismatch',
    message: string,
  ): void {
    if (seen === null) {
      this.reads.answerUnderLease(
        respond,
        responseError(id, code, message),
        responseError(id, 'quorum-timeout', 'the read lease could not be renewed'),
      );
      return;
    }
    if (seen.bornMs + this.options.quorumTimeoutMs <= this.clock.nowMs()) {
      // The value seen has already outlived the quorum timeout: no bounded wait remains.
      respond(
        responseError(id, 'quorum-timeout', `the value compared against (LSN ${seen.record.lsn}) is not durable yet`),
      );
      return;
    }
    inflightDependentAdd(seen, (outcome: InflightOutcome) => {
      if (outcome === 'durable') respond(responseError(id, code, message));
      else respond(responseError(id, outcome, `the value compared against did not become durable: ${outcome}`));
    });
  }

  private allocate(
    entry: KeyEntry,
    kind: 'put' | 'append',
    value: StoreValue,
    requestId: number,
    respond: Respond,
  ): void {
    const pg = entry.pg;
    const record: LogRecord = {
      lsn: this.lsnNext,
      pg,
      prev: this.pgPrev[pg]!,
      volumeEpoch: this.options.epoch,
      membershipEpoch: membershipEpochFirst,
      key: entry.key,
      kind,
      value,
      cpl: true,
    };
    this.lsnNext = lsnAdd(this.lsnNext, 1);
    this.pgPrev[pg] = record.lsn;
    const inflight: Inflight = { record, respond, requestId, bornMs: this.clock.nowMs(), dependents: null };
    entry.pending.push(inflight);
    this.inflight.push(inflight);
    this.shipper.add(record);
  }

  /** VCL moved: everything up to it is durable; answer it in LSN order and let waiters allocate. */
  vclAdvanced(): void {
    if (this.closedCode !== null) return;
    const vdl = this.durability.vcl();
    if (vdl <= this.vdl) return;
    this.vdl = vdl;
    for (
      let front = this.inflight.peek();
      front !== undefined && front.record.lsn <= vdl;
      front = this.inflight.peek()
    ) {
      this.inflight.shift();
      const record = front.record;
      const entry = this.keys.find(record.key);
      if (entry !== undefined) entryApplyDurable(entry, front);
      this.pgReadPoint[record.pg] = record.lsn;
      this.settle(front, 'durable');
    }
    while (this.waiters.length > 0 && this.allocatable()) {
      const waiter = this.waiters.shift()!;
      waiter.entry.holds--;
      this.decide(waiter.op, waiter.entry, waiter.respond);
    }
  }

  private settle(inflight: Inflight, outcome: InflightOutcome): void {
    const respond = inflight.respond;
    inflight.respond = null;
    if (respond !== null) {
      if (outcome === 'durable') respond(responseOk(inflight.requestId));
      else respond(responseError(inflight.requestId, outcome, outcomeMessage(outcome)));
    }
    const dependents = inflight.dependents;
    inflight.dependents = null;
    if (dependents !== null) for (const dependent of dependents) dependent(outcome);
  }

  /** Answers what waited too long: records without a write quorum, requests without an LSN. */
  timeoutsPass(): void {
    const now = this.clock.nowMs();
    const front = this.inflight.peek();
    if (front !== undefined) {
      let index = Math.max(0, this.timeoutScannedLsn + 1 - front.record.lsn);
      for (
        let item = this.inflight.at(index);
        item !== undefined && item.bornMs + this.options.quorumTimeoutMs <= now;
        item = this.inflight.at(++index)
      ) {
        // The record stays in flight and may still become durable; its client gets an indefinite answer now.
        this.settle(item, 'quorum-timeout');
        this.timeoutScannedLsn = item.record.lsn;
      }
    }
    for (
      let waiter = this.waiters.peek();
      waiter !== undefined && waiter.deadlineMs <= now;
      waiter = this.waiters.peek()
    ) {
      this.waiters.shift();
      waiter.entry.holds--;
      waiter.respond(
        responseError(
          waiter.op.id,
          'backpressure-timeout',
          `no LSN within ${this.options.backpressureTimeoutMs} ms: the allocation limit of ${this.options.allocationLimit} above VDL ${this.vdl} is reached`,
        ),
      );
    }
  }

  /** Ends the term: records in flight get an indefinite answer, queued requests a definite one. */
  close(code: 'fenced' | 'shutting-down'): void {
    if (this.closedCode !== null) return;
    this.closedCode = code;
    this.shipper.stop();
    for (const inflight of this.inflight.drain()) this.settle(inflight, code);
    for (const waiter of this.waiters.drain())
      waiter.respond(responseError(waiter.op.id, 'not-ready', `nothing was allocated: ${outcomeMessage(code)}`));
    this.reads.close();
  }
}

function outcomeMessage(outcome: StoreErrorCode): string {
  switch (outcome) {
    case 'quorum-timeout':
      return 'no write quorum acknowledged the record in time; it may still become durable';
    case 'fenced':
      return 'another writer took over; the record may or may not survive';
    case 'shutting-down':
      return 'the writer is stopping; the record may or may not survive';
    default:
      return outcome;
  }
}
