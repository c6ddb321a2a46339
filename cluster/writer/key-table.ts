// The writer's per-key state: each key's durable value at VDL (when known) and
// the versions above VDL still in flight. Reads at the VDL read point use the
// durable part; cas, write and append are decided against the latest version.
// Idle keys beyond a bound are forgotten and read again from storage on use.

import { assert } from '../../core/assert.js';
import type { StoreValue } from '../protocol/client-messages.js';
import type { PgId } from '../protocol/ids.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { Fifo } from './fifo.js';
import type { Inflight } from './inflight.js';
import { cacheEvictScanMax, cacheKeysMax } from './limits.js';

export type KeyKind = 'register' | 'list' | 'absent';

/** An operation waiting for its key's state: resumed once loaded, failed when the load fails. */
export interface ParkedOp {
  readonly resume: () => void;
  readonly fail: (message: string) => void;
}

export interface KeyEntry {
  readonly key: string;
  readonly pg: PgId;
  /** The durable state below is known (read from storage or built since). */
  loaded: boolean;
  kind: KeyKind;
  value: StoreValue | null;
  list: StoreValue[];
  /** LSN of the last record applied to the durable state since the entry was made. */
  lsnApplied: number;
  /** Records of this key above VDL, in LSN order. */
  readonly pending: Fifo<Inflight>;
  /** Operations waiting for the state to load; null when none. */
  parked: ParkedOp[] | null;
  loading: boolean;
  /** Operations holding this entry (queued for an LSN); a held entry is never evicted. */
  holds: number;
}

/** The latest state of a key: durable state plus in-flight versions; `lsn` is the record that decided it (0: durable). */
export interface KeyLatest {
  readonly kind: KeyKind;
  readonly value: StoreValue | null;
  readonly lsn: number;
  readonly inflight: Inflight | null;
}

export class KeyTable {
  private readonly entries = new Map<string, KeyEntry>();
  /**
   * Per PG: the table holds every key the PG has (built from the whole chain at
   * recovery), so a key not in it is absent. Forgetting a key ends that.
   */
  private readonly pgComplete: boolean[];

  constructor(pgCount: number) {
    this.pgComplete = new Array<boolean>(pgCount).fill(false);
  }

  get size(): number {
    return this.entries.size;
  }

  entry(key: string, pg: PgId): KeyEntry {
    const found = this.entries.get(key);
    if (found) return found;
    if (this.entries.size >= cacheKeysMax) this.evict();
    const created: KeyEntry = {
      key,
      pg,
      loaded: this.pgComplete[pg]!,
      kind: 'absent',
      value: null,
      list: [],
      lsnApplied: 0,
      pending: new Fifo(),
      parked: null,
      loading: false,
      holds: 0,
    };
    this.entries.set(key, created);
    return created;
  }

  find(key: string): KeyEntry | undefined {
    return this.entries.get(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Forgets idle entries from the oldest; a bounded scan, so a full table of busy keys just grows. */
  /**
   * Builds the state of a PG from its whole chain (every record from the first,
   * all durable after recovery): afterwards no key of the PG needs a storage
   * read. A history with more keys than the table holds stays lazy.
   */
  pgBuild(pg: PgId, records: readonly LogRecord[]): boolean {
    const keys = new Set<string>();
    for (const record of records) keys.add(record.key);
    if (this.entries.size + keys.size >= cacheKeysMax) return false;
    for (const record of records) {
      const entry = this.entry(record.key, pg);
      entry.loaded = true;
      entry.lsnApplied = record.lsn;
      if (record.kind === 'put') {
        entry.kind = 'register';
        entry.value = record.value;
        entry.list = [];
      } else if (record.kind === 'append' && record.value !== null) {
        if (entry.kind !== 'list') entry.list = [];
        entry.kind = 'list';
        entry.value = null;
        entry.list.push(record.value);
      }
    }
    this.pgComplete[pg] = true;
    return true;
  }

  private evict(): void {
    let scanned = 0;
    for (const [key, entry] of this.entries) {
      if (scanned++ >= cacheEvictScanMax) return;
      if (!entryIdle(entry)) continue;
      this.entries.delete(key);
      this.pgComplete[entry.pg] = false;
    }
  }
}

export function entryIdle(entry: KeyEntry): boolean {
  return entry.pending.length === 0 && !entry.loading && entry.parked === null && entry.holds === 0;
}

/** The latest version of a key: the newest in-flight record, else the durable state. */
export function entryLatest(entry: KeyEntry): KeyLatest {
  const last = entry.pending.back();
  if (last === undefined)
    return { kind: entry.kind, value: entry.kind === 'register' ? entry.value : null, lsn: 0, inflight: null };
  const record = last.record;
  if (record.kind === 'put') return { kind: 'register', value: record.value, lsn: record.lsn, inflight: last };
  return { kind: 'list', value: null, lsn: record.lsn, inflight: last };
}

/** The whole latest list (durable elements plus in-flight appends); read-uncommitted serves it. */
export function entryLatestList(entry: KeyEntry): StoreValue[] {
  const out = entry.list.slice();
  for (let i = 0; i < entry.pending.length; i++) {
    const record = entry.pending.at(i)!.record;
    if (record.kind === 'append' && record.value !== null) out.push(record.value);
  }
  return out;
}

/** Applies a record that just became durable: it is the oldest in-flight record of its key. */
export function entryApplyDurable(entry: KeyEntry, inflight: Inflight): void {
  const front = entry.pending.shift();
  assert(front === inflight, `key ${entry.key}: durable record ${inflight.record.lsn} is not the oldest in flight`);
  const record = inflight.record;
  entry.lsnApplied = record.lsn;
  // An append to a list whose durable prefix is unknown leaves it unknown.
  if (!entry.loaded && record.kind !== 'put') return;
  if (record.kind === 'put') {
    entry.kind = 'register';
    entry.value = record.value;
    entry.list = [];
    entry.loaded = true;
  } else if (record.kind === 'append' && record.value !== null) {
    entry.kind = 'list';
    entry.value = null;
    entry.list.push(record.value);
  }
}

/** Installs state read from storage at a read point, if no record of the key became durable since it was asked for. */
export function entryInstall(
  entry: KeyEntry,
  readPoint: number,
  kind: KeyKind,
  value: StoreValue | null,
  list: readonly StoreValue[],
): boolean {
  if (entry.loaded) return true;
  if (entry.lsnApplied > readPoint) return false;
  entry.kind = kind;
  entry.value = kind === 'register' ? value : null;
  entry.list = kind === 'list' ? list.slice() : [];
  entry.loaded = true;
  return true;
}
