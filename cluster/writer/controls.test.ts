import { afterEach, describe, expect, it } from 'vitest';
import { clockCreate, pollUntil } from '../../core/clock.js';
import { writerTune } from '../admin-client.js';
import type { StoreClient } from '../client.js';
import { TestCluster } from './test-support/cluster.js';

const opMs = 5000;
const clock = clockCreate();
let cluster: TestCluster | null = null;

afterEach(async () => {
  await cluster?.cleanup();
  cluster = null;
});

/** Each storage node's readsServed, by node id. */
async function readsServed(c: TestCluster): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const id of c.storageIds) {
    const health = await c.storageRequest(id, { t: 'health' });
    if (health?.t !== 'health-result') throw new Error(`${id} did not answer health: ${JSON.stringify(health)}`);
    out.set(id, health.stats.readsServed);
  }
  return out;
}

function growth(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...after].map(([id, served]) => [id, served - (before.get(id) ?? 0)]));
}

function total(counts: ReadonlyMap<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

const keys = Array.from({ length: 6 }, (_, i) => `k${i}`);

async function writeKeys(client: StoreClient): Promise<void> {
  for (const [i, key] of keys.entries())
    expect(await client.request({ t: 'write', key, value: i }, opMs)).toMatchObject({ ok: true });
}

/** `count` reads cycling over the keys, each checked against its value. */
async function readKeys(client: StoreClient, count: number): Promise<void> {
  for (let n = 0; n < count; n++) {
    const i = n % keys.length;
    expect(await client.request({ t: 'read', key: keys[i]! }, opMs)).toEqual({ ok: true, value: i });
  }
}

describe('the tune control of the writer, with the cache on', () => {
  it('sends reads to storage during a storage-reads window only', async () => {
    cluster = await TestCluster.create();
    const c = cluster;
    await c.start();
    const client = await c.client();
    const address = c.address('w0');
    await writeKeys(client);
    let before = await readsServed(c);
    await readKeys(client, 12);
    expect(total(growth(before, await readsServed(c)))).toBe(0);

    const opened = await writerTune(address, { storageReadsMs: 3000 }, opMs);
    expect(opened).toMatchObject({ ok: true, readSpread: 'default' });
    expect(opened.ok && opened.storageReadsMs).toBeGreaterThan(2000);
    before = await readsServed(c);
    await readKeys(client, 12);
    expect(total(growth(before, await readsServed(c)))).toBeGreaterThanOrEqual(12);

    await pollUntil(clock, {
      what: 'the storage-reads window to close',
      timeoutMs: 6000,
      intervalMs: 100,
      probe: async () => {
        const settings = await writerTune(address, {}, opMs);
        return settings.ok && settings.storageReadsMs === 0 ? settings : null;
      },
    });
    before = await readsServed(c);
    await readKeys(client, 12);
    expect(total(growth(before, await readsServed(c)))).toBe(0);
  });

  it('spreads storage reads over every node round-robin, ends the window early at 0, and refuses one past its bound', async () => {
    cluster = await TestCluster.create();
    const c = cluster;
    await c.start();
    const client = await c.client();
    const address = c.address('w0');
    const refused = await client.request({ t: 'tune', storageReadsMs: 60_001 }, opMs);
    expect(refused).toMatchObject({ ok: false, code: 'bad-request', definite: true });
    expect(!refused.ok && refused.message).toMatch(
      /tune\.storageReadsMs: expected an integer from 0 to 60000, got 60001/,
    );
    expect(await writerTune(address, { storageReadsMs: 60_001 }, opMs)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^tune failed: bad-request: /) as unknown,
    });
    await writeKeys(client);
    expect(await writerTune(address, { storageReadsMs: 60_000, readSpread: 'round-robin' }, opMs)).toMatchObject({
      ok: true,
      readSpread: 'round-robin',
    });
    const before = await readsServed(c);
    await readKeys(client, 36);
    const grown = growth(before, await readsServed(c));
    expect(
      [...grown.values()].every((served) => served > 0),
      JSON.stringify([...grown]),
    ).toBe(true);
    expect(grown.size).toBe(6);

    expect(await writerTune(address, { storageReadsMs: 0, readSpread: 'default' }, opMs)).toEqual({
      ok: true,
      storageReadsMs: 0,
      readSpread: 'default',
    });
    const after = await readsServed(c);
    await readKeys(client, 12);
    expect(total(growth(after, await readsServed(c)))).toBe(0);
  });

  it('is answered by a standby, and holds once the standby is promoted', async () => {
    cluster = await TestCluster.create({ standbys: 1 });
    const c = cluster;
    await c.start();
    await writeKeys(await c.client('w0'));
    const standby = c.address('w1');
    expect(await writerTune(standby, { storageReadsMs: 60_000, readSpread: 'round-robin' }, opMs)).toMatchObject({
      ok: true,
      readSpread: 'round-robin',
    });
    await c.nodeKill('w0');
    const client = await c.client('w1');
    expect(await client.request({ t: 'promote' }, opMs)).toMatchObject({ ok: true, value: { role: 'writer' } });
    const before = await readsServed(c);
    const grown = await pollUntil(clock, {
      what: 'every storage node to serve reads of the promoted writer',
      timeoutMs: 10_000,
      intervalMs: 0,
      probe: async () => {
        await readKeys(client, 12);
        const now = growth(before, await readsServed(c));
        return [...now.values()].every((served) => served > 0) ? now : null;
      },
    });
    expect(grown.size).toBe(6);
  });
});
