import { describe, expect, it } from 'vitest';
import { clockVirtualCreate } from '../../core/clock.js';
import { ReadTuning } from './read-tuning.js';

describe('the read tuning of a writer', () => {
  it('opens a storage-reads window that closes by itself after its time', async () => {
    const clock = clockVirtualCreate();
    const tuning = new ReadTuning(clock);
    expect(tuning.storageReadsNow()).toBe(false);
    expect(tuning.apply({ storageReadsMs: 1000 })).toEqual({ storageReadsMs: 1000, readSpread: 'default' });
    await clock.advance(400);
    expect(tuning.storageReadsNow()).toBe(true);
    expect(tuning.settings().storageReadsMs).toBe(600);
    await clock.advance(600);
    expect(tuning.storageReadsNow()).toBe(false);
    expect(tuning.settings().storageReadsMs).toBe(0);
  });

  it('ends the window early at 0, and keeps each setting the request leaves out', () => {
    const clock = clockVirtualCreate();
    const tuning = new ReadTuning(clock);
    tuning.apply({ storageReadsMs: 5000, readSpread: 'round-robin' });
    expect(tuning.apply({ storageReadsMs: 0 })).toEqual({ storageReadsMs: 0, readSpread: 'round-robin' });
    expect(tuning.storageReadsNow()).toBe(false);
    tuning.apply({ storageReadsMs: 2000 });
    expect(tuning.apply({ readSpread: 'default' })).toEqual({ storageReadsMs: 2000, readSpread: 'default' });
    expect(tuning.spread).toBe('default');
  });
});
