// The shape of a cluster on any runtime: which nodes exist, in which AZ, on
// which address, and where each keeps its data, log and config file under the
// base directory. Pure: the runtime finds addresses and writes files; this only decides.

import path from 'node:path';
import type { ClusterConfig } from '../../config.js';
import { assert } from '../../../core/assert.js';
import type { Address, NodeConfig, NodeId, NodeSpec } from '../../topology.js';
import { storageNodeId, writerNodeId } from '../../topology.js';

/** Where the nodes of a cluster on this machine listen. */
export const localHost = '127.0.0.1';

export interface ClusterTopology {
  /** Storage nodes first (AZ by AZ), then writers (w0 is the initial primary). */
  readonly nodes: readonly NodeSpec[];
  readonly storage: readonly NodeSpec[];
  readonly writers: readonly NodeSpec[];
}

export interface NodePaths {
  readonly dataDir: string;
  readonly logPath: string;
  readonly configPath: string;
}

/** How many nodes (and so ports or containers) a cluster of this shape has. */
export function clusterNodeCount(config: ClusterConfig, standbyWriters: number): number {
  return config.geometry.azCount * config.geometry.nodesPerAz + 1 + standbyWriters;
}

export function clusterTopologyBuild(
  config: ClusterConfig,
  standbyWriters: number,
  baseDir: string,
  ports: readonly number[],
): ClusterTopology {
  assert(
    Number.isInteger(standbyWriters) && standbyWriters >= 0,
    `standbyWriters must be a non-negative integer, got ${standbyWriters}`,
  );
  assert(ports.length === clusterNodeCount(config, standbyWriters), `expected one port per node, got ${ports.length}`);
  const { azCount, nodesPerAz } = config.geometry;
  let portNext = 0;
  const spec = (id: NodeId, role: NodeSpec['role'], az: number): NodeSpec =>
    Object.freeze({
      id,
      role,
      az,
      listen: Object.freeze({ host: localHost, port: ports[portNext++]! }),
      dataDir: nodePaths(baseDir, id).dataDir,
    });
  const storage: NodeSpec[] = [];
  for (let az = 0; az < azCount; az++) {
    for (let i = 0; i < nodesPerAz; i++) storage.push(spec(storageNodeId(az, i), 'storage', az));
  }
  // Writers are spread over the AZs so that losing one AZ leaves a standby elsewhere.
  const writers: NodeSpec[] = [];
  for (let w = 0; w <= standbyWriters; w++) writers.push(spec(writerNodeId(w), 'writer', w % azCount));
  return Object.freeze({
    nodes: Object.freeze([...storage, ...writers]),
    storage: Object.freeze(storage),
    writers: Object.freeze(writers),
  });
}

export function nodePaths(baseDir: string, id: NodeId): NodePaths {
  const nodesDir = path.join(baseDir, 'nodes');
  return {
    dataDir: path.join(nodesDir, id, 'data'),
    logPath: path.join(nodesDir, `${id}.log`),
    configPath: path.join(nodesDir, `${id}.json`),
  };
}

/** A node's config: every other node is a peer, dialled at the address its link gives. */
export function nodeConfigBuild(
  topology: ClusterTopology,
  node: NodeSpec,
  cluster: ClusterConfig,
  linkAddress: (from: NodeId, to: NodeId) => Address,
): NodeConfig {
  const peers = topology.nodes
    .filter((peer) => peer.id !== node.id)
    .map((peer) => ({ ...peer, dial: linkAddress(node.id, peer.id) }));
  return { node, cluster, peers };
}
