// The cold log of one PG: the page state (every key's value or list, with the
// LSN of each version) at the coalesced base. Each coalescing pass writes the
// whole state at its base into a new file, ends it with a marker block, syncs,
// and only then deletes the older files: simple, and a crash at any point
// leaves one complete pass on disk.

import path from 'node:path';
import { unlink } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { lsnZero, type Lsn, type PgId } from '../protocol/ids.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { blockFlagPassEnd, blockSeal } from '../disk/block.js';
import { BlockFile, type BlockFileOptions } from '../disk/block-file.js';
import { coldFileName, type SegmentFile } from '../disk/layout.js';
import { recordBlockRead, recordBlocksPack } from '../disk/record-blocks.js';
import type { BlockRepairs } from './block-repairs.js';

/** Blocks read per chunk while loading or scrubbing. */
const readChunkBlocks = 256;

export interface ColdLoad {
  readonly base: Lsn;
  readonly entries: readonly LogRecord[];
  readonly blocksCorrupt: number;
}

export class ColdLog {
  private fileSeqs: number[];

  private constructor(
    private readonly dataDir: string,
    readonly pg: PgId,
    private readonly options: BlockFileOptions,
    fileSeqs: readonly number[],
    private readonly repairs: BlockRepairs,
  ) {
    this.fileSeqs = [...fileSeqs];
  }

  /** Finds the newest complete pass among the PG's cold files; bad blocks are logged and counted. */
  static async load(
    dataDir: string,
    pg: PgId,
    files: readonly SegmentFile[],
    options: BlockFileOptions,
    crcVerify: boolean,
    epochMax: number,
    log: Logger,
    repairs: BlockRepairs,
  ): Promise<{ cold: ColdLog; load: ColdLoad }> {
    const seqs = files.map((f) => f.fileSeq).sort((a, b) => a - b);
    const cold = new ColdLog(dataDir, pg, options, seqs, repairs);
    let blocksCorrupt = 0;
    for (const seq of [...seqs].reverse()) {
      const pass = await cold.passRead(seq, crcVerify, epochMax, log);
      blocksCorrupt += pass.blocksCorrupt;
      if (pass.complete) return { cold, load: { base: pass.base, entries: pass.entries, blocksCorrupt } };
    }
    return { cold, load: { base: lsnZero, entries: [], blocksCorrupt } };
  }

  get files(): readonly number[] {
    return this.fileSeqs;
  }

  filePath(fileSeq: number): string {
    return path.join(this.dataDir, coldFileName(this.pg, fileSeq));
  }

  /** Writes the page state at `base` as a new pass, makes it durable, then deletes older passes (bad blocks with them). */
  async passWrite(entries: readonly LogRecord[], base: Lsn, epoch: number): Promise<number> {
    const fileSeq = (this.fileSeqs[this.fileSeqs.length - 1] ?? -1) + 1;
    const file = await BlockFile.open(this.filePath(fileSeq), this.options);
    let blocks = 0;
    try {
      const packed = recordBlocksPack(entries, {
        purpose: 'cold',
        segmentId: this.pg,
        fileSeq,
        blockNoFirst: 0,
        epoch,
        commitSeq: 0,
        blockBytes: this.options.blockBytes,
        lastBlockFlags: 0,
      });
      await file.write(0, packed.bytes);
      const marker = Buffer.alloc(this.options.blockBytes);
      blocks = packed.blockLsns.length + 1;
      blockSeal(marker, {
        purpose: 'cold',
        flags: blockFlagPassEnd,
        segmentId: this.pg,
        fileSeq,
        blockNo: blocks - 1,
        epoch,
        lsnFirst: base,
        lsnLast: base,
        payloadBytes: 0,
        entryCount: 0,
        commitSeq: 0,
      });
      await file.write(blocks - 1, marker);
      // A whole pass can be megabytes: its fdatasync waits in the thread pool, not on the node's thread.
      await file.syncOffThread();
    } finally {
      await file.close();
    }
    const older = this.fileSeqs;
    this.fileSeqs = [fileSeq];
    for (const seq of older) await unlink(this.filePath(seq));
    this.repairs.coldPassWritten(this.pg);
    return blocks;
  }

  /**
   * Re-reads the current pass; returns the blocks read and the bad ones (number,
   * reason, and whether it was not known bad before), each noted as found.
   */
  async scrub(
    crcVerify: boolean,
    epochMax: number,
  ): Promise<{ blocks: number; bad: { blockNo: number; reason: string; isNew: boolean }[] }> {
    const seq = this.fileSeqs[this.fileSeqs.length - 1];
    if (seq === undefined) return { blocks: 0, bad: [] };
    const bad: { blockNo: number; reason: string; isNew: boolean }[] = [];
    let blocks = 0;
    await this.blocksVisit(seq, crcVerify, epochMax, (blockNo, read) => {
      blocks++;
      if (read.ok) return;
      const isNew = this.repairs.found({ purpose: 'cold', pg: this.pg, fileSeq: seq, blockNo });
      bad.push({ blockNo, reason: read.reason, isNew });
    });
    return { blocks, bad };
  }

  private async passRead(
    seq: number,
    crcVerify: boolean,
    epochMax: number,
    log: Logger,
  ): Promise<{ complete: boolean; base: Lsn; entries: LogRecord[]; blocksCorrupt: number }> {
    const entries: LogRecord[] = [];
    let base: Lsn | null = null;
    let blocksCorrupt = 0;
    await this.blocksVisit(seq, crcVerify, epochMax, (blockNo, read) => {
      if (!read.ok) {
        blocksCorrupt++;
        this.repairs.found({ purpose: 'cold', pg: this.pg, fileSeq: seq, blockNo });
        log.error(`corrupt block: file ${coldFileName(this.pg, seq)} block ${blockNo}: ${read.reason}`);
        return;
      }
      if ((read.header.flags & blockFlagPassEnd) !== 0) base = read.header.lsnLast;
      else entries.push(...read.records);
    });
    const complete = base !== null && blocksCorrupt === 0;
    if (!complete) log.warn(`cold file ${coldFileName(this.pg, seq)} holds no complete pass; ignoring it`);
    return { complete, base: base ?? lsnZero, entries, blocksCorrupt };
  }

  private async blocksVisit(
    seq: number,
    crcVerify: boolean,
    epochMax: number,
    visit: (blockNo: number, read: ReturnType<typeof recordBlockRead>) => void,
  ): Promise<void> {
    const file = await BlockFile.open(this.filePath(seq), { ...this.options, volatileWriteCache: false });
    try {
      for (let first = 0; first < file.blockCount; first += readChunkBlocks) {
        const count = Math.min(readChunkBlocks, file.blockCount - first);
        const bytes = await file.read(first, count);
        for (let i = 0; i < count; i++) {
          const blockNo = first + i;
          const block = bytes.subarray(i * this.options.blockBytes, (i + 1) * this.options.blockBytes);
          visit(
            blockNo,
            recordBlockRead(block, { purpose: 'cold', segmentId: this.pg, fileSeq: seq, blockNo, epochMax }, crcVerify),
          );
        }
      }
    } finally {
      await file.close();
    }
  }
}
