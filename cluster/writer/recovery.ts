// Recovery, run at start, after a restart and on promotion (spec "Recovery and
// fencing"): claim a new epoch on a write quorum; read the state of a read
// quorum of every PG; write a truncation above each PG's chain tail, bounded
// above every LSN ever allocated; re-send the chain until a write quorum holds
// it. Each step is idempotent, so an interrupted recovery is simply run again.

import { pollUntil, PollTimeoutError } from '../../core/clock.js';
import type { LogRecord, Truncation } from '../protocol/storage-messages.js';
import { epochClaim } from './epoch-claim.js';
import { gather } from './gather.js';
import { connectTimeoutMs, recoveryStepTimeoutMs } from './limits.js';
import { type PgChain, pgChainFind } from './recovery-chain.js';
import { Fenced, pgRepair, pgStateRead, StepFailed } from './recovery-io.js';
import type { RecoveryContext } from './recovery-context.js';
import { lsnAdd, lsnLater, lsnZero, pgIdsAll, type Epoch, type Lsn, type PgId } from '../protocol/ids.js';

/** How often recovery looks whether enough storage connections are up. */
const linksPollMs = 10;

export interface RecoveredPg {
  readonly pg: PgId;
  readonly tail: Lsn;
  readonly records: readonly LogRecord[];
  /** Every truncation of the PG, ours included: sent again to replicas that reconnect. */
  readonly truncations: readonly Truncation[];
}

export type RecoveryOutcome =
  | {
      readonly t: 'open';
      readonly epoch: Epoch;
      readonly claimedMs: number;
      readonly pgs: readonly RecoveredPg[];
      readonly uptoLsn: Lsn;
      readonly replicaScls: readonly (readonly Lsn[])[];
    }
  | { readonly t: 'lost'; readonly epoch: Epoch; readonly reason: string }
  | { readonly t: 'failed'; readonly epochSeen: Epoch; readonly reason: string };

export type { RecoveryContext } from './recovery-context.js';

export async function recoveryRun(ctx: RecoveryContext, epochSeen: Epoch): Promise<RecoveryOutcome> {
  const g = ctx.geometry;
  await linksWait(ctx, g.writeQuorum, connectTimeoutMs * 2);
  const claim = await epochClaim(ctx.links, ctx.writerId, epochSeen, g.writeQuorum, ctx.log, ctx.clock);
  if (claim.t !== 'won') return claim;
  const epoch = claim.epoch;
  const claimedMs = ctx.clock.nowMs();
  ctx.log.info(`recovery: epoch ${epoch} claimed on a write quorum`);
  try {
    const chains: PgChain[] = [];
    for (const pg of pgIdsAll(g.pgCount)) chains.push(await pgChainRead(ctx, epoch, pg));
    const uptoLsn = lsnAdd(chains.map((c) => c.lsnSeenMax).reduce(lsnLater, lsnZero), ctx.allocationLimit);
    const pgs: RecoveredPg[] = [];
    const replicaScls: Lsn[][] = [];
    for (const pg of pgIdsAll(g.pgCount)) {
      const chain = chains[pg]!;
      const truncation: Truncation = { epoch, pg, afterLsn: chain.tail, uptoLsn };
      const sclAfterTruncate = ctx.truncationSkip
        ? ctx.links.map(() => lsnZero)
        : await pgTruncate(ctx, epoch, truncation);
      const scls = await pgRepair(ctx, epoch, pg, chain, sclAfterTruncate);
      if (scls === null)
        return {
          t: 'failed',
          epochSeen: epoch,
          reason: `PG ${pg}: no write quorum holds the chain up to ${chain.tail} after repair`,
        };
      replicaScls.push(scls);
      const truncations = ctx.truncationSkip ? chain.truncations : [...chain.truncations, truncation];
      pgs.push({ pg, tail: chain.tail, records: chain.records, truncations });
      ctx.log.info(
        `recovery: PG ${pg} chain tail ${chain.tail} (${chain.records.length} records kept, ${chain.annulled} annulled up to ${uptoLsn})`,
      );
    }
    return { t: 'open', epoch, claimedMs, pgs, uptoLsn, replicaScls };
  } catch (error) {
    if (error instanceof Fenced) return { t: 'lost', epoch: error.epoch, reason: error.message };
    if (error instanceof StepFailed) return { t: 'failed', epochSeen: epoch, reason: error.message };
    throw error;
  }
}

/** Step 2 for one PG: the union of a read quorum's records and truncations, and the chain it holds. */
async function pgChainRead(ctx: RecoveryContext, epoch: Epoch, pg: PgId): Promise<PgChain> {
  const requests = ctx.links.map((link) => pgStateRead(link, ctx.writerId, epoch, pg));
  const answers = await gather(requests, (so) => so.filter((a) => a.t === 'ok').length >= ctx.geometry.readQuorum);
  for (const answer of answers) if (answer.t === 'fenced') throw new Fenced(answer.epoch);
  const replies = answers.flatMap((a) => (a.t === 'ok' ? [a.reply] : []));
  if (replies.length < ctx.geometry.readQuorum) {
    const reasons = answers.flatMap((a) => (a.t === 'failed' ? [a.reason] : []));
    throw new StepFailed(
      `PG ${pg}: state of only ${replies.length} storage nodes read (${reasons.slice(0, 3).join('; ')})`,
    );
  }
  return pgChainFind(replies);
}

/** Step 3 for one PG: the truncation on a write quorum. Returns each replica's SCL after it (0 when unknown). */
async function pgTruncate(ctx: RecoveryContext, epoch: Epoch, truncation: Truncation): Promise<Lsn[]> {
  const scls = ctx.links.map(() => lsnZero);
  const requests = ctx.links.map(async (link) => {
    const result = await link.request(
      { t: 'truncate', writerId: ctx.writerId, epoch, truncation },
      recoveryStepTimeoutMs,
    );
    if (result.ok && result.reply.t === 'ack' && result.reply.scl !== undefined && result.reply.pg === truncation.pg)
      scls[link.index] = result.reply.scl;
    return result;
  });
  const answers = await gather(
    requests,
    (so) => so.filter((a) => a.ok && a.reply.t === 'ack').length >= ctx.geometry.writeQuorum,
  );
  for (const answer of answers) {
    if (answer.ok && answer.reply.t === 'reject' && answer.reply.code === 'stale-epoch' && answer.reply.epoch > epoch)
      throw new Fenced(answer.reply.epoch);
  }
  const acks = answers.filter((a) => a.ok && a.reply.t === 'ack').length;
  if (acks < ctx.geometry.writeQuorum)
    throw new StepFailed(`PG ${truncation.pg}: truncation acknowledged by ${acks} storage nodes`);
  return scls;
}

/**
 * Waits (bounded) until enough storage connections are up to be worth claiming.
 * Recovery goes on when the bound runs out: the claim then fails and is retried.
 */
async function linksWait(ctx: RecoveryContext, count: number, timeoutMs: number): Promise<void> {
  try {
    await pollUntil(ctx.clock, {
      what: `${count} storage connections`,
      timeoutMs,
      intervalMs: linksPollMs,
      probe: () => (ctx.links.filter((link) => link.connected).length >= count ? true : null),
    });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
  }
}
