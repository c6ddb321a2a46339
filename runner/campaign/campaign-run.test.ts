import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSummary } from './campaign-summary.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
let work: string;
let file: string;
let first: { exitCode: number | undefined; dir: string };

/** Two memory-runtime tests of 2 s: one expected valid, one wrongly expected invalid. */
const tiny = {
  name: 'tiny',
  defaults: { runtime: 'memory', opsLimit: 2000 },
  matrix: [
    { workloads: ['register'], timeLimits: ['2s'], seeds: [1] },
    { name: 'wrong', workloads: ['set'], timeLimits: ['2s'], seeds: [2], expect: 'invalid' },
  ],
};

function campaign(...args: string[]) {
  return execa(process.execPath, [cli, 'campaign', file, '--store', path.join(work, 'store'), ...args], {
    cwd: work,
    reject: false,
    timeout: 120_000,
  });
}

function summaryOf(dir: string): CampaignSummary {
  return JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as CampaignSummary;
}

function dirFrom(stdout: string): string {
  const match = /^index: (.*)\/index\.html$/m.exec(stdout);
  expect(match, stdout).not.toBeNull();
  return match![1]!;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-campaign-test-'));
  file = path.join(work, 'tiny.json');
  writeFileSync(file, JSON.stringify(tiny));
  const result = await campaign();
  first = { exitCode: result.exitCode, dir: dirFrom(result.stdout) };
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('quorumlab campaign', () => {
  it('exits 1 when one verdict differs from the expected one', () => {
    expect(first.exitCode).toBe(1);
  });

  it('writes summary.json with each verdict, the expected one and the report', () => {
    const summary = summaryOf(first.dir);
    expect(summary).toMatchObject({
      campaign: 'tiny',
      status: 'finished',
      total: 2,
      done: 2,
      matched: 1,
      mismatched: 1,
      exitCode: 1,
    });
    expect(summary.tests.map((t) => [t.id, t.expect, t.verdict, t.matches])).toEqual([
      ['register-none-memory-2s-s1', 'valid', 'valid', true],
      ['wrong-set-none-memory-2s-s2', 'invalid', 'valid', false],
    ]);
    for (const test of summary.tests) expect(existsSync(path.join(first.dir, test.report ?? 'missing'))).toBe(true);
  });

  it('writes junit.xml with one testcase per run and a failure, with the checkers and the report path, for the mismatch', () => {
    const junit = readFileSync(path.join(first.dir, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(2);
    expect(junit.match(/<failure /g)).toHaveLength(1);
    expect(junit).toMatch(/<testsuite name="tiny" tests="2" failures="1"/);
    const failure = junit.slice(junit.indexOf('<failure '));
    expect(failure).toContain('message="expected invalid, got valid: every checker valid"');
    expect(failure).toMatch(/report: runs\/wrong-set-none-memory-2s-s2\/[^/]+\/report\.html/);
    expect(failure).toContain('valid    set: ');
  });

  it('writes index.html linking every report', () => {
    const index = readFileSync(path.join(first.dir, 'index.html'), 'utf8');
    const links = [...index.matchAll(/<a href="([^"]+)">report<\/a>/g)].map((match) => decodeURIComponent(match[1]!));
    expect(links).toHaveLength(2);
    for (const link of links) expect(existsSync(path.join(first.dir, link))).toBe(true);
    expect(index).toContain('✗ mismatch');
  });

  it('exits 0 when every verdict of the filtered tests matches', async () => {
    const result = await campaign('--filter', 'register-none');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(summaryOf(dirFrom(result.stdout)).tests.map((t) => t.id)).toEqual(['register-none-memory-2s-s1']);
  });

  it('--resume runs only the tests an interrupted campaign left pending', async () => {
    const summary = summaryOf(first.dir);
    const [done, interrupted] = summary.tests;
    writeFileSync(
      path.join(first.dir, 'summary.json'),
      JSON.stringify({
        ...summary,
        status: 'interrupted',
        tests: [done, { ...interrupted, status: 'pending', verdict: null, matches: null }],
      }),
    );
    const result = await campaign('--resume', first.dir);
    expect(result.exitCode, result.stderr).toBe(1);
    const resumed = summaryOf(first.dir);
    expect(resumed.tests[0]).toEqual(done);
    expect(resumed.tests[1]?.runDir).not.toBe(interrupted?.runDir);
    expect(
      readdirSync(path.join(first.dir, 'runs', 'register-none-memory-2s-s1')).filter((name) => name !== 'latest'),
    ).toHaveLength(1);
    expect(readdirSync(path.join(first.dir, 'runs', 'wrong-set-none-memory-2s-s2'))).toHaveLength(2);
    expect(result.stderr).toContain('2 tests (1 already done)');
  });

  it.each([
    [
      'another campaign',
      { ...tiny, name: 'other' },
      /it holds campaign tiny \(.*tiny\.json\), not other \(.*b\.json\)/,
    ],
    [
      'the same campaign from a changed file',
      { ...tiny, description: 'edited' },
      /campaign tiny's file changed since the campaign started \(sha256 [0-9a-f]{12}, now [0-9a-f]{12}\)/,
    ],
  ])('--resume of a directory by %s is refused, and its files stay as they were', async (_what, other, message) => {
    const files = ['summary.json', 'index.html', 'junit.xml'];
    const before = files.map((name) => readFileSync(path.join(first.dir, name), 'utf8'));
    const otherFile = path.join(work, 'b.json');
    writeFileSync(otherFile, JSON.stringify(other));
    const result = await execa(
      process.execPath,
      [cli, 'campaign', otherFile, '--store', path.join(work, 'store'), '--resume', first.dir],
      { cwd: work, reject: false, timeout: 60_000 },
    );
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(files.map((name) => readFileSync(path.join(first.dir, name), 'utf8'))).toEqual(before);
  });

  it.each([
    [
      'names a schedule file that does not exist',
      'missing.json',
      null,
      'nemesisSchedule: cannot read "missing.json": ENOENT',
    ],
    [
      'targets a node the cluster does not have',
      'w9.json',
      { steps: [{ sleep: '1s' }, { start: 'kill-node', targets: ['w9'] }] },
      'w9.json.steps[1].targets: w9 is not a node of this run',
    ],
  ])(
    'a campaign that %s is refused before its first test, and by --list',
    async (_what, schedule, content, message) => {
      const campaignsDir = path.join(work, 'store', 'campaigns', 'tiny');
      const before = readdirSync(campaignsDir).length;
      if (content !== null) writeFileSync(path.join(work, schedule), JSON.stringify(content));
      const bad = { ...tiny, defaults: { ...tiny.defaults, nemesisSchedule: schedule } };
      const badFile = path.join(work, 'bad-schedule.json');
      writeFileSync(badFile, JSON.stringify(bad));
      for (const extra of [[], ['--list']]) {
        const result = await execa(
          process.execPath,
          [cli, 'campaign', badFile, '--store', path.join(work, 'store'), ...extra],
          { cwd: work, reject: false, timeout: 60_000 },
        );
        expect(result.exitCode, result.stderr).toBe(3);
        expect(result.stderr).toContain(`${badFile}: test register-none-memory-2s-s1: `);
        expect(result.stderr).toContain(message);
        expect(result.stdout).toBe('');
      }
      expect(readdirSync(campaignsDir)).toHaveLength(before);
    },
  );

  it('refuses a campaign file with a bad field, naming it, before running anything', async () => {
    const campaignsDir = path.join(work, 'store', 'campaigns', 'tiny');
    const before = readdirSync(campaignsDir).length;
    writeFileSync(file, JSON.stringify({ ...tiny, matrix: [{ workloads: ['register'], seeds: ['one'] }] }));
    const result = await campaign();
    writeFileSync(file, JSON.stringify(tiny));
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('matrix[0].seeds[0]: must be integer; got "one"');
    expect(readdirSync(campaignsDir)).toHaveLength(before);
  });
});
