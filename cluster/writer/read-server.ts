// Serving reads at the read point VDL: from the writer's versioned key state
// when the cache is on, from one storage node when it is off or while a tuned
// storage-reads window is open (read-tuning.ts). Every answer
// that reports a value (reads, and definite failures that saw a value) goes
// out only under a valid read lease, so a writer that lost its epoch stops
// answering before a newer writer can acknowledge anything.

import type { Clock } from '../../core/clock.js';
import type { ClientResponse, StoreValue } from '../protocol/client-messages.js';
import { Fifo } from './fifo.js';
import type { Respond } from './inflight.js';
import type { KeyLoader } from './key-loader.js';
import { entryLatest, entryLatestList, type KeyEntry, type KeyKind, type KeyTable } from './key-table.js';
import type { ReadLease } from './read-lease.js';
import type { ReadTuning } from './read-tuning.js';
import { responseError, responseOk } from './responses.js';
import type { Query } from './client-ops.js';
import type { StorageReader } from './storage-reader.js';
import type { Lsn, PgId } from '../protocol/ids.js';

export interface ReadServerOptions {
  readonly cacheEnabled: boolean;
  /** The read-uncommitted bug: answer from the latest state, above VDL. */
  readonly readUncommitted: boolean;
  /** Bound on waiting for the lease to be renewed. */
  readonly leaseWaitMs: number;
}

interface LeaseWaiter {
  readonly respond: Respond;
  readonly response: ClientResponse;
  readonly fallback: ClientResponse;
  readonly deadlineMs: number;
}

/** Bound on answers waiting for the lease. */
const leaseWaitersMax = 20_000;

export class ReadServer {
  private readonly leaseWaiters = new Fifo<LeaseWaiter>();
  private closed = false;

  constructor(
    private readonly keys: KeyTable,
    private readonly loader: KeyLoader,
    private readonly reader: StorageReader,
    private readonly lease: ReadLease,
    private readonly clock: Clock,
    private readonly tuning: ReadTuning,
    private readonly options: ReadServerOptions,
  ) {}

  serve(request: Query, pg: PgId, respond: Respond, pgReadPoint: readonly Lsn[]): void {
    const unavailable = (message: string): void => respond(responseError(request.id, 'read-unavailable', message));
    const fromCache = this.options.cacheEnabled && !this.tuning.storageReadsNow();
    if (fromCache || this.options.readUncommitted) {
      const entry = this.keys.entry(request.key, pg);
      if (!entry.loaded) {
        this.loader.load(entry, pgReadPoint, () => this.serve(request, pg, respond, pgReadPoint), unavailable);
        return;
      }
      const view = this.options.readUncommitted
        ? latestView(entry)
        : { kind: entry.kind, value: entry.value, list: entry.list };
      this.answerUnderLease(
        respond,
        readAnswer(request, view),
        responseError(request.id, 'read-unavailable', 'the read lease could not be renewed'),
      );
      return;
    }
    void this.reader.read(pg, request.key, pgReadPoint[pg]!).then((outcome) => {
      if (!outcome.ok) return unavailable(outcome.reason);
      this.answerUnderLease(
        respond,
        readAnswer(request, outcome),
        responseError(request.id, 'read-unavailable', 'the read lease could not be renewed'),
      );
    });
  }

  /** Sends `response` while the lease holds; waits (bounded) for a renewal, then sends `fallback`. */
  answerUnderLease(respond: Respond, response: ClientResponse, fallback: ClientResponse): void {
    if (this.closed) {
      respond(responseError(response.id, 'not-ready', 'this writer is no longer the primary'));
      return;
    }
    const now = this.clock.nowMs();
    if (this.leaseWaiters.length === 0 && this.lease.valid(now)) {
      respond(response);
      return;
    }
    if (this.leaseWaiters.length >= leaseWaitersMax) {
      respond(fallback);
      return;
    }
    this.leaseWaiters.push({ respond, response, fallback, deadlineMs: now + this.options.leaseWaitMs });
  }

  /** A storage node accepted a request of ours: answers waiting for the lease may go. */
  leaseRenewed(): void {
    if (this.leaseWaiters.length === 0 || !this.lease.valid(this.clock.nowMs())) return;
    for (const waiter of this.leaseWaiters.drain()) waiter.respond(waiter.response);
  }

  expirePass(): void {
    const now = this.clock.nowMs();
    for (
      let waiter = this.leaseWaiters.peek();
      waiter !== undefined && waiter.deadlineMs <= now;
      waiter = this.leaseWaiters.peek()
    ) {
      this.leaseWaiters.shift();
      waiter.respond(waiter.fallback);
    }
  }

  close(): void {
    this.closed = true;
    this.loader.close();
    for (const waiter of this.leaseWaiters.drain())
      waiter.respond(responseError(waiter.response.id, 'not-ready', 'this writer is no longer the primary'));
  }
}

interface KeyView {
  readonly kind: KeyKind;
  readonly value: StoreValue | null;
  readonly list: readonly StoreValue[];
}

function latestView(entry: KeyEntry): KeyView {
  const latest = entryLatest(entry);
  return { kind: latest.kind, value: latest.value, list: latest.kind === 'list' ? entryLatestList(entry) : [] };
}

function readAnswer(request: Query, view: KeyView): ClientResponse {
  if (request.t === 'read') {
    if (view.kind === 'list') return responseError(request.id, 'wrong-type', `key ${request.key} holds a list`);
    return responseOk(request.id, view.kind === 'register' ? view.value : null);
  }
  if (view.kind === 'register') return responseError(request.id, 'wrong-type', `key ${request.key} holds a register`);
  // The durable list grows in place as records become durable, so the answer carries a copy.
  return responseOk(request.id, view.kind === 'list' ? view.list.slice() : []);
}
