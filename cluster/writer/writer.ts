// The writer process's roles: a standby answers health and refuses client
// operations; on start (w0) or on a promote request it recovers and becomes
// the primary for a new epoch; when fenced by a newer writer it steps down to
// standby again. Client requests are routed here from the client server. A
// `tune` is answered in every role: its settings are the writer's and hold in
// whatever term it opens later.

import { randomInt } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { bugOn } from '../config.js';
import { recordKeyValueBytesMaxFor } from '../disk/record-codec.js';
import type { Logger } from '../log.js';
import type { ClientRequest, WriterHealth } from '../protocol/client-messages.js';
import type { NodeConfig } from '../topology.js';
import type { Respond } from './inflight.js';
import { leaseMs, recoveryAttemptsMax, recoveryBackoffMsMax } from './limits.js';
import { ReadTuning } from './read-tuning.js';
import { recoveryRun, type RecoveryContext } from './recovery.js';
import { responseError, responseOk } from './responses.js';
import { RidCounter, StorageLink } from './storage-link.js';
import { type Recovered, Term } from './term.js';
import { epochLater, epochZero, lsnZero, type Epoch } from '../protocol/ids.js';

export type WriterRole = WriterHealth['role'];

export class Writer {
  private role: WriterRole = 'standby';
  private term: Term | null = null;
  private epochSeen = epochZero;
  private recovering: Promise<void> | null = null;
  private stopped = false;
  readonly links: readonly StorageLink[];
  readonly keyValueBytesMax: number;
  private readonly rids = new RidCounter();
  private readonly readTuning: ReadTuning;

  constructor(
    private readonly config: NodeConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    const storage = config.peers.filter((peer) => peer.role === 'storage').sort((a, b) => (a.id < b.id ? -1 : 1));
    this.links = storage.map(
      (peer, index) =>
        new StorageLink(peer.id, index, peer.dial, this.rids, clock, log, (link) => this.term?.linkConnected(link)),
    );
    this.keyValueBytesMax = recordKeyValueBytesMaxFor(config.cluster.storage.blockBytes);
    this.readTuning = new ReadTuning(clock);
  }

  /** Dials storage; the primary (w0) recovers at once, standbys wait to be promoted. */
  start(): void {
    for (const link of this.links) link.start();
    const bugs = this.config.cluster.bugs;
    this.log.info(
      `writer starting with ${this.links.length} storage nodes${bugs.length > 0 ? `, bugs on: ${bugs.join(', ')}` : ''}`,
    );
    if (this.config.node.id === 'w0') void this.promote();
    else this.log.info('standing by until promoted');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.term?.close('shutting-down');
    for (const link of this.links) link.stop();
    await Promise.resolve();
  }

  health(): WriterHealth {
    if (this.term !== null && this.role === 'writer') return this.term.health();
    return {
      role: this.role,
      ready: false,
      epoch: this.epochSeen,
      vdl: lsnZero,
      vcl: lsnZero,
      lsnNext: lsnZero,
    };
  }

  handle(request: ClientRequest, respond: Respond): void {
    switch (request.t) {
      case 'health':
        respond(responseOk(request.id, this.health()));
        return;
      case 'tune': {
        const settings = this.readTuning.apply(request);
        this.log.info(`read tuning: ${JSON.stringify(request)} -> ${JSON.stringify(settings)}`);
        respond(responseOk(request.id, settings));
        return;
      }
      case 'promote':
        void this.promote().then(() => {
          if (this.role === 'writer') respond(responseOk(request.id, this.health()));
          else
            respond(
              responseError(
                request.id,
                'not-ready',
                `promotion did not make this writer the primary (role ${this.role}, epoch seen ${this.epochSeen})`,
              ),
            );
        });
        return;
      default:
        if (this.term === null || this.role !== 'writer')
          respond(
            responseError(
              request.id,
              'not-ready',
              `this writer is ${this.role === 'recovering' ? 'recovering' : 'a standby'}`,
            ),
          );
        else this.term.submit(request, respond);
    }
  }

  /** Runs recovery unless it is running or done; resolves when it is over either way. */
  promote(): Promise<void> {
    if (this.role === 'writer' || this.stopped) return Promise.resolve();
    this.recovering ??= this.recover().finally(() => {
      this.recovering = null;
    });
    return this.recovering;
  }

  private async recover(): Promise<void> {
    this.role = 'recovering';
    const ctx: RecoveryContext = {
      links: this.links,
      writerId: this.config.node.id,
      geometry: this.config.cluster.geometry,
      allocationLimit: this.config.cluster.writer.allocationLimit,
      batchRecordsMax: this.config.cluster.writer.batchRecordsMax,
      truncationSkip: bugOn(this.config.cluster, 'no-truncation'),
      log: this.log,
      clock: this.clock,
    };
    for (let attempt = 1; attempt <= recoveryAttemptsMax && !this.stopped; attempt++) {
      const outcome = await recoveryRun(ctx, this.epochSeen);
      if (outcome.t === 'open') return this.open(outcome);
      if (outcome.t === 'lost') {
        this.epochSeen = epochLater(this.epochSeen, outcome.epoch);
        this.role = 'standby';
        this.log.warn(`another writer is the primary (${outcome.reason}); standing by`);
        return;
      }
      this.epochSeen = epochLater(this.epochSeen, outcome.epochSeen);
      this.log.warn(`recovery attempt ${attempt} failed: ${outcome.reason}`);
      await this.clock.sleep(randomInt(1, Math.min(recoveryBackoffMsMax, 50 * attempt) + 1));
    }
    this.role = 'standby';
    this.log.error(`recovery gave up after ${recoveryAttemptsMax} attempts; standing by`);
  }

  private async open(outcome: Recovered): Promise<void> {
    this.epochSeen = epochLater(this.epochSeen, outcome.epoch);
    const term = new Term(
      {
        links: this.links,
        rids: this.rids,
        cluster: this.config.cluster,
        writerId: this.config.node.id,
        clock: this.clock,
        log: this.log,
        readTuning: this.readTuning,
        fenced: (epoch) => this.fenced(term, epoch),
      },
      outcome,
    );
    this.term = term;
    await term.start();
    // An older writer may serve reads until its lease runs out: open no earlier than a lease after our claim.
    const waitMs = outcome.claimedMs + leaseMs - this.clock.nowMs();
    if (waitMs > 0) await this.clock.sleep(waitMs);
    if (this.stopped || this.term !== term) return;
    this.role = 'writer';
    this.log.info(
      `open for clients as the primary: epoch ${outcome.epoch}, VDL ${term.health().vdl}, next LSN ${term.health().lsnNext}`,
    );
  }

  private fenced(term: Term, epoch: Epoch): void {
    this.epochSeen = epochLater(this.epochSeen, epoch);
    if (this.term !== term) return;
    this.term = null;
    this.role = 'standby';
  }
}
