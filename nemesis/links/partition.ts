// The partition topologies of the nemesis: which directed links to cut for each
// kind, chosen with the run's seeded Prng. Pure: the result names its targets
// for the history and carries the grudge and the links; the proxy applies them.
// Node partitions range over the cluster's nodes; the client (which dials only
// writers) is touched only by the client-writer kind, as Jepsen's control node.

import { assertNever } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import type { NodeId, NodeRole } from '../../cluster/topology.js';
import { grudgeFromGroups, grudgeFromLinks, grudgeLinks, linksBetween, type Grudge } from './grudge.js';
import { clientLinkEnd, type DirectedLink, type LinkEnd } from './link.js';

export const partitionKinds = [
  'isolate-node',
  'isolate-az',
  'halves',
  'majorities-ring',
  'bridge',
  'writer-storage',
  'client-writer',
  'storage-peers',
] as const;
export type PartitionKind = (typeof partitionKinds)[number];

export interface PartitionNode {
  readonly id: NodeId;
  readonly role: NodeRole;
  readonly az: number;
}

/** Whom a partition targets, per kind; JSON data for the history's nemesis events. */
export type PartitionTargets =
  | { readonly kind: 'isolate-node'; readonly node: NodeId }
  | { readonly kind: 'isolate-az'; readonly az: number; readonly nodes: readonly NodeId[] }
  | { readonly kind: 'halves'; readonly halves: readonly (readonly NodeId[])[] }
  /** `views[i]` is what `ring[i]` hears (a majority centred on it, itself included). */
  | {
      readonly kind: 'majorities-ring';
      readonly ring: readonly NodeId[];
      readonly views: readonly (readonly NodeId[])[];
    }
  | { readonly kind: 'bridge'; readonly halves: readonly (readonly NodeId[])[]; readonly bridge: NodeId }
  | { readonly kind: 'writer-storage'; readonly writer: NodeId; readonly storage: readonly NodeId[] }
  | { readonly kind: 'client-writer'; readonly writer: NodeId }
  | { readonly kind: 'storage-peers'; readonly nodes: readonly NodeId[]; readonly peers: readonly NodeId[] };

export interface Partition {
  readonly targets: PartitionTargets;
  readonly grudge: Grudge;
  /** The directed links to cut, sorted by key. */
  readonly links: readonly DirectedLink[];
  readonly description: string;
}

export type PartitionPlan =
  { readonly ok: true; readonly partition: Partition } | { readonly ok: false; readonly error: string };

export interface PartitionOptions {
  /** The writer for the writer-storage and client-writer kinds; the first writer listed (w0) by default. */
  readonly writer?: NodeId;
}

export function partitionPlan(
  kind: PartitionKind,
  nodes: readonly PartitionNode[],
  prng: Prng,
  options: PartitionOptions = {},
): PartitionPlan {
  const ids = nodes.map((node) => node.id);
  switch (kind) {
    case 'isolate-node':
      return ids.length < 2 ? tooFew(kind, 2, ids.length) : isolateNode(ids, prng);
    case 'isolate-az':
      return isolateAz(nodes, prng);
    case 'halves':
      return ids.length < 2 ? tooFew(kind, 2, ids.length) : halves(ids, prng);
    case 'majorities-ring':
      return ids.length < 3 ? tooFew(kind, 3, ids.length) : majoritiesRing(ids, prng);
    case 'bridge':
      return ids.length < 3 ? tooFew(kind, 3, ids.length) : bridge(ids, prng);
    case 'writer-storage':
    case 'client-writer':
      return writerCut(kind, nodes, options);
    case 'storage-peers':
      return storagePeersCut(nodes, prng);
    default:
      return assertNever(kind, 'partition kind');
  }
}

/** One line for logs and reports, naming the targets. */
export function partitionDescribe(targets: PartitionTargets): string {
  const list = (group: readonly NodeId[]): string => `{${group.join(' ')}}`;
  switch (targets.kind) {
    case 'isolate-node':
      return `isolate ${targets.node} from every other node`;
    case 'isolate-az':
      return `isolate AZ ${targets.az} ${list(targets.nodes)} from the other AZs`;
    case 'halves':
      return `split into halves ${targets.halves.map(list).join(' | ')}`;
    case 'majorities-ring':
      return `majorities ring: ${targets.ring.map((id, i) => `${id} hears ${list(targets.views[i] ?? [])}`).join(', ')}`;
    case 'bridge':
      return `split into ${targets.halves.map(list).join(' | ')} bridged by ${targets.bridge}`;
    case 'writer-storage':
      return `cut writer ${targets.writer} off from storage ${list(targets.storage)}`;
    case 'client-writer':
      return `cut the client off from writer ${targets.writer}`;
    case 'storage-peers':
      return `cut storage ${list(targets.nodes)} off from its peers ${list(targets.peers)}; writers still reach it`;
    default:
      return assertNever(targets, 'partition targets');
  }
}

function isolateNode(ids: readonly NodeId[], prng: Prng): PartitionPlan {
  const node = prng.pick(ids);
  const rest = ids.filter((id) => id !== node);
  return planOf({ kind: 'isolate-node', node }, grudgeFromGroups(ids, [[node], rest]));
}

function isolateAz(nodes: readonly PartitionNode[], prng: Prng): PartitionPlan {
  const azs = [...new Set(nodes.map((node) => node.az))].sort((a, b) => a - b);
  if (azs.length < 2) return { ok: false, error: `isolate-az needs nodes in at least 2 AZs, got ${azs.length}` };
  const az = prng.pick(azs);
  const inside = nodes.filter((node) => node.az === az).map((node) => node.id);
  const outside = nodes.filter((node) => node.az !== az).map((node) => node.id);
  return planOf(
    { kind: 'isolate-az', az, nodes: inside },
    grudgeFromGroups([...inside, ...outside], [inside, outside]),
  );
}

/** Shuffled and cut in two; with an odd count the first half is the smaller. */
function halves(ids: readonly NodeId[], prng: Prng): PartitionPlan {
  const shuffled = prng.shuffle(ids);
  const cut = Math.floor(shuffled.length / 2);
  const groups = [shuffled.slice(0, cut), shuffled.slice(cut)];
  return planOf({ kind: 'halves', halves: groups }, grudgeFromGroups(ids, groups));
}

/**
 * Nodes on a shuffled ring; each hears the majority-sized arc centred on it.
 * With more nodes than a majority, arcs starting at different places differ,
 * so every node sees a majority and no two see the same one. For an even arc
 * the grudge is not symmetric: a node may hear a peer that does not hear it.
 */
function majoritiesRing(ids: readonly NodeId[], prng: Prng): PartitionPlan {
  const ring = prng.shuffle(ids);
  const n = ring.length;
  const majority = Math.floor(n / 2) + 1;
  const before = Math.floor(majority / 2);
  const views = ring.map((_, i) => Array.from({ length: majority }, (__, k) => ring[(i - before + k + n) % n]!));
  const grudge = new Map<LinkEnd, ReadonlySet<LinkEnd>>();
  ring.forEach((id, i) => grudge.set(id, new Set(ring.filter((peer) => !views[i]!.includes(peer)))));
  return planOf({ kind: 'majorities-ring', ring, views }, grudge);
}

/** Two halves that cannot hear each other, and one node in both that hears everyone. */
function bridge(ids: readonly NodeId[], prng: Prng): PartitionPlan {
  const [node, ...rest] = prng.shuffle(ids);
  const cut = Math.floor(rest.length / 2);
  const groups = [rest.slice(0, cut), rest.slice(cut)];
  return planOf(
    { kind: 'bridge', halves: groups, bridge: node! },
    grudgeFromGroups(
      ids,
      groups.map((group) => [...group, node!]),
    ),
  );
}

function writerCut(
  kind: 'writer-storage' | 'client-writer',
  nodes: readonly PartitionNode[],
  options: PartitionOptions,
): PartitionPlan {
  const writers = nodes.filter((node) => node.role === 'writer').map((node) => node.id);
  const writer = options.writer ?? writers[0];
  if (writer === undefined) return { ok: false, error: `${kind} needs a writer, the cluster has none` };
  if (!writers.includes(writer)) return { ok: false, error: `${kind}: ${writer} is not a writer of the cluster` };
  if (kind === 'client-writer') {
    return planOf({ kind, writer }, grudgeFromLinks(linksBetween([clientLinkEnd], [writer])));
  }
  const storage = nodes.filter((node) => node.role === 'storage').map((node) => node.id);
  if (storage.length === 0) return { ok: false, error: 'writer-storage needs storage nodes, the cluster has none' };
  return planOf({ kind, writer, storage }, grudgeFromLinks(linksBetween([writer], storage)));
}

/** One storage node, drawn with the seed, hears no other storage node (no gossip either way); writers reach it. */
function storagePeersCut(nodes: readonly PartitionNode[], prng: Prng): PartitionPlan {
  const storage = nodes.filter((node) => node.role === 'storage').map((node) => node.id);
  if (storage.length < 2) return tooFew('storage-peers', 2, storage.length);
  const node = prng.pick(storage);
  const peers = storage.filter((id) => id !== node);
  return planOf({ kind: 'storage-peers', nodes: [node], peers }, grudgeFromLinks(linksBetween([node], peers)));
}

function planOf(targets: PartitionTargets, grudge: Grudge): PartitionPlan {
  const partition: Partition = Object.freeze({
    targets,
    grudge,
    links: Object.freeze(grudgeLinks(grudge)),
    description: partitionDescribe(targets),
  });
  return { ok: true, partition };
}

function tooFew(kind: PartitionKind, needed: number, got: number): PartitionPlan {
  return { ok: false, error: `${kind} needs at least ${needed} nodes, got ${got}` };
}
