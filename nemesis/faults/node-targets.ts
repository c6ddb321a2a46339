// Which nodes a process fault hits, chosen with the nemesis's seeded Prng:
// one storage node, one AZ, an AZ plus one more storage node, the primary
// writer, or the storage nodes of one AZ. Pure apart from reading the topology.

import type { NodeId, NodeSpec } from '../../cluster/topology.js';
import { assertNever } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import { azsOf } from './fault.js';

export type NodeChoice = 'storage-node' | 'az' | 'az-plus-one' | 'writer' | 'az-storage';

export interface NodeChoiceInput {
  readonly nodes: readonly NodeSpec[];
  readonly primary: NodeId;
  readonly prng: Prng;
}

/** The chosen node ids, storage nodes first; empty when the cluster has none to offer. */
export function nodesChoose(choice: NodeChoice, input: NodeChoiceInput): NodeId[] {
  const { nodes, prng } = input;
  const storage = nodes.filter((node) => node.role === 'storage');
  switch (choice) {
    case 'storage-node':
      return storage.length === 0 ? [] : [prng.pick(storage).id];
    case 'writer':
      return [input.primary];
    case 'az':
      return storageFirst(azPick(nodes, prng));
    case 'az-storage':
      return azPick(storage, prng).map((node) => node.id);
    case 'az-plus-one': {
      const az = azPick(nodes, prng);
      const others = storage.filter((node) => !az.some((inAz) => inAz.id === node.id));
      return others.length === 0 ? storageFirst(az) : storageFirst([...az, prng.pick(others)]);
    }
    default:
      return assertNever(choice, 'node choice');
  }
}

/** Every node of one AZ, the AZ drawn among those that hold nodes. */
function azPick(nodes: readonly NodeSpec[], prng: Prng): NodeSpec[] {
  const azs = azsOf(nodes);
  if (azs.length === 0) return [];
  const az = prng.pick(azs);
  return nodes.filter((node) => node.az === az);
}

/** Storage nodes first, so a restart brings storage back before a writer needs it for recovery. */
function storageFirst(nodes: readonly NodeSpec[]): NodeId[] {
  return [...nodes.filter((node) => node.role === 'storage'), ...nodes.filter((node) => node.role === 'writer')].map(
    (node) => node.id,
  );
}
