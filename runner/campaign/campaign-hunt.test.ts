import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { huntCaught, huntExitCode, huntSummaryOf } from './campaign-hunt.js';
import { campaignIndexRender } from './campaign-index.js';
import { junitRender } from './campaign-junit.js';
import { campaignParse, type Campaign } from './campaign-parse.js';
import {
  huntLine,
  recordPending,
  summaryOf,
  summaryRead,
  summaryWrite,
  type HuntShrink,
  type TestRecord,
} from './campaign-summary.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-hunt-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function huntCampaign(): Campaign {
  const parsed = campaignParse(
    JSON.stringify({
      name: 'h',
      type: 'hunt',
      matrix: [{ workloads: ['register'], bugs: [['stale-storage-read']], seeds: '1..4' }],
    }),
    'h.json',
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.campaign;
}

/** The hunt's records with the given verdicts for its first tests, the rest pending. */
function records(campaign: Campaign, verdicts: readonly ('valid' | 'invalid' | 'crashed')[]): TestRecord[] {
  return campaign.tests.map((test, i) => {
    const verdict = verdicts[i];
    if (verdict === undefined) return recordPending(test);
    return { ...recordPending(test), status: 'done', verdict, matches: verdict === test.expect, exitCode: 1 };
  });
}

const shrunk: HuntShrink = {
  status: 'shrunk',
  message: '1 of 6 episodes in 5 attempts (done)',
  schedule: 'runs/h-s2/x/shrunk-schedule.json',
  record: 'runs/h-s2/x/shrink.json',
  command: 'quorumlab test --seed 2 --nemesis-schedule runs/h-s2/x/shrunk-schedule.json',
  episodesBefore: 6,
  faults: ['kill-node'],
  concurrency: 2,
  timeLimitMs: 7000,
  attempts: 5,
};

describe('hunt outcome', () => {
  test('the first invalid verdict in order is the catch, with its seed and how many seeds it took', () => {
    const campaign = huntCampaign();
    const rows = records(campaign, ['valid', 'invalid']);
    expect(huntCaught(rows)?.seed).toBe(2);
    const hunt = huntSummaryOf(campaign.hunt!, rows, shrunk);
    expect(hunt).toMatchObject({ expect: 'caught', caught: true, seed: 2, testsRun: 2, seedsTried: 2, seedsTotal: 4 });
    expect(huntLine(hunt)).toBe(`caught at seed 2 (test ${campaign.tests[1]!.id}, 2 of 4 seeds, 2 tests)`);
    expect(huntExitCode(hunt, false)).toBe(0);
  });

  test.each([
    { verdicts: ['valid', 'valid', 'valid', 'valid'] as const, expect: 'caught', interrupted: false, code: 1 },
    { verdicts: ['valid', 'crashed', 'valid', 'valid'] as const, expect: 'caught', interrupted: false, code: 1 },
    { verdicts: ['valid', 'invalid'] as const, expect: 'not-caught', interrupted: false, code: 1 },
    { verdicts: ['valid', 'valid', 'valid', 'valid'] as const, expect: 'not-caught', interrupted: false, code: 0 },
    { verdicts: ['valid'] as const, expect: 'caught', interrupted: true, code: 4 },
  ])('exit $code when $verdicts and the hunt expects $expect', ({ verdicts, expect: expected, interrupted, code }) => {
    const campaign = huntCampaign();
    const hunt = huntSummaryOf(
      { ...campaign.hunt!, expect: expected as 'caught' | 'not-caught' },
      records(campaign, verdicts),
      null,
    );
    expect(huntExitCode(hunt, interrupted)).toBe(code);
  });
});

describe('a hunt in the campaign files', () => {
  const summaryWith = (verdicts: readonly ('valid' | 'invalid')[], shrink: HuntShrink | null) => {
    const campaign = huntCampaign();
    const rows = records(campaign, verdicts);
    return summaryOf({
      campaign: 'h',
      description: '',
      file: 'h.json',
      startedAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:05:05.000Z',
      status: 'finished',
      exitCode: 0,
      tests: rows,
      hunt: huntSummaryOf(campaign.hunt!, rows, shrink),
    });
  };

  test('summary.json keeps the hunt and reads it back', () => {
    const summary = summaryWith(['valid', 'invalid'], shrunk);
    summaryWrite(dir, summary);
    const read = summaryRead(dir);
    expect(read.ok && read.summary.hunt).toEqual(summary.hunt);
  });

  test('junit.xml has a hunt case with the seed and the shrunk schedule; earlier valid seeds are no failures', () => {
    const junit = junitRender(summaryWith(['valid', 'invalid'], shrunk));
    expect(junit).toContain('name="h: hunt"');
    expect(junit).toContain('caught at seed 2');
    expect(junit).toContain('schedule: runs/h-s2/x/shrunk-schedule.json');
    expect(junit).toContain('reproduce: quorumlab test --seed 2');
    expect(junit).toContain('failures="0"');
    expect(junit).toContain('hunt ended first');
  });

  test('junit.xml fails the hunt case when the bug was not caught', () => {
    const junit = junitRender(summaryWith(['valid', 'valid', 'valid', 'valid'], null));
    expect(junit).toContain(
      '<failure message="expected the hunt to end caught; not caught in 4 seeds (4 tests)" type="hunt">',
    );
    expect(junit).toContain('failures="1"');
  });

  test('index.html shows the catch, the kept faults and the command that reproduces it', () => {
    const html = campaignIndexRender(summaryWith(['valid', 'invalid'], shrunk), '');
    expect(html).toContain('<section id="hunt">');
    expect(html).toContain('caught at seed 2');
    expect(html).toContain('kill-node');
    expect(html).toContain('href="runs/h-s2/x/shrunk-schedule.json"');
    expect(html).toContain('quorumlab test --seed 2 --nemesis-schedule runs/h-s2/x/shrunk-schedule.json');
  });
});
