// What a recovery run needs from the writer: its links to the storage nodes,
// the geometry and limits, and the clock. Its own file so that the recovery
// steps and their I/O share it without importing each other.

import type { Clock } from '../../core/clock.js';
import type { Geometry } from '../config.js';
import type { Logger } from '../log.js';
import type { StorageLink } from './storage-link.js';

export interface RecoveryContext {
  readonly links: readonly StorageLink[];
  readonly writerId: string;
  readonly geometry: Geometry;
  readonly allocationLimit: number;
  readonly batchRecordsMax: number;
  /** The no-truncation bug: skip step 3, so records above the chain tail stay. */
  readonly truncationSkip: boolean;
  readonly log: Logger;
  readonly clock: Clock;
}
