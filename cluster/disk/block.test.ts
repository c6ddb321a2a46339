import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { epochOf, lsnOf, pgIdOf } from '../protocol/ids.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { blockCheck, blockHeaderBytes } from './block.js';
import { hotFileName, segmentBlockValidate, segmentFileBlockCount, segmentFilesList } from './layout.js';
import { recordBlockRead, recordBlocksPack } from './record-blocks.js';
import { recordKeyValueBytesMax } from './record-codec.js';

const blockBytes = 4096;
const expect0 = { purpose: 'hot', segmentId: 3, fileSeq: 7, blockNo: 0, epochMax: 9 } as const;
const target = {
  purpose: 'hot',
  segmentId: 3,
  fileSeq: 7,
  blockNoFirst: 0,
  epoch: 2,
  commitSeq: 11,
  blockBytes,
  lastBlockFlags: 0,
} as const;

function record(lsn: number, value: LogRecord['value'], key = `key-${lsn}`): LogRecord {
  return {
    lsn: lsnOf(lsn),
    pg: pgIdOf(3),
    prev: lsnOf(lsn - 1),
    volumeEpoch: epochOf(2),
    membershipEpoch: epochOf(1),
    key,
    kind: 'put',
    value,
    cpl: true,
  };
}

describe('blocks of records', () => {
  test('round-trip every value type, with the header describing the block', () => {
    const input = [
      record(1, 'hello'),
      record(2, 42.5),
      record(3, null),
      { ...record(4, 'é'), kind: 'append' as const, cpl: false },
    ];
    const packed = recordBlocksPack(input, target);
    expect(packed.bytes.length).toBe(blockBytes);
    const read = recordBlockRead(packed.bytes, expect0, true);
    expect(read.ok && read.records).toEqual(input);
    expect(read.ok && read.header).toMatchObject({
      purpose: 'hot',
      segmentId: 3,
      fileSeq: 7,
      blockNo: 0,
      epoch: 2,
      lsnFirst: 1,
      lsnLast: 4,
      entryCount: 4,
      commitSeq: 11,
    });
  });

  test('several records share a block and none spans two', () => {
    const input = Array.from({ length: 200 }, (_, i) => record(i + 1, 'x'.repeat(100)));
    const packed = recordBlocksPack(input, target);
    expect(packed.blockLsns.length).toBeGreaterThan(1);
    expect(packed.blockLsns.flat()).toEqual(input.map((r) => r.lsn));
    const decoded = packed.blockLsns.flatMap((_, i) => {
      const read = recordBlockRead(
        packed.bytes.subarray(i * blockBytes, (i + 1) * blockBytes),
        { ...expect0, blockNo: i },
        true,
      );
      return read.ok ? read.records : [];
    });
    expect(decoded).toEqual(input);
  });

  test('the largest allowed key and value fill exactly one block', () => {
    const big = record(1, 'v'.repeat(recordKeyValueBytesMax - 1), 'k');
    expect(recordBlocksPack([big], target).blockLsns).toEqual([[1]]);
  });

  test.each([
    ['a payload bit', blockHeaderBytes + 30],
    ['a header bit', 21],
    ['a checksum bit', blockBytes - 2],
    ['a padding bit', blockBytes - 100],
  ])('flipping %s is detected', (_, offset) => {
    const packed = recordBlocksPack([record(1, 'hello')], target);
    packed.bytes[offset]! ^= 0x10;
    const read = recordBlockRead(packed.bytes, expect0, true);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toMatch(/checksum/);
  });

  test('without checksum verification a flipped value bit decodes to a different value, not an error', () => {
    const packed = recordBlocksPack([record(1, 'hello')], target);
    const at = packed.bytes.indexOf('hello');
    packed.bytes[at]! ^= 0x01;
    const read = recordBlockRead(packed.bytes, expect0, false);
    expect(read.ok && read.records[0]!.value).toBe('iello');
  });

  test.each([
    ['another segment', { segmentId: 4 }, /segment/],
    ['another file', { fileSeq: 8 }, /file/],
    ['another position', { blockNo: 5 }, /number/],
    ['another purpose', { purpose: 'cold' as const }, /purpose/],
    ['a later epoch', { epochMax: 1 }, /epoch/],
  ])('a valid block found where %s is expected is refused', (_, change, reason) => {
    const packed = recordBlocksPack([record(1, 'hello')], target);
    const read = blockCheck(packed.bytes, { ...expect0, ...change }, true);
    expect(!read.ok && read.reason).toMatch(reason);
  });
});

describe('layout helpers for tools', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('list segment files, count their blocks, and validate one block', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'quorumlab-layout-'));
    const packed = recordBlocksPack(
      Array.from({ length: 200 }, (_, i) => record(i + 1, 'x'.repeat(100))),
      target,
    );
    const file = path.join(dir, hotFileName(3, 7));
    packed.bytes[blockBytes + blockHeaderBytes + 5]! ^= 0xff;
    await writeFile(file, packed.bytes);
    await writeFile(path.join(dir, 'unrelated.txt'), 'x');
    expect((await segmentFilesList(dir)).map((f) => [f.name, f.purpose, f.segmentId, f.fileSeq])).toEqual([
      [hotFileName(3, 7), 'hot', 3, 7],
    ]);
    expect(await segmentFileBlockCount(file)).toBe(packed.blockLsns.length);
    expect(await segmentBlockValidate(file, 0)).toMatchObject({ ok: true, header: { blockNo: 0 } });
    expect(await segmentBlockValidate(file, 1)).toMatchObject({ ok: false });
  });
});
