// The schema of a campaign's summary.json, as --resume reads it back: every
// field of the summary and of each test's record, typed against the
// CampaignSummary the campaign writes.

import { checkerNames, verdictD } from '../../results/schema/checker-result-schema.js';
import type { Decoder } from '../../results/schema/decode.js';
import { arrayD, booleanD, literalD, nullableD, numberD, objectD, stringD } from '../../results/schema/decode.js';
import { huntExpects, verdictsExpected } from './campaign-schema.js';
import type { CampaignSummary, HuntSummary, ShardSummary, TestRecord } from './campaign-record.js';

const checkerNameD = literalD(...checkerNames);
const nullableNumberD = nullableD(numberD);
const nullableStringD = nullableD(stringD);

export const testRecordD: Decoder<TestRecord> = objectD({
  id: stringD,
  workload: stringD,
  nemesis: stringD,
  runtime: stringD,
  seed: numberD,
  bugs: arrayD(stringD),
  timeLimit: stringD,
  timeLimitMs: numberD,
  expect: literalD(...verdictsExpected),
  status: literalD('pending', 'done'),
  verdict: nullableD(literalD('valid', 'invalid', 'unknown', 'crashed')),
  matches: nullableD(booleanD),
  exitCode: nullableNumberD,
  durationMs: nullableNumberD,
  runDir: nullableStringD,
  report: nullableStringD,
  log: nullableStringD,
  message: stringD,
  checkers: arrayD(objectD({ checker: checkerNameD, verdict: verdictD, summary: stringD, figure: stringD })),
  metrics: objectD({
    okFraction: nullableNumberD,
    p99OkMs: nullableNumberD,
    opsOk: nullableNumberD,
    okPerSec: nullableNumberD,
  }),
});

const huntD: Decoder<HuntSummary> = objectD({
  expect: literalD(...huntExpects),
  caught: booleanD,
  testId: nullableStringD,
  seed: nullableNumberD,
  testsRun: numberD,
  seedsTried: numberD,
  seedsTotal: numberD,
  shrink: nullableD(
    objectD({
      status: literalD('shrunk', 'not-reproduced', 'error'),
      message: stringD,
      schedule: nullableStringD,
      record: nullableStringD,
      command: nullableStringD,
      episodesBefore: numberD,
      faults: arrayD(stringD),
      concurrency: nullableNumberD,
      timeLimitMs: nullableNumberD,
      attempts: numberD,
    }),
  ),
});

const shardD: Decoder<ShardSummary> = objectD({
  index: nullableNumberD,
  count: numberD,
  shards: arrayD(
    objectD({
      index: numberD,
      dir: nullableStringD,
      status: literalD('running', 'finished', 'interrupted', 'missing'),
      tests: numberD,
      done: numberD,
    }),
  ),
});

export const campaignSummaryD: Decoder<CampaignSummary> = objectD(
  {
    format: literalD(1),
    campaign: stringD,
    description: stringD,
    file: stringD,
    startedAt: stringD,
    updatedAt: stringD,
    status: literalD('running', 'finished', 'interrupted'),
    total: numberD,
    done: numberD,
    matched: numberD,
    mismatched: numberD,
    exitCode: nullableNumberD,
    tests: arrayD(testRecordD),
  },
  { hunt: huntD, shard: shardD },
);
