// `quorumlab campaign --search BUG` for real: a hunt over seeds with the bug
// on stops at the first seed whose run is invalid and says which; a bug the
// runs cannot catch is "not caught" with exit 1. Real test runs, so it goes
// with the bug catalogue, after the other tests.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { campaignSummaryD } from '../campaign/campaign-summary-schema.js';
import { storedFileRead } from '../../results/schema/stored-file.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
/** Bound on a search of three short tests. */
const searchTimeoutMs = 240_000;

let work: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-search-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function search(args: readonly string[]) {
  const result = await execa(
    process.execPath,
    [cli, 'campaign', ...args, '--store', path.join(work, 'store'), '--time-limit', '6s'],
    { cwd: work, reject: false, timeout: searchTimeoutMs },
  );
  const index = /^index: (.+)$/m.exec(result.stdout)?.[1];
  expect(index, `${result.stdout}\n${result.stderr.slice(-2000)}`).toBeDefined();
  const summary = storedFileRead(path.join(path.dirname(index!), 'summary.json'), campaignSummaryD);
  if (!summary.ok) throw new Error(summary.error);
  return { result, summary: summary.value, junit: readFileSync(path.join(path.dirname(index!), 'junit.xml'), 'utf8') };
}

describe('quorumlab campaign --search', () => {
  test(
    'stops at the first seed that catches the bug and says which',
    async () => {
      const { result, summary, junit } = await search([
        ...['--search', 'stale-storage-read', '--seeds', '1..3', '--until', 'caught'],
        ...['--nemesis', 'kill-node', '--cache', 'off', '--workload', 'register', '--concurrency', '4'],
      ]);
      expect(result.exitCode, result.stderr.slice(-2000)).toBe(0);
      const hunt = summary.hunt!;
      expect(hunt.caught).toBe(true);
      const first = summary.tests.find((record) => record.verdict === 'invalid')!;
      expect(hunt.seed).toBe(first.seed);
      expect(summary.tests.slice(0, summary.tests.indexOf(first)).every((record) => record.verdict === 'valid')).toBe(
        true,
      );
      expect(summary.tests.slice(summary.tests.indexOf(first) + 1).every((record) => record.status === 'pending')).toBe(
        true,
      );
      expect(hunt.testsRun).toBe(summary.tests.indexOf(first) + 1);
      expect(result.stdout).toContain(`caught at seed ${hunt.seed} (test ${first.id}, ${hunt.seedsTried} of 3 seeds`);
      expect(summary.status).toBe('finished');
      expect(junit).toContain('name="search-stale-storage-read: hunt"');
      expect(junit).not.toContain('type="hunt"');
    },
    searchTimeoutMs,
  );

  test(
    'a bug no run of the seeds catches is reported not caught, exit 1',
    async () => {
      const { result, summary, junit } = await search([
        ...['--search', 'ack-before-fsync', '--seeds', '1', '--nemesis', 'none', '--workload', 'append'],
      ]);
      expect(result.exitCode, result.stderr.slice(-2000)).toBe(1);
      expect(result.stdout).toContain('not caught in 1 seeds (1 tests)');
      expect(summary.hunt).toMatchObject({ caught: false, seed: null, testsRun: 1, shrink: null });
      expect(junit).toContain('type="hunt"');
    },
    searchTimeoutMs,
  );
});
