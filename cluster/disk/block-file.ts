// A file of fixed-size blocks with explicit durability. With the volatile write
// cache on, written blocks stay in process memory until sync(), so a SIGKILL
// loses exactly what a power cut would; without it, write() reaches the page
// cache at once and only sync() (fdatasync) makes it durable.
//
// Writes and syncs are synchronous system calls on the node's one thread: a
// write into the page cache takes microseconds, and a group commit has nothing
// else to do while its fdatasync runs, whereas a hand-off to the thread pool and
// back costs two thread wake-ups per call, which dominate the CPU of the write path.

import { constants, fdatasyncSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { assert } from '../../core/assert.js';

export interface BlockFileOptions {
  readonly blockBytes: number;
  readonly volatileWriteCache: boolean;
  /** Extra latency added to every sync, simulating a slow device (0 in production). */
  readonly syncDelay: SyncDelay;
}

/**
 * The simulated device's delay per sync. One holder is shared by every file of
 * a node (options are copied by reference), so that changing `ms` slows or
 * speeds every sync from then on, in files already open too.
 */
export interface SyncDelay {
  ms: number;
}

export class BlockFile {
  /** Blocks written but not yet handed to the OS (volatile cache only), by block number. */
  private readonly unsynced = new Map<number, Buffer>();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    private readonly options: BlockFileOptions,
    /** Blocks in the file as this process sees it (durable or not). */
    private blocks: number,
  ) {}

  /** Opens (creating if absent); a trailing partial block is ignored and later overwritten. */
  static async open(path: string, options: BlockFileOptions): Promise<BlockFile> {
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    const size = (await handle.stat()).size;
    return new BlockFile(path, handle, options, Math.floor(size / options.blockBytes));
  }

  get blockCount(): number {
    return this.blocks;
  }

  /** Writes whole blocks starting at blockNo (at most one past the end); done when it returns. */
  write(blockNo: number, bytes: Buffer): Promise<void> {
    const blockBytes = this.options.blockBytes;
    assert(!this.closed, `write to closed file ${this.path}`);
    assert(bytes.length > 0, 'write of zero bytes');
    assert(bytes.length % blockBytes === 0, `write of ${bytes.length} bytes is not whole blocks`);
    assert(blockNo <= this.blocks, `write at block ${blockNo} leaves a hole after block ${this.blocks}`);
    const count = bytes.length / blockBytes;
    if (this.options.volatileWriteCache) {
      for (let i = 0; i < count; i++)
        this.unsynced.set(blockNo + i, Buffer.from(bytes.subarray(i * blockBytes, (i + 1) * blockBytes)));
    } else {
      this.writeFully(bytes, blockNo * blockBytes);
    }
    this.blocks = Math.max(this.blocks, blockNo + count);
    return Promise.resolve();
  }

  /** Makes every block written so far durable, with the fdatasync on this thread. */
  async sync(): Promise<void> {
    await this.syncPrepare();
    fdatasyncSync(this.handle.fd);
  }

  /**
   * Makes every block written so far durable, with the fdatasync in the thread
   * pool: several files synced at once then overlap their waits.
   */
  async syncOffThread(): Promise<void> {
    await this.syncPrepare();
    await this.handle.datasync();
  }

  /** The device's simulated delay, then the volatile cache's blocks handed to the OS. */
  private async syncPrepare(): Promise<void> {
    assert(!this.closed, `sync of closed file ${this.path}`);
    const delayMs = this.options.syncDelay.ms;
    if (delayMs > 0) await sleep(delayMs);
    if (this.unsynced.size > 0) {
      const pending = [...this.unsynced.entries()].sort((a, b) => a[0] - b[0]);
      this.unsynced.clear();
      for (const [blockNo, block] of pending) this.writeFully(block, blockNo * this.options.blockBytes);
    }
  }

  /** Reads `count` blocks from blockNo, as this process sees them (unsynced blocks included). */
  async read(blockNo: number, count: number): Promise<Buffer> {
    const blockBytes = this.options.blockBytes;
    assert(
      blockNo + count <= this.blocks,
      `read of blocks ${blockNo}..${blockNo + count - 1} past the end (${this.blocks})`,
    );
    const out = Buffer.alloc(count * blockBytes);
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await this.handle.read(out, done, out.length - done, blockNo * blockBytes + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    for (let i = 0; i < count; i++) this.unsynced.get(blockNo + i)?.copy(out, i * blockBytes);
    return out;
  }

  /** Forgets blocks from blockNo on (a torn tail, or a batch the lose-hot-log-tail bug drops). */
  async truncate(blockNo: number): Promise<void> {
    assert(blockNo <= this.blocks, `truncate at ${blockNo} beyond ${this.blocks}`);
    for (const key of [...this.unsynced.keys()]) if (key >= blockNo) this.unsynced.delete(key);
    await this.handle.truncate(blockNo * this.options.blockBytes);
    this.blocks = blockNo;
  }

  /** Closes the file; unsynced volatile blocks are lost, as on a power cut. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsynced.clear();
    await this.handle.close();
  }

  private writeFully(bytes: Buffer, position: number): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.handle.fd, bytes, done, bytes.length - done, position + done);
  }
}
