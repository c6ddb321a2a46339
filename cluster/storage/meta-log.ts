// The node's durable epoch and truncations (meta.seg). Appends are serialized
// and each is fsynced before its promise resolves, so a claim is durable before
// the node acknowledges it. Every entry is written as two identical blocks.

import path from 'node:path';
import { assert } from '../../core/assert.js';
import type { Logger } from '../log.js';
import { epochZero, lsnZero, type Epoch } from '../protocol/ids.js';
import type { Truncation } from '../protocol/storage-messages.js';
import { blockCheck, blockSeal, metaSegmentId } from '../disk/block.js';
import { BlockFile, type BlockFileOptions } from '../disk/block-file.js';
import { metaFileName } from '../disk/layout.js';
import { type MetaEntry, metaEntryDecode, metaEntryEncode } from '../disk/meta-codec.js';

export interface MetaState {
  readonly epoch: Epoch;
  readonly writerId: string;
  readonly truncations: readonly Truncation[];
  readonly blocksCorrupt: number;
}

export class MetaLog {
  private tail: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: BlockFile,
    private readonly options: BlockFileOptions,
    /** Highest epoch whose claim is durable: the epoch every data block is written for, so none ever claims more. */
    public epochDurable: Epoch,
  ) {}

  /** Opens the meta log and replays it; every block is validated, bad ones are logged and skipped. */
  static async open(
    dataDir: string,
    options: BlockFileOptions,
    crcVerify: boolean,
    log: Logger,
  ): Promise<{ meta: MetaLog; state: MetaState }> {
    const file = await BlockFile.open(path.join(dataDir, metaFileName), options);
    const count = file.blockCount;
    const bytes = count > 0 ? await file.read(0, count) : Buffer.alloc(0);
    let epoch = epochZero;
    let writerId = '';
    let blocksCorrupt = 0;
    const truncations: Truncation[] = [];
    let validEnd = 0;
    const invalid: { blockNo: number; reason: string }[] = [];
    for (let blockNo = 0; blockNo < count; blockNo++) {
      const block = bytes.subarray(blockNo * options.blockBytes, (blockNo + 1) * options.blockBytes);
      const checked = blockCheck(
        block,
        { purpose: 'meta', segmentId: metaSegmentId, fileSeq: 0, blockNo, epochMax: 0xffff_ffff },
        crcVerify,
      );
      const entry = checked.ok ? metaEntryDecode(block, checked.header.payloadBytes) : null;
      if (entry === null) {
        invalid.push({ blockNo, reason: checked.ok ? 'undecodable meta entry' : checked.reason });
        continue;
      }
      validEnd = blockNo + 1;
      if (entry.t === 'epoch-claim' && entry.epoch > epoch) ({ epoch, writerId } = entry);
      if (entry.t === 'truncation' && !truncations.some((t) => sameTruncation(t, entry.truncation)))
        truncations.push(entry.truncation);
    }
    // Blocks after the last valid one are a torn append that was never acknowledged.
    for (const bad of invalid.filter((b) => b.blockNo < validEnd)) {
      blocksCorrupt++;
      log.error(`corrupt block: file ${metaFileName} block ${bad.blockNo}: ${bad.reason}`);
    }
    if (validEnd < count) await file.truncate(validEnd);
    return { meta: new MetaLog(file, options, epoch), state: { epoch, writerId, truncations, blocksCorrupt } };
  }

  /** Waits for every append started so far to be durable. */
  async drain(): Promise<void> {
    await this.tail;
  }

  /** Appends an entry durably (two blocks, one fdatasync). */
  append(entry: MetaEntry, epoch: number): Promise<void> {
    const run = this.tail.then(async () => {
      const blockBytes = this.options.blockBytes;
      const pair = Buffer.alloc(2 * blockBytes);
      const first = this.file.blockCount;
      for (let i = 0; i < 2; i++) {
        const block = pair.subarray(i * blockBytes, (i + 1) * blockBytes);
        const payloadBytes = metaEntryEncode(entry, block);
        blockSeal(block, {
          purpose: 'meta',
          flags: 0,
          segmentId: metaSegmentId,
          fileSeq: 0,
          blockNo: first + i,
          epoch,
          lsnFirst: lsnZero,
          lsnLast: lsnZero,
          payloadBytes,
          entryCount: 1,
          commitSeq: 0,
        });
      }
      await this.file.write(first, pair);
      await this.file.sync();
      if (entry.t === 'epoch-claim' && entry.epoch > this.epochDurable) this.epochDurable = entry.epoch;
    });
    this.tail = run;
    return run;
  }

  /** Re-reads one block for scrub; returns a reason when it is bad. */
  async blockScrub(blockNo: number, crcVerify: boolean): Promise<string | null> {
    assert(blockNo < this.file.blockCount, `meta scrub of block ${blockNo} past the end`);
    const block = await this.file.read(blockNo, 1);
    const checked = blockCheck(
      block,
      { purpose: 'meta', segmentId: metaSegmentId, fileSeq: 0, blockNo, epochMax: 0xffff_ffff },
      crcVerify,
    );
    if (!checked.ok) return checked.reason;
    return metaEntryDecode(block, checked.header.payloadBytes) === null ? 'undecodable meta entry' : null;
  }

  get blockCount(): number {
    return this.file.blockCount;
  }

  async close(): Promise<void> {
    await this.tail.catch(() => undefined);
    await this.file.close();
  }
}

export function sameTruncation(a: Truncation, b: Truncation): boolean {
  return a.pg === b.pg && a.afterLsn === b.afterLsn && a.uptoLsn === b.uptoLsn;
}
