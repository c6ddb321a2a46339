import { describe, expect, test } from 'vitest';
import { chunksOf, ddmin, type Probe, type ProbeVerdict } from './ddmin.js';

const range = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

/** A probe that fails iff every one of `needed` is kept, and records what it was asked. */
function probeNeeding(needed: readonly number[]): { probe: Probe; asked: (readonly number[])[] } {
  const asked: (readonly number[])[] = [];
  const probe: Probe = (kept) => {
    asked.push(kept);
    const verdict: ProbeVerdict = needed.every((item) => kept.includes(item)) ? 'fails' : 'passes';
    return Promise.resolve(verdict);
  };
  return { probe, asked };
}

describe('ddmin', () => {
  test('finds exactly episodes 3 and 7 of 12 when the input fails iff both are present, within 24 attempts', async () => {
    const { probe, asked } = probeNeeding([3, 7]);
    const outcome = await ddmin(probe, { items: range(12), attemptsMax: 24 });
    expect(outcome.kept).toEqual([3, 7]);
    expect(outcome.end).toBe('minimal');
    expect(outcome.attempts).toBeLessThanOrEqual(24);
    expect(asked).toHaveLength(outcome.attempts);
    expect(new Set(asked.map((kept) => kept.join(','))).size).toBe(asked.length);
  });

  test.each([
    { needed: [0], count: 12 },
    { needed: [11], count: 12 },
    { needed: [2, 5, 9], count: 12 },
    { needed: [0, 1, 2, 3], count: 8 },
    { needed: [4], count: 5 },
  ])('finds $needed of $count items', async ({ needed, count }) => {
    const outcome = await ddmin(probeNeeding(needed).probe, { items: range(count), attemptsMax: 100 });
    expect(outcome.kept).toEqual(needed);
  });

  test('stops at the goal size without probing further', async () => {
    const { probe } = probeNeeding([6]);
    const outcome = await ddmin(probe, { items: range(12), attemptsMax: 24, sizeGoal: 1 });
    expect(outcome).toMatchObject({ kept: [6], end: 'goal' });
  });

  test('an input of one item is not probed at all', async () => {
    const { probe, asked } = probeNeeding([0]);
    const outcome = await ddmin(probe, { items: [0], attemptsMax: 24 });
    expect(outcome).toMatchObject({ kept: [0], attempts: 0, end: 'goal' });
    expect(asked).toHaveLength(0);
  });

  test('stops at the attempt bound with the smallest failing subset found so far', async () => {
    const { probe, asked } = probeNeeding([3, 7]);
    const outcome = await ddmin(probe, { items: range(12), attemptsMax: 7 });
    expect(outcome.end).toBe('attempts');
    expect(asked).toHaveLength(7);
    expect(outcome.kept).toEqual(expect.arrayContaining([3, 7]));
    expect(outcome.kept.length).toBeLessThan(12);
  });

  test('a probe whose budget is spent ends the search and is not counted as a pass', async () => {
    let calls = 0;
    const probe: Probe = (kept) => {
      calls += 1;
      if (calls > 3) return Promise.resolve('budget-spent');
      return Promise.resolve(kept.includes(3) && kept.includes(7) ? 'fails' : 'passes');
    };
    const outcome = await ddmin(probe, { items: range(12), attemptsMax: 24 });
    expect(outcome.end).toBe('budget-spent');
    expect(calls).toBe(4);
  });
});

describe('chunksOf', () => {
  test.each([
    { count: 12, parts: 4, sizes: [3, 3, 3, 3] },
    { count: 9, parts: 2, sizes: [4, 5] },
    { count: 3, parts: 3, sizes: [1, 1, 1] },
  ])('cuts $count items into $parts chunks of sizes $sizes, in order', ({ count, parts, sizes }) => {
    const chunks = chunksOf(range(count), parts);
    expect(chunks.map((chunk) => chunk.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(range(count));
  });
});
