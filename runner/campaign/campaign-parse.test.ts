import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { campaignParse } from './campaign-parse.js';
import { campaignSchema } from './campaign-schema.js';

const root = path.resolve(import.meta.dirname, '../..');
const valid = { name: 'c', matrix: [{ workloads: ['register'] }] };

function errorOf(campaign: unknown): string {
  const parsed = campaignParse(typeof campaign === 'string' ? campaign : JSON.stringify(campaign), 'c.json');
  expect(parsed.ok).toBe(false);
  return parsed.ok ? '' : parsed.error;
}

describe('campaign files: errors name the field', () => {
  test.each([
    [
      'a workload that does not exist',
      { name: 'c', matrix: [{ workloads: ['register', 'queue'] }] },
      'c.json: matrix[0].workloads[1]: must be one of register, append, set',
      '"queue"',
    ],
    ['a missing matrix', { name: 'c' }, 'c.json: matrix: missing (required)', ''],
    [
      'an entry without workloads',
      { name: 'c', matrix: [{ seeds: [1] }] },
      'c.json: matrix[0].workloads: missing (required)',
      '',
    ],
    [
      'a misspelt field',
      { name: 'c', matrix: [{ workloads: ['set'], seedz: [1] }] },
      'c.json: matrix[0].seedz: unknown field',
      '',
    ],
    [
      'a seed that is not an integer',
      { name: 'c', matrix: [{ workloads: ['set'], seeds: [1, 'two'] }] },
      'c.json: matrix[0].seeds[1]: must be integer',
      '"two"',
    ],
    [
      'an unknown bug',
      { name: 'c', matrix: [{ workloads: ['set'], bugs: [['ack-before-quorum', 'nope']] }] },
      'c.json: matrix[0].bugs[0][1]: must be one of ack-before-quorum',
      '"nope"',
    ],
    [
      'an unknown expected verdict',
      { name: 'c', matrix: [{ workloads: ['set'], expect: 'fine' }] },
      'c.json: matrix[0].expect: must be one of valid, invalid, unknown',
      '"fine"',
    ],
    [
      'a bad time limit',
      { name: 'c', matrix: [{ workloads: ['set'], timeLimits: ['30s', 'soon'] }] },
      'c.json: matrix[0].timeLimits[1]: expected a duration',
      '"soon"',
    ],
    [
      'a bad default',
      { name: 'c', defaults: { opTimeout: 'never' }, matrix: [{ workloads: ['set'] }] },
      'c.json: defaults.opTimeout: expected a duration',
      '"never"',
    ],
    [
      'an unknown nemesis',
      { name: 'c', matrix: [{ workloads: ['set'], nemeses: ['none', 'chaos'] }] },
      'c.json: matrix[0].nemeses[1]: unknown nemesis "chaos"',
      '"chaos"',
    ],
    [
      'a name that is no directory name',
      { name: '../x', matrix: [{ workloads: ['set'] }] },
      'c.json: name: must match pattern',
      '"../x"',
    ],
    [
      'an environment variable outside QUORUMLAB_*',
      { name: 'c', matrix: [{ workloads: ['set'], env: { PATH: '/tmp' } }] },
      'c.json: matrix[0].env.PATH: not a variable a campaign may set',
      '',
    ],
    [
      'two entries making the same test',
      { name: 'c', matrix: [{ workloads: ['set'] }, { workloads: ['set'] }] },
      'c.json: matrix[1]: test "set-none-local-30s-s1" is also made by matrix[0]',
      '',
    ],
  ])('%s', (_what, campaign, field, got) => {
    const error = errorOf(campaign);
    expect(error).toContain(field);
    expect(error).toContain(got);
  });

  it('passes standbyWriters as --standby-writers and env to the test child', () => {
    const parsed = campaignParse(
      JSON.stringify({
        name: 'c',
        matrix: [{ workloads: ['append'], standbyWriters: 1, env: { QUORUMLAB_STORAGE_SYNC_DELAY_MS: '200' } }],
      }),
      'c.json',
    );
    expect(parsed.ok && parsed.campaign.tests[0]).toMatchObject({
      args: expect.arrayContaining(['--standby-writers', '1']) as unknown,
      env: { QUORUMLAB_STORAGE_SYNC_DELAY_MS: '200' },
    });
  });

  it('says where JSON syntax breaks', () => {
    expect(errorOf('{"name": "c",')).toMatch(/^c\.json: not JSON: /);
  });

  it('expands the matrix, expecting invalid for a bug set and valid otherwise', () => {
    const parsed = campaignParse(
      JSON.stringify({
        name: 'c',
        defaults: { concurrency: 4 },
        matrix: [
          { workloads: ['register', 'set'], seeds: [1, 2], bugs: [[], ['read-uncommitted']], timeLimits: ['5s'] },
        ],
      }),
      'c.json',
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.campaign.tests).toHaveLength(8);
    const buggy = parsed.campaign.tests.find((t) => t.id === 'register-none-local-read-uncommitted-5s-s2');
    expect(buggy?.expect).toBe('invalid');
    expect(buggy?.args).toEqual([
      '--workload',
      'register',
      '--nemesis',
      'none',
      '--runtime',
      'local',
      '--seed',
      '2',
      '--time-limit',
      '5s',
      '--bug',
      'read-uncommitted',
      '--concurrency',
      '4',
    ]);
    expect(parsed.campaign.tests.find((t) => t.id === 'set-none-local-5s-s1')?.expect).toBe('valid');
  });

  it('accepts the smallest campaign', () => {
    expect(campaignParse(JSON.stringify(valid), 'c.json').ok).toBe(true);
  });
});

describe('hunt campaigns', () => {
  const hunt = (fields: Record<string, unknown>, entries: readonly Record<string, unknown>[]) =>
    JSON.stringify({ name: 'h', type: 'hunt', ...fields, matrix: entries });

  it('orders the tests by seed across entries, spells out a seed range, and takes the defaults', () => {
    const parsed = campaignParse(
      hunt({}, [
        { name: 'a', workloads: ['append'], seeds: '3..5', bugs: [['no-truncation']] },
        { name: 'r', workloads: ['register'], seeds: '3..4' },
      ]),
      'h.json',
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.campaign.tests.map((t) => `${t.id.split('-')[0]}${t.seed}`)).toEqual(['a3', 'r3', 'a4', 'r4', 'a5']);
    expect(parsed.campaign.hunt).toEqual({
      expect: 'caught',
      shrink: true,
      shrinkAttempts: 24,
      shrinkBudgetMs: 3_600_000,
    });
  });

  it('expects a hunt without bugs not to catch anything, and reads its settings', () => {
    const parsed = campaignParse(
      hunt({ hunt: { shrink: false, shrinkAttempts: 5, shrinkBudget: '10m' } }, [{ workloads: ['set'] }]),
      'h.json',
    );
    expect(parsed.ok && parsed.campaign.hunt).toEqual({
      expect: 'not-caught',
      shrink: false,
      shrinkAttempts: 5,
      shrinkBudgetMs: 600_000,
    });
  });

  it('a matrix campaign has no hunt, and its seed ranges expand in order', () => {
    const parsed = campaignParse(
      JSON.stringify({ name: 'm', matrix: [{ workloads: ['set'], seeds: '7..9' }] }),
      'm.json',
    );
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.campaign.hunt).toBeNull();
    expect(parsed.campaign.tests.map((t) => t.seed)).toEqual([7, 8, 9]);
  });

  test.each([
    [
      'hunt settings on a matrix campaign',
      { name: 'm', hunt: { shrink: true }, matrix: [{ workloads: ['set'] }] },
      'c.json: hunt: only a campaign of "type": "hunt"',
    ],
    [
      'an unknown type',
      { name: 'm', type: 'sweep', matrix: [{ workloads: ['set'] }] },
      'c.json: type: must be one of matrix, hunt; got "sweep"',
    ],
    [
      'an unknown hunt field',
      { name: 'h', type: 'hunt', hunt: { stopAt: 1 }, matrix: [{ workloads: ['set'] }] },
      'c.json: hunt.stopAt: unknown field',
    ],
    [
      'an unknown hunt expectation',
      { name: 'h', type: 'hunt', hunt: { expect: 'maybe' }, matrix: [{ workloads: ['set'] }] },
      'c.json: hunt.expect: must be one of caught, not-caught',
    ],
    [
      'a bad shrink budget',
      { name: 'h', type: 'hunt', hunt: { shrinkBudget: 'later' }, matrix: [{ workloads: ['set'] }] },
      'c.json: hunt.shrinkBudget: expected a duration',
    ],
    [
      'a seed range that runs backwards',
      { name: 'h', matrix: [{ workloads: ['set'], seeds: '9..2' }] },
      'c.json: matrix[0].seeds: the first seed is above the last in "9..2"',
    ],
    [
      'a seed range too long',
      { name: 'h', matrix: [{ workloads: ['set'], seeds: '1..20000' }] },
      'c.json: matrix[0].seeds: at most 10000 seeds in a range',
    ],
    [
      'a time limit beyond a day',
      { name: 'h', matrix: [{ workloads: ['set'], timeLimits: ['9999h'] }] },
      'c.json: matrix[0].timeLimits[0]: at most 24h, got "9999h"',
    ],
    [
      'an operation timeout beyond an hour',
      { name: 'h', defaults: { opTimeout: '9999h' }, matrix: [{ workloads: ['set'] }] },
      'c.json: defaults.opTimeout: at most 1h, got "9999h"',
    ],
    [
      'a test timeout beyond what a timer keeps',
      { name: 'h', matrix: [{ workloads: ['set'], timeout: '9999h' }] },
      'c.json: matrix[0].timeout: at most 2147483647ms (about 596h), got "9999h"',
    ],
    [
      "the workbench's own run marker in env",
      { name: 'h', matrix: [{ workloads: ['set'], env: { QUORUMLAB_RUN_ID: 'x' } }] },
      'c.json: matrix[0].env.QUORUMLAB_RUN_ID: not a variable a campaign may set; allowed: QUORUMLAB_STORAGE_SYNC_DELAY_MS, QUORUMLAB_DEBUG',
    ],
    [
      'a variable of the system in env',
      { name: 'h', defaults: { env: { PATH: '/x' } }, matrix: [{ workloads: ['set'] }] },
      'c.json: defaults.env.PATH: not a variable a campaign may set',
    ],
    [
      'a seed range that is no range',
      { name: 'h', matrix: [{ workloads: ['set'], seeds: '1-5' }] },
      'c.json: matrix[0].seeds: must match pattern',
    ],
  ])('%s is refused naming the field', (_what, campaign, message) => {
    expect(errorOf(campaign)).toContain(message);
  });
});

it('env may set the documented variables', () => {
  const parsed = campaignParse(
    JSON.stringify({
      name: 'c',
      matrix: [{ workloads: ['set'], env: { QUORUMLAB_STORAGE_SYNC_DELAY_MS: '200', QUORUMLAB_DEBUG: '1' } }],
    }),
    'c.json',
  );
  if (!parsed.ok) throw new Error(parsed.error);
  expect(parsed.campaign.tests[0]?.env).toEqual({ QUORUMLAB_STORAGE_SYNC_DELAY_MS: '200', QUORUMLAB_DEBUG: '1' });
});

describe('the ready campaign files', () => {
  it.each(['campaigns/smoke.json', 'campaigns/nightly.json'])(
    '%s is a valid campaign with at least one test expected invalid',
    (file) => {
      const parsed = campaignParse(readFileSync(path.join(root, file), 'utf8'), file);
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parsed.campaign.tests.some((t) => t.expect === 'invalid')).toBe(true);
      expect(parsed.campaign.tests.some((t) => t.expect === 'valid')).toBe(true);
    },
  );

  it('campaigns/hunt.json is a hunt over many seeds with no bug, expected to catch nothing', () => {
    const parsed = campaignParse(readFileSync(path.join(root, 'campaigns/hunt.json'), 'utf8'), 'campaigns/hunt.json');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.campaign.hunt?.expect).toBe('not-caught');
    expect(parsed.campaign.tests.length).toBeGreaterThanOrEqual(100);
    expect(parsed.campaign.tests.every((t) => t.bugs.length === 0)).toBe(true);
  });

  it('campaigns/campaign.schema.json, which the files name for editors, is the schema campaigns are checked against', () => {
    expect(JSON.parse(readFileSync(path.join(root, 'campaigns/campaign.schema.json'), 'utf8'))).toEqual(campaignSchema);
  });
});
