// The writer's read controls, set by a client `tune` request: a window during
// which reads are answered from storage even with the cache on, and how a
// storage read picks its node. They belong to the writer, not to one term, so
// a standby accepts them and they hold once it is promoted (the window keeps
// running meanwhile). Nothing here is durable: a restart clears them.

import type { Clock } from '../../core/clock.js';
import type { ReadSpread, WriterReadSettings } from '../protocol/client-messages.js';

export interface ReadTuningChange {
  readonly storageReadsMs?: number;
  readonly readSpread?: ReadSpread;
}

export class ReadTuning {
  private storageReadsUntilMs = -Infinity;
  private spreadNow: ReadSpread = 'default';

  constructor(private readonly clock: Clock) {}

  /** Applies the fields present (already validated at the edge); returns the settings now in force. */
  apply(change: ReadTuningChange): WriterReadSettings {
    if (change.storageReadsMs !== undefined)
      this.storageReadsUntilMs = change.storageReadsMs === 0 ? -Infinity : this.clock.nowMs() + change.storageReadsMs;
    if (change.readSpread !== undefined) this.spreadNow = change.readSpread;
    return this.settings();
  }

  settings(): WriterReadSettings {
    return {
      storageReadsMs: Math.max(0, Math.ceil(this.storageReadsUntilMs - this.clock.nowMs())),
      readSpread: this.spreadNow,
    };
  }

  /** Reads go to storage now, whatever the cache setting. */
  storageReadsNow(): boolean {
    return this.clock.nowMs() < this.storageReadsUntilMs;
  }

  get spread(): ReadSpread {
    return this.spreadNow;
  }
}
