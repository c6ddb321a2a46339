import { afterEach, describe, expect, test } from 'vitest';
import { Harness, range, records } from './test-support/harness.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

describe('a storage node on its own', () => {
  test('acknowledges an append with the SCL once the records are durable, and counts one fsync per group commit', async () => {
    const [config] = await harness.configs(1);
    const node = await harness.start(config!);
    const client = await harness.client(node.address);
    expect(await client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 1 })).toMatchObject({ t: 'ack', epoch: 1 });
    const ack = await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: records(range(1, 5)) });
    expect(ack).toMatchObject({ t: 'ack', pg: 0, scl: 5 });
    expect(node.stats()).toMatchObject({ recordsAppended: 5, fsyncs: 1 });
  });

  test('one fdatasync covers concurrent appends (group commit)', async () => {
    const [config] = await harness.configs(1);
    const node = await harness.start(config!);
    const client = await harness.client(node.address);
    await client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 1 });
    const all = records(range(1, 400));
    const acks = await Promise.all(
      range(0, 99).map((i) =>
        client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: all.slice(i * 4, i * 4 + 4) }),
      ),
    );
    expect(acks.every((a) => a.t === 'ack')).toBe(true);
    expect(node.stats().recordsAppended).toBe(400);
    expect(node.stats().fsyncs).toBeLessThan(100);
  });

  test('serves the newest register version at or below the read point, and refuses a read point above the SCL', async () => {
    const [config] = await harness.configs(1);
    const node = await harness.start(config!);
    const client = await harness.client(node.address);
    await client.request({
      t: 'append',
      writerId: 'w0',
      epoch: 1,
      pg: 0,
      records: records(range(1, 10), { key: () => 'x' }),
    });
    expect(await client.request({ t: 'read', pg: 0, key: 'x', readPoint: 7 })).toMatchObject({
      t: 'read-result',
      kind: 'register',
      value: 'v7',
      scl: 10,
    });
    expect(await client.request({ t: 'read', pg: 0, key: 'y', readPoint: 7 })).toMatchObject({
      t: 'read-result',
      kind: 'absent',
      value: null,
    });
    expect(await client.request({ t: 'read', pg: 0, key: 'x', readPoint: 11 })).toMatchObject({
      t: 'reject',
      code: 'scl-behind',
    });
  });

  test('serves every list element at or below the read point in LSN order, even when records arrive out of order', async () => {
    const [config] = await harness.configs(1);
    const node = await harness.start(config!);
    const client = await harness.client(node.address);
    const list = records(range(1, 6), { key: () => 'L', kind: 'append', value: (lsn) => lsn * 10 });
    await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: [list[3]!, list[4]!, list[5]!] });
    expect(await client.request({ t: 'read', pg: 0, key: 'L', readPoint: 1 })).toMatchObject({
      t: 'reject',
      code: 'scl-behind',
    });
    await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: [list[0]!, list[1]!, list[2]!] });
    expect(await client.request({ t: 'read', pg: 0, key: 'L', readPoint: 5 })).toMatchObject({
      t: 'read-result',
      kind: 'list',
      list: [10, 20, 30, 40, 50],
    });
  });

  test('keeps every acknowledged record across a restart', async () => {
    const [config] = await harness.configs(1);
    let node = await harness.start(config!);
    let client = await harness.client(node.address);
    await client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 3 });
    await client.request({
      t: 'append',
      writerId: 'w0',
      epoch: 3,
      pg: 0,
      records: records(range(1, 3000), { key: (lsn) => `key-${lsn % 100}` }),
    });
    await harness.stop(node);
    node = await harness.start(config!);
    client = await harness.client(node.address);
    expect(await client.request({ t: 'health' })).toMatchObject({
      t: 'health-result',
      ready: true,
      epoch: 3,
      scls: [3000],
    });
    expect(await client.request({ t: 'read', pg: 0, key: 'key-42', readPoint: 3000 })).toMatchObject({
      value: 'v2942',
    });
  });
});
