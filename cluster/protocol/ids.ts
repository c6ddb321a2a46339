// Branded numbers of the store's protocol: a log sequence number and an epoch
// are both plain integers on the wire, distinct types here so that one is never
// passed where the other is expected.

import type { Brand } from '../../core/brand.js';

/** A log sequence number: one space for the whole volume, 0 before the first record. */
export type Lsn = Brand<number, 'Lsn'>;
/** A volume or membership epoch. */
export type Epoch = Brand<number, 'Epoch'>;

/** Where a raw number enters as an LSN (frame decoding, arithmetic on LSNs). */
export function lsnOf(n: number): Lsn {
  return n as Lsn;
}

/** Where a raw number enters as an epoch. */
export function epochOf(n: number): Epoch {
  return n as Epoch;
}
