import { afterEach, describe, expect, it } from 'vitest';
import { clockCreate, pollUntil } from '../../core/clock.js';
import { TestCluster } from './test-support/cluster.js';

const opMs = 5000;
/** Bound on the race of two promotions settling: the loser is fenced by its next storage request. */
const settleWaitMs = 5000;
const clock = clockCreate();
let cluster: TestCluster | null = null;

afterEach(async () => {
  await cluster?.cleanup();
  cluster = null;
});

describe('failover and fencing', () => {
  it('promotes a standby that takes over with every acknowledged write', async () => {
    cluster = await TestCluster.create({ standbys: 1, pgCount: 2 });
    const c = cluster;
    await c.start();
    const primary = await c.client('w0');
    for (let i = 0; i < 10; i++) await primary.request({ t: 'write', key: `k${i}`, value: i }, opMs);
    const standby = await c.client('w1');
    expect(await standby.request({ t: 'read', key: 'k1' }, opMs)).toMatchObject({
      ok: false,
      code: 'not-ready',
      definite: true,
    });
    expect((await c.writerHealth('w1'))?.role).toBe('standby');
    await c.nodeKill('w0');
    expect(await standby.request({ t: 'promote' }, opMs)).toMatchObject({
      ok: true,
      value: { role: 'writer', ready: true },
    });
    for (let i = 0; i < 10; i++)
      expect(await standby.request({ t: 'read', key: `k${i}` }, opMs)).toEqual({ ok: true, value: i });
    expect(await standby.request({ t: 'write', key: 'k0', value: 'after' }, opMs)).toMatchObject({ ok: true });
  });

  it('lets exactly one of two writers promoted at once become the primary', async () => {
    cluster = await TestCluster.create({ standbys: 2 });
    const c = cluster;
    await Promise.all(c.storageIds.map((id) => c.nodeStart(id)));
    await c.nodeStart('w1');
    await c.nodeStart('w2');
    const [a, b] = [await c.client('w1'), await c.client('w2')];
    await Promise.all([a.request({ t: 'promote' }, opMs), b.request({ t: 'promote' }, opMs)]);
    let roles: (string | undefined)[] = [];
    await pollUntil(clock, {
      what: 'one of w1, w2 to be the writer and the other a standby',
      timeoutMs: settleWaitMs,
      intervalMs: 50,
      probe: async () => {
        roles = [(await c.writerHealth('w1'))?.role, (await c.writerHealth('w2'))?.role];
        return roles.includes('writer') && roles.includes('standby') ? roles : null;
      },
      detail: () => `roles seen last: ${roles.join(', ')}`,
    });
    const winner = roles[0] === 'writer' ? a : b;
    const loser = roles[0] === 'writer' ? b : a;
    expect(await winner.request({ t: 'write', key: 'k', value: 1 }, opMs)).toMatchObject({ ok: true });
    expect(await loser.request({ t: 'write', key: 'k', value: 2 }, opMs)).toMatchObject({
      ok: false,
      code: 'not-ready',
    });
  });

  it('gets no write acknowledged, and serves no stale read, once a newer writer took its epoch', async () => {
    cluster = await TestCluster.create({ standbys: 1 });
    const c = cluster;
    await c.start();
    const old = await c.client('w0');
    expect(await old.request({ t: 'write', key: 'k', value: 'old' }, opMs)).toMatchObject({ ok: true });
    await c.nodePause('w0');
    const fresh = await c.client('w1');
    expect(await fresh.request({ t: 'promote' }, opMs)).toMatchObject({ ok: true });
    expect(await fresh.request({ t: 'write', key: 'k', value: 'new' }, opMs)).toMatchObject({ ok: true });
    const pendingOnOld = old.request({ t: 'read', key: 'k' }, opMs);
    await c.nodeResume('w0');
    const results = await Promise.all([
      pendingOnOld,
      ...Array.from({ length: 20 }, (_, i) => old.request({ t: 'write', key: `w${i}`, value: i }, opMs)),
      old.request({ t: 'read', key: 'k' }, opMs),
    ]);
    const writes = results.slice(1, -1);
    expect(writes.filter((r) => r.ok)).toHaveLength(0);
    for (const read of [results[0], results.at(-1)]) {
      if (read?.ok) expect(read.value).toBe('new');
    }
    expect((await c.writerHealth('w0'))?.role).toBe('standby');
    for (let i = 0; i < 20; i++)
      expect(await fresh.request({ t: 'read', key: `w${i}` }, opMs)).toEqual({ ok: true, value: null });
  });
});
