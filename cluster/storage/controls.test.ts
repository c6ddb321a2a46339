import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { clockCreate, pollUntil } from '../../core/clock.js';
import { storageScrub, storageTune } from '../admin-client.js';
import { blockHeaderBytes } from '../disk/block.js';
import { hotFileName } from '../disk/layout.js';
import type { StorageStats } from '../protocol/storage-messages.js';
import type { LocalNode } from '../runtime/local/local-node.js';
import { storageHealthProbe } from '../runtime/shared/node-health.js';
import type { NodeConfig } from '../topology.js';
import { Harness, range, records, type TestClient } from './test-support/harness.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

const clock = clockCreate();
const controlTimeoutMs = 5000;

/** Times the ack of a one-record append (LSN `lsn`, chained to lsn - 1). */
async function appendAckMs(client: TestClient, lsn: number): Promise<number> {
  const startMs = clock.nowMs();
  const ack = await client.request({
    t: 'append',
    writerId: 'w0',
    epoch: 1,
    pg: 0,
    records: records([lsn], { prevFirst: lsn - 1 }),
  });
  expect(ack).toMatchObject({ t: 'ack', scl: lsn });
  return clock.nowMs() - startMs;
}

/** The fastest of three appends from `lsnFirst` on: robust against a machine busy with other tests. */
async function appendAckMsMin(client: TestClient, lsnFirst: number): Promise<number> {
  const times: number[] = [];
  for (let lsn = lsnFirst; lsn < lsnFirst + 3; lsn++) times.push(await appendAckMs(client, lsn));
  return Math.min(...times);
}

async function stats(config: NodeConfig): Promise<StorageStats> {
  const probe = await storageHealthProbe(config.node.listen, controlTimeoutMs);
  if (!probe.ok) throw new Error(`health of ${config.node.id}: ${probe.error}`);
  return probe.health.stats;
}

// A timer may fire up to a millisecond early by the caller's clock; the margin allows for that only.
const delayMarginMs = 2;

describe('the tune control (a slow device as a fault)', () => {
  test('with the fdatasync delay at 300 ms an ack takes at least that long; back at 0 it is fast again', async () => {
    const [config] = await harness.configs(1);
    await harness.spawn(config!);
    const address = config!.node.listen;
    const client = await harness.client(address);
    expect(await appendAckMsMin(client, 1)).toBeLessThan(150);
    expect(await storageTune(address, 300, controlTimeoutMs)).toEqual({ ok: true, syncDelayMs: 300 });
    expect(await appendAckMs(client, 4)).toBeGreaterThanOrEqual(300 - delayMarginMs);
    expect(await storageTune(address, 0, controlTimeoutMs)).toEqual({ ok: true, syncDelayMs: 0 });
    expect(await appendAckMsMin(client, 5)).toBeLessThan(150);
  });

  test('is not kept: a restarted node starts again with the delay of its environment', async () => {
    const [config] = await harness.configs(1);
    const env = { QUORUMLAB_STORAGE_SYNC_DELAY_MS: '250' };
    let child = await harness.spawn(config!, env);
    const address = config!.node.listen;
    let client = await harness.client(address);
    expect(await appendAckMs(client, 1)).toBeGreaterThanOrEqual(250 - delayMarginMs);
    expect(await storageTune(address, 0, controlTimeoutMs)).toEqual({ ok: true, syncDelayMs: 0 });
    expect(await appendAckMsMin(client, 2)).toBeLessThan(150);
    expect(await harness.kill(child, 'SIGTERM')).toBe(0);
    child = await harness.spawn(config!, env);
    client = await harness.client(address);
    expect(await appendAckMs(client, 5)).toBeGreaterThanOrEqual(250 - delayMarginMs);
  });

  test.each([
    [{ syncDelayMs: 5001 }, /syncDelayMs: 5001 exceeds the bound of 5000/],
    [{ syncDelayMs: -1 }, /syncDelayMs: expected a non-negative integer, got -1/],
    [{ syncDelayMs: 'slow' }, /syncDelayMs: expected a non-negative integer, got "slow"/],
    [{}, /syncDelayMs: expected a non-negative integer, got undefined/],
  ])('%j is a bad-request reject, and the connection stays open', async (fields, reason) => {
    const [config] = await harness.configs(1);
    await harness.spawn(config!);
    const client = await harness.client(config!.node.listen);
    const body = { t: 'tune', ...fields } as unknown as Parameters<TestClient['request']>[0];
    const reply = await client.request(body);
    expect(reply).toMatchObject({ t: 'reject', code: 'bad-request' });
    expect(reply.t === 'reject' && reply.message).toMatch(reason);
    expect(await client.request({ t: 'health' })).toMatchObject({ t: 'health-result', ready: true });
    expect(await storageTune(config!.node.listen, 5001, controlTimeoutMs)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^tune refused: bad-request: /) as unknown,
    });
  });
});

/** Values of ~100 bytes: 3000 records span many blocks. */
const bulk = records(range(1, 3000), { key: (lsn) => `key-${lsn}`, value: (lsn) => `value-${lsn}-${'x'.repeat(90)}` });

async function flipBit(config: NodeConfig, blockNo: number): Promise<void> {
  const file = path.join(config.node.dataDir, hotFileName(0, 0));
  const bytes = await readFile(file);
  bytes[blockNo * 4096 + blockHeaderBytes + 30]! ^= 0x04;
  await writeFile(file, bytes);
}

/** Three child-process nodes holding `bulk`; the background scrub is out of the way, so only requests scrub. */
async function threeNodesWithBulk(): Promise<{ configs: NodeConfig[]; children: LocalNode[] }> {
  const configs = await harness.configs(3, { storage: { scrubIntervalMs: 600_000 } });
  const children = await Promise.all(configs.map((c) => harness.spawn(c)));
  for (const config of configs) {
    const client = await harness.client(config.node.listen);
    expect(await client.request({ t: 'append', writerId: 'w0', epoch: 1, pg: 0, records: bulk })).toMatchObject({
      t: 'ack',
      scl: 3000,
    });
  }
  return { configs, children };
}

async function repairedWait(config: NodeConfig): Promise<StorageStats> {
  return pollUntil(clock, {
    what: `${config.node.id} to repair its bad block`,
    timeoutMs: 10_000,
    intervalMs: 50,
    probe: async () => {
      const s = await stats(config);
      return s.blocksUnrepaired === 0 && s.blocksRepaired === 1 ? s : null;
    },
  });
}

describe('the scrub control', () => {
  test('finds a block found bad at start, which gossip then repairs; a second scrub finds nothing', async () => {
    const { configs, children } = await threeNodesWithBulk();
    for (const child of children) expect(await harness.kill(child, 'SIGTERM')).toBe(0);
    const [peerA, peerB, damaged] = configs as [NodeConfig, NodeConfig, NodeConfig];
    await flipBit(damaged, 3);
    await harness.spawn(damaged);
    expect(await stats(damaged)).toMatchObject({ blocksCorrupt: 1, blocksUnrepaired: 1, blockRepairsMax: 0 });
    const first = await storageScrub(damaged.node.listen, controlTimeoutMs);
    expect(first).toMatchObject({
      ok: true,
      blocksCorrupt: 1,
      blocksCorruptNew: 0,
      hotBlocksCorrupt: 1,
      blocksUnrepaired: 1,
      complete: true,
    });
    expect(first.ok && first.blocksChecked).toBeGreaterThan(3);
    await Promise.all([peerA, peerB].map((c) => harness.spawn(c)));
    expect(await repairedWait(damaged)).toMatchObject({ blockRepairsMax: 1, blocksCorrupt: 1 });
    expect(await storageScrub(damaged.node.listen, controlTimeoutMs)).toMatchObject({
      ok: true,
      blocksCorrupt: 0,
      blocksUnrepaired: 0,
      complete: true,
    });
  });

  test('finds a block corrupted under a running node that no background scrub has read', async () => {
    const { configs } = await threeNodesWithBulk();
    const damaged = configs[0]!;
    await flipBit(damaged, 5);
    const first = await storageScrub(damaged.node.listen, controlTimeoutMs);
    expect(first).toMatchObject({ ok: true, blocksCorrupt: 1, blocksCorruptNew: 1, hotBlocksCorrupt: 1 });
    expect(harness.logText(damaged.node.id)).toMatch(/ERROR s00 corrupt block: file \S+ block 5 \(LSNs \d+\.\.\d+\)/);
    expect(await repairedWait(damaged)).toMatchObject({ blockRepairsMax: 1 });
    expect(await storageScrub(damaged.node.listen, controlTimeoutMs)).toMatchObject({ ok: true, blocksCorrupt: 0 });
  });

  test('of a node that is not listening is an error value, not a throw', async () => {
    const [config] = await harness.configs(1);
    const result = await storageScrub(config!.node.listen, 1000);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) as unknown });
  });
});
