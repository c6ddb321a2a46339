// Losing storage nodes: a whole AZ (2 of 6) leaves a write quorum (4), so writes
// go on; one more (AZ+1) leaves only a read quorum, so writes stop being
// acknowledged while committed data stays readable; bringing the nodes back
// lets writes resume, and nothing acknowledged is ever lost.

import { afterEach, expect, test } from 'vitest';
import { storageNodeId } from '../topology.js';
import { ClusterFixtures, okValue, requestTimeoutMs, writeUntilAcked } from './test-support/cluster-fixture.js';

const fixtures = new ClusterFixtures();
afterEach(() => fixtures.cleanup());

/** Writes attempted while the cluster cannot reach a write quorum; each waits quorumTimeoutMs. */
const writesWithoutQuorum = 3;

test.each([
  ['on', true],
  ['off', false],
])(
  'losing an AZ keeps writes going, AZ+1 stops them without losing data, and a restart resumes them (read cache %s)',
  async (_label, cacheEnabled) => {
    const cluster = await fixtures.start({ writer: { cacheEnabled } });
    const { runtime } = cluster;
    const client = await cluster.client();
    const acked = new Map<string, number>();
    const write = async (key: string, value: number): Promise<void> => {
      await okValue(client, { t: 'write', key, value });
      acked.set(key, value);
    };
    for (let i = 0; i < 5; i++) await write(`before-${i}`, i);

    await runtime.nodeKill(storageNodeId(0, 0));
    await runtime.nodeKill(storageNodeId(0, 1));
    for (let i = 0; i < 5; i++) await write(`az-down-${i}`, 100 + i);

    await runtime.nodeKill(storageNodeId(1, 0));
    for (let i = 0; i < writesWithoutQuorum; i++) {
      const result = await client.request({ t: 'write', key: `no-quorum-${i}`, value: 200 + i }, requestTimeoutMs);
      expect(result.ok, `write ${i} acknowledged with only 3 of 6 storage nodes up`).toBe(false);
    }
    for (const [key, value] of acked) expect(await okValue(client, { t: 'read', key })).toBe(value);

    await Promise.all(
      [storageNodeId(0, 0), storageNodeId(0, 1), storageNodeId(1, 0)].map((id) => runtime.nodeStart(id)),
    );
    await writeUntilAcked(cluster, 'after-restart', 300, 10_000);
    acked.set('after-restart', 300);
    const reader = await cluster.client();
    for (const [key, value] of acked)
      expect(await okValue(reader, { t: 'read', key }), `acknowledged ${key}`).toBe(value);
    for (let i = 0; i < writesWithoutQuorum; i++) {
      // Never acknowledged, so either outcome is allowed, but only the value that was sent.
      expect([null, 200 + i]).toContain(await okValue(reader, { t: 'read', key: `no-quorum-${i}` }));
    }
  },
);
