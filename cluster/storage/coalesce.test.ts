import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, test } from 'vitest';
import type { LogRecord } from '../protocol/storage-messages.js';
import { Harness, range, records, until, type TestClient } from './test-support/harness.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

/** Even LSNs overwrite register x; odd LSNs append their LSN to list L. */
const mixed: LogRecord[] = records(range(1, 600)).map((r) =>
  r.lsn % 2 === 1 ? { ...r, kind: 'append', key: 'L', value: r.lsn } : { ...r, key: 'x' },
);
const listAll = range(1, 600).filter((lsn) => lsn % 2 === 1);

async function base(client: TestClient): Promise<number> {
  const state = await client.request({ t: 'state-read', writerId: 'w0', epoch: 1, pg: 0, afterLsn: 0, limit: 1 });
  return state.t === 'state' ? (state.base ?? 0) : -1;
}

describe('coalescing', () => {
  test('moves records below what every peer holds into pages, keeps reads exact across a restart, and serves a wiped peer a snapshot', async () => {
    const configs = await harness.configs(3, { storage: { coalesceIntervalMs: 50 } });
    const nodes = await Promise.all(configs.map((c) => harness.start(c, { coalesceRecordsMin: 100 })));
    const clients = await Promise.all(nodes.map((n) => harness.client(n.address)));
    for (const client of clients)
      await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: mixed });
    await until(async () => (await base(clients[0]!)) === 600, 5000, 'coalesced base');
    expect(await clients[0]!.request({ t: 'read', pg: 0, key: 'x', readPoint: 600 })).toMatchObject({ value: 'v600' });
    expect(await clients[0]!.request({ t: 'read', pg: 0, key: 'L', readPoint: 600 })).toMatchObject({
      kind: 'list',
      list: listAll,
    });
    expect(await clients[0]!.request({ t: 'read', pg: 0, key: 'L', readPoint: 11 })).toMatchObject({
      list: [1, 3, 5, 7, 9, 11],
    });
    expect(await clients[0]!.request({ t: 'read', pg: 0, key: 'x', readPoint: 300 })).toMatchObject({
      t: 'reject',
      code: 'scl-behind',
    });

    await harness.cleanupNodesOnly();
    await rm(configs[2]!.node.dataDir, { recursive: true, force: true });
    const restarted = await Promise.all(configs.map((c) => harness.start(c, { coalesceRecordsMin: 100 })));
    const again = await Promise.all(restarted.map((n) => harness.client(n.address)));
    expect(await again[0]!.request({ t: 'health' })).toMatchObject({ scls: [600] });
    expect(await again[0]!.request({ t: 'read', pg: 0, key: 'L', readPoint: 600 })).toMatchObject({ list: listAll });
    await until(
      async () => {
        const health = await again[2]!.request({ t: 'health' });
        return health.t === 'health-result' && health.scls[0] === 600;
      },
      5000,
      'snapshot transfer',
    );
    expect(harness.logText('s20')).toMatch(/installed a snapshot at base 600/);
    expect(await again[2]!.request({ t: 'read', pg: 0, key: 'x', readPoint: 600 })).toMatchObject({ value: 'v600' });
    expect(await again[2]!.request({ t: 'read', pg: 0, key: 'L', readPoint: 600 })).toMatchObject({ list: listAll });
    expect(
      await again[2]!.request({
        t: 'append',
        writerId: 'w0',
        epoch: 1,
        pg: 0,
        records: records([601], { prevFirst: 600 }),
      }),
    ).toMatchObject({ scl: 601 });
  });
});
