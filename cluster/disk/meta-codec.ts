// Entries of the meta log: epoch claims and truncations, one entry per block,
// each written as a pair of identical blocks so that one bad block never loses
// an epoch. Replaying every valid entry gives the node's epoch (the highest
// claim) and the truncations it holds.

import { epochOf, lsnOf, pgIdOf, type Epoch } from '../protocol/ids.js';
import type { Truncation } from '../protocol/storage-messages.js';
import { blockHeaderBytes, lsnMax } from './block.js';
import { assert } from '../../core/assert.js';

export type MetaEntry =
  | { readonly t: 'epoch-claim'; readonly epoch: Epoch; readonly writerId: string }
  | { readonly t: 'truncation'; readonly truncation: Truncation };

const typeClaim = 1;
const typeTruncation = 2;
/** Bound on a writer id stored in a claim. */
export const writerIdBytesMax = 256;

/** Writes the entry as the payload of `block`; returns the payload length. */
export function metaEntryEncode(entry: MetaEntry, block: Buffer): number {
  const at = blockHeaderBytes;
  switch (entry.t) {
    case 'epoch-claim': {
      block.writeUInt8(typeClaim, at);
      block.writeUInt32LE(entry.epoch, at + 1);
      const length = block.write(entry.writerId, at + 7, writerIdBytesMax, 'utf8');
      block.writeUInt16LE(length, at + 5);
      return 7 + length;
    }
    case 'truncation': {
      const { epoch, pg, afterLsn, uptoLsn } = entry.truncation;
      assert(afterLsn < uptoLsn, `truncation range ${afterLsn}..${uptoLsn} is empty`);
      assert(uptoLsn <= lsnMax, `truncation bound ${uptoLsn} exceeds 48 bits`);
      block.writeUInt8(typeTruncation, at);
      block.writeUInt32LE(epoch, at + 1);
      block.writeUInt32LE(pg, at + 5);
      block.writeUIntLE(afterLsn, at + 9, 6);
      block.writeUIntLE(uptoLsn, at + 15, 6);
      return 21;
    }
  }
}

export function metaEntryDecode(block: Buffer, payloadBytes: number): MetaEntry | null {
  const at = blockHeaderBytes;
  if (payloadBytes < 1) return null;
  const type = block.readUInt8(at);
  if (type === typeClaim && payloadBytes >= 7) {
    const length = block.readUInt16LE(at + 5);
    if (7 + length !== payloadBytes) return null;
    return {
      t: 'epoch-claim',
      epoch: epochOf(block.readUInt32LE(at + 1)),
      writerId: block.toString('utf8', at + 7, at + 7 + length),
    };
  }
  if (type === typeTruncation && payloadBytes === 21) {
    const truncation: Truncation = {
      epoch: epochOf(block.readUInt32LE(at + 1)),
      pg: pgIdOf(block.readUInt32LE(at + 5)),
      afterLsn: lsnOf(block.readUIntLE(at + 9, 6)),
      uptoLsn: lsnOf(block.readUIntLE(at + 15, 6)),
    };
    return truncation.afterLsn < truncation.uptoLsn ? { t: 'truncation', truncation } : null;
  }
  return null;
}
