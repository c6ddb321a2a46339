import { afterEach, describe, expect, it } from 'vitest';
import { clockCreate, pollUntil } from '../../core/clock.js';
import type { BugName } from '../config.js';
import { TestCluster } from './test-support/cluster.js';

const opMs = 4000;
/** Bound on the writer admitting a storage node: connect (with reconnect backoff) and handshake. */
const admitWaitMs = 10_000;
const clock = clockCreate();
let cluster: TestCluster | null = null;

afterEach(async () => {
  await cluster?.cleanup();
  cluster = null;
});

describe('deliberate read bugs', () => {
  it.each([
    [[] as BugName[], 1],
    [['read-uncommitted'] as BugName[], 2],
  ])('with bugs %j, a read while the newer write lacks a quorum returns %j', async (bugs, expected) => {
    cluster = await TestCluster.create({ bugs, writer: { quorumTimeoutMs: 400 } });
    const c = cluster;
    await c.start();
    const client = await c.client();
    expect(await client.request({ t: 'write', key: 'k', value: 1 }, opMs)).toMatchObject({ ok: true });
    for (const id of ['s00', 's01', 's10']) await c.nodeKill(id);
    expect(await client.request({ t: 'write', key: 'k', value: 2 }, opMs)).toMatchObject({
      ok: false,
      code: 'quorum-timeout',
    });
    expect(await client.request({ t: 'read', key: 'k' }, opMs)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [[] as BugName[], false],
    [['stale-storage-read'] as BugName[], true],
  ])('with bugs %j and the cache off, reads see an older value from a lagging node: %j', async (bugs, staleSeen) => {
    // No gossip: a storage node that missed writes stays behind, and only its SCL tells.
    cluster = await TestCluster.create({
      bugs,
      writer: { cacheEnabled: false },
      storage: { gossipIntervalMs: 600_000 },
    });
    const c = cluster;
    await c.start();
    const client = await c.client();
    expect(await client.request({ t: 'write', key: 'k', value: 0 }, opMs)).toMatchObject({ ok: true });
    const admittedBefore = await admissionsWait(c, 's00', 1);
    await c.nodeKill('s00');
    for (let v = 1; v <= 5; v++)
      expect(await client.request({ t: 'write', key: 'k', value: v }, opMs)).toMatchObject({ ok: true });
    await c.nodeStart('s00');
    // Reads go only to admitted nodes: wait until the writer took the restarted, lagging node back.
    await admissionsWait(c, 's00', admittedBefore + 1);
    const values = new Set<unknown>();
    for (let i = 0; i < 60; i++) {
      const read = await client.request({ t: 'read', key: 'k' }, opMs);
      values.add(read.ok ? read.value : read.code);
    }
    expect(values.has(5)).toBe(true);
    expect(values.size > 1).toBe(staleSeen);
  });
});

/**
 * Waits until writer w0 has admitted storage node `id` at least `count` times (its log says so after the
 * handshake on every connect) and returns how many times it has.
 */
function admissionsWait(c: TestCluster, id: string, count: number): Promise<number> {
  const admitted = new RegExp(`storage node ${id} is up to date with epoch`, 'g');
  let seen = 0;
  return pollUntil(clock, {
    what: `w0 to admit storage node ${id} (${count} times in all)`,
    timeoutMs: admitWaitMs,
    intervalMs: 20,
    probe: async () => {
      seen = (await c.logOf('w0')).match(admitted)?.length ?? 0;
      return seen >= count ? seen : null;
    },
    detail: () => `admitted ${seen} times`,
  });
}
