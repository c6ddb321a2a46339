// A failing run shrinks for real: an invalid run (stale-storage-read, cache
// off) with a hand-written schedule of six episodes is handed to `quorumlab
// shrink`, whose attempts are real test runs; the result is a schedule of at
// most two episodes that still fails when its printed command is run (a
// second try allowed: a catch is a matter of timing). Long
// (a few real runs), so it runs with the bug catalogue, after the other tests.

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scheduleFileParse } from '../../nemesis/schedule/schedule-file.js';
import { episodesOf, scheduleJsonRead } from '../shrink/episodes.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
/** Bound on one test run, and on the whole shrink (at most eight short attempts). */
const runTimeoutMs = 90_000;
const shrinkTimeoutMs = 200_000;
/** Runs of the printed command at most before the test says it does not reproduce the failure. */
const reproduceTriesMax = 2;

/** Six episodes over 11 s, each fault on one named node. */
const scheduleSix = {
  steps: [
    { sleep: '1s' },
    { start: 'partition-node', targets: ['s10'] },
    { sleep: '1s' },
    { stop: 'partition-node' },
    { sleep: '500ms' },
    { start: 'kill-node', targets: ['s01'] },
    { sleep: '1500ms' },
    { stop: 'kill-node' },
    { sleep: '500ms' },
    { start: 'pause-node', targets: ['s20'] },
    { sleep: '1s' },
    { stop: 'pause-node' },
    { sleep: '500ms' },
    { start: 'partition-node', targets: ['s21'] },
    { sleep: '1s' },
    { stop: 'partition-node' },
    { sleep: '500ms' },
    { start: 'kill-node', targets: ['s11'] },
    { sleep: '1500ms' },
    { stop: 'kill-node' },
    { sleep: '500ms' },
    { start: 'pause-node', targets: ['s00'] },
    { sleep: '1s' },
    { stop: 'pause-node' },
  ],
};

let work: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-shrink-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const quorumlab = (args: readonly string[], timeoutMs: number) =>
  execa(process.execPath, [cli, ...args], { cwd: work, reject: false, timeout: timeoutMs });

const digest = (dir: string): string =>
  readdirSync(dir)
    .filter((file) => file.endsWith('.json') || file.endsWith('.jsonl'))
    .sort()
    .map(
      (file) =>
        `${file}:${createHash('sha256')
          .update(readFileSync(path.join(dir, file)))
          .digest('hex')}`,
    )
    .join('\n');

describe('quorumlab shrink on a real failing run', () => {
  test(
    'six episodes shrink to at most two that still fail, and the printed command reproduces the failure',
    async () => {
      writeFileSync(path.join(work, 'six.json'), JSON.stringify(scheduleSix));
      const original = await quorumlab(
        [
          'test',
          ...['--workload', 'register', '--cache', 'off', '--bug', 'stale-storage-read', '--seed', '1'],
          ...['--concurrency', '4', '--time-limit', '12s', '--nemesis-schedule', 'six.json', '--json'],
        ],
        runTimeoutMs,
      );
      expect(original.exitCode, original.stderr.slice(-2000)).toBe(1);
      const runDir = path.resolve(work, (JSON.parse(original.stdout.trim().split('\n').pop()!) as { run: string }).run);
      const before = digest(runDir);

      const shrink = await quorumlab(['shrink', runDir, '--attempts', '8', '--budget', '150s'], shrinkTimeoutMs);
      expect(shrink.exitCode, `${shrink.stdout}\n${shrink.stderr.slice(-3000)}`).toBe(0);
      const after = digest(runDir).split('\n');
      for (const line of before.split('\n')) expect(after).toContain(line);

      const record = JSON.parse(readFileSync(path.join(runDir, 'shrink.json'), 'utf8')) as {
        original: { episodes: unknown[] };
        attempts: { verdict: string; reproduces: boolean; runDir: string | null }[];
        result: { reproduced: boolean; episodes: number[]; reproducedBy: string | null; command: string };
      };
      expect(record.original.episodes).toHaveLength(6);
      expect(record.attempts.length).toBeGreaterThan(0);
      expect(record.attempts.length).toBeLessThanOrEqual(8);
      expect(record.result.reproduced).toBe(true);
      expect(record.result.episodes.length).toBeLessThanOrEqual(2);
      const reproducing = JSON.parse(
        readFileSync(path.join(runDir, record.result.reproducedBy!, 'results.json'), 'utf8'),
      ) as { verdict: string };
      expect(reproducing.verdict).toBe('invalid');

      const text = readFileSync(path.join(runDir, 'shrunk-schedule.json'), 'utf8');
      expect(scheduleFileParse('shrunk-schedule.json', text).ok).toBe(true);
      const shrunk = scheduleJsonRead(JSON.parse(text), 'shrunk-schedule.json');
      expect(shrunk.ok && episodesOf(shrunk.schedule).length).toBeLessThanOrEqual(2);

      const command = shrink.stdout.split('\n').find((line) => line.startsWith('reproduce: '));
      expect(command).toBe(`reproduce: ${record.result.command}`);
      const words = record.result.command.split(' ');
      expect(words.slice(0, 2)).toEqual(['quorumlab', 'test']);
      // A catch is a timing experiment: the printed command gets a second try before the test says it does not reproduce.
      const verdicts: number[] = [];
      for (let attempt = 0; attempt < reproduceTriesMax && !verdicts.includes(1); attempt++) {
        const again = await quorumlab([...words.slice(1), '--store', path.join(work, 'again'), '--json'], runTimeoutMs);
        verdicts.push(again.exitCode ?? -1);
      }
      expect(verdicts).toContain(1);
      expect(existsSync(path.join(work, 'again'))).toBe(true);
    },
    runTimeoutMs + shrinkTimeoutMs + 2 * runTimeoutMs,
  );

  test(
    'an input that is not an invalid run with a schedule is refused with exit 3',
    async () => {
      const notRun = await quorumlab(['shrink', work], 10_000);
      expect(notRun.exitCode).toBe(3);
      expect(notRun.stderr).toContain('not a run directory (no test.json)');
      const valid = await quorumlab(
        // A bounded valid run: a second of the memory runtime is some 200,000 operations, whose check may run out of
        // its budget on a loaded machine (unknown, exit 2) and so not be the valid run this case needs.
        [
          'test',
          '--runtime',
          'memory',
          '--time-limit',
          '1s',
          '--ops-limit',
          '2000',
          '--seed',
          '1',
          '--store',
          path.join(work, 'valid'),
          '--json',
        ],
        runTimeoutMs,
      );
      expect(valid.exitCode, valid.stderr.slice(-2000)).toBe(0);
      const validDir = (JSON.parse(valid.stdout.trim().split('\n').pop()!) as { run: string }).run;
      const refused = await quorumlab(['shrink', validDir], 10_000);
      expect(refused.exitCode).toBe(3);
      expect(refused.stderr).toContain('only an invalid run has a failure to shrink');
    },
    runTimeoutMs,
  );
});
