// The on-disk layout of a storage node, and helpers for tools (the corrupting
// nemesis, tests) that need to find and check blocks without running a node.
//
// Files in the node's data directory (nothing else is written there):
//   meta.seg                 meta log: epoch claims and truncations (meta-codec.ts),
//                            one entry per block, each entry written as two identical
//                            consecutive blocks. segmentId 0xffffffff, fileSeq 0.
//   pg<P>-hot-<NNNNNNNN>.seg hot log of PG P, file number N (8 digits): records in
//                            arrival order, several per block (record-codec.ts). A
//                            file holds at most hotFileBlocksMax blocks, then the next
//                            number starts. segmentId P, fileSeq N.
//   pg<P>-cold-<NNNNNNNN>.seg cold log of PG P: page entries (key, kind, LSN, value)
//                            written by coalescing, as records; the last block of one
//                            pass carries blockFlagPassEnd, and its lsnLast is the
//                            PG's coalesced base. segmentId P, fileSeq N.
//
// Every block is blockBytes long (cluster.storage.blockBytes, 4096 by default):
//   offset  size  field (little endian)
//        0     4  magic 0x51424c4b ("QBLK")
//        4     2  format version (1)
//        6     1  purpose: 1 hot, 2 cold, 3 meta
//        7     1  flags (bit 0: end of a coalescing pass)
//        8     4  segment id (the PG; 0xffffffff for meta)
//       12     4  file number within the segment
//       16     4  block number within the file (its position)
//       20     4  volume epoch of the node when the block was written
//       24     8  first LSN in the block (u48 + 2 zero bytes)
//       32     8  last LSN in the block (u48 + 2 zero bytes)
//       40     2  payload length in bytes
//       42     2  entries (records) in the payload
//       44     4  group-commit batch number (hot log)
//       48     .  payload, then zeros
//   blockBytes-4  4  CRC32C of bytes [0, blockBytes-4)
// Block N of a file starts at byte N * blockBytes. A file whose length is not a
// multiple of blockBytes ends in a torn block, which a restart discards.

import { readdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { type BlockCheck, type BlockPurpose, blockCheck, metaSegmentId } from './block.js';

export const metaFileName = 'meta.seg';
/** Blocks per hot or cold file before the next file starts (16 MiB at 4 KiB blocks). */
export const hotFileBlocksMax = 4096;

export interface SegmentFile {
  readonly path: string;
  readonly name: string;
  readonly purpose: BlockPurpose;
  readonly segmentId: number;
  readonly fileSeq: number;
}

export function hotFileName(pg: number, fileSeq: number): string {
  return `pg${pg}-hot-${String(fileSeq).padStart(8, '0')}.seg`;
}

export function coldFileName(pg: number, fileSeq: number): string {
  return `pg${pg}-cold-${String(fileSeq).padStart(8, '0')}.seg`;
}

/** Parses a file name of the layout; null for anything else. */
export function segmentFileParse(dataDir: string, name: string): SegmentFile | null {
  if (name === metaFileName)
    return { path: path.join(dataDir, name), name, purpose: 'meta', segmentId: metaSegmentId, fileSeq: 0 };
  const match = /^pg(\d+)-(hot|cold)-(\d{8})\.seg$/.exec(name);
  if (!match) return null;
  return {
    path: path.join(dataDir, name),
    name,
    purpose: match[2] as 'hot' | 'cold',
    segmentId: Number(match[1]),
    fileSeq: Number(match[3]),
  };
}

/** Every segment file of a node's data directory, meta first, then by PG, purpose and number. */
export async function segmentFilesList(dataDir: string): Promise<SegmentFile[]> {
  const names = await readdir(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const files = names.map((name) => segmentFileParse(dataDir, name)).filter((f): f is SegmentFile => f !== null);
  const order = { meta: 0, cold: 1, hot: 2 } as const;
  return files.sort((a, b) =>
    a.purpose === 'meta'
      ? -1
      : b.purpose === 'meta'
        ? 1
        : a.segmentId - b.segmentId || order[a.purpose] - order[b.purpose] || a.fileSeq - b.fileSeq,
  );
}

/** Whole blocks in a file (a torn trailing part does not count). */
export async function segmentFileBlockCount(filePath: string, blockBytes = 4096): Promise<number> {
  return Math.floor((await stat(filePath)).size / blockBytes);
}

/**
 * Checks block `blockNo` of a segment file as a restarting node would (checksum
 * and header), except the epoch bound, which only the node knows.
 */
export async function segmentBlockValidate(filePath: string, blockNo: number, blockBytes = 4096): Promise<BlockCheck> {
  const file = segmentFileParse(path.dirname(filePath), path.basename(filePath));
  if (file === null) return { ok: false, reason: `${filePath} is not a segment file` };
  const handle = await open(filePath, 'r');
  try {
    const block = Buffer.alloc(blockBytes);
    const { bytesRead } = await handle.read(block, 0, blockBytes, blockNo * blockBytes);
    if (bytesRead < blockBytes) return { ok: false, reason: `block ${blockNo} is past the end of the file` };
    return blockCheck(
      block,
      { purpose: file.purpose, segmentId: file.segmentId, fileSeq: file.fileSeq, blockNo, epochMax: 0xffff_ffff },
      true,
    );
  } finally {
    await handle.close();
  }
}
