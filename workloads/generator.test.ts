import { describe, expect, it, test } from 'vitest';
import { clientProcessOf } from '../core/history.js';
import { prngCreate } from '../core/prng.js';
import { genConcat, genLimit, genList, genMix, genTake, genUnfold, type GenContext } from './generator.js';
import { workloadCreate } from './index.js';
import type { ClientOp } from './op.js';
import { workloadNames } from './workload.js';

const contextOf = (seed: number): GenContext => ({ prng: prngCreate(seed), process: clientProcessOf(0), timeNs: 0 });
const counter = genUnfold<number, number>(0, (n) => ({ op: n, state: n + 1 }));

describe('generator combinators', () => {
  it('yields each operation of a list once, in order, then is done', () => {
    expect(genTake(genList(['a', 'b', 'c']), 10, contextOf(1))).toEqual(['a', 'b', 'c']);
  });

  it('limits an endless generator to the given count', () => {
    expect(genTake(genLimit(4, counter), 10, contextOf(1))).toEqual([0, 1, 2, 3]);
  });

  it('never changes: asking the same generator twice gives the same operation', () => {
    const context = contextOf(1);
    const first = counter.op(context);
    const again = counter.op(context);
    expect(first.kind === 'op' && again.kind === 'op' && first.op === again.op).toBe(true);
  });

  it('runs the second generator after the first is exhausted', () => {
    expect(genTake(genConcat(genList([1, 2]), genList([3])), 10, contextOf(1))).toEqual([1, 2, 3]);
  });

  it('mixes by weight and drops exhausted generators', () => {
    const mixed = genTake(
      genMix([
        {
          weight: 9,
          gen: genLimit(
            1000,
            genUnfold(0, () => ({ op: 'heavy', state: 0 })),
          ),
        },
        { weight: 1, gen: genList(['light', 'light']) },
      ]),
      1002,
      contextOf(3),
    );
    expect(mixed.filter((op) => op === 'light')).toHaveLength(2);
    expect(mixed.filter((op) => op === 'heavy')).toHaveLength(1000);
    const firstHundred = mixed.slice(0, 100).filter((op) => op === 'heavy').length;
    expect(firstHundred).toBeGreaterThan(50);
  });
});

describe('workload generators', () => {
  test.each(workloadNames)('%s replays the same operations from the same seed and differs with another', (name) => {
    const gen = workloadCreate(name, { keyCount: 3 }).generator;
    const a = genTake(gen, 200, contextOf(7));
    expect(genTake(gen, 200, contextOf(7))).toEqual(a);
    expect(genTake(gen, 200, contextOf(8))).not.toEqual(a);
  });

  test.each(workloadNames)('%s keeps to its keys and its f names', (name) => {
    const workload = workloadCreate(name, { keyCount: 4 });
    const fs = { register: ['read', 'write', 'cas'], append: ['read', 'append'], set: ['read', 'add'] }[name];
    for (const op of genTake(workload.generator, 500, contextOf(1))) {
      expect(workload.keys).toContain(op.key);
      expect(fs).toContain(op.f);
    }
    expect(workload.finalReads.map((op) => op.key)).toEqual(workload.keys);
    expect(workload.finalReads.every((op) => op.f === 'read' && op.value === null)).toBe(true);
  });

  it('register writes unique values, increasing per key, and cas only from a value written before', () => {
    const ops = genTake(workloadCreate('register', { keyCount: 3 }).generator, 2000, contextOf(11));
    const written = new Map<string, number[]>();
    for (const op of ops) {
      if (op.f === 'read') continue;
      const [from, to] = op.f === 'cas' ? (op.value as [number, number]) : [null, op.value as number];
      const seen = written.get(op.key) ?? [];
      if (from !== null) expect(seen).toContain(from);
      if (seen.length > 0) expect(to).toBeGreaterThan(seen[seen.length - 1]!);
      written.set(op.key, [...seen, to]);
    }
    const all = [...written.values()].flat();
    expect(new Set(all).size).toBe(all.length);
    expect(ops.some((op) => op.f === 'cas')).toBe(true);
  });

  test.each([
    ['append', 'append'],
    ['set', 'add'],
  ] as const)('%s never sends the same value twice', (name, f) => {
    const values = genTake(workloadCreate(name, { keyCount: 2 }).generator, 2000, contextOf(5))
      .filter((op: ClientOp) => op.f === f)
      .map((op) => op.value);
    expect(values.length).toBeGreaterThan(1000);
    expect(new Set(values).size).toBe(values.length);
  });
});
