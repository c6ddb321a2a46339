// Which key an operation touches: uniform, zipfian (Gray et al., "Quickly
// generating billion-record synthetic databases", as YCSB draws it), or latest
// (zipfian over recency: the newest key is the most likely). Draws come from the
// run's seeded PRNG, so --seed replays the key sequence.

import { assert } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import type { KeyDistributionName } from './mix.js';

/** YCSB's default skew. */
export const zipfConstantDefault = 0.99;
/** zeta(n) takes n steps to compute once per chooser; the key space is bounded as the test's --keys is. */
export const keyCountMax = 100_000;

export interface KeyChooser {
  /** A key index in [0, count()). */
  next(prng: Prng): number;
  /** Keys that exist now (grows as D inserts). */
  count(): number;
  /** D: one more key inserted; returns its index. */
  insert(): number;
}

export function keyChooserCreate(name: KeyDistributionName, keyCount: number, zipfConstant: number): KeyChooser {
  assert(Number.isInteger(keyCount) && keyCount >= 1, `keyCount must be a positive integer, got ${keyCount}`);
  assert(zipfConstant > 0 && zipfConstant < 1, `zipf constant must be in (0, 1), got ${zipfConstant}`);
  let count = keyCount;
  const zipf = zipfianCreate(keyCount, zipfConstant);
  const insert = (): number => count++;
  switch (name) {
    case 'uniform':
      return { next: (prng) => prng.int(count), count: () => count, insert };
    case 'zipfian':
      return { next: (prng) => Math.min(count - 1, zipf(prng)), count: () => count, insert };
    case 'latest':
      // The rank from zipf counts back from the newest key; the first keyCount ranks cover the whole space.
      return { next: (prng) => Math.max(0, count - 1 - zipf(prng)), count: () => count, insert };
  }
}

/** A zipfian draw over [0, n): item i has probability proportional to 1/(i+1)^theta. */
export function zipfianCreate(n: number, theta: number): (prng: Prng) => number {
  const zetaN = zeta(n, theta);
  const zeta2 = zeta(2, theta);
  const alpha = 1 / (1 - theta);
  const eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / zetaN);
  const half = Math.pow(0.5, theta);
  return (prng) => {
    const u = prng.next();
    const uz = u * zetaN;
    if (uz < 1) return 0;
    if (uz < 1 + half) return Math.min(1, n - 1);
    return Math.min(n - 1, Math.floor(n * Math.pow(eta * u - eta + 1, alpha)));
  };
}

function zeta(n: number, theta: number): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / Math.pow(i, theta);
  return sum;
}
