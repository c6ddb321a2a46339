// The hot log of one PG: records appended in arrival order into rotating files
// of blocks. Writing and syncing are separate so that the group commit can
// write every PG's blocks and then cover them all with one fdatasync per file.

import path from 'node:path';
import { unlink } from 'node:fs/promises';
import { lsnLater, lsnZero, type Lsn, type PgId } from '../protocol/ids.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { BlockFile, type BlockFileOptions } from '../disk/block-file.js';
import { hotFileBlocksMax, hotFileName } from '../disk/layout.js';
import { recordBlocksPack } from '../disk/record-blocks.js';

export interface HotFile {
  readonly fileSeq: number;
  readonly file: BlockFile;
  /** LSNs held by each block (null: never valid or known bad). */
  readonly blockLsns: (readonly Lsn[] | null)[];
  /** Highest LSN the file holds; a file entirely at or below the coalesced base can be deleted. */
  lsnMax: Lsn;
}

export class HotLog {
  private readonly files = new Map<number, HotFile>();
  private current: HotFile | null = null;

  constructor(
    private readonly dataDir: string,
    readonly pg: PgId,
    private readonly options: BlockFileOptions,
  ) {}

  /** Registers a file found at start-up (in ascending fileSeq order); the last one becomes current. */
  fileAdopt(hot: HotFile): void {
    this.files.set(hot.fileSeq, hot);
    this.current = hot;
  }

  filesAll(): HotFile[] {
    return [...this.files.values()].sort((a, b) => a.fileSeq - b.fileSeq);
  }

  fileGet(fileSeq: number): HotFile | undefined {
    return this.files.get(fileSeq);
  }

  /** Writes the records as new blocks at the end of the current file (rotating when full); not yet durable. */
  async append(
    records: readonly LogRecord[],
    epoch: number,
    commitSeq: number,
  ): Promise<{ hot: HotFile; blocks: number }> {
    let hot = this.current ?? (await this.fileStart(0));
    let packed = this.pack(hot, records, epoch, commitSeq);
    if (hot.file.blockCount + packed.blockLsns.length > hotFileBlocksMax && hot.file.blockCount > 0) {
      hot = await this.fileStart(hot.fileSeq + 1);
      packed = this.pack(hot, records, epoch, commitSeq);
    }
    const blockNoFirst = hot.file.blockCount;
    await hot.file.write(blockNoFirst, packed.bytes);
    packed.blockLsns.forEach((lsns, i) => {
      hot.blockLsns[blockNoFirst + i] = lsns;
    });
    for (const record of records) hot.lsnMax = lsnLater(hot.lsnMax, record.lsn);
    return { hot, blocks: packed.blockLsns.length };
  }

  /** Deletes files (never the current one) whose every record is at or below `base`. */
  async filesCollect(base: number): Promise<number> {
    let deleted = 0;
    for (const hot of this.filesAll()) {
      if (hot === this.current || hot.lsnMax > base) continue;
      this.files.delete(hot.fileSeq);
      await hot.file.close();
      await unlink(hot.file.path);
      deleted++;
    }
    return deleted;
  }

  async close(): Promise<void> {
    for (const hot of this.files.values()) await hot.file.close();
  }

  private pack(
    hot: HotFile,
    records: readonly LogRecord[],
    epoch: number,
    commitSeq: number,
  ): ReturnType<typeof recordBlocksPack> {
    return recordBlocksPack(records, {
      purpose: 'hot',
      segmentId: this.pg,
      fileSeq: hot.fileSeq,
      blockNoFirst: hot.file.blockCount,
      epoch,
      commitSeq,
      blockBytes: this.options.blockBytes,
      lastBlockFlags: 0,
    });
  }

  private async fileStart(fileSeq: number): Promise<HotFile> {
    const file = await BlockFile.open(path.join(this.dataDir, hotFileName(this.pg, fileSeq)), this.options);
    const hot: HotFile = { fileSeq, file, blockLsns: [], lsnMax: lsnZero };
    this.fileAdopt(hot);
    return hot;
  }
}
