// Idle connections never lock out the store: more idle connections than a
// storage node or the writer accepts leave room for health probes, clients and
// the writer's own links, and a connection that sends half a frame and then
// nothing is closed within the stall bound. Real sockets on 127.0.0.1.

import net from 'node:net';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { frameHeaderBytes } from '../protocol/frame.js';
import { storageConnectionBounds } from '../storage/server.js';
import { clientConnectionBounds } from '../writer/limits.js';
import { clientLinkEnd } from '../runtime/local/link-address.js';
import type { Address } from '../topology.js';
import { storageNodeId, writerNodeId } from '../topology.js';
import { ClusterFixtures, okValue } from './test-support/cluster-fixture.js';
import type { TestCluster } from './test-support/cluster-fixture.js';

const fixtures = new ClusterFixtures();
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await fixtures.start();
});
afterAll(() => fixtures.cleanup());

const sockets: net.Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

/** Bound on one connect of the flood. */
const connectWaitMs = 3000;
/** Connects opened at once while flooding. */
const connectBatch = 50;

test('500 idle connections to a storage node leave room for a health probe and the writer', async () => {
  const node = storageNodeId(1, 1);
  const address = cluster.runtime.linkAddress(clientLinkEnd, node);
  const opened = await idleConnectionsOpen(address, 2 * storageConnectionBounds.connectionsMax - 12);
  expect(opened).toBeGreaterThan(storageConnectionBounds.connectionsMax);
  const health = await cluster.runtime.storageHealth(node, 2000);
  expect(health.ok ? health.health.ready : health).toBe(true);
  const client = await cluster.client();
  await okValue(client, { t: 'write', key: 'after-storage-flood', value: 1 });
  expect(await okValue(client, { t: 'read', key: 'after-storage-flood' })).toBe(1);
}, 60_000);

test('more idle connections than the writer accepts leave room for a client', async () => {
  const address = cluster.runtime.writerAddress();
  await idleConnectionsOpen(address, clientConnectionBounds.connectionsMax + 100);
  const client = await cluster.client();
  await okValue(client, { t: 'write', key: 'after-writer-flood', value: 2 });
  const health = await cluster.runtime.writerHealth(writerNodeId(0), 2000);
  expect(health.ok ? health.health.ready : health).toBe(true);
}, 60_000);

test('a storage node and the writer close a connection that sends half a frame and then nothing', async () => {
  const targets = [cluster.runtime.linkAddress(clientLinkEnd, storageNodeId(0, 0)), cluster.runtime.writerAddress()];
  const closedAfterMs = await Promise.all(targets.map((address) => halfFrameClosedAfterMs(address)));
  for (const ms of closedAfterMs) {
    expect(ms).toBeGreaterThanOrEqual(storageConnectionBounds.frameStallMs - 500);
    expect(ms).toBeLessThan(storageConnectionBounds.frameStallMs + 3000);
  }
}, 30_000);

/** Opens `count` connections that send nothing, in batches; returns how many the server accepted at first. */
async function idleConnectionsOpen(address: Address, count: number): Promise<number> {
  let connected = 0;
  for (let start = 0; start < count; start += connectBatch) {
    const batch = Array.from({ length: Math.min(connectBatch, count - start) }, () => idleConnect(address));
    connected += (await Promise.all(batch)).filter(Boolean).length;
  }
  return connected;
}

function idleConnect(address: Address): Promise<boolean> {
  const socket = net.connect(address);
  sockets.push(socket);
  socket.on('error', () => socket.destroy());
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), connectWaitMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/** Sends a header announcing 100 bytes and 10 of them; resolves with how long the server took to close it. */
async function halfFrameClosedAfterMs(address: Address): Promise<number> {
  const socket = net.connect(address);
  sockets.push(socket);
  socket.on('error', () => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const header = Buffer.alloc(frameHeaderBytes);
  header.writeUInt32BE(100, 0);
  const sentAt = performance.now();
  socket.write(Buffer.concat([header, Buffer.alloc(10, 0x20)]));
  const boundMs = storageConnectionBounds.frameStallMs + 3000;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(Number.POSITIVE_INFINITY), boundMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(performance.now() - sentAt);
    });
  });
}
