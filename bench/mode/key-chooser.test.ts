import { describe, expect, test } from 'vitest';
import { prngCreate } from '../../core/prng.js';
import { keyChooserCreate, zipfianCreate } from './key-chooser.js';

const draws = 200_000;

function histogram(next: () => number, size: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (let i = 0; i < draws; i++) counts[next()]!++;
  return counts;
}

describe('key choosers', () => {
  test('uniform spreads draws evenly: every key within 10% of its share', () => {
    const prng = prngCreate(1);
    const chooser = keyChooserCreate('uniform', 100, 0.99);
    const counts = histogram(() => chooser.next(prng), 100);
    for (const count of counts) expect(Math.abs(count - draws / 100)).toBeLessThan(draws / 100 / 10);
  });

  // Gray's method draws ranks 0 and 1 exactly and the rest from a continuous approximation of the power law.
  test.each([
    [1, 0.05],
    [3, 0.2],
    [9, 0.2],
  ])('zipfian with 0.99 follows 1/(i+1)^0.99: rank %i against rank 0 within %d', (rank, tolerance) => {
    const prng = prngCreate(2);
    const zipf = zipfianCreate(1000, 0.99);
    const counts = histogram(() => zipf(prng), 1000);
    const expected = Math.pow(1 / (rank + 1), 0.99);
    expect(counts[rank]! / counts[0]!).toBeGreaterThan(expected * (1 - tolerance));
    expect(counts[rank]! / counts[0]!).toBeLessThan(expected * (1 + tolerance));
  });

  test('zipfian: the ten hottest keys are each drawn more than any key of the colder half', () => {
    const prng = prngCreate(2);
    const zipf = zipfianCreate(1000, 0.99);
    const counts = histogram(() => zipf(prng), 1000);
    expect(Math.min(...counts.slice(0, 10))).toBeGreaterThan(Math.max(...counts.slice(500)));
  });

  test('a smaller constant is less skewed', () => {
    const share = (theta: number): number => {
      const prng = prngCreate(3);
      const zipf = zipfianCreate(1000, theta);
      return histogram(() => zipf(prng), 1000)[0]! / draws;
    };
    expect(share(0.5)).toBeLessThan(share(0.99));
  });

  test('latest favours the newest key and follows inserts', () => {
    const prng = prngCreate(4);
    const chooser = keyChooserCreate('latest', 100, 0.99);
    let counts = histogram(() => chooser.next(prng), 100);
    expect(counts.indexOf(Math.max(...counts))).toBe(99);
    expect(chooser.insert()).toBe(100);
    expect(chooser.count()).toBe(101);
    counts = histogram(() => chooser.next(prng), 101);
    expect(counts.indexOf(Math.max(...counts))).toBe(100);
  });

  test('the same seed draws the same keys', () => {
    const a = keyChooserCreate('zipfian', 50, 0.99);
    const b = keyChooserCreate('zipfian', 50, 0.99);
    const pa = prngCreate(9);
    const pb = prngCreate(9);
    expect(Array.from({ length: 100 }, () => a.next(pa))).toEqual(Array.from({ length: 100 }, () => b.next(pb)));
  });
});
