// Disk damage to a storage node's segment files, with the layout helpers of
// cluster/disk: list the hot-log blocks that hold records, flip bits in a
// block's payload, write one block over another (a misdirected write), cut a
// file short mid-block, and snapshot files to roll them back later (lost writes).

import { open, readFile, rm, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { blockHeaderBytes } from '../../cluster/disk/block.js';
import { segmentBlockValidate, segmentFileBlockCount, segmentFilesList } from '../../cluster/disk/layout.js';
import { assert, assertNever } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';

/** The newest blocks of a file are left alone: the node may still be writing them. */
export const tailBlocksSkip = 2;
/** Bound on the blocks one listing reads per file, newest first, so a long run stays cheap to scan. */
export const listBlocksPerFileMax = 4096;

export interface HotBlock {
  readonly path: string;
  readonly pg: number;
  readonly blockNo: number;
  readonly lsnFirst: number;
  readonly lsnLast: number;
}

export type BlockDamage = 'bitflip' | 'misdirect';

/** What a damage did: the block now fails its check (and why), it still validates, or its file was gone. */
export type BlockDamageResult =
  | { readonly kind: 'damaged'; readonly reason: string }
  | { readonly kind: 'still-valid' }
  | { readonly kind: 'collected' };

/** Valid hot-log blocks holding records, older than the tail of their file. */
export async function hotBlocksList(dataDir: string, blockBytes: number): Promise<HotBlock[]> {
  const blocks: HotBlock[] = [];
  for (const file of (await segmentFilesList(dataDir)).filter((f) => f.purpose === 'hot')) {
    // The node collects hot files once coalesced; one that vanishes while listed is simply not a candidate.
    await fileBlocksList(file.path, file.segmentId, blockBytes, blocks).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  return blocks;
}

async function fileBlocksList(filePath: string, pg: number, blockBytes: number, into: HotBlock[]): Promise<void> {
  const count = (await segmentFileBlockCount(filePath, blockBytes)) - tailBlocksSkip;
  for (let blockNo = Math.max(0, count - listBlocksPerFileMax); blockNo < count; blockNo++) {
    const check = await segmentBlockValidate(filePath, blockNo, blockBytes);
    if (!check.ok || check.header.entryCount === 0) continue;
    into.push(
      Object.freeze({ path: filePath, pg, blockNo, lsnFirst: check.header.lsnFirst, lsnLast: check.header.lsnLast }),
    );
  }
}

/**
 * Damages one block so that its check fails: flipped payload bits break the
 * checksum; a misdirected write puts a valid neighbouring block here, whose
 * header names the wrong position.
 */
export async function blockDamage(
  block: HotBlock,
  damage: BlockDamage,
  blockBytes: number,
  prng: Prng,
): Promise<BlockDamageResult> {
  const handle = await open(block.path, 'r+').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (handle === null) return { kind: 'collected' };
  try {
    const bytes = Buffer.alloc(blockBytes);
    await handle.read(bytes, 0, blockBytes, block.blockNo * blockBytes);
    if (damage === 'misdirect' && block.blockNo > 0) {
      await handle.read(bytes, 0, blockBytes, (block.blockNo - 1) * blockBytes);
    } else {
      const payloadBytes = Math.max(1, bytes.readUInt16LE(40));
      for (let flips = 0; flips < 3; flips++) {
        const at = blockHeaderBytes + prng.int(payloadBytes);
        bytes[at] = bytes[at]! ^ (1 << prng.int(8));
      }
    }
    await handle.write(bytes, 0, blockBytes, block.blockNo * blockBytes);
  } finally {
    await handle.close();
  }
  const check = await segmentBlockValidate(block.path, block.blockNo, blockBytes);
  return check.ok ? { kind: 'still-valid' } : { kind: 'damaged', reason: check.reason };
}

/** The result as the history's block lines show it. */
export function blockDamageDescribe(result: BlockDamageResult): string {
  switch (result.kind) {
    case 'damaged':
      return result.reason;
    case 'still-valid':
      return 'still valid';
    case 'collected':
      return 'file collected before it could be damaged';
    default:
      return assertNever(result, 'block damage result');
  }
}

/** Whether the block validates now; a block whose file is gone (collected) counts as not damaged. */
export async function blockValidNow(block: HotBlock, blockBytes: number): Promise<boolean> {
  const size = await stat(block.path).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return -1;
      throw error;
    },
  );
  if (size < 0 || size < (block.blockNo + 1) * blockBytes) return true;
  return (await segmentBlockValidate(block.path, block.blockNo, blockBytes)).ok;
}

/** Cuts the newest hot file of a stopped node: `blocks` whole blocks and half of the one before. */
export async function hotFileTruncate(
  dataDir: string,
  blocks: number,
  blockBytes: number,
): Promise<{ readonly file: string; readonly bytesBefore: number; readonly bytesAfter: number } | null> {
  const hot = (await segmentFilesList(dataDir)).filter((f) => f.purpose === 'hot');
  const newest = hot[hot.length - 1];
  if (newest === undefined) return null;
  const bytesBefore = (await stat(newest.path)).size;
  const whole = Math.floor(bytesBefore / blockBytes);
  if (whole < 2) return null;
  const keep = Math.max(1, whole - blocks);
  const bytesAfter = keep * blockBytes - blockBytes / 2;
  await truncate(newest.path, bytesAfter);
  return { file: path.basename(newest.path), bytesBefore, bytesAfter };
}

export interface FileSnapshot {
  readonly path: string;
  readonly size: number;
  /** The file's last `chunkBlocks` blocks as they were, written back at restore. */
  readonly tail: Buffer;
}

/** Bound on the bytes a snapshot keeps per file. */
export const snapshotChunkBlocks = 8;

/** The hot files of a node as they are now, to roll them back later. */
export async function hotFilesSnapshot(dataDir: string, blockBytes: number): Promise<FileSnapshot[]> {
  const files = (await segmentFilesList(dataDir)).filter((f) => f.purpose === 'hot');
  const snapshots: FileSnapshot[] = [];
  for (const file of files) {
    const bytes = await readFile(file.path);
    const size = bytes.length;
    const tailFrom = Math.max(0, size - snapshotChunkBlocks * blockBytes);
    snapshots.push({ path: file.path, size, tail: Buffer.from(bytes.subarray(tailFrom)) });
  }
  return snapshots;
}

/**
 * Rolls a stopped node's hot files back to the snapshot: every write since is
 * lost, as if the device had acknowledged and then dropped it. Files created
 * since are removed. Returns the bytes that vanished.
 */
export async function hotFilesRestore(dataDir: string, snapshots: readonly FileSnapshot[]): Promise<number> {
  let lost = 0;
  const known = new Set(snapshots.map((s) => s.path));
  for (const file of (await segmentFilesList(dataDir)).filter((f) => f.purpose === 'hot' && !known.has(f.path))) {
    lost += (await stat(file.path)).size;
    await rm(file.path);
  }
  for (const snapshot of snapshots) {
    const size = await stat(snapshot.path).then(
      (s) => s.size,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      },
    );
    // A file collected since the snapshot stays gone: its records were coalesced and reached every replica.
    if (size === null) continue;
    assert(snapshot.tail.length <= snapshot.size, 'a snapshot tail lies inside its file');
    lost += Math.max(0, size - snapshot.size);
    await truncate(snapshot.path, snapshot.size);
    const handle = await open(snapshot.path, 'r+');
    try {
      await handle.write(snapshot.tail, 0, snapshot.tail.length, snapshot.size - snapshot.tail.length);
    } finally {
      await handle.close();
    }
  }
  return lost;
}
