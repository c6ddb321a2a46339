import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignSummary } from './campaign-summary.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
/** Bound on one campaign or merge process: seven memory tests of at most 2 s on a loaded machine. */
const processTimeoutMs = 240_000;
const shardCount = 3;
let work: string;
let file: string;
let whole: string;
let parallel: string;

/** Seven memory-runtime tests of 1-2 s, one of them wrongly expected invalid (a JUnit failure to compare). */
const small = {
  name: 'small',
  defaults: { runtime: 'memory', opsLimit: 2000 },
  matrix: [
    { workloads: ['register', 'append', 'set'], timeLimits: ['1s', '2s'], seeds: [1] },
    { name: 'wrong', workloads: ['set'], timeLimits: ['1s'], seeds: [2], expect: 'invalid' },
  ],
};

function quorumlab(...args: string[]) {
  return execa(process.execPath, [cli, 'campaign', ...args], { cwd: work, reject: false, timeout: processTimeoutMs });
}

function dirFrom(stdout: string): string {
  const match = /^index: (.*)\/index\.html$/m.exec(stdout);
  expect(match, stdout).not.toBeNull();
  return match![1]!;
}

function summaryOf(dir: string): CampaignSummary {
  return JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as CampaignSummary;
}

/** What must not depend on how the campaign was split: each test's verdict against the expected one. */
function verdicts(dir: string): string[] {
  return summaryOf(dir)
    .tests.map((test) => [test.id, test.status, test.expect, test.verdict, test.matches].join(' '))
    .sort();
}

/** Each JUnit case: its class, name and whether (and how) it failed or was skipped. */
function junitCases(dir: string): string[] {
  const junit = readFileSync(path.join(dir, 'junit.xml'), 'utf8');
  const cases = [...junit.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)];
  return cases
    .map(([, classname, name, body]) => {
      const outcome =
        /<failure [^>]*type="([^"]+)"/.exec(body!)?.[1] ?? (body!.includes('<skipped') ? 'skipped' : 'ok');
      return `${classname} ${name} ${outcome}`;
    })
    .sort();
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-merge-test-'));
  file = path.join(work, 'small.json');
  writeFileSync(file, JSON.stringify(small));
  const runs = [
    quorumlab(file, '--store', path.join(work, 'whole')),
    quorumlab(file, '--store', path.join(work, 'parallel'), '--parallel', '3'),
  ];
  const [one, side] = await Promise.all(runs);
  whole = dirFrom(one!.stdout);
  parallel = dirFrom(side!.stdout);
  for (let index = 1; index <= shardCount; index++) {
    const shard = await quorumlab(
      file,
      '--shard',
      `${index}/${shardCount}`,
      '--store',
      path.join(work, `shard-${index}`),
    );
    expect(shard.stderr).toContain(`(shard ${index}/${shardCount})`);
  }
}, processTimeoutMs * 4);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('quorumlab campaign --shard and campaign merge', () => {
  it('the unsharded campaign ran every test and has one mismatch', () => {
    expect(summaryOf(whole)).toMatchObject({ total: 7, done: 7, mismatched: 1, status: 'finished' });
  });

  it('the shards hold every test once between them, split by expected duration', () => {
    const shares = [1, 2, 3].map((index) =>
      summaryOf(path.join(work, `shard-${index}`, 'campaigns', 'small', 'latest')),
    );
    expect(shares.map((share) => share.total)).toEqual([3, 2, 2]);
    expect(shares.flatMap((share) => share.tests.map((test) => test.id)).sort()).toEqual(
      summaryOf(whole)
        .tests.map((test) => test.id)
        .sort(),
    );
  });

  it('merged, the three shards give the same tests, verdicts and JUnit cases as the unsharded run, and its exit code', async () => {
    const into = path.join(work, 'merged');
    const shards = [1, 2, 3].map((index) => path.join(work, `shard-${index}`));
    const merge = await quorumlab('merge', ...shards, '--into', into);
    expect(merge.exitCode, merge.stderr).toBe(1);
    expect(verdicts(into)).toEqual(verdicts(whole));
    expect(junitCases(into)).toEqual(junitCases(whole));
    const merged = summaryOf(into);
    expect(merged.tests.map((test) => test.id)).toEqual(summaryOf(whole).tests.map((test) => test.id));
    expect(merged).toMatchObject({ status: 'finished', exitCode: 1, total: 7, matched: 6, mismatched: 1 });
    expect(merged.shard?.shards.map((shard) => shard.status)).toEqual(['finished', 'finished', 'finished']);
    const index = readFileSync(path.join(into, 'index.html'), 'utf8');
    const links = [...index.matchAll(/<a href="([^"]+)">report<\/a>/g)].map((match) => decodeURIComponent(match[1]!));
    expect(links).toHaveLength(7);
    for (const link of links) expect(readFileSync(path.join(into, link), 'utf8')).toContain('<html');
  });

  it('--parallel 3 gives the same tests, verdicts and JUnit cases as one test at a time', () => {
    expect(verdicts(parallel)).toEqual(verdicts(whole));
    expect(junitCases(parallel)).toEqual(junitCases(whole));
  });

  it('a missing shard is reported, its tests are "not run", and the merge exits 4', async () => {
    const into = path.join(work, 'partial');
    const merge = await quorumlab('merge', path.join(work, 'shard-1'), path.join(work, 'shard-3'), '--into', into);
    expect(merge.exitCode, merge.stderr).toBe(4);
    expect(merge.stdout).toContain('shard 2/3: missing, 0 of 2 tests run');
    const summary = summaryOf(into);
    expect(summary.status).toBe('interrupted');
    const notRun = summary.tests.filter((test) => test.status === 'pending');
    expect(notRun).toHaveLength(2);
    for (const test of notRun) expect(test.message).toBe('not run: shard 2/3 is missing (no directory merged held it)');
    expect(readFileSync(path.join(into, 'junit.xml'), 'utf8')).toContain(
      '<skipped message="not run: shard 2/3 is missing (no directory merged held it)"/>',
    );
  });

  it('a shard that did not finish is reported as such, its pending tests "not run", and the merge exits 4', async () => {
    const copy = path.join(work, 'shard-2-interrupted');
    cpSync(path.join(work, 'shard-2'), copy, { recursive: true, verbatimSymlinks: true, force: false });
    const dir = path.join(copy, 'campaigns', 'small', 'latest');
    const summary = summaryOf(dir);
    const [first, ...rest] = summary.tests;
    const pending = { ...first!, status: 'pending', verdict: null, matches: null, message: '' };
    writeFileSync(
      path.join(dir, 'summary.json'),
      JSON.stringify({ ...summary, status: 'interrupted', tests: [pending, ...rest] }),
    );
    const into = path.join(work, 'unfinished');
    const shards = [path.join(work, 'shard-1'), copy, path.join(work, 'shard-3')];
    const merge = await quorumlab('merge', ...shards, '--into', into);
    expect(merge.exitCode, merge.stderr).toBe(4);
    expect(merge.stdout).toMatch(/^shard 2\/3: interrupted, 1 of 2 tests run/m);
    const merged = summaryOf(into);
    expect(merged.tests.find((test) => test.id === first!.id)?.message).toBe('not run: shard 2/3 was interrupted');
    expect(merged.tests.filter((test) => test.status === 'done')).toHaveLength(6);
  });

  it.each([
    ['the same shard twice', ['shard-1', 'shard-1-copy'], /shard 1\/3 is given twice: .*shard-1.* and .*shard-1-copy/],
    ['a directory without shards', ['whole'], /holds no shard's campaign directory \(no shard\.json\)/],
    ['a directory that does not exist', ['nowhere'], /campaign merge: nowhere: no such directory/],
  ])('merging %s is refused in one line with exit 3', async (_what, dirs, message) => {
    cpSync(path.join(work, 'shard-1'), path.join(work, 'shard-1-copy'), {
      recursive: true,
      verbatimSymlinks: true,
      force: false,
    });
    const merge = await quorumlab('merge', ...dirs, '--into', path.join(work, 'refused'));
    expect(merge.exitCode, merge.stderr).toBe(3);
    expect(merge.stderr).toMatch(message);
    expect(merge.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses shards of another split', async () => {
    const other = path.join(work, 'other.json');
    writeFileSync(other, JSON.stringify({ ...small, description: 'edited' }));
    await quorumlab(other, '--shard', '2/3', '--store', path.join(work, 'other-2'), '--filter', 'wrong');
    const merge = await quorumlab(
      'merge',
      path.join(work, 'shard-1'),
      path.join(work, 'other-2'),
      '--into',
      path.join(work, 'x'),
    );
    expect(merge.exitCode, merge.stderr).toBe(3);
    expect(merge.stderr).toMatch(/another split than .*shard-1/);
  });

  it.each([
    [['--shard', '4/3'], '--shard: I must be between 1 and N (3), got 4'],
    [['--parallel', '0'], '--parallel: expected an integer from 1 to 16, got 0'],
    [['--parallel', 'two'], '--parallel: expected an integer from 1 to 16, got "two"'],
  ])('refuses %j with one line naming the flag', async (flags, message) => {
    const result = await quorumlab(file, '--store', path.join(work, 'refused'), ...flags);
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim()).toBe(`quorumlab: ${message}`);
  });
});
