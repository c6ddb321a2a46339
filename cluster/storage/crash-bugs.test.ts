import { afterEach, describe, expect, test } from 'vitest';
import { clockCreate, pollUntil } from '../../core/clock.js';
import { Harness, range, records, type TestClient } from './test-support/harness.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

describe('the lose-hot-log-tail bug', () => {
  test.each([
    [false, 'keeps the last batch'],
    [true, 'forgets the last batch but still reports the old SCL'],
  ])('lose-hot-log-tail %s: a restarted node %s', async (bug) => {
    const [config] = await harness.configs(1, { bugs: bug ? ['lose-hot-log-tail'] : [] });
    let node = await harness.start(config!);
    let client = await harness.client(node.address);
    await client.request({
      t: 'append',
      writerId: 'w0',
      epoch: 1,
      pg: 0,
      records: records(range(1, 10), { key: () => 'x' }),
    });
    await client.request({
      t: 'append',
      writerId: 'w0',
      epoch: 1,
      pg: 0,
      records: records(range(11, 20), { prevFirst: 10, key: () => 'x' }),
    });
    await harness.cleanupNodesOnly();
    node = await harness.start(config!);
    client = await harness.client(node.address);
    expect(await client.request({ t: 'health' })).toMatchObject({ scls: [20] });
    expect(await client.request({ t: 'read', pg: 0, key: 'x', readPoint: 20 })).toMatchObject({
      t: 'read-result',
      value: bug ? 'v10' : 'v20',
    });
    const state = await client.request({ t: 'state-read', writerId: 'w0', epoch: 1, pg: 0, afterLsn: 0, limit: 100 });
    expect(state.t === 'state' && state.records.length).toBe(bug ? 10 : 20);
  });
});

describe('the ack-before-fsync bug (with the volatile write cache and a slow device)', () => {
  // The child's fdatasync takes 1 s; the test kills it with SIGKILL right after
  // the ack, so only an ack given before fdatasync can be lost.
  test.each([
    [false, 1],
    [true, 0],
  ])(
    'ack-before-fsync %s: after a kill right after the ack, the restarted node holds SCL %i',
    async (bug, sclAfter) => {
      const [config] = await harness.configs(1, {
        bugs: bug ? ['ack-before-fsync'] : [],
        storage: { volatileWriteCache: true },
      });
      const child = await harness.spawn(config!, { QUORUMLAB_STORAGE_SYNC_DELAY_MS: '1000' });
      const client = await harness.client(config!.node.listen);
      expect(
        await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: records([1]) }),
      ).toMatchObject({ t: 'ack', scl: 1 });
      await harness.kill(child, 'SIGKILL');
      const node = await harness.start(config!);
      const again = await harness.client(node.address);
      expect(await again.request({ t: 'health' })).toMatchObject({ scls: [sclAfter] });
    },
  );

  test('SIGTERM finishes in-flight syncs, and the process exits 0', async () => {
    const [config] = await harness.configs(1, { storage: { volatileWriteCache: true } });
    const child = await harness.spawn(config!, { QUORUMLAB_STORAGE_SYNC_DELAY_MS: '300' });
    const client = await harness.client(config!.node.listen);
    const ack = client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: records([1, 2]) });
    await syncInProgress(client);
    expect(await harness.kill(child, 'SIGTERM')).toBe(0);
    await ack.catch(() => undefined);
    const node = await harness.start(config!);
    const again = await harness.client(node.address);
    expect(await again.request({ t: 'health' })).toMatchObject({ scls: [2] });
  });
});

/** Waits until the node wrote the append's blocks and has not finished syncing them: the sync is in flight. */
async function syncInProgress(client: TestClient): Promise<void> {
  let last = 'no health answer yet';
  await pollUntil(clockCreate(), {
    what: 'the append to be written and its sync in flight',
    timeoutMs: 5000,
    intervalMs: 10,
    probe: async () => {
      const health = await client.request({ t: 'health' });
      if (health.t !== 'health-result') return null;
      last = JSON.stringify(health.stats);
      return health.stats.blocksWritten > 0 && health.stats.fsyncs === 0 ? true : null;
    },
    detail: () => `last stats: ${last}`,
  });
}
