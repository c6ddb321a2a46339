import { afterEach, describe, expect, test } from 'vitest';
import type { NodeConfig } from '../topology.js';
import { Harness, range, records, type TestClient } from './test-support/harness.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

async function single(
  options: Parameters<Harness['configs']>[1] = {},
): Promise<{ config: NodeConfig; client: TestClient }> {
  const [config] = await harness.configs(1, options);
  const node = await harness.start(config!);
  return { config: config!, client: await harness.client(node.address) };
}

describe('epoch fencing', () => {
  test('a claim is accepted when newer, or again from the same writer, and refused otherwise with the current epoch', async () => {
    const { client } = await single();
    expect(await client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 2 })).toMatchObject({ t: 'ack', epoch: 2 });
    expect(await client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 2 })).toMatchObject({ t: 'ack', epoch: 2 });
    expect(await client.request({ t: 'epoch-claim', writerId: 'w1', epoch: 2 })).toMatchObject({
      t: 'reject',
      code: 'stale-epoch',
      epoch: 2,
    });
    expect(await client.request({ t: 'epoch-claim', writerId: 'w1', epoch: 1 })).toMatchObject({
      t: 'reject',
      code: 'stale-epoch',
      epoch: 2,
    });
  });

  test('of two writers claiming the same epoch at once, exactly one wins', async () => {
    const { client } = await single();
    const [a, b] = await Promise.all([
      client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 5 }),
      client.request({ t: 'epoch-claim', writerId: 'w1', epoch: 5 }),
    ]);
    expect([a.t, b.t].sort()).toEqual(['ack', 'reject']);
  });

  test.each(['append', 'state-read', 'truncate'] as const)(
    "an older epoch's %s is rejected stale-epoch",
    async (kind) => {
      const { client } = await single();
      await client.request({ t: 'epoch-claim', writerId: 'w1', epoch: 4 });
      const request =
        kind === 'append'
          ? ({ t: 'append', writerId: 'w0', epoch: 3, pg: 0, records: records([1]) } as const)
          : kind === 'state-read'
            ? ({ t: 'state-read', writerId: 'w0', epoch: 3, pg: 0, afterLsn: 0, limit: 10 } as const)
            : ({
                t: 'truncate',
                writerId: 'w0',
                epoch: 3,
                truncation: { epoch: 3, pg: 0, afterLsn: 0, uptoLsn: 100 },
              } as const);
      expect(await client.request(request)).toMatchObject({ t: 'reject', code: 'stale-epoch', epoch: 4 });
    },
  );

  test('the claimed epoch survives a restart', async () => {
    const { config, client } = await single();
    await client.request({ t: 'epoch-claim', writerId: 'w1', epoch: 9 });
    client.close();
    await harness.cleanupNodesOnly();
    const node = await harness.start(config);
    const again = await harness.client(node.address);
    expect(await again.request({ t: 'append', writerId: 'w0', epoch: 8, pg: 0, records: records([1]) })).toMatchObject({
      t: 'reject',
      code: 'stale-epoch',
      epoch: 9,
    });
  });

  test("with the no-epoch-fence bug an old epoch's append is acknowledged", async () => {
    const { client } = await single({ bugs: ['no-epoch-fence'] });
    await client.request({ t: 'epoch-claim', writerId: 'w1', epoch: 4 });
    expect(await client.request({ t: 'append', writerId: 'w0', epoch: 3, pg: 0, records: records([1]) })).toMatchObject(
      { t: 'ack', scl: 1 },
    );
    expect(await client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 2 })).toMatchObject({ t: 'ack' });
  });
});

describe('recovery requests', () => {
  test('state-read returns the SCL, the records above afterLsn page by page, and the truncations held', async () => {
    const { client } = await single();
    await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: records(range(1, 10)) });
    const first = await client.request({ t: 'state-read', writerId: 'w0', epoch: 1, pg: 0, afterLsn: 2, limit: 5 });
    expect(first).toMatchObject({ t: 'state', scl: 10, more: true, truncations: [] });
    expect(first.t === 'state' && first.records.map((r) => r.lsn)).toEqual([3, 4, 5, 6, 7]);
    const second = await client.request({ t: 'state-read', writerId: 'w0', epoch: 1, pg: 0, afterLsn: 7, limit: 5 });
    expect(second.t === 'state' && [second.records.map((r) => r.lsn), second.more]).toEqual([[8, 9, 10], false]);
  });

  test('a truncation voids the records in its range now, ignores late ones, is idempotent, and the chain continues across it', async () => {
    const { config, client } = await single();
    await client.request({
      t: 'append',
      writerId: 'w0',
      epoch: 1,
      pg: 0,
      records: records(range(1, 10), { key: () => 'x' }),
    });
    const truncation = { epoch: 2, pg: 0, afterLsn: 6, uptoLsn: 1000 };
    expect(await client.request({ t: 'truncate', writerId: 'w1', epoch: 2, truncation })).toMatchObject({
      t: 'ack',
      scl: 6,
    });
    expect(await client.request({ t: 'truncate', writerId: 'w1', epoch: 2, truncation })).toMatchObject({
      t: 'ack',
      scl: 6,
    });
    expect(await client.request({ t: 'read', pg: 0, key: 'x', readPoint: 6 })).toMatchObject({ value: 'v6' });
    // A late record of the old writer inside the range is ignored.
    await client.request({
      t: 'append',
      writerId: 'w1',
      epoch: 2,
      pg: 0,
      records: records([11], { prevFirst: 10, key: () => 'x' }),
    });
    // The new writer's first record links to afterLsn.
    expect(
      await client.request({
        t: 'append',
        writerId: 'w1',
        epoch: 2,
        pg: 0,
        records: records([1001, 1002], { prevFirst: 6, epoch: 2, key: () => 'x' }),
      }),
    ).toMatchObject({ scl: 1002 });
    const state = await client.request({ t: 'state-read', writerId: 'w1', epoch: 2, pg: 0, afterLsn: 0, limit: 100 });
    expect(state.t === 'state' && state.records.map((r) => r.lsn)).toEqual([1, 2, 3, 4, 5, 6, 1001, 1002]);
    expect(state.t === 'state' && state.truncations).toEqual([truncation]);
    await harness.cleanupNodesOnly();
    const node = await harness.start(config);
    const again = await harness.client(node.address);
    expect(await again.request({ t: 'health' })).toMatchObject({ scls: [1002] });
    expect(await again.request({ t: 'read', pg: 0, key: 'x', readPoint: 1000 })).toMatchObject({ value: 'v6' });
  });
});
