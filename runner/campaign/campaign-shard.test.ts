import { describe, expect, it } from 'vitest';
import type { CampaignTest } from './campaign-parse.js';
import { shardAssign, shardParse, shardSelect, testExpectedMs } from './campaign-shard.js';

function test(id: string, runtime: string, timeLimitMs: number): CampaignTest {
  return { id, runtime, timeLimitMs } as CampaignTest;
}

/** One long Docker test and six short memory tests: a split by count would put 3 and 4 together. */
const mixed = [
  test('d-long', 'docker', 60_000),
  ...Array.from({ length: 6 }, (_, i) => test(`m${i}`, 'memory', 10_000)),
];

describe('campaign shards', () => {
  it.each([
    ['2/3', { index: 2, count: 3 }],
    [' 1/1 ', { index: 1, count: 1 }],
  ])('--shard %j is shard %j', (text, shard) => {
    expect(shardParse(text)).toEqual({ ok: true, shard });
  });

  it.each([
    ['0/3', '--shard: I must be between 1 and N (3), got 0'],
    ['4/3', '--shard: I must be between 1 and N (3), got 4'],
    ['1/0', '--shard: N must be between 1 and 256, got 0'],
    ['1/300', '--shard: N must be between 1 and 256, got 300'],
    ['2', '--shard: expected I/N like 2/3, got "2"'],
    ['a/b', '--shard: expected I/N like 2/3, got "a/b"'],
  ])('--shard %j is refused: %s', (text, error) => {
    expect(shardParse(text)).toEqual({ ok: false, error });
  });

  it('weighs each test by its time limit plus its runtime overhead', () => {
    expect(testExpectedMs(test('a', 'docker', 60_000))).toBe(100_000);
    expect(testExpectedMs(test('b', 'memory', 10_000))).toBe(12_000);
  });

  it('balances by expected duration, not by count: the long test alone, the six short ones together', () => {
    expect(shardAssign(mixed, 2)).toEqual([1, 2, 2, 2, 2, 2, 2]);
    const loads = [1, 2].map((index) =>
      shardSelect(mixed, { index, count: 2 }).reduce((sum, one) => sum + testExpectedMs(one), 0),
    );
    expect(loads).toEqual([100_000, 72_000]);
  });

  it('gives every test to exactly one shard, in campaign order, whatever the order of the file', () => {
    const count = 3;
    const shares = Array.from({ length: count }, (_, i) => shardSelect(mixed, { index: i + 1, count }));
    expect(
      shares
        .flat()
        .map((one) => one.id)
        .sort(),
    ).toEqual(mixed.map((one) => one.id).sort());
    for (const share of shares) expect(share).toEqual(mixed.filter((one) => share.includes(one)));
    const byId = (tests: readonly CampaignTest[]) =>
      Object.fromEntries(tests.map((one, i) => [one.id, shardAssign(tests, count)[i]]));
    expect(byId([...mixed].reverse())).toEqual(byId(mixed));
  });

  it('leaves shards empty when there are fewer tests than shards', () => {
    expect(shardAssign(mixed.slice(0, 2), 4)).toEqual([1, 2]);
    expect(shardSelect(mixed.slice(0, 2), { index: 4, count: 4 })).toEqual([]);
  });
});
