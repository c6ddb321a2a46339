// The client protocol: what a client (a workload, the CLI) sends the writer
// and what it gets back, one JSON message per frame. Every request carries an
// id chosen by the client; responses may come back in any order.
//
// `tune` is a control for tools acting from outside (the nemesis): it sends
// reads to storage for a while and chooses how storage reads spread over the
// replicas. Every writer answers it, a standby too: the settings are the
// writer's, not its term's, so they hold once a standby is promoted.

import type { StoreErrorCode } from './errors.js';
import type { Epoch, Lsn } from './ids.js';

/** A register value or a list element. */
export type StoreValue = number | string;

export type ClientRequest =
  | { readonly t: 'read'; readonly id: number; readonly key: string }
  | { readonly t: 'write'; readonly id: number; readonly key: string; readonly value: StoreValue }
  | {
      readonly t: 'cas';
      readonly id: number;
      readonly key: string;
      readonly from: StoreValue | null;
      readonly to: StoreValue;
    }
  | { readonly t: 'append'; readonly id: number; readonly key: string; readonly value: StoreValue }
  | { readonly t: 'read-list'; readonly id: number; readonly key: string }
  | { readonly t: 'health'; readonly id: number }
  /** Tells a standby writer to take over: it runs recovery with an epoch bump, then opens for clients. */
  | { readonly t: 'promote'; readonly id: number }
  /**
   * Control: `storageReadsMs` N answers reads from storage (as with the cache
   * off) for the next N ms even when the cache is on (0 ends it; at most
   * writerStorageReadsMsMax); `readSpread` chooses the storage node of a read
   * among those eligible. Absent fields keep their setting. Answered with the
   * settings now in force.
   */
  | {
      readonly t: 'tune';
      readonly id: number;
      readonly storageReadsMs?: number;
      readonly readSpread?: ReadSpread;
    };

/**
 * How a storage read picks its node among the replicas whose SCL covers the
 * read point: 'default' the fastest by tracked latency, 'round-robin' each in
 * turn, so that every eligible node serves reads.
 */
export type ReadSpread = 'default' | 'round-robin';

export const readSpreads: readonly ReadSpread[] = ['default', 'round-robin'];

/** Bound on a storage-reads window. */
export const writerStorageReadsMsMax = 60_000;

export type ClientResponse =
  | {
      readonly t: 'ok';
      readonly id: number;
      readonly value?: StoreValue | readonly StoreValue[] | null | WriterHealth | WriterReadSettings;
    }
  | {
      readonly t: 'error';
      readonly id: number;
      readonly code: StoreErrorCode;
      readonly definite: boolean;
      readonly message: string;
    };

/** The writer's answer to `health`: readiness and the durability points. */
export interface WriterHealth {
  readonly role: 'writer' | 'standby' | 'recovering';
  readonly ready: boolean;
  readonly epoch: Epoch;
  readonly vdl: Lsn;
  readonly vcl: Lsn;
  readonly lsnNext: Lsn;
}

/** The writer's answer to `tune`: the read settings in force. */
export interface WriterReadSettings {
  /** Time left in the storage-reads window, 0 when reads follow the cache setting. */
  readonly storageReadsMs: number;
  readonly readSpread: ReadSpread;
}
