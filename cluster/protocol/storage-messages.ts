// The protocol between the writer and storage nodes, and between storage nodes
// (gossip). One JSON message per frame (frame.ts). Every request carries a
// request id `rid` chosen by the sender; the reply echoes it. Storage nodes never
// vote on writes: they accept any record from the current epoch.
//
// Two requests are controls for tools that act on a node from outside (the
// nemesis, the CLI): `tune` sets the delay every fdatasync takes, simulating a
// slow device, and `scrub` runs a full scrub cycle now and reports what it
// found. A control with a bad field is answered with a `bad-request` reject.

import type { StoreValue } from './client-messages.js';
import { pgIdOf, type Epoch, type Lsn, type PgId } from './ids.js';

/** One redo log record. LSNs form one space for the whole volume. */
export interface LogRecord {
  readonly lsn: Lsn;
  /** Protection group the record's key maps to (keyPg). */
  readonly pg: PgId;
  /** Backlink: LSN of the previous record of the same PG, 0 for the first. */
  readonly prev: Lsn;
  readonly volumeEpoch: Epoch;
  readonly membershipEpoch: Epoch;
  readonly key: string;
  /** put sets a register; append adds to a list; noop carries no data (recovery fill). */
  readonly kind: 'put' | 'append' | 'noop';
  readonly value: StoreValue | null;
  /** Consistency point: version 1 makes every record a CPL. */
  readonly cpl: boolean;
}

/** An annulment, durable and versioned by the epoch that wrote it: records of `pg` with afterLsn < lsn <= uptoLsn are void. */
export interface Truncation {
  readonly epoch: Epoch;
  readonly pg: PgId;
  readonly afterLsn: Lsn;
  readonly uptoLsn: Lsn;
}

export type StorageRequest =
  /** Make `epoch` durable as the volume epoch, owned by writerId; reject older ones from then on. */
  | { readonly t: 'epoch-claim'; readonly rid: number; readonly writerId: string; readonly epoch: Epoch }
  /** Append records to the PG's hot log, make them durable, answer with the SCL. */
  | {
      readonly t: 'append';
      readonly rid: number;
      readonly writerId: string;
      readonly epoch: Epoch;
      readonly pg: PgId;
      readonly records: readonly LogRecord[];
    }
  /** Recovery: the SCL and the records above afterLsn (paged: at most `limit`). */
  | {
      readonly t: 'state-read';
      readonly rid: number;
      readonly writerId: string;
      readonly epoch: Epoch;
      readonly pg: PgId;
      readonly afterLsn: Lsn;
      readonly limit: number;
    }
  /** Recovery: apply a truncation durably. */
  | {
      readonly t: 'truncate';
      readonly rid: number;
      readonly writerId: string;
      readonly epoch: Epoch;
      readonly truncation: Truncation;
    }
  /** A versioned read of one key at a read point; refused when the node's SCL is below it. */
  | { readonly t: 'read'; readonly rid: number; readonly pg: PgId; readonly key: string; readonly readPoint: Lsn }
  /** Gossip: records of a PG above afterLsn that the asking peer lacks. */
  | {
      readonly t: 'gossip-pull';
      readonly rid: number;
      readonly from: string;
      readonly pg: PgId;
      readonly afterLsn: Lsn;
      readonly lsns?: readonly Lsn[];
      readonly limit: number;
    }
  | { readonly t: 'health'; readonly rid: number }
  /**
   * Control: every fdatasync from now on first waits syncDelayMs (0 restores a
   * plain fdatasync; at most storageSyncDelayMsMax). Held in memory only: a
   * restarted node starts again with QUORUMLAB_STORAGE_SYNC_DELAY_MS.
   */
  | { readonly t: 'tune'; readonly rid: number; readonly syncDelayMs: number }
  /** Control: one full scrub cycle now (every hot block, the cold pages, the meta log), bounded in blocks and time. */
  | { readonly t: 'scrub'; readonly rid: number };

export type StorageReply =
  | { readonly t: 'ack'; readonly rid: number; readonly epoch: Epoch; readonly pg?: PgId; readonly scl?: Lsn }
  /**
   * `base`, when present and above 0, is the node's coalesced base: records at or
   * below it are materialized into pages and no longer returned; every peer held
   * them when they were coalesced, so they reached a write quorum, and the chain
   * of the returned records continues from base (the next record has prev = base).
   */
  | {
      readonly t: 'state';
      readonly rid: number;
      readonly pg: PgId;
      readonly scl: Lsn;
      readonly records: readonly LogRecord[];
      readonly truncations: readonly Truncation[];
      readonly more: boolean;
      readonly base?: Lsn;
    }
  /**
   * A read's answer: the newest version of the key at or below readPoint.
   * For a register, `value` is its value (null when absent); for a list, `list`
   * holds every appended element in LSN order.
   */
  | {
      readonly t: 'read-result';
      readonly rid: number;
      readonly scl: Lsn;
      readonly kind: 'register' | 'list' | 'absent';
      readonly value: StoreValue | null;
      readonly list: readonly StoreValue[];
    }
  /**
   * Gossip: held records above the pull's afterLsn in LSN order. `truncations`
   * (the ones the sender holds for the PG) let a peer that missed a recovery void
   * annulled records; `base` is the sender's coalesced base.
   */
  | {
      readonly t: 'gossip-records';
      readonly rid: number;
      readonly pg: PgId;
      readonly scl: Lsn;
      readonly records: readonly LogRecord[];
      readonly more: boolean;
      readonly truncations?: readonly Truncation[];
      readonly base?: Lsn;
    }
  /**
   * Gossip: the pull asked for records below the sender's coalesced base, so it
   * sends its page state at `base` instead (a snapshot transfer): for every key the
   * newest register version, or every list element, each as a record (prev 0).
   * The puller installs it and pulls again from `base`.
   */
  | {
      readonly t: 'gossip-snapshot';
      readonly rid: number;
      readonly pg: PgId;
      readonly scl: Lsn;
      readonly base: Lsn;
      readonly entries: readonly LogRecord[];
      readonly truncations: readonly Truncation[];
    }
  | {
      readonly t: 'health-result';
      readonly rid: number;
      readonly node: string;
      readonly ready: boolean;
      readonly epoch: Epoch;
      readonly scls: readonly Lsn[];
      readonly stats: StorageStats;
    }
  /** The delay every fdatasync now takes. */
  | { readonly t: 'tune-result'; readonly rid: number; readonly syncDelayMs: number }
  | ({ readonly t: 'scrub-result'; readonly rid: number } & ScrubReport)
  | {
      readonly t: 'reject';
      readonly rid: number;
      readonly code: StorageRejectCode;
      readonly message: string;
      readonly epoch: Epoch;
    };

export type StorageRejectCode = 'stale-epoch' | 'scl-behind' | 'bad-request' | 'not-ready';

/** Bound on a tuned fdatasync delay. */
export const storageSyncDelayMsMax = 5000;

/**
 * What one on-demand scrub cycle found on disk. Hot and cold blocks already
 * known bad (found earlier, not yet repaired) are read again and counted, so
 * a second scrub after every repair finds nothing; a bad meta block, once
 * superseded, is not read again. `complete` is false when a bound cut the
 * cycle short.
 */
export interface ScrubReport {
  readonly blocksChecked: number;
  /** Blocks this cycle found bad: hot, cold and meta together. */
  readonly blocksCorrupt: number;
  /** Of those, the ones not known bad before this cycle (a bad meta block found at start counts as new here). */
  readonly blocksCorruptNew: number;
  readonly hotBlocksCorrupt: number;
  readonly coldBlocksCorrupt: number;
  readonly metaBlocksCorrupt: number;
  /** Blocks found bad (by any scrub or at start) whose repair is still pending, after this cycle. */
  readonly blocksUnrepaired: number;
  readonly complete: boolean;
  readonly durationMs: number;
}

/** Counters a storage node reports (health) and writes to its log at exit. */
export interface StorageStats {
  readonly recordsAppended: number;
  readonly fsyncs: number;
  readonly blocksWritten: number;
  readonly blocksCorrupt: number;
  readonly blocksRepaired: number;
  readonly recordsFilledByGossip: number;
  readonly recordsTruncated: number;
  readonly readsServed: number;
  /**
   * Hot and cold blocks found bad and not yet repaired: a hot block until its
   * records are refilled and it is rewritten, a cold block until a new pass
   * replaced its file. A bad meta block is superseded rather than repaired
   * (scrub writes its entries again) and is not counted.
   */
  readonly blocksUnrepaired: number;
  /** The most times any one block (one position of one file) was repaired since the node started. */
  readonly blockRepairsMax: number;
}

/** Stable key-to-PG mapping (FNV-1a of the key, modulo the PG count). */
export function keyPg(key: string, pgCount: number): PgId {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return pgIdOf(hash % pgCount);
}
