import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { frameEncode } from '../protocol/frame.js';
import { TestCluster } from './test-support/cluster.js';

const opMs = 3000;
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

describe('writer with real storage nodes', () => {
  it.each([1, 3])('reads back what it acknowledged (%i PGs)', async (pgCount) => {
    const client = await (await started({ pgCount })).client();
    for (let i = 0; i < 20; i++)
      expect(await client.request({ t: 'write', key: `k${i}`, value: i }, opMs)).toEqual({ ok: true, value: null });
    for (let i = 0; i < 20; i++)
      expect(await client.request({ t: 'read', key: `k${i}` }, opMs)).toEqual({ ok: true, value: i });
    expect(await client.request({ t: 'read', key: 'never-written' }, opMs)).toEqual({ ok: true, value: null });
  });

  it('applies cas only when the current value matches, and says definitely when it did not', async () => {
    const client = await (await started()).client();
    expect(await client.request({ t: 'cas', key: 'c', from: null, to: 1 }, opMs)).toMatchObject({ ok: true });
    expect(await client.request({ t: 'cas', key: 'c', from: 1, to: 2 }, opMs)).toMatchObject({ ok: true });
    expect(await client.request({ t: 'cas', key: 'c', from: 1, to: 3 }, opMs)).toMatchObject({
      ok: false,
      code: 'cas-mismatch',
      definite: true,
    });
    expect(await client.request({ t: 'cas', key: 'c', from: '2', to: 3 }, opMs)).toMatchObject({
      ok: false,
      code: 'cas-mismatch',
    });
    expect(await client.request({ t: 'read', key: 'c' }, opMs)).toEqual({ ok: true, value: 2 });
  });

  it('keeps appends in the order they were acknowledged and refuses mixing lists and registers', async () => {
    const client = await (await started({ pgCount: 3 })).client();
    for (let i = 0; i < 10; i++) await client.request({ t: 'append', key: 'list', value: i }, opMs);
    const concurrent = await Promise.all(
      Array.from({ length: 30 }, (_, i) => client.request({ t: 'append', key: 'list', value: 100 + i }, opMs)),
    );
    expect(concurrent.every((r) => r.ok)).toBe(true);
    const read = await client.request({ t: 'read-list', key: 'list' }, opMs);
    expect(read.ok && (read.value as number[]).slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(read.ok && [...(read.value as number[])].sort((a, b) => a - b)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => i),
      ...Array.from({ length: 30 }, (_, i) => 100 + i),
    ]);
    expect(await client.request({ t: 'write', key: 'list', value: 1 }, opMs)).toMatchObject({
      ok: false,
      code: 'wrong-type',
      definite: true,
    });
    expect(await client.request({ t: 'read', key: 'list' }, opMs)).toMatchObject({ ok: false, code: 'wrong-type' });
    await client.request({ t: 'write', key: 'reg', value: 1 }, opMs);
    expect(await client.request({ t: 'append', key: 'reg', value: 1 }, opMs)).toMatchObject({
      ok: false,
      code: 'wrong-type',
    });
    expect(await client.request({ t: 'read-list', key: 'empty' }, opMs)).toEqual({ ok: true, value: [] });
  });

  it('answers bad-request for a malformed request and closes only the connection that sent a bad frame', async () => {
    const c = await started();
    const client = await c.client();
    expect(await client.request({ t: 'write', key: 'k', value: 'x'.repeat(5000) }, opMs)).toMatchObject({
      ok: false,
      code: 'bad-request',
      definite: true,
    });
    const raw = net.connect(c.address('w0'));
    await new Promise((resolve) => raw.once('connect', resolve));
    const closed = new Promise((resolve) => raw.once('close', resolve));
    const frame = frameEncode({ t: 'read', id: 1, key: 'k' });
    frame.writeUInt32BE(0xdeadbeef, 4);
    raw.write(frame);
    await closed;
    expect(await c.logOf('w0')).toMatch(/WARN w0 closing client connection .*frame-checksum/);
    expect(await client.request({ t: 'write', key: 'k', value: 1 }, opMs)).toMatchObject({ ok: true });
  });

  it('with the cache off, serves reads from storage nodes at the read point', async () => {
    const c = await started({ writer: { cacheEnabled: false }, pgCount: 2 });
    const client = await c.client();
    for (let i = 0; i < 5; i++) await client.request({ t: 'write', key: `k${i}`, value: i * 10 }, opMs);
    await client.request({ t: 'append', key: 'l', value: 'a' }, opMs);
    await client.request({ t: 'append', key: 'l', value: 'b' }, opMs);
    for (let i = 0; i < 5; i++)
      expect(await client.request({ t: 'read', key: `k${i}` }, opMs)).toEqual({ ok: true, value: i * 10 });
    expect(await client.request({ t: 'read-list', key: 'l' }, opMs)).toEqual({ ok: true, value: ['a', 'b'] });
    let served = 0;
    for (const id of c.storageIds) {
      const health = await c.storageRequest(id, { t: 'health' });
      if (health?.t === 'health-result') served += health.stats.readsServed;
    }
    expect(served).toBeGreaterThanOrEqual(6);
  });
});
