import { describe, expect, it } from 'vitest';
import { prngCreate } from './prng.js';

describe('prng', () => {
  it('replays the same sequence from the same seed', () => {
    const a = prngCreate(7);
    const b = prngCreate(7);
    const seqA = Array.from({ length: 20 }, () => a.int(1000));
    const seqB = Array.from({ length: 20 }, () => b.int(1000));
    expect(seqA).toEqual(seqB);
  });

  it('gives different sequences for different seeds', () => {
    const a = prngCreate(1);
    const b = prngCreate(2);
    expect(Array.from({ length: 8 }, () => a.next())).not.toEqual(Array.from({ length: 8 }, () => b.next()));
  });

  it('keeps int() within its bound and covers it', () => {
    const prng = prngCreate(42);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = prng.int(6);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(6);
      seen.add(v);
    }
    expect(seen.size).toBe(6);
  });

  it('forks independent, reproducible streams', () => {
    const a = prngCreate(9).fork('nemesis');
    const b = prngCreate(9).fork('nemesis');
    const c = prngCreate(9).fork('generator');
    const first = a.next();
    expect(b.next()).toBe(first);
    expect(c.next()).not.toBe(first);
  });
});
