// nemesis/links/: the network vocabulary the link faults speak, whichever
// runtime carries it: directed links, their modes, the LinkBackend interface
// with its Docker implementation, overlapping claims on links, grudges and the
// partition topologies. Nothing here knows about the proxy's sockets.
//
// A directed link of the cluster network (bytes from one end to the other) and
// the set of links a local cluster uses. A partition is a set of directed
// links; the proxy carries each direction of a TCP stream on its own link.

import { clientLinkEnd, type LinkEnd } from '../../cluster/runtime/local/link-address.js';
import type { NodeId, NodeRole } from '../../cluster/topology.js';

export { clientLinkEnd, type LinkEnd };

export interface DirectedLink {
  readonly from: LinkEnd;
  readonly to: LinkEnd;
}

/** A stable string key for maps and sets ("w0->s00"). */
export function linkKey(link: DirectedLink): string {
  return `${link.from}->${link.to}`;
}

export function linkOf(from: LinkEnd, to: LinkEnd): DirectedLink {
  return Object.freeze({ from, to });
}

export function linkReverse(link: DirectedLink): DirectedLink {
  return linkOf(link.to, link.from);
}

/**
 * The links a local cluster dials: every node to every other node (each node is
 * given a dial address for every peer), the client to every writer, and the
 * client to every storage node (the runtime's health probes). No node partition
 * touches the client's links to storage, so probes see a node as it is.
 */
export function clusterLinks(nodes: readonly { readonly id: NodeId; readonly role: NodeRole }[]): DirectedLink[] {
  const links: DirectedLink[] = [];
  for (const from of nodes) {
    for (const to of nodes) {
      if (from.id !== to.id) links.push(linkOf(from.id, to.id));
    }
  }
  for (const writer of nodes.filter((node) => node.role === 'writer')) links.push(linkOf(clientLinkEnd, writer.id));
  for (const storage of nodes.filter((node) => node.role === 'storage')) links.push(linkOf(clientLinkEnd, storage.id));
  return links;
}
