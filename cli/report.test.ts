import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureWrite, invalidRunFixture } from '../results/report/test-support/run-fixture.js';
import { jsonEdited, type JsonPath } from '../results/schema/test-support/json-edit.js';

const root = path.resolve(import.meta.dirname, '..');
/** A run directory written by the runner before test.json and results.json had a format field. */
const beforeFormat = path.join(root, 'results/report/test-support/stored-before-format');
const cli = path.join(root, 'dist/cli/main.js');
let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-report-cli-'));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function quorumlab(...args: string[]) {
  return execa(process.execPath, [cli, ...args], { cwd: work, reject: false, timeout: 60_000 });
}

describe('quorumlab report', () => {
  it('every test run ends with a report.html, and `report` rebuilds the same page from the stored files', async () => {
    const run = await quorumlab(
      'test',
      '--runtime',
      'memory',
      '--workload',
      'register',
      '--ops-limit',
      '1500',
      '--time-limit',
      '3s',
      '--seed',
      '11',
      '--store',
      path.join(work, 'store'),
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = path.join(work, 'store', 'latest');
    const written = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(written).toContain('data-verdict="valid"');
    expect(written).toContain('--seed 11');
    rmSync(path.join(dir, 'report.html'));
    const rebuilt = await quorumlab('report', dir);
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain('report.html');
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toBe(written);
  });

  it('rebuilds the report of an invalid run with its failure views', async () => {
    const dir = fixtureWrite(invalidRunFixture(), path.join(work, 'run'));
    const result = await quorumlab('report', dir);
    expect(result.exitCode, result.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('data-verdict="invalid"');
    expect(html).toContain('id="linearizability-failure"');
    expect(html).toContain('id="durability-failure"');
  });

  it('exits 3 naming the directory when it holds no run', async () => {
    const result = await quorumlab('report', work);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`${work}: not a run directory (no test.json)`);
    expect(existsSync(path.join(work, 'report.html'))).toBe(false);
  });

  it('rebuilds the report of a run stored before the files had a format field', async () => {
    const dir = path.join(work, 'old');
    cpSync(beforeFormat, dir, { recursive: true });
    const result = await quorumlab('report', dir);
    expect(result.exitCode, result.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('data-verdict="valid"');
    expect(html).toMatch(/data-checker="durability"[\s\S]*?0 lost of \d+ acknowledged/);
    expect(html).toContain('--seed 7');
  });

  it.each([
    ['cut in half', (text: string) => text.slice(0, text.length / 2)],
    ['with a byte flipped in a histogram', (text: string) => text.replace(/HIST(.{8})/, 'HIST!!!!!!!!')],
    ['replaced by text', () => 'not a histogram log\n'],
  ])('rebuilds the report over a latency.hdr %s with a warning naming the file', async (_what, damage) => {
    const run = await quorumlab(
      'test',
      '--runtime',
      'memory',
      '--ops-limit',
      '200',
      '--store',
      path.join(work, 'store'),
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = path.join(work, 'store', 'latest');
    const latency = path.join(dir, 'latency.hdr');
    const whole = await quorumlab('report', dir);
    expect(whole.stderr).toBe('');
    writeFileSync(latency, damage(readFileSync(latency, 'utf8')));
    const rebuilt = await quorumlab('report', dir);
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toMatch(new RegExp(`^quorumlab: warning: ${latency.replace(/[.]/g, '\\.')}: `));
  });

  it.each([
    ['[]', 'expected a JSON object, got array'],
    ['{"checkers":5}', 'verdict: missing'],
  ])('refuses a results.json of %s and leaves report.html as it was', async (text, message) => {
    const run = await quorumlab(
      'test',
      '--runtime',
      'memory',
      '--ops-limit',
      '50',
      '--store',
      path.join(work, 'store'),
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const dir = path.join(work, 'store', 'latest');
    const before = readFileSync(path.join(dir, 'report.html'), 'utf8');
    writeFileSync(path.join(dir, 'results.json'), text);
    const result = await quorumlab('report', dir);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`results.json: ${message}`);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toBe(before);
  });

  const badFiles: [string, string, JsonPath, unknown, string][] = [
    [
      "a wrong type deep in a checker's details",
      'results.json',
      ['checkers', 1, 'details', 'problems'],
      'none',
      'checkers[1].details.problems: expected array, got string',
    ],
    ['an unknown format of results.json', 'results.json', ['format'], 2, 'format 2 is not one this build reads'],
    ['an unknown format of test.json', 'test.json', ['format'], 2, 'format 2 is not one this build reads'],
    ['test.json without its options', 'test.json', ['options'], undefined, 'options: missing'],
  ];

  it.each(badFiles)('exits 3 for %s, naming the file and the field, without a stack trace', async (...bad) => {
    const [, file, at, value, message] = bad;
    const dir = path.join(work, 'bad');
    cpSync(beforeFormat, dir, { recursive: true });
    writeFileSync(path.join(dir, file), jsonEdited(readFileSync(path.join(beforeFormat, file), 'utf8'), at, value));
    const result = await quorumlab('report', dir);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`quorumlab: ${path.join(dir, file)}: ${message}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
  });
});
