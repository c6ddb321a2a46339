import { afterEach, describe, expect, it } from 'vitest';
import { clockCreate, pollUntil } from '../../core/clock.js';
import type { StoreClient } from '../client.js';
import { epochOf, lsnOf, pgIdOf } from '../protocol/ids.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { TestCluster } from './test-support/cluster.js';

const opMs = 4000;
/** The kill comes once every key has this many writes acknowledged, so there is state to recover on each. */
const ackedBeforeKill = 5;
const loadWaitMs = 20_000;
let cluster: TestCluster | null = null;

afterEach(async () => {
  await cluster?.cleanup();
  cluster = null;
});

/** One logical writer per key: increasing values, one at a time, until stopped. */
interface KeyLoad {
  readonly key: string;
  acked: number;
  sent: number;
}

async function keyLoadRun(client: StoreClient, load: KeyLoad, until: () => boolean): Promise<void> {
  while (!until()) {
    const value = load.sent + 1;
    load.sent = value;
    const result = await client.request(
      { t: load.key.startsWith('l') ? 'append' : 'write', key: load.key, value },
      1500,
    );
    if (result.ok) load.acked = value;
    else if (result.code === 'connection-lost' || result.code === 'not-connected') return;
  }
}

describe('recovery', () => {
  it.each([true, false])(
    'after the writer is killed under load, keeps every acknowledged write and shows no write partially (cache %s)',
    async (cacheEnabled) => {
      cluster = await TestCluster.create({ pgCount: 3, writer: { cacheEnabled } });
      const c = cluster;
      await c.start();
      const client = await c.client();
      const loads: KeyLoad[] = Array.from({ length: 24 }, (_, i) => ({
        key: i % 3 === 0 ? `l${i}` : `r${i}`,
        acked: 0,
        sent: 0,
      }));
      let stop = false;
      const running = Promise.all(loads.map((load) => keyLoadRun(client, load, () => stop)));
      await pollUntil(clockCreate(), {
        what: `${ackedBeforeKill} acknowledged writes on each of ${loads.length} keys`,
        timeoutMs: loadWaitMs,
        intervalMs: 20,
        probe: () => (loads.every((load) => load.acked >= ackedBeforeKill) ? true : null),
        detail: () => `fewest acknowledged: ${Math.min(...loads.map((load) => load.acked))}`,
      });
      await c.nodeKill('w0');
      stop = true;
      await running;
      await c.nodeStart('w0');
      await c.writerReady('w0');
      const after = await c.client();
      for (const load of loads) {
        if (load.key.startsWith('l')) {
          const read = await after.request({ t: 'read-list', key: load.key }, opMs);
          const list = read.ok ? (read.value as number[]) : [];
          // The list is 1, 2, ..., n with every acknowledged append in it and nothing after the last one sent.
          expect(list).toEqual(Array.from({ length: list.length }, (_, i) => i + 1));
          expect(list.length).toBeGreaterThanOrEqual(load.acked);
          expect(list.length).toBeLessThanOrEqual(load.sent);
        } else {
          const read = await after.request({ t: 'read', key: load.key }, opMs);
          const value = read.ok ? (read.value as number | null) : -1;
          expect(value === null ? 0 : value).toBeGreaterThanOrEqual(load.acked);
          expect(value === null ? 0 : value).toBeLessThanOrEqual(load.sent);
        }
      }
      expect(loads.reduce((sum, load) => sum + load.acked, 0)).toBeGreaterThan(24);
      const health = await c.writerHealth('w0');
      expect(health!.epoch).toBe(2);
    },
  );

  it('gives the same result when a recovery is interrupted and run again', async () => {
    cluster = await TestCluster.create({ pgCount: 2 });
    const c = cluster;
    await c.start();
    const client = await c.client();
    for (let i = 0; i < 30; i++)
      expect(
        await client.request({ t: i % 2 === 0 ? 'write' : 'append', key: `k${i % 6}`, value: i }, opMs),
      ).toMatchObject({ ok: true });
    await c.nodeKill('w0');
    // Kill the restarted writer right after its epoch claim, then right after its first truncation and repair.
    for (const step of [/recovery: epoch \d+ claimed/g, /recovery: PG 0 chain tail/g]) {
      const seen = (await c.logOf('w0')).match(step)?.length ?? 0;
      await c.nodeStart('w0', { recovered: false });
      await c.logUntil('w0', step, seen + 1);
      await c.nodeKill('w0');
    }
    await c.nodeStart('w0');
    const health = await c.writerReady('w0');
    expect(health.epoch).toBeGreaterThanOrEqual(4);
    const after = await c.client();
    for (let k = 0; k < 6; k++) {
      const values = Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 6 === k);
      const read = await after.request({ t: k % 2 === 0 ? 'read' : 'read-list', key: `k${k}` }, opMs);
      expect(read).toEqual({ ok: true, value: k % 2 === 0 ? values.at(-1) : values });
    }
  });

  it.each([
    [[], null],
    [['no-truncation' as const], 'phantom'],
  ])('with bugs %j, a record above the recovered chain tail reads back as %j', async (bugs, expected) => {
    // Reads go to storage (cache off): the writer's own state never held the record; the storage nodes do, unless truncated.
    cluster = await TestCluster.create({
      bugs,
      writer: { cacheEnabled: false },
      storage: { gossipIntervalMs: 60_000 },
    });
    const c = cluster;
    await Promise.all(c.storageIds.map((id) => c.nodeStart(id)));
    // An earlier writer left record 1 on every node, and record 3 (whose predecessor 2 never arrived) above the chain.
    const old = (lsn: number, prev: number, key: string, value: string): LogRecord => ({
      lsn: lsnOf(lsn),
      pg: pgIdOf(0),
      prev: lsnOf(prev),
      volumeEpoch: epochOf(1),
      membershipEpoch: epochOf(1),
      key,
      kind: 'put',
      value,
      cpl: true,
    });
    for (const id of c.storageIds) {
      expect(await c.storageRequest(id, { t: 'epoch-claim', writerId: 'w-old', epoch: 1 })).toMatchObject({ t: 'ack' });
      expect(
        await c.storageRequest(id, {
          t: 'append',
          writerId: 'w-old',
          epoch: 1,
          pg: 0,
          records: [old(1, 0, 'a', 'kept'), old(3, 2, 'ghost', 'phantom')],
        }),
      ).toMatchObject({ t: 'ack', scl: 1 });
    }
    await c.nodeStart('w0');
    await c.writerReady('w0');
    const client = await c.client();
    expect(await client.request({ t: 'read', key: 'a' }, opMs)).toEqual({ ok: true, value: 'kept' });
    expect(await client.request({ t: 'write', key: 'b', value: 'new' }, opMs)).toMatchObject({ ok: true });
    expect(await client.request({ t: 'read', key: 'ghost' }, opMs)).toEqual({ ok: true, value: expected });
  });
});
