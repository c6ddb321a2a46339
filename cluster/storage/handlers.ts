// What a storage node answers to each request. Epoch fencing happens here: a
// request of an older epoch is rejected, a newer one is adopted durably first.
// An append is re-checked against the epoch after its records are durable, so
// a writer fenced while its records waited never receives the ack. The
// controls (tune, scrub) act on the node itself and carry no epoch.

import { assertNever } from '../../core/assert.js';
import type { Epoch } from '../protocol/ids.js';
import type { StorageReply, StorageRequest, Truncation } from '../protocol/storage-messages.js';
import type { ScrubAsked } from './scrub.js';
import type { GroupCommit } from './group-commit.js';
import type { NodeState } from './node-state.js';

type Reply = StorageReply;
type Req<T extends StorageRequest['t']> = Extract<StorageRequest, { t: T }>;

export class RequestHandlers {
  stopping = false;
  private readonly inFlight = new Set<Promise<Reply>>();

  constructor(
    private readonly state: NodeState,
    private readonly commit: GroupCommit,
    /** Runs a full scrub cycle in the background loop (never beside its other tasks). */
    private readonly scrubNow: () => Promise<ScrubAsked>,
  ) {}

  handle(request: StorageRequest): Promise<Reply> {
    if (this.stopping && request.t !== 'health')
      return Promise.resolve(this.reject(request.rid, 'not-ready', 'the node is stopping'));
    const reply = this.dispatch(request);
    this.inFlight.add(reply);
    void reply.finally(() => this.inFlight.delete(reply)).catch(() => undefined);
    return reply;
  }

  /** The answer to a control request that failed validation at the edge. */
  badRequest(rid: number, reason: string): Reply {
    return this.reject(rid, 'bad-request', reason);
  }

  /** Waits for every request being handled (a stop lets them finish and answer). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async dispatch(request: StorageRequest): Promise<Reply> {
    switch (request.t) {
      case 'health':
        return this.health(request.rid);
      case 'epoch-claim':
        return this.epochClaim(request);
      case 'append':
        return this.append(request);
      case 'state-read':
        return this.stateRead(request);
      case 'truncate':
        return this.truncate(request);
      case 'read':
        return this.read(request);
      case 'gossip-pull':
        return this.gossipPull(request);
      case 'tune':
        return this.tune(request);
      case 'scrub':
        return this.scrub(request.rid);
      default:
        return assertNever(request, 'storage request');
    }
  }

  private health(rid: number): Reply {
    const s = this.state;
    return {
      t: 'health-result',
      rid,
      node: s.nodeId,
      ready: !this.stopping,
      epoch: s.epoch,
      scls: s.pgs.map((pg) => pg.scl),
      stats: { ...s.stats },
    };
  }

  /** The delay is held in memory only: a restarted node starts with its configured one again. */
  private tune(request: Req<'tune'>): Reply {
    const delay = this.state.fileOptions.syncDelay;
    if (delay.ms !== request.syncDelayMs)
      this.state.log.info(`fdatasync delay set to ${request.syncDelayMs} ms (was ${delay.ms} ms)`);
    delay.ms = request.syncDelayMs;
    return { t: 'tune-result', rid: request.rid, syncDelayMs: delay.ms };
  }

  private async scrub(rid: number): Promise<Reply> {
    const asked = await this.scrubNow();
    if (!asked.ok) return this.reject(rid, 'not-ready', asked.reason);
    const r = asked.report;
    this.state.log.info(
      `scrub on request: ${r.blocksChecked} blocks checked, ${r.blocksCorrupt} corrupt, ${r.blocksUnrepaired} unrepaired${r.complete ? '' : ' (cut short by its bounds)'}`,
    );
    return { t: 'scrub-result', rid, ...r };
  }

  private async epochClaim(request: Req<'epoch-claim'>): Promise<Reply> {
    const s = this.state;
    const fresh = request.epoch > s.epoch;
    const again = request.epoch === s.epoch && request.writerId === s.epochWriterId;
    if (!fresh && !again && !s.bugs.noEpochFence) {
      return this.reject(
        request.rid,
        'stale-epoch',
        `epoch ${request.epoch} from ${request.writerId} is not newer than ${s.epoch} held by ${s.epochWriterId}`,
      );
    }
    if (fresh) await this.epochAdopt(request.epoch, request.writerId);
    else await s.meta.drain();
    return { t: 'ack', rid: request.rid, epoch: request.epoch };
  }

  private async append(request: Req<'append'>): Promise<Reply> {
    const fenced = await this.fence(request);
    if (fenced !== null) return fenced;
    if (this.commit.full) return this.reject(request.rid, 'not-ready', 'the commit queue is full; retry');
    await this.commit.submit(request.pg, request.records, 'append');
    if (request.epoch < this.state.epoch && !this.state.bugs.noEpochFence) return this.staleEpoch(request);
    return {
      t: 'ack',
      rid: request.rid,
      epoch: this.state.epoch,
      pg: request.pg,
      scl: this.state.pgs[request.pg]!.scl,
    };
  }

  private async stateRead(request: Req<'state-read'>): Promise<Reply> {
    const fenced = await this.fence(request);
    if (fenced !== null) return fenced;
    const pg = this.state.pgs[request.pg]!;
    const { records, more } = pg.recordsAbove(request.afterLsn, request.limit);
    return {
      t: 'state',
      rid: request.rid,
      pg: request.pg,
      scl: pg.scl,
      records,
      truncations: pg.truncations,
      more,
      base: pg.base,
    };
  }

  private async truncate(request: Req<'truncate'>): Promise<Reply> {
    const fenced = await this.fence(request);
    if (fenced !== null) return fenced;
    await truncationApply(this.state, request.truncation);
    const pg = this.state.pgs[request.truncation.pg]!;
    return { t: 'ack', rid: request.rid, epoch: this.state.epoch, pg: pg.pg, scl: pg.scl };
  }

  private read(request: Req<'read'>): Reply {
    const pg = this.state.pgs[request.pg]!;
    if (pg.scl < request.readPoint)
      return this.reject(
        request.rid,
        'scl-behind',
        `pg ${request.pg} SCL ${pg.scl} is below read point ${request.readPoint}`,
      );
    const found = pg.keys.read(request.key, request.readPoint);
    if (found.t === 'pruned') {
      return this.reject(
        request.rid,
        'scl-behind',
        `versions of ${JSON.stringify(request.key)} below LSN ${found.oldestLsn} were coalesced; read point ${request.readPoint} is older`,
      );
    }
    this.state.stats.readsServed++;
    return { t: 'read-result', rid: request.rid, scl: pg.scl, kind: found.kind, value: found.value, list: found.list };
  }

  private gossipPull(request: Req<'gossip-pull'>): Reply {
    const pg = this.state.pgs[request.pg]!;
    if (request.lsns !== undefined) {
      return {
        t: 'gossip-records',
        rid: request.rid,
        pg: pg.pg,
        scl: pg.scl,
        records: pg.recordsPick(request.lsns),
        more: false,
        truncations: pg.truncations,
        base: pg.base,
      };
    }
    if (request.afterLsn < pg.base && request.limit > 0) {
      const entries = [...pg.keys.pageEntries(pg.base, pg.pg)];
      return {
        t: 'gossip-snapshot',
        rid: request.rid,
        pg: pg.pg,
        scl: pg.scl,
        base: pg.base,
        entries,
        truncations: pg.truncations,
      };
    }
    const { records, more } = pg.recordsAbove(request.afterLsn, request.limit);
    return {
      t: 'gossip-records',
      rid: request.rid,
      pg: pg.pg,
      scl: pg.scl,
      records,
      more,
      truncations: pg.truncations,
      base: pg.base,
    };
  }

  /** Null when the request's epoch may proceed; a newer epoch is made durable first. */
  private async fence(request: Req<'append' | 'state-read' | 'truncate'>): Promise<Reply | null> {
    const s = this.state;
    if (request.epoch > s.epoch) await this.epochAdopt(request.epoch, request.writerId);
    if (request.epoch < s.epoch && !s.bugs.noEpochFence) return this.staleEpoch(request);
    return null;
  }

  private async epochAdopt(epoch: Epoch, writerId: string): Promise<void> {
    const s = this.state;
    // The decision is made in memory at once, so that a concurrent request of an
    // older epoch is already refused while the claim is being made durable.
    s.epoch = epoch;
    s.epochWriterId = writerId;
    await s.meta.append({ t: 'epoch-claim', epoch, writerId }, epoch);
    await s.meta.drain();
    s.log.info(`epoch ${epoch} claimed by ${writerId}`);
  }

  private staleEpoch(request: Req<'append' | 'state-read' | 'truncate'>): Reply {
    const s = this.state;
    return this.reject(
      request.rid,
      'stale-epoch',
      `epoch ${request.epoch} from ${request.writerId} is older than ${s.epoch} held by ${s.epochWriterId}`,
    );
  }

  private reject(rid: number, code: Extract<Reply, { t: 'reject' }>['code'], message: string): Reply {
    return { t: 'reject', rid, code, message, epoch: this.state.epoch };
  }
}

/** Applies a truncation now and makes it durable; idempotent. Used by the writer's truncate and by gossip. */
export async function truncationApply(state: NodeState, truncation: Truncation): Promise<void> {
  const pg = state.pgs[truncation.pg]!;
  const known = pg.truncations.some((t) => t.afterLsn === truncation.afterLsn && t.uptoLsn === truncation.uptoLsn);
  if (!known) {
    const voided = pg.truncationApply(truncation);
    state.stats.recordsTruncated += voided;
    state.log.info(
      `pg ${truncation.pg}: truncation (${truncation.afterLsn}, ${truncation.uptoLsn}] of epoch ${truncation.epoch} voided ${voided} records; SCL ${pg.scl}`,
    );
    await state.meta.append({ t: 'truncation', truncation }, state.epoch);
  }
  await state.meta.drain();
}
