import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { blockHeaderBytes } from '../disk/block.js';
import { hotFileName, segmentBlockValidate } from '../disk/layout.js';
import type { NodeConfig } from '../topology.js';
import { Harness, range, records, until, type TestClient } from './test-support/harness.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

/** Values of ~100 bytes: 3000 records span many blocks. */
const bulk = records(range(1, 3000), { key: (lsn) => `key-${lsn}`, value: (lsn) => `value-${lsn}-${'x'.repeat(90)}` });

async function flipBit(config: NodeConfig, blockNo: number, offsetInPayload = 30): Promise<void> {
  const file = path.join(config.node.dataDir, hotFileName(0, 0));
  const bytes = await readFile(file);
  bytes[blockNo * 4096 + blockHeaderBytes + offsetInPayload]! ^= 0x04;
  await writeFile(file, bytes);
}

async function scl(client: TestClient): Promise<number> {
  const health = await client.request({ t: 'health' });
  return health.t === 'health-result' ? health.scls[0]! : -1;
}

describe('corruption found at restart', () => {
  test('a bad block is detected, never served, and refilled from peers', async () => {
    const configs = await harness.configs(3);
    const nodes = await Promise.all(configs.map((c) => harness.start(c)));
    const clients = await Promise.all(nodes.map((n) => harness.client(n.address)));
    for (const client of clients) await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: bulk });
    await harness.cleanupNodesOnly();
    await flipBit(configs[2]!, 3);
    const lone = await harness.start(configs[2]!);
    const loneClient = await harness.client(lone.address);
    expect(lone.stats().blocksCorrupt).toBe(1);
    expect(harness.logText('s20')).toMatch(
      /ERROR s20 corrupt block: file pg0-hot-00000000\.seg block 3 \(claims LSNs \d+\.\.\d+, unverified\): checksum mismatch/,
    );
    const sclAfter = await scl(loneClient);
    expect(sclAfter).toBeLessThan(3000);
    expect(
      await loneClient.request({ t: 'read', pg: 0, key: `key-${sclAfter + 1}`, readPoint: sclAfter + 1 }),
    ).toMatchObject({ t: 'reject', code: 'scl-behind' });
    await Promise.all(configs.slice(0, 2).map((c) => harness.start(c)));
    await until(async () => (await scl(loneClient)) === 3000, 5000, 'refill');
    await until(() => lone.stats().blocksRepaired === 1, 5000, 'repair');
    expect(await loneClient.request({ t: 'read', pg: 0, key: `key-${sclAfter + 1}`, readPoint: 3000 })).toMatchObject({
      value: bulk[sclAfter]!.value,
    });
    expect(await segmentBlockValidate(path.join(configs[2]!.node.dataDir, hotFileName(0, 0)), 3)).toMatchObject({
      ok: true,
    });
  });

  test('a block lost on every replica is reported as data loss', async () => {
    const configs = await harness.configs(3);
    const nodes = await Promise.all(configs.map((c) => harness.start(c)));
    const clients = await Promise.all(nodes.map((n) => harness.client(n.address)));
    for (const client of clients) await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: bulk });
    await harness.cleanupNodesOnly();
    for (const config of configs) await flipBit(config, 2);
    await Promise.all(configs.map((c) => harness.start(c)));
    await until(
      () => configs.every((c) => /ERROR \S+ data-loss: pg 0: records after LSN \d+/.test(harness.logText(c.node.id))),
      5000,
      'data-loss lines',
    );
  });
});

describe('the meta log', () => {
  test('keeps the epoch when one block of a claim is corrupt, and reports the bad block', async () => {
    const [config] = await harness.configs(1);
    const node = await harness.start(config!);
    const client = await harness.client(node.address);
    await client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 4 });
    await client.request({ t: 'epoch-claim', writerId: 'w0', epoch: 7 });
    await harness.cleanupNodesOnly();
    const file = path.join(config!.node.dataDir, 'meta.seg');
    const bytes = await readFile(file);
    bytes[2 * 4096 + blockHeaderBytes + 2]! ^= 0x01;
    await writeFile(file, bytes);
    const again = await harness.start(config!);
    const client2 = await harness.client(again.address);
    expect(await client2.request({ t: 'health' })).toMatchObject({ epoch: 7, stats: { blocksCorrupt: 1 } });
    expect(harness.logText('s00')).toMatch(/ERROR s00 corrupt block: file meta\.seg block 2: checksum mismatch/);
  });
});

describe('scrub', () => {
  test('finds a block corrupted under a running node, drops its records, and repairs it from peers', async () => {
    const configs = await harness.configs(3, { storage: { scrubIntervalMs: 50 } });
    const nodes = await Promise.all(configs.map((c) => harness.start(c)));
    const clients = await Promise.all(nodes.map((n) => harness.client(n.address)));
    for (const client of clients) await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: bulk });
    await flipBit(configs[0]!, 5);
    await until(() => nodes[0]!.stats().blocksCorrupt === 1, 5000, 'scrub detection');
    expect(harness.logText('s00')).toMatch(
      /ERROR s00 corrupt block: file \S+pg0-hot-00000000\.seg block 5 \(LSNs \d+\.\.\d+\): checksum mismatch/,
    );
    await until(() => nodes[0]!.stats().blocksRepaired === 1, 5000, 'repair');
    expect(await scl(clients[0]!)).toBe(3000);
    expect(await segmentBlockValidate(path.join(configs[0]!.node.dataDir, hotFileName(0, 0)), 5)).toMatchObject({
      ok: true,
    });
  });
});

describe('the skip-crc bug', () => {
  test.each([
    [false, 'the corrupted block is refused'],
    [true, 'the corrupted value is served'],
  ])('skip-crc %s: %s', async (bug) => {
    const [config] = await harness.configs(1, { bugs: bug ? ['skip-crc'] : [] });
    let node = await harness.start(config!);
    let client = await harness.client(node.address);
    // Two appends, two blocks: the bad one is not the torn tail of the file.
    await client.request({
      t: 'append',
      writerId: 'w0',
      epoch: 1,
      pg: 0,
      records: records([1], { key: () => 'x', value: () => 'hello' }),
    });
    await client.request({
      t: 'append',
      writerId: 'w0',
      epoch: 1,
      pg: 0,
      records: records([2], { prevFirst: 1, key: () => 'y' }),
    });
    await harness.cleanupNodesOnly();
    const file = path.join(config!.node.dataDir, hotFileName(0, 0));
    const bytes = await readFile(file);
    bytes[bytes.indexOf('hello')]! ^= 0x01;
    await writeFile(file, bytes);
    node = await harness.start(config!);
    client = await harness.client(node.address);
    const read = await client.request({ t: 'read', pg: 0, key: 'x', readPoint: 1 });
    if (bug) expect(read).toMatchObject({ t: 'read-result', value: 'iello' });
    else expect(read).toMatchObject({ t: 'reject', code: 'scl-behind' });
    expect(node.stats().blocksCorrupt).toBe(bug ? 0 : 1);
  });
});
