// Garbage on the wire: a frame with a bad checksum, a body that is not JSON, or
// a length beyond the bound closes that one connection with a logged reason,
// and the node goes on serving everyone else.

import { readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { crc32c } from '../../core/crc32c.js';
import { frameHeaderBytes } from '../protocol/frame.js';
import { clientLinkEnd } from '../runtime/local/link-address.js';
import type { NodeId } from '../topology.js';
import { storageNodeId, writerNodeId } from '../topology.js';
import { ClusterFixtures, eventually, okValue } from './test-support/cluster-fixture.js';
import type { TestCluster } from './test-support/cluster-fixture.js';

const fixtures = new ClusterFixtures();
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await fixtures.start();
});
afterAll(() => fixtures.cleanup());

const closeWaitMs = 3000;

const garbage: Record<string, () => Buffer> = {
  'a bad checksum': () => frame(Buffer.from('{"t":"health","id":1,"rid":1}'), 0xdeadbeef),
  'a body that is not JSON': () => {
    const body = Buffer.from('this is not json');
    return frame(body, crc32c(body));
  },
  'a length beyond the bound': () => frame(Buffer.alloc(16), 0, 0xffff_fff0),
};

test.each(
  [writerNodeId(0), storageNodeId(1, 1)].flatMap((node) =>
    Object.keys(garbage).map((kind) => [node, kind] as [NodeId, string]),
  ),
)('%s closes a connection that sends %s, logs why, and keeps serving', async (node, kind) => {
  const logPath = cluster.runtime.nodeLogPath(node);
  const logBytesBefore = statSync(logPath).size;
  const socket = net.connect(cluster.runtime.linkAddress(clientLinkEnd, node));
  const localPort = await new Promise<number>((resolve, reject) => {
    socket.once('connect', () => resolve(socket.localPort!));
    socket.once('error', reject);
  });
  const closed = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), closeWaitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  socket.on('error', () => socket.destroy());
  socket.write(garbage[kind]!());
  const wasClosed = await closed;
  socket.destroy();
  expect(wasClosed, `${node} closed the connection within ${closeWaitMs} ms`).toBe(true);

  const warning = await eventually(`a WARN line in ${logPath} naming the connection`, closeWaitMs, () => {
    const added = readFileSync(logPath, 'utf8').slice(logBytesBefore);
    return Promise.resolve(
      added.split('\n').find((line) => / WARN /.test(line) && line.includes(String(localPort))) ?? null,
    );
  });
  expect(warning).toMatch(/frame|checksum|json|limit|exceeds/i);

  if (node.startsWith('w')) {
    await okValue(await cluster.client(), { t: 'write', key: `still-serving-${kind}`, value: 1 });
  } else {
    const health = await cluster.runtime.storageHealth(node, 1000);
    expect(health.ok && health.health.ready).toBe(true);
  }
});

function frame(body: Buffer, crc: number, length = body.length): Buffer {
  const header = Buffer.alloc(frameHeaderBytes);
  header.writeUInt32BE(length, 0);
  header.writeUInt32BE(crc >>> 0, 4);
  return Buffer.concat([header, body]);
}
