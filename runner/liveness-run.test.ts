// Whole runs of `quorumlab test` on the local runtime, judged by what the store
// owes after the faults stop: with nodes killed and restarted the run is live
// and repaired, and its history holds the observations; with one storage node
// kept stopped after the heal, the liveness checker names that node.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
const built = ['dist/cli/main.js', 'dist/cluster/storage/main.js', 'dist/cluster/writer/main.js'].every((file) =>
  existsSync(path.join(root, file)),
);
let work: string;
/** The runs' own temporary directory, so that what they leave behind can be seen. */
let tmp: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-liveness-test-'));
  tmp = path.join(work, 'tmp');
  mkdirSync(tmp);
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

interface RunSummary {
  readonly verdict: string;
  readonly run: string;
  readonly checkers: readonly { checker: string; verdict: string; summary: string }[];
}

async function killNodeRun(...extra: string[]): Promise<{ exitCode: number | undefined; summary: RunSummary }> {
  const args = ['test', '--nemesis', 'kill-node', '--nemesis-interval', '2s', '--time-limit', '8s', '--seed', '7'];
  const result = await execa(
    process.execPath,
    [cli, ...args, ...extra, '--store', path.join(work, 'store'), '--json'],
    {
      cwd: work,
      reject: false,
      timeout: 150_000,
      env: { TMPDIR: tmp },
    },
  );
  expect(result.stderr).toBe('');
  return { exitCode: result.exitCode, summary: JSON.parse(result.stdout) as RunSummary };
}

function historyRead(runDir: string): HistoryEvent[] {
  return readFileSync(path.join(runDir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as HistoryEvent);
}

const checkerOf = (summary: RunSummary, name: string) => summary.checkers.find((c) => c.checker === name);
const observations = (events: readonly HistoryEvent[], f: string) =>
  events.filter((e) => e.process === 'nemesis' && e.type === 'info' && e.f === f);

describe.skipIf(!built)('the liveness phase of a local run', () => {
  it('after kill-node faults the run is live and repaired, and its history holds what was observed', async () => {
    const { exitCode, summary } = await killNodeRun();
    const liveness = checkerOf(summary, 'liveness');
    const repair = checkerOf(summary, 'repair');
    expect(liveness?.verdict, liveness?.summary).toBe('valid');
    expect(repair?.verdict, repair?.summary).toBe('valid');
    expect(liveness?.summary).toMatch(/5 keys written and read after the heal.*6 replicas of 1 PG caught up/);
    expect(exitCode).toBe(0);
    const events = historyRead(path.resolve(work, summary.run));
    expect(events.filter((e) => e.f === 'phase').map((e) => e.value)).toEqual(['heal', 'liveness', 'final']);
    const replicas = observations(events, 'observe-replicas').at(-1)?.value as { nodes: { scls: number[] }[] };
    expect(replicas.nodes).toHaveLength(6);
    expect(new Set(replicas.nodes.map((node) => node.scls[0])).size).toBe(1);
    const scrubs = observations(events, 'observe-scrub').map((e) => e.value as { pass: number; nodes: unknown[] });
    expect(scrubs.map((scrub) => [scrub.pass, scrub.nodes.length])).toEqual([
      [1, 6],
      [2, 6],
    ]);
    expect(observations(events, 'observe-repair').length).toBeGreaterThan(0);
    expect(readdirSync(tmp)).toEqual([]);
  }, 180_000);

  it('with a storage node kept stopped after the heal, liveness is invalid and names that node', async () => {
    const { exitCode, summary } = await killNodeRun('--liveness-keep-stopped', 's10', '--liveness-timeout', '3s');
    const liveness = checkerOf(summary, 'liveness');
    expect(liveness?.verdict, liveness?.summary).toBe('invalid');
    expect(liveness?.summary).toMatch(/^replica s10 not observed after \d+ ms: /);
    // The other checkers see nothing wrong: only liveness knows a replica never came back.
    expect(checkerOf(summary, 'durability')?.verdict).toBe('valid');
    expect(checkerOf(summary, 'linearizable')?.verdict).toBe('valid');
    expect(exitCode).toBe(1);
    const events = historyRead(path.resolve(work, summary.run));
    expect(observations(events, 'keep-stopped')).toMatchObject([{ value: { targets: ['s10'] } }]);
    expect(readdirSync(tmp)).toEqual([]);
  }, 180_000);
});
