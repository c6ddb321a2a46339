// Step 1 of recovery: make epoch (highest seen + 1) durable on a write quorum
// of storage nodes. The highest epoch is first learned from the nodes' health,
// so a restarted writer never re-claims its own old epoch. Two candidates
// racing split the nodes; each backs off with jitter and tries a higher epoch.
// A candidate that finds a write quorum at or above its claim, at least one of
// which moved past the epoch it reported moments before, knows another writer
// claimed meanwhile: it has lost and stays a standby.

import { randomInt } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../log.js';
import { gather } from './gather.js';
import { claimAttemptsMax, claimBackoffMsStep, claimTimeoutMs } from './limits.js';
import type { LinkResult, StorageLink } from './storage-link.js';
import { epochLater, epochNext, type Epoch } from '../protocol/ids.js';

export type ClaimOutcome =
  | { readonly t: 'won'; readonly epoch: Epoch }
  | { readonly t: 'lost'; readonly epoch: Epoch; readonly reason: string }
  | { readonly t: 'failed'; readonly epochSeen: Epoch; readonly reason: string };

export async function epochClaim(
  links: readonly StorageLink[],
  writerId: string,
  epochSeenStart: Epoch,
  writeQuorum: number,
  log: Logger,
  clock: Clock,
): Promise<ClaimOutcome> {
  const known = await epochsKnown(links);
  let epochSeen = known.reduce<Epoch>((seen, e) => (e === null ? seen : epochLater(seen, e)), epochSeenStart);
  let reason = 'no attempt made';
  for (let attempt = 1; attempt <= claimAttemptsMax; attempt++) {
    const epoch = epochNext(epochSeen);
    const requests = links.map((link) =>
      link.request({ t: 'epoch-claim', writerId, epoch }, claimTimeoutMs).then((result) => ({ link, result })),
    );
    const answers = await gather(requests, (so) => so.filter((a) => isAck(a.result)).length >= writeQuorum);
    const acks = answers.filter((a) => isAck(a.result)).length;
    let newer = 0;
    let movedPastKnown = false;
    for (const { link, result } of answers) {
      if (!result.ok || (result.reply.t !== 'ack' && result.reply.t !== 'reject')) continue;
      const nodeEpoch = result.reply.epoch;
      epochSeen = epochLater(epochSeen, nodeEpoch);
      if (result.reply.t === 'reject' && result.reply.code === 'stale-epoch' && nodeEpoch >= epoch) {
        newer++;
        const before = known[link.index];
        if (before !== null && before !== undefined && before < epoch) movedPastKnown = true;
      }
      known[link.index] = nodeEpoch;
    }
    if (acks >= writeQuorum) return { t: 'won', epoch };
    if (newer >= writeQuorum && movedPastKnown)
      return {
        t: 'lost',
        epoch: epochSeen,
        reason: `${newer} storage nodes hold epoch ${epochSeen}, claimed by another writer meanwhile`,
      };
    reason = `epoch ${epoch}: ${acks} of ${links.length} storage nodes accepted, ${newer} hold a newer epoch`;
    log.info(`epoch claim attempt ${attempt}: ${reason}; backing off`);
    await clock.sleep(randomInt(1, claimBackoffMsStep * attempt + 1));
  }
  return { t: 'failed', epochSeen, reason };
}

/** Each node's current epoch from its health (null when it did not answer). */
async function epochsKnown(links: readonly StorageLink[]): Promise<(Epoch | null)[]> {
  const known: (Epoch | null)[] = links.map(() => null);
  await Promise.all(
    links.map(async (link) => {
      const result = await link.request({ t: 'health' }, claimTimeoutMs);
      if (result.ok && result.reply.t === 'health-result' && Number.isSafeInteger(result.reply.epoch))
        known[link.index] = result.reply.epoch;
    }),
  );
  return known;
}

function isAck(result: LinkResult): boolean {
  return result.ok && result.reply.t === 'ack';
}
