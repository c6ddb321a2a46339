// Bit flips in a storage node's segment file, made while the node is stopped:
// at restart the node detects the bad block (its log says so and its health
// counts it), never serves data from it, and refills it from its peers.

import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { blockHeaderBytes } from '../disk/block.js';
import { segmentBlockValidate, segmentFileBlockCount, segmentFilesList } from '../disk/layout.js';
import type { WriterHealth } from '../protocol/client-messages.js';
import { lsnOf } from '../protocol/ids.js';
import { keyPg } from '../protocol/storage-messages.js';
import { storageRequestOnce } from '../runtime/shared/storage-request.js';
import type { LocalRuntime } from '../runtime/local/local-runtime.js';
import type { NodeId } from '../topology.js';
import { storageNodeId, writerNodeId } from '../topology.js';
import { ClusterFixtures, eventually, okValue } from './test-support/cluster-fixture.js';

const fixtures = new ClusterFixtures();
afterEach(() => fixtures.cleanup());

const keyCount = 60;
/** Values this long spread the keys over several blocks. */
const valuePadding = 'x'.repeat(200);
const probeTimeoutMs = 1000;
const repairWaitMs = 15_000;

test('a corrupted block is detected at restart, never served, and repaired from peers', async () => {
  // Coalescing is held off so that the records stay in the hot log being corrupted.
  const cluster = await fixtures.start({ storage: { coalesceIntervalMs: 600_000 } });
  const { runtime, config } = cluster;
  const client = await cluster.client();
  const values = new Map<string, string>();
  for (let i = 0; i < keyCount; i++) {
    const key = `key-${i}`;
    values.set(key, `${i}-${valuePadding}`);
    await okValue(client, { t: 'write', key, value: values.get(key)! });
  }
  const victim = storageNodeId(0, 0);
  await runtime.nodeStop(victim);
  const corrupted = await blockCorrupt(runtime.nodeDataDir(victim), config.storage.blockBytes);

  await runtime.nodeStart(victim);
  const readPoint = ((await okValue(client, { t: 'health' })) as WriterHealth).vdl;
  // Before and during repair: every answer is the right value or a refusal, never bad data.
  await expectServesOnlyGoodData(runtime, victim, values, readPoint, config.geometry.pgCount);
  const repaired = await eventually(
    'the victim serving every key again and counting a repaired block',
    repairWaitMs,
    async () => {
      const served = await expectServesOnlyGoodData(runtime, victim, values, readPoint, config.geometry.pgCount);
      const health = await runtime.storageHealth(victim, probeTimeoutMs);
      return served === values.size && health.ok && health.health.stats.blocksRepaired >= 1 ? health.health : null;
    },
  );
  expect(repaired.stats.blocksCorrupt).toBeGreaterThanOrEqual(1);
  const log = readFileSync(runtime.nodeLogPath(victim), 'utf8');
  const errorLines = log.split('\n').filter((line) => / ERROR /.test(line) && line.includes(corrupted.fileName));
  expect(
    errorLines.length,
    `an ERROR line naming ${corrupted.fileName} in ${runtime.nodeLogPath(victim)}`,
  ).toBeGreaterThanOrEqual(1);
  expect(runtime.nodeState(writerNodeId(0))).toBe('running');
});

/** Flips bits in the payload of a hot-log block that holds records; returns which. */
async function blockCorrupt(dataDir: string, blockBytes: number): Promise<{ fileName: string; blockNo: number }> {
  const hot = (await segmentFilesList(dataDir)).filter((file) => file.purpose === 'hot');
  expect(hot.length, `hot segment files in ${dataDir}`).toBeGreaterThan(0);
  const file = hot[0]!;
  const count = await segmentFileBlockCount(file.path, blockBytes);
  const candidates: number[] = [];
  for (let b = 0; b < count; b++) {
    const check = await segmentBlockValidate(file.path, b, blockBytes);
    if (check.ok && check.header.entryCount > 0) candidates.push(b);
  }
  expect(candidates.length, `blocks holding records in ${file.path}`).toBeGreaterThan(0);
  const blockNo = candidates[Math.floor(candidates.length / 2)]!;
  const handle = await open(file.path, 'r+');
  try {
    // Flip bits inside a value's padding, so that the block still decodes into a
    // plausible but wrong value: only the checksum can tell.
    const block = Buffer.alloc(blockBytes);
    await handle.read(block, 0, blockBytes, blockNo * blockBytes);
    const at = block.indexOf(valuePadding.slice(0, 32), blockHeaderBytes);
    expect(at, `value padding inside block ${blockNo}`).toBeGreaterThan(0);
    const bytes = block.subarray(at + 8, at + 16);
    for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0x01;
    await handle.write(bytes, 0, bytes.length, blockNo * blockBytes + at + 8);
  } finally {
    await handle.close();
  }
  const after = await segmentBlockValidate(file.path, blockNo, blockBytes);
  expect(after.ok, 'the flipped block no longer validates').toBe(false);
  return { fileName: path.basename(file.path), blockNo };
}

/** Reads every key from the node directly; fails on a wrong value, returns how many were served. */
async function expectServesOnlyGoodData(
  runtime: LocalRuntime,
  id: NodeId,
  values: ReadonlyMap<string, string>,
  readPoint: number,
  pgCount: number,
): Promise<number> {
  const address = runtime.nodeSpec(id).listen;
  let served = 0;
  let rid = 1;
  for (const [key, value] of values) {
    const result = await storageRequestOnce(
      address,
      { t: 'read', rid: rid++, pg: keyPg(key, pgCount), key, readPoint: lsnOf(readPoint) },
      probeTimeoutMs,
    );
    if (!result.ok || result.reply.t === 'reject') continue;
    expect(result.reply).toMatchObject({ t: 'read-result', kind: 'register', value });
    served++;
  }
  return served;
}
