// Packing records into consecutive blocks and reading them back. Several records
// share a block; a record never spans two. Used for the hot log (records in
// arrival order) and for the cold log (page entries).

import type { LogRecord } from '../protocol/storage-messages.js';
import { lsnLater, lsnZero, pgIdOf, type Lsn } from '../protocol/ids.js';
import {
  type BlockCheck,
  type BlockExpect,
  type BlockHeader,
  type BlockPurpose,
  blockCheck,
  blockHeaderBytes,
  blockPayloadBytesMax,
  blockSeal,
} from './block.js';
import { recordEncode, recordEncodedBytes, recordsDecode } from './record-codec.js';
import { assert } from '../../core/assert.js';

export interface PackTarget {
  readonly purpose: BlockPurpose;
  readonly segmentId: number;
  readonly fileSeq: number;
  readonly blockNoFirst: number;
  readonly epoch: number;
  readonly commitSeq: number;
  readonly blockBytes: number;
  /** Flags for the last block (blockFlagPassEnd closes a coalescing pass). */
  readonly lastBlockFlags: number;
}

export interface Packed {
  /** Whole blocks, ready to write at blockNoFirst. */
  readonly bytes: Buffer;
  /** LSNs held by each block, in block order. */
  readonly blockLsns: readonly (readonly Lsn[])[];
}

/** Packs at least one block (an empty one when `records` is empty, used as a pass marker). */
export function recordBlocksPack(records: readonly LogRecord[], target: PackTarget): Packed {
  const payloadMax = blockPayloadBytesMax(target.blockBytes);
  const groups: LogRecord[][] = [[]];
  let used = 0;
  for (const record of records) {
    const size = recordEncodedBytes(record);
    assert(size <= payloadMax, `record ${record.lsn} of ${size} bytes cannot fit a block payload of ${payloadMax}`);
    if (used + size > payloadMax) {
      groups.push([]);
      used = 0;
    }
    groups[groups.length - 1]!.push(record);
    used += size;
  }
  const bytes = Buffer.allocUnsafe(groups.length * target.blockBytes);
  groups.forEach((group, i) => {
    const block = bytes.subarray(i * target.blockBytes, (i + 1) * target.blockBytes);
    let at = blockHeaderBytes;
    let lsnFirst = group[0]?.lsn ?? lsnZero;
    let lsnLast = lsnZero;
    for (const record of group) {
      at = recordEncode(record, block, at);
      if (record.lsn < lsnFirst) lsnFirst = record.lsn;
      lsnLast = lsnLater(lsnLast, record.lsn);
    }
    blockSeal(block, {
      purpose: target.purpose,
      flags: i === groups.length - 1 ? target.lastBlockFlags : 0,
      segmentId: target.segmentId,
      fileSeq: target.fileSeq,
      blockNo: target.blockNoFirst + i,
      epoch: target.epoch,
      lsnFirst,
      lsnLast,
      payloadBytes: at - blockHeaderBytes,
      entryCount: group.length,
      commitSeq: target.commitSeq,
    });
  });
  return { bytes, blockLsns: groups.map((group) => group.map((r) => r.lsn)) };
}

export type RecordBlockRead =
  | { readonly ok: true; readonly header: BlockHeader; readonly records: LogRecord[] }
  | { readonly ok: false; readonly reason: string };

/** Validates a block and decodes its records; any structural fault is a reason, never an exception. */
export function recordBlockRead(block: Buffer, expect: BlockExpect, crcVerify: boolean): RecordBlockRead {
  const checked: BlockCheck = blockCheck(block, expect, crcVerify);
  if (!checked.ok) return checked;
  const header = checked.header;
  const decoded = recordsDecode(
    block,
    blockHeaderBytes,
    blockHeaderBytes + header.payloadBytes,
    header.entryCount,
    // The segment of a hot or cold block is its PG.
    pgIdOf(header.segmentId),
  );
  if (!decoded.ok) return decoded;
  for (const record of decoded.records) {
    if (record.lsn < header.lsnFirst || record.lsn > header.lsnLast) {
      return {
        ok: false,
        reason: `record LSN ${record.lsn} outside the block's range ${header.lsnFirst}..${header.lsnLast}`,
      };
    }
  }
  return { ok: true, header, records: decoded.records };
}
