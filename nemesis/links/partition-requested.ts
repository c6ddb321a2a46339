// Partitions whose sides a scripted schedule names instead of the seed: the
// named nodes are one side and every other node the other; for a bridge the
// first named node is the bridge and the rest one side; for writer-storage the
// named storage nodes are cut off from the primary writer; for storage-peers
// they are cut off from the other storage nodes only. Pure.

import type { NodeId } from '../../cluster/topology.js';
import { grudgeFromGroups, grudgeFromLinks, grudgeLinks, linksBetween } from './grudge.js';
import type { DirectedLink } from './link.js';
import type { PartitionKind } from './partition.js';

export type RequestedPartition =
  | { readonly ok: true; readonly links: readonly DirectedLink[]; readonly description: string }
  | { readonly ok: false; readonly error: string };

export function partitionRequested(
  kind: PartitionKind,
  all: readonly NodeId[],
  named: readonly NodeId[],
  writer: NodeId,
  /** The storage nodes among `all` (storage-peers cuts the named ones off from the others). */
  storage: readonly NodeId[],
): RequestedPartition {
  const rest = all.filter((id) => !named.includes(id));
  const list = (ids: readonly NodeId[]): string => `{${ids.join(' ')}}`;
  switch (kind) {
    case 'isolate-node':
    case 'isolate-az':
    case 'halves':
      if (rest.length === 0) return { ok: false, error: `${kind}: the named nodes are the whole cluster` };
      return {
        ok: true,
        links: grudgeLinks(grudgeFromGroups(all, [named, rest])),
        description: `isolate ${list(named)} from ${list(rest)}`,
      };
    case 'bridge': {
      const [bridge, ...side] = named;
      const other = rest;
      if (bridge === undefined || side.length === 0 || other.length === 0)
        return { ok: false, error: 'bridge: name the bridge node, then the nodes of one side' };
      const links = grudgeLinks(
        grudgeFromGroups(all, [
          [bridge, ...side],
          [bridge, ...other],
        ]),
      );
      return { ok: true, links, description: `split into ${list(side)} | ${list(other)} bridged by ${bridge}` };
    }
    case 'writer-storage':
      return {
        ok: true,
        links: grudgeLinks(grudgeFromLinks(linksBetween([writer], named))),
        description: `cut writer ${writer} off from storage ${list(named)}`,
      };
    case 'storage-peers': {
      const peers = rest.filter((id) => storage.includes(id));
      if (peers.length === 0) return { ok: false, error: 'storage-peers: the named nodes leave no storage peer' };
      return {
        ok: true,
        links: grudgeLinks(grudgeFromLinks(linksBetween(named, peers))),
        description: `cut storage ${list(named)} off from its peers ${list(peers)}; writers still reach it`,
      };
    }
    case 'majorities-ring':
    case 'client-writer':
      return { ok: false, error: `${kind} chooses its own targets; a schedule cannot name them` };
  }
}
