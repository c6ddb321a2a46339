// One self-describing disk block: a fixed header, a payload and a CRC32C over
// everything before it. Sealing asserts a well-formed header before the block
// reaches a file; validating returns a reason instead of throwing, because a
// bad block on disk is an operating error (corruption), not a bug.

import { assert } from '../../core/assert.js';
import { crc32c } from '../../core/crc32c.js';
import { lsnOf, type Lsn } from '../protocol/ids.js';

export const blockMagic = 0x51424c4b; // "QBLK"
export const blockFormatVersion = 1;
export const blockHeaderBytes = 48;
export const blockCrcBytes = 4;
/** LSNs are stored as 48-bit unsigned integers. */
export const lsnMax = 2 ** 48 - 1;
/** Flag bit on the last block of one coalescing pass in the cold log. */
export const blockFlagPassEnd = 1;

export type BlockPurpose = 'hot' | 'cold' | 'meta';
const purposeCodes: Readonly<Record<BlockPurpose, number>> = { hot: 1, cold: 2, meta: 3 };

export interface BlockHeader {
  readonly purpose: BlockPurpose;
  readonly flags: number;
  /** The PG of hot and cold blocks; metaSegmentId for the meta log. */
  readonly segmentId: number;
  /** Which file of the segment (files rotate). */
  readonly fileSeq: number;
  /** Position of the block in its file. */
  readonly blockNo: number;
  /** The node's volume epoch when the block was written. */
  readonly epoch: number;
  readonly lsnFirst: Lsn;
  readonly lsnLast: Lsn;
  readonly payloadBytes: number;
  readonly entryCount: number;
  /** Group-commit batch that wrote the block (hot log); 0 elsewhere. */
  readonly commitSeq: number;
}

export const metaSegmentId = 0xffff_ffff;

export function blockPayloadBytesMax(blockBytes: number): number {
  return blockBytes - blockHeaderBytes - blockCrcBytes;
}

/**
 * Writes header and CRC around a payload already placed at
 * block[blockHeaderBytes, blockHeaderBytes + payloadBytes). `block` is exactly one
 * block long; bytes after the payload are zeroed so that a block's checksum never
 * depends on stale buffer contents.
 */
export function blockSeal(block: Buffer, header: BlockHeader): void {
  const payloadMax = blockPayloadBytesMax(block.length);
  assert(block.length >= blockHeaderBytes + blockCrcBytes + 64, `block of ${block.length} bytes is too small`);
  assert(header.payloadBytes <= payloadMax, `payload of ${header.payloadBytes} bytes exceeds ${payloadMax}`);
  assert(
    Number.isInteger(header.blockNo) && header.blockNo >= 0,
    `block number ${header.blockNo} is not a non-negative integer`,
  );
  assert(header.lsnFirst <= header.lsnLast, `block LSN range ${header.lsnFirst}..${header.lsnLast} is reversed`);
  assert(header.lsnLast <= lsnMax, `block LSN ${header.lsnLast} exceeds 48 bits`);
  assert(header.epoch >= 0 && header.epoch <= 0xffff_ffff, `block epoch ${header.epoch} out of range`);
  assert(header.entryCount <= 0xffff, `block entry count ${header.entryCount} out of range`);
  block.writeUInt32LE(blockMagic, 0);
  block.writeUInt16LE(blockFormatVersion, 4);
  block.writeUInt8(purposeCodes[header.purpose], 6);
  block.writeUInt8(header.flags, 7);
  block.writeUInt32LE(header.segmentId, 8);
  block.writeUInt32LE(header.fileSeq, 12);
  block.writeUInt32LE(header.blockNo, 16);
  block.writeUInt32LE(header.epoch, 20);
  block.writeUIntLE(header.lsnFirst, 24, 6);
  block.writeUInt16LE(0, 30);
  block.writeUIntLE(header.lsnLast, 32, 6);
  block.writeUInt16LE(0, 38);
  block.writeUInt16LE(header.payloadBytes, 40);
  block.writeUInt16LE(header.entryCount, 42);
  block.writeUInt32LE(header.commitSeq >>> 0, 44);
  block.fill(0, blockHeaderBytes + header.payloadBytes, block.length - blockCrcBytes);
  block.writeUInt32LE(crc32c(block, 0, block.length - blockCrcBytes), block.length - blockCrcBytes);
}

/** What a block at a given place must say about itself. */
export interface BlockExpect {
  readonly purpose: BlockPurpose;
  readonly segmentId: number;
  readonly fileSeq: number;
  readonly blockNo: number;
  /** Highest epoch the node has made durable; a block claiming a later one is forged or misplaced. */
  readonly epochMax: number;
}

export type BlockCheck =
  { readonly ok: true; readonly header: BlockHeader } | { readonly ok: false; readonly reason: string };

/**
 * Checks one block read from disk. With `crcVerify` false (the skip-crc bug) the
 * checksum is ignored but the header is still checked, so a flipped payload bit is
 * served as data.
 */
export function blockCheck(block: Buffer, expect: BlockExpect, crcVerify: boolean): BlockCheck {
  if (block.length < blockHeaderBytes + blockCrcBytes)
    return { ok: false, reason: `short block of ${block.length} bytes` };
  if (block.readUInt32LE(0) !== blockMagic) {
    return {
      ok: false,
      reason: isZero(block)
        ? 'block is all zeros (never written)'
        : `bad magic 0x${block.readUInt32LE(0).toString(16)}`,
    };
  }
  if (crcVerify) {
    const stored = block.readUInt32LE(block.length - blockCrcBytes);
    const actual = crc32c(block, 0, block.length - blockCrcBytes);
    if (stored !== actual)
      return {
        ok: false,
        reason: `checksum mismatch: stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}`,
      };
  }
  const header = headerRead(block);
  if (header === null) return { ok: false, reason: 'unknown format version or purpose' };
  const mismatch = headerMismatch(header, expect, block.length);
  return mismatch === null ? { ok: true, header } : { ok: false, reason: mismatch };
}

function headerRead(block: Buffer): BlockHeader | null {
  if (block.readUInt16LE(4) !== blockFormatVersion) return null;
  const code = block.readUInt8(6);
  const purpose = (Object.keys(purposeCodes) as BlockPurpose[]).find((p) => purposeCodes[p] === code);
  if (purpose === undefined) return null;
  return {
    purpose,
    flags: block.readUInt8(7),
    segmentId: block.readUInt32LE(8),
    fileSeq: block.readUInt32LE(12),
    blockNo: block.readUInt32LE(16),
    epoch: block.readUInt32LE(20),
    lsnFirst: lsnOf(block.readUIntLE(24, 6)),
    lsnLast: lsnOf(block.readUIntLE(32, 6)),
    payloadBytes: block.readUInt16LE(40),
    entryCount: block.readUInt16LE(42),
    commitSeq: block.readUInt32LE(44),
  };
}

function headerMismatch(header: BlockHeader, expect: BlockExpect, blockBytes: number): string | null {
  if (header.purpose !== expect.purpose)
    return `block written for purpose ${header.purpose}, expected ${expect.purpose}`;
  if (header.segmentId !== expect.segmentId)
    return `block belongs to segment ${header.segmentId}, expected ${expect.segmentId}`;
  if (header.fileSeq !== expect.fileSeq) return `block belongs to file ${header.fileSeq}, expected ${expect.fileSeq}`;
  if (header.blockNo !== expect.blockNo) return `block says it is number ${header.blockNo}, found at ${expect.blockNo}`;
  if (header.epoch > expect.epochMax)
    return `block written for epoch ${header.epoch}, above the durable epoch ${expect.epochMax}`;
  if (header.payloadBytes > blockPayloadBytesMax(blockBytes))
    return `payload length ${header.payloadBytes} exceeds the block`;
  if (header.lsnFirst > header.lsnLast) return `LSN range ${header.lsnFirst}..${header.lsnLast} is reversed`;
  return null;
}

function isZero(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}
