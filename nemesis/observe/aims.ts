// Aims: where a fault strikes, named by what the nodes hold instead of by node
// ids, so a schedule written without node names still hits the replicas that
// matter (the newest records, a lagging replica, the rest of a write quorum).
// Resolved from a snapshot taken at the moment of the start; pure, ties broken
// with the nemesis Prng. Replicas that did not answer have no known SCL and
// are left out of the SCL orders; `quorum-rest` and `all-storage` still hold them.

import type { NodeId } from '../../cluster/topology.js';
import { assertNever } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import { primaryOf, storageAnswered, writersAnswered, type Snapshot, type StorageAnswered } from './snapshot.js';

export const aimNames = [
  'newest',
  'laggard',
  'newest-quorum',
  'quorum-rest',
  'gap-pg',
  'primary',
  'standby',
  'all-storage',
  'random',
] as const;
export type AimName = (typeof aimNames)[number];

export const aimSummaries: Readonly<Record<AimName, string>> = Object.freeze({
  newest: 'storage nodes by SCL, highest first, in the PG with the highest SCL',
  laggard: 'the order of newest reversed: the replica furthest behind first',
  'newest-quorum': 'the first write-quorum nodes of newest: exactly a quorum holding the newest records',
  'quorum-rest': 'every storage node not in newest-quorum',
  'gap-pg': 'the replicas behind in the PG whose SCLs differ the most (no gap: laggard)',
  primary: 'the current primary writer',
  standby: 'a running standby writer',
  'all-storage': 'every storage node',
  random: "the fault's own seeded choice",
});

/** A start's targets named by an aim; `count` cuts the aim's ordered list. */
export interface AimRequest {
  readonly aim: AimName;
  readonly count?: number;
}

/**
 * How a fault turns the aim's list into targets: `nodes` takes the list (cut by
 * count); the AZ shapes take the AZ of the first node (every node of it, or its
 * storage nodes), and `az-plus-one` adds the first storage node of the list
 * outside that AZ. `all-storage` is a set, not an order: every shape takes it whole.
 */
export type AimShape = 'nodes' | 'az' | 'az-storage' | 'az-plus-one';

export type AimResolution =
  /** targets null: the aim is `random`, the fault chooses with the seed as it does without a request. */
  { readonly ok: true; readonly targets: readonly NodeId[] | null } | { readonly ok: false; readonly error: string };

/**
 * Nodes `struck` by faults active now go last in the order of an aim that ranks replicas (`newest`, `laggard`,
 * `newest-quorum`, `quorum-rest`, `gap-pg`): a second fault strikes nodes the first left alone, so that two
 * faults together reach further (a node cut off by a partition is not the one a kill should take next).
 */
export function aimResolve(
  request: AimRequest,
  shape: AimShape,
  snapshot: Snapshot,
  prng: Prng,
  struck: ReadonlySet<NodeId> = new Set(),
): AimResolution {
  if (request.aim === 'random') return { ok: true, targets: null };
  const ranked = aimOrder(request.aim, snapshot, prng);
  const order = aimsRanking.includes(request.aim)
    ? [...ranked.filter((id) => !struck.has(id)), ...ranked.filter((id) => struck.has(id))]
    : ranked;
  const cut = request.count === undefined ? order : order.slice(0, request.count);
  const targets = request.aim === 'all-storage' || shape === 'nodes' ? cut : azShape(shape, cut, snapshot);
  if (targets.length === 0)
    return { ok: false, error: `aim ${request.aim} names no node now (${aimEmptyReason(request.aim)})` };
  return { ok: true, targets };
}

/** The aims that rank replicas by what they hold. */
const aimsRanking: readonly AimName[] = ['newest', 'laggard', 'newest-quorum', 'quorum-rest', 'gap-pg'];

/** The aim's nodes, in its order (the `random` aim has none: the fault chooses). */
export function aimOrder(aim: Exclude<AimName, 'random'>, snapshot: Snapshot, prng: Prng): NodeId[] {
  switch (aim) {
    case 'newest':
      return newestOrder(snapshot, prng);
    case 'laggard':
      return newestOrder(snapshot, prng).reverse();
    case 'newest-quorum':
      return newestOrder(snapshot, prng).slice(0, snapshot.geometry.writeQuorum);
    case 'quorum-rest': {
      const newest = newestOrder(snapshot, prng);
      const quorum = new Set(newest.slice(0, snapshot.geometry.writeQuorum));
      const answeredRest = newest.filter((id) => !quorum.has(id)).reverse();
      const silent = snapshot.storage.filter((node) => node.kind !== 'answered').map((node) => node.id);
      return [...answeredRest, ...silent];
    }
    case 'gap-pg':
      return gapOrder(snapshot, prng) ?? newestOrder(snapshot, prng).reverse();
    case 'primary':
      return [primaryOf(snapshot)];
    case 'standby': {
      const primary = primaryOf(snapshot);
      const standbys = writersAnswered(snapshot).filter((w) => w.health.role === 'standby' && w.id !== primary);
      return prng.shuffle(standbys.map((node) => node.id));
    }
    case 'all-storage':
      return snapshot.storage.map((node) => node.id);
    default:
      return assertNever(aim, 'aim');
  }
}

/** The PG with the highest SCL anywhere (ties drawn), its replicas by SCL, highest first (ties shuffled). */
function newestOrder(snapshot: Snapshot, prng: Prng): NodeId[] {
  const replicas = storageAnswered(snapshot);
  if (replicas.length === 0) return [];
  const highest = pgsBest(snapshot.geometry.pgCount, prng, (pg) => Math.max(...replicas.map((r) => sclOf(r, pg))));
  return byScl(replicas, highest, prng, 'descending');
}

/** The replicas behind in the PG whose replicas' SCLs differ the most, furthest behind first; null without a gap. */
function gapOrder(snapshot: Snapshot, prng: Prng): NodeId[] | null {
  const replicas = storageAnswered(snapshot);
  if (replicas.length < 2) return null;
  const gap = (pg: number): number => {
    const scls = replicas.map((r) => sclOf(r, pg));
    return Math.max(...scls) - Math.min(...scls);
  };
  const pg = pgsBest(snapshot.geometry.pgCount, prng, gap);
  if (gap(pg) <= 0) return null;
  const top = Math.max(...replicas.map((r) => sclOf(r, pg)));
  const behind = replicas.filter((r) => sclOf(r, pg) < top);
  return byScl(behind, pg, prng, 'ascending');
}

/** The PG scoring highest; a tie is drawn with the Prng (no draw without one). */
function pgsBest(pgCount: number, prng: Prng, score: (pg: number) => number): number {
  const pgs = Array.from({ length: Math.max(1, pgCount) }, (_, pg) => pg);
  const scores = pgs.map(score);
  const best = Math.max(...scores);
  const tied = pgs.filter((pg) => scores[pg] === best);
  return tied.length === 1 ? tied[0]! : prng.pick(tied);
}

function byScl(
  replicas: readonly StorageAnswered[],
  pg: number,
  prng: Prng,
  direction: 'ascending' | 'descending',
): NodeId[] {
  const sign = direction === 'ascending' ? 1 : -1;
  // Shuffled first, so the stable sort leaves replicas of equal SCL in a seeded order.
  return prng
    .shuffle(replicas)
    .sort((a, b) => sign * (sclOf(a, pg) - sclOf(b, pg)))
    .map((node) => node.id);
}

function sclOf(replica: StorageAnswered, pg: number): number {
  return replica.health.scls[pg] ?? -1;
}

function azShape(shape: Exclude<AimShape, 'nodes'>, order: readonly NodeId[], snapshot: Snapshot): NodeId[] {
  const first = order[0];
  if (first === undefined) return [];
  const azOf = new Map([...snapshot.storage, ...snapshot.writers].map((node) => [node.id, node.az]));
  const az = azOf.get(first);
  const storage = snapshot.storage.filter((node) => node.az === az).map((node) => node.id);
  const writers = snapshot.writers.filter((node) => node.az === az).map((node) => node.id);
  switch (shape) {
    case 'az-storage':
      return storage;
    case 'az':
      return [...storage, ...writers];
    case 'az-plus-one': {
      const storageIds = new Set(snapshot.storage.map((node) => node.id));
      const extra = order.find((id) => storageIds.has(id) && azOf.get(id) !== az);
      // Storage first, so the stop restarts storage before a writer needs it to recover.
      return extra === undefined ? [...storage, ...writers] : [...storage, extra, ...writers];
    }
    default:
      return assertNever(shape, 'aim shape');
  }
}

function aimEmptyReason(aim: Exclude<AimName, 'random'>): string {
  switch (aim) {
    case 'standby':
      return 'no running standby writer answered';
    case 'primary':
      return 'no primary writer';
    case 'all-storage':
      return 'the cluster has no storage node';
    case 'quorum-rest':
      return 'every storage node is in the newest quorum';
    default:
      return 'no storage node answered its health probe';
  }
}
