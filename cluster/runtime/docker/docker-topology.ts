// The shape of a Docker cluster: the same nodes as a local cluster (the local
// topology decides ids, roles and AZs), each in its own container with a fixed
// address in the run's subnet and one port for all, and a host directory per
// node bind-mounted into its container (config file and data directory), so
// the nemesis can corrupt data files from the host.

import path from 'node:path';
import { assert } from '../../../core/assert.js';
import type { ClusterConfig } from '../../config.js';
import type { NodeConfig, NodeSpec } from '../../topology.js';
import type { NodeId } from '../../topology.js';
import { clusterNodeCount, clusterTopologyBuild, nodeConfigBuild, nodePaths } from '../shared/cluster-topology.js';
import type { ClusterTopology } from '../shared/cluster-topology.js';
import { subnetHost, subnetHosts } from './subnet.js';
import type { Subnet } from './subnet.js';

/** Where a node's host directory is mounted inside its container. */
export const containerNodeDir = '/quorumlab/node';
export const containerConfigPath = `${containerNodeDir}/config.json`;
/** The first node's host number in the subnet (.1 is the gateway; a few spare below). */
export const hostNumberFirst = 10;

export interface DockerTopology {
  /** As seen from the host: container address and port, host data directory. */
  readonly host: ClusterTopology;
  /** As seen inside the containers: same addresses, container data directory. */
  readonly inside: ClusterTopology;
}

export interface DockerNodePaths {
  /** The host directory mounted at containerNodeDir. */
  readonly nodeDir: string;
  readonly configPath: string;
  readonly dataDir: string;
  readonly logPath: string;
}

export function dockerTopologyBuild(
  config: ClusterConfig,
  standbyWriters: number,
  baseDir: string,
  subnet: Subnet,
  port: number,
): DockerTopology {
  const count = clusterNodeCount(config, standbyWriters);
  assert(
    hostNumberFirst + count < subnetHosts(subnet),
    `subnet /${subnet.prefix} has too few addresses for ${count} nodes`,
  );
  const local = clusterTopologyBuild(config, standbyWriters, baseDir, new Array<number>(count).fill(port));
  const listen = new Map(
    local.nodes.map((node, i) => [node.id, Object.freeze({ host: subnetHost(subnet, hostNumberFirst + i), port })]),
  );
  const view = (dataDir: (node: NodeSpec) => string): ClusterTopology => {
    const map = (node: NodeSpec): NodeSpec =>
      Object.freeze({ ...node, listen: listen.get(node.id)!, dataDir: dataDir(node) });
    return Object.freeze({
      nodes: Object.freeze(local.nodes.map(map)),
      storage: Object.freeze(local.storage.map(map)),
      writers: Object.freeze(local.writers.map(map)),
    });
  };
  return {
    host: view((node) => dockerNodePaths(baseDir, node.id).dataDir),
    inside: view(() => `${containerNodeDir}/data`),
  };
}

export function dockerNodePaths(baseDir: string, id: NodeId): DockerNodePaths {
  // Data and log where the local runtime keeps them, so results look the same on both runtimes.
  const local = nodePaths(baseDir, id);
  const nodeDir = path.dirname(local.dataDir);
  return { nodeDir, configPath: path.join(nodeDir, 'config.json'), dataDir: local.dataDir, logPath: local.logPath };
}

/** A node's config as its container sees it: peers dialled at their container addresses. */
export function dockerNodeConfig(topology: DockerTopology, id: NodeId, cluster: ClusterConfig): NodeConfig {
  const node = topology.inside.nodes.find((candidate) => candidate.id === id);
  assert(node !== undefined, `no node ${id} in the topology`);
  return nodeConfigBuild(topology.inside, node, cluster, (_from, to) => {
    const peer = topology.inside.nodes.find((candidate) => candidate.id === to);
    assert(peer !== undefined, `no node ${to} in the topology`);
    return peer.listen;
  });
}
