import { afterEach, describe, expect, it } from 'vitest';
import { TestCluster } from './test-support/cluster.js';

const opMs = 4000;
let cluster: TestCluster | null = null;

afterEach(async () => {
  await cluster?.cleanup();
  cluster = null;
});

async function started(options: Parameters<typeof TestCluster.create>[0] = {}): Promise<TestCluster> {
  cluster = await TestCluster.create(options);
  await cluster.start();
  return cluster;
}

/** Kills the storage nodes of AZ 0 and one of AZ 1: three of six remain, one short of the write quorum. */
async function threeStorageNodesKill(c: TestCluster): Promise<void> {
  for (const id of ['s00', 's01', 's10']) await c.nodeKill(id);
}

describe('acknowledgement and the write quorum', () => {
  it('acknowledges nothing while only 3 of 6 storage nodes run, and completes the write once a fourth returns', async () => {
    const c = await started({ writer: { quorumTimeoutMs: 500 } });
    const client = await c.client();
    expect(await client.request({ t: 'write', key: 'k', value: 1 }, opMs)).toMatchObject({ ok: true });
    await threeStorageNodesKill(c);
    expect(await client.request({ t: 'write', key: 'k', value: 2 }, opMs)).toMatchObject({
      ok: false,
      code: 'quorum-timeout',
      definite: false,
    });
    expect(await client.request({ t: 'read', key: 'k' }, opMs)).toEqual({ ok: true, value: 1 });
    // A cas that sees the value still in flight may not answer cas-mismatch: that value could yet vanish.
    expect(await client.request({ t: 'cas', key: 'k', from: 7, to: 3 }, opMs)).toMatchObject({
      ok: false,
      definite: false,
    });
    await c.nodeStart('s00');
    expect(await client.request({ t: 'write', key: 'other', value: 1 }, opMs)).toMatchObject({ ok: true });
    expect(await client.request({ t: 'read', key: 'k' }, opMs)).toEqual({ ok: true, value: 2 });
  });

  it('with ack-before-quorum on, acknowledges a write that only 3 storage nodes hold', async () => {
    const c = await started({ bugs: ['ack-before-quorum'], writer: { quorumTimeoutMs: 500 } });
    const client = await c.client();
    await threeStorageNodesKill(c);
    expect(await client.request({ t: 'write', key: 'k', value: 2 }, opMs)).toMatchObject({ ok: true });
  });

  it('keeps at most allocationLimit records in flight: extra writes wait, then fail definitely when nothing becomes durable', async () => {
    const c = await started({ writer: { allocationLimit: 4, backpressureTimeoutMs: 400, quorumTimeoutMs: 300 } });
    const client = await c.client();
    const many = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client.request({ t: 'write', key: `k${i % 5}`, value: i }, opMs)),
    );
    expect(many.every((r) => r.ok)).toBe(true);
    await threeStorageNodesKill(c);
    const stuck = await Promise.all(
      Array.from({ length: 10 }, (_, i) => client.request({ t: 'write', key: `s${i}`, value: i }, opMs)),
    );
    const codes = stuck.map((r) => (r.ok ? 'ok' : r.code));
    expect(codes.filter((code) => code === 'quorum-timeout')).toHaveLength(4);
    expect(codes.filter((code) => code === 'backpressure-timeout')).toHaveLength(6);
    expect(stuck.filter((r) => !r.ok && r.code === 'backpressure-timeout').every((r) => !r.ok && r.definite)).toBe(
      true,
    );
    const health = await c.writerHealth('w0');
    expect(health!.lsnNext - 1 - health!.vdl).toBeLessThanOrEqual(4);
  });
});
