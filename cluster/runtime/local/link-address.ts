// How one end of a cluster link reaches the other. Every `dial` address a node
// is given, and the address clients use for the writer, comes from one
// LinkLayer, so a fault-injecting proxy can sit on every link by supplying its
// own layer; the direct layer hands out each node's real listen address.

import type { Address, NodeId, NodeSpec } from '../../topology.js';

/** The client side of client->writer links (workloads, the CLI, the benchmark). */
export const clientLinkEnd = 'client';
export type LinkEnd = NodeId | typeof clientLinkEnd;

export interface LinkLayer {
  /** The address `from` must dial to reach `to`. */
  linkAddress(from: LinkEnd, to: NodeId): Address;
  /** Releases whatever the layer holds (listeners, connections). */
  close(): Promise<void>;
}

/** Builds the layer once every node's real listen address is known. */
export type LinkLayerCreate = (nodes: readonly NodeSpec[]) => Promise<LinkLayer>;

export const linkLayerDirectCreate: LinkLayerCreate = (nodes) => {
  const listen = new Map(nodes.map((node) => [node.id, node.listen]));
  return Promise.resolve({
    linkAddress: (from, to) => {
      const address = listen.get(to);
      if (address === undefined) throw new Error(`linkAddress(${from}, ${to}): no such node`);
      return address;
    },
    close: () => Promise.resolve(),
  });
};
