import { afterEach, describe, expect, test } from 'vitest';
import { Harness, range, records, until } from './test-support/harness.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

async function trio(options: Parameters<Harness['configs']>[1] = {}) {
  const configs = await harness.configs(3, options);
  const nodes = await Promise.all(configs.map((c) => harness.start(c)));
  const clients = await Promise.all(nodes.map((n) => harness.client(n.address)));
  return { configs, nodes, clients };
}

describe('gossip', () => {
  test("fills a gap in one replica's chain from its peers", async () => {
    const { nodes, clients } = await trio();
    const all = records(range(1, 100));
    await Promise.all(
      clients.slice(0, 2).map((c) => c.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: all })),
    );
    const gapped = await clients[2]!.request({
      t: 'append',
      writerId: 'w0',
      epoch: 1,
      pg: 0,
      records: [...all.slice(0, 50), ...all.slice(60)],
    });
    expect(gapped).toMatchObject({ t: 'ack', scl: 50 });
    await until(() => nodes[2]!.stats().recordsFilledByGossip === 10, 5000, 'gap filled');
    expect(await clients[2]!.request({ t: 'health' })).toMatchObject({ scls: [100] });
  });

  test('carries a truncation to a replica that missed it, which then voids the annulled records', async () => {
    const { clients } = await trio();
    await Promise.all(
      clients.map((c) => c.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: records(range(1, 20)) })),
    );
    await Promise.all(
      clients.slice(0, 2).map((c) =>
        c.request({
          t: 'truncate',
          writerId: 'w1',
          epoch: 2,
          truncation: { epoch: 2, pg: 0, afterLsn: 12, uptoLsn: 5000 },
        }),
      ),
    );
    await until(
      async () => {
        const health = await clients[2]!.request({ t: 'health' });
        return health.t === 'health-result' && health.scls[0] === 12;
      },
      5000,
      'truncation gossiped',
    );
    const state = await clients[2]!.request({
      t: 'state-read',
      writerId: 'w1',
      epoch: 2,
      pg: 0,
      afterLsn: 0,
      limit: 100,
    });
    expect(state.t === 'state' && state.truncations.length).toBe(1);
    expect(state.t === 'state' && Math.max(...state.records.map((r) => r.lsn))).toBe(12);
  });
});

describe('a malformed frame', () => {
  test.each([
    ['garbage bytes', Buffer.from('this is not a frame at all, it is a long line of text')],
    ['an oversized frame', Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])],
  ])('(%s) closes only that connection and logs why', async (_, bytes) => {
    const [config] = await harness.configs(1);
    const node = await harness.start(config!);
    const bad = await harness.client(node.address);
    const good = await harness.client(node.address);
    bad.writeRaw(bytes);
    await bad.closed;
    expect(await good.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: records([1]) })).toMatchObject({
      t: 'ack',
      scl: 1,
    });
    expect(harness.logText(config!.node.id)).toMatch(/WARN s00 closing connection from 127\.0\.0\.1:\d+: frame-/);
  });

  test('an invalid message in a well-formed frame closes the connection and changes nothing', async () => {
    const [config] = await harness.configs(1);
    const node = await harness.start(config!);
    const bad = await harness.client(node.address);
    const good = await harness.client(node.address);
    const broken = { ...records([1])[0]!, prev: 'zero' };
    void bad
      .request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: [broken as never] })
      .catch(() => undefined);
    await bad.closed;
    expect(await good.request({ t: 'health' })).toMatchObject({ scls: [0], stats: { recordsAppended: 0 } });
    expect(harness.logText(config!.node.id)).toMatch(
      /invalid message: records\[0\]\.prev: expected a non-negative integer/,
    );
  });
});
