// Splitting a campaign's tests into N shards for N CI runners. The split must
// be the same on every runner (each computes it alone) and even in wall time,
// not in count: a 60 s Docker test weighs far more than a 2 s memory test. So
// each test weighs its expected duration, its time limit plus the overhead its
// runtime adds (start, heal, final reads, checkers), and the tests go, heaviest
// first, each to the shard with the least expected time so far (longest
// processing time first); ties go by test id and by the lower shard, so the
// split depends on nothing but the campaign file.

import { assert } from '../../core/assert.js';
import type { RuntimeName } from '../test-options.js';
import type { CampaignTest } from './campaign-parse.js';

/** Bound on N in --shard I/N: more shards than this is more CI jobs than a matrix holds (GitHub: 256). */
export const shardCountMax = 256;

/**
 * Expected time a test takes beyond its time limit, per runtime: the cluster's start, the heal, the final
 * reads and the checkers. Measured on this project's campaigns on 2 cores (the smoke and nightly runs);
 * only the ratios matter for the split.
 */
export const runtimeOverheadMs: Readonly<Record<RuntimeName, number>> = Object.freeze({
  memory: 2_000,
  local: 15_000,
  docker: 40_000,
});

export interface Shard {
  /** 1-based, as the user writes it. */
  readonly index: number;
  readonly count: number;
}

export type ShardParse = { readonly ok: true; readonly shard: Shard } | { readonly ok: false; readonly error: string };

/** "2/3" -> shard 2 of 3. */
export function shardParse(text: string, where = '--shard'): ShardParse {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  if (match === null) return { ok: false, error: `${where}: expected I/N like 2/3, got ${JSON.stringify(text)}` };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > shardCountMax)
    return { ok: false, error: `${where}: N must be between 1 and ${shardCountMax}, got ${count}` };
  if (index < 1 || index > count)
    return { ok: false, error: `${where}: I must be between 1 and N (${count}), got ${index}` };
  return { ok: true, shard: { index, count } };
}

export function shardText(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The duration the split weighs a test by. */
export function testExpectedMs(test: Pick<CampaignTest, 'timeLimitMs' | 'runtime'>): number {
  const overhead = runtimeOverheadMs[test.runtime as RuntimeName] as number | undefined;
  assert(overhead !== undefined, `no overhead estimate for runtime ${test.runtime}`);
  return test.timeLimitMs + overhead;
}

/** The 1-based shard of every test, in the tests' order. */
export function shardAssign(tests: readonly CampaignTest[], count: number): readonly number[] {
  assert(Number.isInteger(count) && count >= 1 && count <= shardCountMax, `shard count ${count} out of bounds`);
  const order = tests
    .map((test, position) => ({ position, id: test.id, ms: testExpectedMs(test) }))
    .sort((a, b) => b.ms - a.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const loadMs = new Array<number>(count).fill(0);
  const shardOf = new Array<number>(tests.length).fill(0);
  for (const item of order) {
    let lightest = 0;
    for (let shard = 1; shard < count; shard++) if (loadMs[shard]! < loadMs[lightest]!) lightest = shard;
    loadMs[lightest]! += item.ms;
    shardOf[item.position] = lightest + 1;
  }
  return shardOf;
}

/** The tests of one shard, in campaign order. */
export function shardSelect(tests: readonly CampaignTest[], shard: Shard): readonly CampaignTest[] {
  const assigned = shardAssign(tests, shard.count);
  return tests.filter((_, position) => assigned[position] === shard.index);
}
