import { afterEach, describe, expect, it } from 'vitest';
import { prngCreate } from '../../core/prng.js';
import type { LinkLayerCreate } from '../../cluster/runtime/local/link-address.js';
import { storageNodeId, writerNodeId, type NodeId, type NodeSpec } from '../../cluster/topology.js';
import { clientLinkEnd, clusterLinks, linkKey, type LinkEnd } from '../links/link.js';
import { linkModeBlackhole } from '../links/link-mode.js';
import { partitionPlan } from '../links/partition.js';
import { linkLayerProxyCreate, type ProxyMesh } from './proxy-mesh.js';
import {
  clientConnect,
  connectRefused,
  echoServerStart,
  eventually,
  type TestClient,
} from '../test-support/net-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Three nodes, each an echo server that greets with its own id, behind a proxy mesh. */
async function meshRig(): Promise<{ nodes: NodeSpec[]; mesh: ProxyMesh }> {
  const ids = [storageNodeId(0, 0), storageNodeId(1, 0), writerNodeId(0)];
  const nodes: NodeSpec[] = [];
  for (const [az, id] of ids.entries()) {
    const server = await echoServerStart({ greeting: `[${id}]` });
    cleanups.push(() => server.close());
    nodes.push({
      id,
      role: id.startsWith('w') ? 'writer' : 'storage',
      az,
      listen: server.address,
      dataDir: `/nonexistent/${id}`,
    });
  }
  // The local runtime takes the layer factory as is; the mesh it builds stays reachable for the nemesis.
  const create = linkLayerProxyCreate(prngCreate(3)) satisfies LinkLayerCreate;
  const mesh = await create(nodes);
  cleanups.push(() => mesh.close());
  return { nodes, mesh };
}

async function dial(mesh: ProxyMesh, from: LinkEnd, to: NodeId): Promise<TestClient> {
  const client = await clientConnect(mesh.linkAddress(from, to));
  cleanups.push(() => void client.socket.destroy());
  return client;
}

describe('proxy mesh', () => {
  it('gives every dialled link its own listener that reaches the right node', async () => {
    const { nodes, mesh } = await meshRig();
    const links = clusterLinks(nodes);
    expect(links.map(linkKey)).toContain(`${clientLinkEnd}->w0`);
    expect(new Set(links.map((link) => mesh.linkAddress(link.from, link.to as NodeId).port)).size).toBe(links.length);
    for (const link of links) {
      const client = await dial(mesh, link.from, link.to as NodeId);
      await eventually(`the greeting of ${link.to}`, () => client.received().toString() === `[${link.to}]`);
    }
    expect(() => mesh.linkAddress(writerNodeId(0), writerNodeId(0))).toThrow(/no proxied link/);
  });

  it('applies a partition to its links only, reports it in the counters, and heals', async () => {
    const { nodes, mesh } = await meshRig();
    const plan = partitionPlan('isolate-node', nodes, prngCreate(11));
    if (!plan.ok) throw new Error(plan.error);
    const cut = new Set(plan.partition.links.map(linkKey));
    mesh.linksModeSet(plan.partition.links, linkModeBlackhole);

    const between = clusterLinks(nodes).filter((link) => link.from !== clientLinkEnd);
    const clients = await Promise.all(between.map((link) => dial(mesh, link.from, link.to as NodeId)));
    for (const [i, link] of between.entries()) {
      const client = clients[i]!;
      client.socket.write('?');
      if (cut.has(linkKey(link))) {
        await eventually(`${linkKey(link)} to drop the request`, () => mesh.linkCounters(link).bytesDropped >= 1);
        expect(client.received().length).toBe(0);
      } else {
        await eventually(`${linkKey(link)} to greet and echo`, () => client.received().toString() === `[${link.to}]?`);
      }
    }
    const reported = mesh.linkReports().filter((report) => report.mode.kind === 'blackhole');
    expect(reported.map((report) => linkKey(report.link)).sort()).toEqual([...cut].sort());

    mesh.heal();
    expect(mesh.linkReports().every((report) => report.mode.kind === 'pass')).toBe(true);
    for (const link of between.filter((l) => cut.has(linkKey(l)))) {
      const client = await dial(mesh, link.from, link.to as NodeId);
      client.socket.write('!');
      await eventually(
        `${linkKey(link)} to carry traffic after the heal`,
        () => client.received().toString() === `[${link.to}]!`,
      );
    }
  });

  it('closes every listener on close()', async () => {
    const { nodes, mesh } = await meshRig();
    const addresses = clusterLinks(nodes).map((link) => mesh.linkAddress(link.from, link.to as NodeId));
    await mesh.close();
    for (const address of addresses) expect(await connectRefused(address)).toBe(true);
  });
});
