// The in-memory version index of one PG: for every key, its versions in LSN
// order, so a read at a read point is a binary search, never a scan. Coalescing
// prunes register versions that no read at or above the coalesced base needs.

import type { StoreValue } from '../protocol/client-messages.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { epochZero, lsnZero, type Lsn, type PgId } from '../protocol/ids.js';

interface KeyVersions {
  kind: 'register' | 'list';
  readonly lsns: Lsn[];
  readonly values: (StoreValue | null)[];
  /** True once versions below lsns[0] were dropped by coalescing. */
  pruned: boolean;
}

export type KeyRead =
  | {
      readonly t: 'value';
      readonly kind: 'register' | 'list' | 'absent';
      readonly value: StoreValue | null;
      readonly list: readonly StoreValue[];
    }
  | { readonly t: 'pruned'; readonly oldestLsn: Lsn };

export class KeyIndex {
  private readonly keys = new Map<string, KeyVersions>();

  get size(): number {
    return this.keys.size;
  }

  add(record: LogRecord): void {
    if (record.kind === 'noop') return;
    let versions = this.keys.get(record.key);
    if (versions === undefined) {
      versions = { kind: 'register', lsns: [], values: [], pruned: false };
      this.keys.set(record.key, versions);
    }
    const at = upperBound(versions.lsns, record.lsn);
    if (at > 0 && versions.lsns[at - 1] === record.lsn) return;
    versions.lsns.splice(at, 0, record.lsn);
    versions.values.splice(at, 0, record.value);
    if (at === versions.lsns.length - 1) versions.kind = record.kind === 'append' ? 'list' : 'register';
  }

  /** Loads page entries from the cold log: register history below them is gone. */
  pageLoad(entries: readonly LogRecord[]): void {
    for (const entry of entries) {
      this.add(entry);
      const versions = this.keys.get(entry.key);
      if (versions !== undefined && versions.kind === 'register') versions.pruned = true;
    }
  }

  /** Replaces everything at or below `base` with a peer's page state (snapshot transfer). */
  pageReplace(entries: readonly LogRecord[], base: Lsn): void {
    for (const [key, versions] of this.keys) {
      const drop = upperBound(versions.lsns, base);
      versions.lsns.splice(0, drop);
      versions.values.splice(0, drop);
      if (versions.lsns.length === 0) this.keys.delete(key);
    }
    this.pageLoad(entries);
  }

  remove(record: LogRecord): void {
    const versions = this.keys.get(record.key);
    if (versions === undefined) return;
    const at = upperBound(versions.lsns, record.lsn) - 1;
    if (at < 0 || versions.lsns[at] !== record.lsn) return;
    versions.lsns.splice(at, 1);
    versions.values.splice(at, 1);
    if (versions.lsns.length === 0 && !versions.pruned) this.keys.delete(record.key);
  }

  /** The newest version at or below readPoint (register) or every element at or below it (list). */
  read(key: string, readPoint: Lsn): KeyRead {
    const versions = this.keys.get(key);
    if (versions === undefined) return { t: 'value', kind: 'absent', value: null, list: [] };
    const count = upperBound(versions.lsns, readPoint);
    if (count === 0) {
      if (versions.pruned) return { t: 'pruned', oldestLsn: versions.lsns[0] ?? lsnZero };
      return { t: 'value', kind: 'absent', value: null, list: [] };
    }
    if (versions.kind === 'list') {
      return {
        t: 'value',
        kind: 'list',
        value: null,
        list: versions.values.slice(0, count).filter((v): v is StoreValue => v !== null),
      };
    }
    return { t: 'value', kind: 'register', value: versions.values[count - 1] ?? null, list: [] };
  }

  /** Drops register versions older than the newest one at or below base; list elements are the value and stay. */
  pruneBelow(base: Lsn): void {
    for (const versions of this.keys.values()) {
      if (versions.kind === 'list') continue;
      const keep = upperBound(versions.lsns, base) - 1;
      if (keep <= 0) continue;
      versions.lsns.splice(0, keep);
      versions.values.splice(0, keep);
      versions.pruned = true;
    }
  }

  /** The state at `base` as page entries: the newest register version, or every list element. */
  *pageEntries(base: Lsn, pg: PgId): Generator<LogRecord> {
    for (const [key, versions] of this.keys) {
      const count = upperBound(versions.lsns, base);
      const from = versions.kind === 'list' ? 0 : Math.max(0, count - 1);
      for (let i = from; i < count; i++) {
        const lsn = versions.lsns[i]!;
        const kind = versions.kind === 'list' ? 'append' : 'put';
        yield {
          lsn,
          pg,
          // Page entries stand for the state at the base, not for one write: no backlink, no epoch.
          prev: lsnZero,
          volumeEpoch: epochZero,
          membershipEpoch: epochZero,
          key,
          kind,
          value: versions.values[i] ?? null,
          cpl: true,
        };
      }
    }
  }
}

/** Index of the first element greater than `value` in an ascending array. */
export function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
