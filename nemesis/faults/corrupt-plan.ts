// Which blocks of which replicas to damage, by LSN so that replicas whose hot
// logs are ordered differently still line up. LSNs are cut into stripes; the
// helix damages each chosen stripe on at most V - Vw replicas (a different set
// for each stripe), so every record stays intact on a write quorum. Over the
// limit damages one stripe on every replica, which no quorum survives. Pure.

import type { NodeId } from '../../cluster/topology.js';
import { assert } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import type { HotBlock } from './corrupt-blocks.js';

/** LSNs per stripe: wide enough that most blocks (one group-commit batch each) fall inside one. */
export const stripeLsns = 64;
/** Stripes one helix damages, so the damage per operation is bounded. */
export const helixStripesMax = 4;

export interface ReplicaBlocks {
  readonly node: NodeId;
  /** Blocks of this replica that may be damaged (valid, holding records every replica already has). */
  readonly blocks: readonly HotBlock[];
}

export interface CorruptPlan {
  /** The damaged blocks per node; nodes with none are left out. */
  readonly perNode: ReadonlyMap<NodeId, readonly HotBlock[]>;
  readonly stripes: readonly number[];
}

export function stripeOf(lsn: number): number {
  return Math.floor(lsn / stripeLsns);
}

/** A block lies in one stripe when its whole LSN range does. */
function blockStripe(block: HotBlock): number | null {
  const stripe = stripeOf(block.lsnFirst);
  return stripeOf(block.lsnLast) === stripe ? stripe : null;
}

/**
 * Replica i (in the order given) is damaged on stripe k when (k - i) mod V <
 * tolerated: each stripe on `tolerated` consecutive replicas of the ring.
 */
export function helixPlan(replicas: readonly ReplicaBlocks[], tolerated: number, prng: Prng): CorruptPlan {
  assert(
    Number.isInteger(tolerated) && tolerated >= 0,
    `tolerated replicas must be a non-negative integer, got ${tolerated}`,
  );
  const count = replicas.length;
  const holders = (stripe: number): number[] =>
    Array.from({ length: Math.min(tolerated, count) }, (_, j) => (stripe + j) % count);
  const candidates = new Set<number>();
  replicas.forEach((replica, i) => {
    for (const block of replica.blocks) {
      const stripe = blockStripe(block);
      if (stripe !== null && holders(stripe).includes(i)) candidates.add(stripe);
    }
  });
  const stripes = prng
    .shuffle([...candidates].sort((a, b) => a - b))
    .slice(0, helixStripesMax)
    .sort((a, b) => a - b);
  const perNode = new Map<NodeId, HotBlock[]>();
  for (const stripe of stripes) {
    for (const i of holders(stripe)) {
      const replica = replicas[i]!;
      const hit = replica.blocks.filter((block) => blockStripe(block) === stripe);
      if (hit.length > 0) perNode.set(replica.node, [...(perNode.get(replica.node) ?? []), ...hit]);
    }
  }
  return { perNode, stripes };
}

/**
 * One stripe, damaged on every replica: every block whose LSN range touches it.
 * The stripe is drawn among those every replica has blocks in; null when none is.
 */
export function overLimitPlan(replicas: readonly ReplicaBlocks[], prng: Prng): CorruptPlan | null {
  const touches = (block: HotBlock, stripe: number): boolean =>
    stripeOf(block.lsnFirst) <= stripe && stripe <= stripeOf(block.lsnLast);
  const everywhere = [
    ...new Set(replicas.flatMap((replica) => replica.blocks.map((block) => stripeOf(block.lsnFirst)))),
  ]
    .sort((a, b) => a - b)
    .filter((stripe) => replicas.every((replica) => replica.blocks.some((block) => touches(block, stripe))));
  if (everywhere.length === 0) return null;
  const stripe = prng.pick(everywhere);
  const perNode = new Map<NodeId, HotBlock[]>();
  for (const replica of replicas)
    perNode.set(
      replica.node,
      replica.blocks.filter((block) => touches(block, stripe)),
    );
  return { perNode, stripes: [stripe] };
}
