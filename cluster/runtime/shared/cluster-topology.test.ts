// The shape of a cluster: ids, AZs, ports, paths and peer lists follow
// the geometry, and every dial address comes from the link function.

import { describe, expect, test } from 'vitest';
import { clusterConfigParse } from '../../config.js';
import type { NodeId } from '../../topology.js';
import { clusterTopologyBuild, clusterNodeCount, nodeConfigBuild, nodePaths } from './cluster-topology.js';

function config(azCount: number, nodesPerAz: number) {
  const writeQuorum = Math.floor((azCount * nodesPerAz) / 2) + 1;
  const parsed = clusterConfigParse({
    geometry: { azCount, nodesPerAz, writeQuorum, readQuorum: azCount * nodesPerAz - writeQuorum + 1 },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.config;
}

describe.each([
  [3, 2, 0],
  [3, 2, 2],
  [2, 3, 1],
  [1, 1, 0],
])('%i AZs x %i storage nodes with %i standby writer(s)', (azCount, nodesPerAz, standby) => {
  const cluster = config(azCount, nodesPerAz);
  const count = clusterNodeCount(cluster, standby);
  const ports = Array.from({ length: count }, (_, i) => 20_000 + i);
  const topology = clusterTopologyBuild(cluster, standby, '/base', ports);

  test('has one storage node per AZ slot and one writer plus the standbys, each on its own port', () => {
    expect(topology.storage.map((n) => n.id)).toEqual(
      Array.from({ length: azCount * nodesPerAz }, (_, i) => `s${Math.floor(i / nodesPerAz)}${i % nodesPerAz}`),
    );
    expect(topology.writers.map((n) => n.id)).toEqual(Array.from({ length: standby + 1 }, (_, i) => `w${i}`));
    expect(new Set(topology.nodes.map((n) => n.listen.port)).size).toBe(count);
    expect(topology.nodes.every((n) => n.listen.host === '127.0.0.1')).toBe(true);
  });

  test('places storage nodes in their AZ and spreads writers over the AZs', () => {
    for (const node of topology.storage) expect(node.az).toBe(Number(node.id[1]));
    expect(topology.writers.map((n) => n.az)).toEqual(topology.writers.map((_, i) => i % azCount));
  });

  test('keeps data, log and config of each node under the base directory', () => {
    const paths = nodePaths('/base', 's10' as NodeId);
    expect(paths).toEqual({
      dataDir: '/base/nodes/s10/data',
      logPath: '/base/nodes/s10.log',
      configPath: '/base/nodes/s10.json',
    });
    for (const node of topology.nodes) expect(node.dataDir).toBe(nodePaths('/base', node.id).dataDir);
  });

  test('gives each node every other node as a peer, dialled where the link function says', () => {
    const dial = (from: string, to: string) => ({ host: `${from}-to-${to}`, port: 1 });
    for (const node of topology.nodes) {
      const nodeConfig = nodeConfigBuild(topology, node, cluster, dial);
      expect(nodeConfig.peers.map((p) => p.id).sort()).toEqual(
        topology.nodes
          .filter((n) => n.id !== node.id)
          .map((n) => n.id)
          .sort(),
      );
      for (const peer of nodeConfig.peers) expect(peer.dial).toEqual(dial(node.id, peer.id));
    }
  });
});
