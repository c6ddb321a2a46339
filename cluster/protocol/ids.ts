// Branded numbers of the store's protocol: a log sequence number, an epoch and
// a protection group are all plain integers on the wire, distinct types here so
// that one is never passed where another is expected. Raw numbers become these
// only at the edges: frame and disk decoding, the sequencer, and the helpers below.

import type { Brand } from '../../core/brand.js';

/** A log sequence number: one space for the whole volume, 0 before the first record. */
export type Lsn = Brand<number, 'Lsn'>;
/** A volume or membership epoch. */
export type Epoch = Brand<number, 'Epoch'>;
/** A protection group: 0 to pgCount - 1 (keyPg). */
export type PgId = Brand<number, 'PgId'>;

/** The LSN before the first record, and the backlink of a PG's first record. */
export const lsnZero = 0 as Lsn;

/** The epoch of a node no writer has claimed yet. */
export const epochZero = 0 as Epoch;

/** Where a raw number enters as an LSN (frame decoding, arithmetic on LSNs). */
export function lsnOf(n: number): Lsn {
  return n as Lsn;
}

/** The LSN `n` places after `lsn` (n may be negative). */
export function lsnAdd(lsn: Lsn, n: number): Lsn {
  return (lsn + n) as Lsn;
}

/** The later of two LSNs. */
export function lsnLater(a: Lsn, b: Lsn): Lsn {
  return a >= b ? a : b;
}

/** Where a raw number enters as an epoch. */
export function epochOf(n: number): Epoch {
  return n as Epoch;
}

/** The later of two epochs. */
export function epochLater(a: Epoch, b: Epoch): Epoch {
  return a >= b ? a : b;
}

/** The epoch after `epoch`. */
export function epochNext(epoch: Epoch): Epoch {
  return (epoch + 1) as Epoch;
}

/** Where a raw number enters as a protection group. */
export function pgIdOf(n: number): PgId {
  return n as PgId;
}

/** Every PG of a volume of `pgCount` PGs, in order. */
export function pgIdsAll(pgCount: number): PgId[] {
  return Array.from({ length: pgCount }, (_, i) => i as PgId);
}
