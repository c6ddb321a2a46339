// Loading a key's state from storage when the writer does not know it (after
// recovery the state starts empty; idle keys are forgotten): one storage read
// at the PG's read point per key, with the operations that need it parked
// (bounded) until it arrives.

import { entryInstall, type KeyEntry } from './key-table.js';
import { keyOpsWaitingMax } from './limits.js';
import type { StorageReader } from './storage-reader.js';
import type { Lsn } from '../protocol/ids.js';

/** A load whose answer predates a record that became durable meanwhile is read again, this many times at most. */
const keyLoadAttemptsMax = 3;

export class KeyLoader {
  private closed = false;

  constructor(private readonly reader: StorageReader) {}

  load(entry: KeyEntry, pgReadPoint: readonly Lsn[], resume: () => void, fail: (message: string) => void): void {
    if (entry.parked === null) entry.parked = [];
    if (entry.parked.length >= keyOpsWaitingMax) {
      fail(`${keyOpsWaitingMax} requests already wait for the state of key ${entry.key}`);
      return;
    }
    entry.parked.push({ resume, fail });
    if (!entry.loading) this.start(entry, pgReadPoint, 1);
  }

  close(): void {
    this.closed = true;
  }

  private start(entry: KeyEntry, pgReadPoint: readonly Lsn[], attempt: number): void {
    entry.loading = true;
    const readPoint = pgReadPoint[entry.pg]!;
    void this.reader.read(entry.pg, entry.key, readPoint).then((outcome) => {
      entry.loading = false;
      if (this.closed) return this.unpark(entry, 'the writer is no longer the primary');
      if (!outcome.ok) return this.unpark(entry, outcome.reason);
      if (entryInstall(entry, readPoint, outcome.kind, outcome.value, outcome.list)) return this.unpark(entry, null);
      if (attempt < keyLoadAttemptsMax) return this.start(entry, pgReadPoint, attempt + 1);
      return this.unpark(entry, `the state of key ${entry.key} kept changing while it was read`);
    });
  }

  private unpark(entry: KeyEntry, failure: string | null): void {
    const parked = entry.parked ?? [];
    entry.parked = null;
    for (const op of parked) {
      if (failure === null) op.resume();
      else op.fail(failure);
    }
  }
}
