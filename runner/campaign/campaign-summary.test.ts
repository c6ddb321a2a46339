import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonEdited, type JsonPath } from '../../results/schema/test-support/json-edit.js';
import { campaignParse } from './campaign-parse.js';
import { recordPending, summaryOf, summaryRead, summaryWrite, type CampaignSummary } from './campaign-summary.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-summary-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function summary(): CampaignSummary {
  const parsed = campaignParse(
    JSON.stringify({ name: 'tiny', matrix: [{ workloads: ['register', 'set'], seeds: [1] }] }),
    'tiny.json',
  );
  if (!parsed.ok) throw new Error(parsed.error);
  const [first, second] = parsed.campaign.tests.map(recordPending);
  const done = {
    ...first!,
    status: 'done' as const,
    verdict: 'valid' as const,
    matches: true,
    exitCode: 0,
    durationMs: 2100,
    checkers: [{ checker: 'latency' as const, verdict: 'valid' as const, summary: '10 ops', figure: 'p99 1 ms' }],
  };
  return summaryOf({
    campaign: 'tiny',
    description: '',
    file: 'tiny.json',
    startedAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-02T03:05:05.000Z',
    status: 'running',
    exitCode: null,
    tests: [done, second!],
  });
}

/** summary.json as written, with one edit. */
function storedEdited(at: JsonPath, value: unknown): void {
  summaryWrite(dir, summary());
  const file = path.join(dir, 'summary.json');
  writeFileSync(file, jsonEdited(readFileSync(file, 'utf8'), at, value));
}

describe('a campaign summary.json', () => {
  it('is written with format 1 and read back as written', () => {
    summaryWrite(dir, summary());
    expect(JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'))).toMatchObject({ format: 1 });
    expect(summaryRead(dir)).toEqual({ ok: true, summary: summary() });
  });

  it('written before the format field, reads as format 1', () => {
    storedEdited(['format'], undefined);
    expect(summaryRead(dir)).toEqual({ ok: true, summary: summary() });
  });

  const cases: [string, JsonPath, unknown, string][] = [
    ['an unknown format', ['format'], 2, 'format 2 is not one this build reads'],
    [
      'a record with a verdict of another kind',
      ['tests', 0, 'verdict'],
      'passed',
      'tests[0].verdict: expected one of "valid", "invalid", "unknown", "crashed", got "passed"',
    ],
    [
      'a checker figure that is not text',
      ['tests', 0, 'checkers', 0, 'figure'],
      12,
      'tests[0].checkers[0].figure: expected string, got number',
    ],
  ];

  it.each(cases)('with %s is refused, naming the file and the field', (_name, at, value, message) => {
    storedEdited(at, value);
    const read = summaryRead(dir);
    expect(read.ok ? '' : read.error).toContain(`${path.join(dir, 'summary.json')}: ${message}`);
  });
});
