// shard.json of a shard's campaign directory: the whole split, every test of
// the campaign (after --filter) with the shard it went to, written before the
// shard's first test. It is what lets a merge know the tests of a shard whose
// directory never arrived, and refuse directories of another campaign, another
// file, another split or another filter.

import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Decoder } from '../../results/schema/decode.js';
import { arrayD, literalD, numberD, objectD, stringD } from '../../results/schema/decode.js';
import { storedFileRead, storedFormat } from '../../results/schema/stored-file.js';
import type { Campaign, CampaignTest } from './campaign-parse.js';
import type { TestRecord } from './campaign-record.js';
import { shardAssign, testExpectedMs, type Shard } from './campaign-shard.js';
import { recordPending } from './campaign-summary.js';
import { testRecordD } from './campaign-summary-schema.js';

export const shardPlanFile = 'shard.json';

/** How the split was made, in the words of the file, for the person reading it. */
const shardRule =
  'expected duration (time limit + the runtime overhead estimate), longest first, each to the least loaded shard; ties by test id, then the lower shard';

export interface ShardPlan {
  readonly format: typeof storedFormat;
  readonly campaign: string;
  readonly file: string;
  /** sha256 of the campaign file's text, hex. */
  readonly sha256: string;
  readonly index: number;
  readonly count: number;
  readonly rule: string;
  /** Every test of the split, in campaign order. */
  readonly tests: readonly PlannedTest[];
}

interface PlannedTest {
  readonly shard: number;
  readonly expectedMs: number;
  readonly record: TestRecord;
}

const shardPlanD: Decoder<ShardPlan> = objectD({
  format: literalD(storedFormat),
  campaign: stringD,
  file: stringD,
  sha256: stringD,
  index: numberD,
  count: numberD,
  rule: stringD,
  tests: arrayD(objectD({ shard: numberD, expectedMs: numberD, record: testRecordD })),
});

export function shardPlanOf(campaign: Campaign, file: string, tests: readonly CampaignTest[], shard: Shard): ShardPlan {
  const assigned = shardAssign(tests, shard.count);
  return {
    format: storedFormat,
    campaign: campaign.name,
    file,
    sha256: campaign.sourceSha256,
    index: shard.index,
    count: shard.count,
    rule: shardRule,
    tests: tests.map((test, position) => ({
      shard: assigned[position]!,
      expectedMs: testExpectedMs(test),
      record: recordPending(test),
    })),
  };
}

export function shardPlanWrite(dir: string, plan: ShardPlan): void {
  const target = path.join(dir, shardPlanFile);
  writeFileSync(`${target}.tmp`, `${JSON.stringify(plan, null, 2)}\n`);
  renameSync(`${target}.tmp`, target);
}

export function shardPlanRead(
  dir: string,
): { readonly ok: true; readonly plan: ShardPlan } | { readonly ok: false; readonly error: string } {
  const read = storedFileRead(path.join(dir, shardPlanFile), shardPlanD);
  return read.ok ? { ok: true, plan: read.value } : read;
}

/** The split itself, for comparing two shards' plans: test ids and their shards. */
export function shardPlanKey(plan: ShardPlan): string {
  return JSON.stringify([
    plan.campaign,
    plan.sha256,
    plan.count,
    plan.tests.map((test) => [test.record.id, test.shard]),
  ]);
}
