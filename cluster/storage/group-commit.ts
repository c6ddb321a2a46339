// The foreground write path: records from every append (and gossip fill) queue
// here; one flush writes all queued records of every PG as new hot-log blocks,
// covers them with one fdatasync per touched file, then applies them to the
// in-memory state and releases every waiting request at once.

import type { LogRecord } from '../protocol/storage-messages.js';
import type { BlockFile } from '../disk/block-file.js';
import type { NodeState } from './node-state.js';

/** Bound on records waiting for a flush; beyond it appends are refused (not-ready). */
export const commitQueueRecordsMax = 200_000;
/** Bound on records written by one flush (keeps one flush's latency bounded). */
export const flushRecordsMax = 20_000;

export type CommitSource = 'append' | 'gossip';

interface CommitRequest {
  readonly pg: number;
  readonly records: readonly LogRecord[];
  readonly source: CommitSource;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: CommitRequest[] = [];
  private queuedRecords = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly state: NodeState) {}

  get full(): boolean {
    return this.queuedRecords >= commitQueueRecordsMax;
  }

  /** Resolves once the records are durable (or, with ack-before-fsync, written) and applied. */
  submit(pg: number, records: readonly LogRecord[], source: CommitSource): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ pg, records, source, resolve, reject });
      this.queuedRecords += records.length;
      this.runSchedule();
    });
  }

  /**
   * Starts the flush loop in the check phase of this turn of the event loop, so
   * that every append the turn received (from every connection) shares one
   * flush and one fdatasync, with no wait beyond the turn itself.
   */
  private runSchedule(): void {
    if (this.running !== null) return;
    this.running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run())
      .finally(() => {
        this.running = null;
        if (this.queue.length > 0) this.runSchedule();
      });
  }

  /** Waits until nothing is queued or being flushed. */
  async drain(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: CommitRequest[] = [];
      let records = 0;
      while (
        this.queue.length > 0 &&
        (batch.length === 0 || records + this.queue[0]!.records.length <= flushRecordsMax)
      ) {
        const next = this.queue.shift()!;
        batch.push(next);
        records += next.records.length;
      }
      this.queuedRecords -= records;
      try {
        await this.flush(batch);
      } catch (error) {
        for (const request of batch) request.reject(error);
      }
    }
  }

  private async flush(batch: readonly CommitRequest[]): Promise<void> {
    const state = this.state;
    const commitSeq = state.commitSeq++;
    const touched = new Set<BlockFile>();
    for (const [pg, records] of recordsByPg(batch, state)) {
      const { hot, blocks } = await state.hotLogs[pg]!.append(records, state.meta.epochDurable, commitSeq);
      touched.add(hot.file);
      state.stats.blocksWritten += blocks;
    }
    if (state.bugs.ackBeforeFsync) this.apply(batch);
    // One file (one PG) syncs on this thread; several overlap their fdatasyncs in the thread pool.
    if (touched.size === 1) await [...touched][0]!.sync();
    else await Promise.all([...touched].map((file) => file.syncOffThread()));
    state.stats.fsyncs += touched.size;
    if (!state.bugs.ackBeforeFsync) this.apply(batch);
  }

  private apply(batch: readonly CommitRequest[]): void {
    const state = this.state;
    for (const request of batch) {
      const pg = state.pgs[request.pg]!;
      for (const record of request.records) {
        if (!pg.insert(record)) continue;
        if (request.source === 'append') state.stats.recordsAppended++;
        else state.stats.recordsFilledByGossip++;
      }
      request.resolve();
    }
  }
}

/** The records of a batch worth writing, per PG: not held, not annulled, each LSN once. */
function recordsByPg(batch: readonly CommitRequest[], state: NodeState): Map<number, LogRecord[]> {
  const out = new Map<number, LogRecord[]>();
  const seen = new Map<number, Set<number>>();
  for (const request of batch) {
    const pg = state.pgs[request.pg]!;
    let lsns = seen.get(request.pg);
    if (lsns === undefined) seen.set(request.pg, (lsns = new Set()));
    let list = out.get(request.pg);
    if (list === undefined) out.set(request.pg, (list = []));
    for (const record of request.records) {
      if (!pg.accepts(record) || lsns.has(record.lsn)) continue;
      lsns.add(record.lsn);
      list.push(record);
    }
  }
  for (const [pg, list] of out) if (list.length === 0) out.delete(pg);
  return out;
}
