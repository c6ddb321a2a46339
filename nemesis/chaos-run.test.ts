// Whole runs of `quorumlab test` with faults, as a user starts them: a
// deliberate store bug meets a schedule that exposes it, and an interrupted run
// heals, stops its cluster, leaves nothing behind and a history `check` reads.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markedProcessesFind } from '../cluster/runtime/local/process-marker.js';
import { clockCreate, pollUntil } from '../core/clock.js';
import type { HistoryEvent } from '../core/history.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
const built = ['dist/cli/main.js', 'dist/cluster/storage/main.js', 'dist/cluster/writer/main.js'].every((file) =>
  existsSync(path.join(root, file)),
);
const quorumLossSchedule = path.join(root, 'nemesis/schedules/quorum-loss.json');
let work: string;
/** The runs' own temporary directory, so that what they leave behind can be seen. */
let tmp: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-chaos-test-'));
  tmp = path.join(work, 'tmp');
  mkdirSync(tmp);
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function historyRead(runDir: string): HistoryEvent[] {
  return readFileSync(path.join(runDir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as HistoryEvent);
}

const nemesisInfos = (events: readonly HistoryEvent[]) =>
  events.filter((e) => e.process === 'nemesis' && e.type === 'info' && e.f !== 'phase');

describe.skipIf(!built)('chaos runs of quorumlab test', () => {
  it('with ack-before-quorum on, the quorum-loss schedule makes an append run invalid: acknowledged appends are lost', async () => {
    const args = [
      'test',
      '--workload',
      'append',
      '--bug',
      'ack-before-quorum',
      '--nemesis-schedule',
      quorumLossSchedule,
      '--time-limit',
      '14s',
      '--seed',
      '1',
    ];
    const result = await execa(process.execPath, [cli, ...args, '--store', path.join(work, 'store'), '--json'], {
      cwd: work,
      reject: false,
      timeout: 150_000,
      env: { TMPDIR: tmp },
    });
    const summary = JSON.parse(result.stdout) as {
      verdict: string;
      run: string;
      checkers: { checker: string; verdict: string; summary: string }[];
    };
    const durability = summary.checkers.find((c) => c.checker === 'durability');
    expect(durability?.verdict, durability?.summary).toBe('invalid');
    expect(durability?.summary).toMatch(/acknowledged appends lost/);
    expect(result.exitCode).toBe(1);
    const faults = nemesisInfos(historyRead(path.resolve(work, summary.run)));
    expect(faults.filter((e) => e.error !== undefined)).toEqual([]);
    expect(faults.map((e) => e.f)).toContain('stop-kill-writer');
    expect(readdirSync(tmp)).toEqual([]);
  }, 180_000);

  it('on SIGINT during a fault: heals it, stops the cluster, leaves nothing behind, and `check` reads the history', async () => {
    const args = [
      'test',
      '--workload',
      'register',
      '--nemesis',
      'kill-node',
      '--nemesis-schedule',
      'fixed',
      '--nemesis-interval',
      '1s',
      '--time-limit',
      '60s',
      '--seed',
      '3',
    ];
    const child = spawn(process.execPath, [cli, ...args, '--store', path.join(work, 'store')], {
      cwd: work,
      stdio: 'ignore',
      env: { ...process.env, TMPDIR: tmp },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const runDir = path.join(work, 'store', 'latest');
    try {
      const history = path.join(runDir, 'history.jsonl');
      await pollUntil(clockCreate(), {
        what: 'the kill to take effect',
        timeoutMs: 60_000,
        intervalMs: 100,
        probe: () =>
          existsSync(history) && readFileSync(history, 'utf8').includes('"info","f":"start-kill-node"') ? true : null,
      });
      child.kill('SIGINT');
      expect(await exited).toBe(4);
    } finally {
      child.kill('SIGKILL');
    }
    const events = historyRead(runDir);
    const faults = nemesisInfos(events);
    expect(faults.at(-1)).toMatchObject({ f: 'stop-kill-node' });
    expect(faults.at(-1)?.error).toBeUndefined();
    const { runId } = JSON.parse(readFileSync(path.join(runDir, 'test.json'), 'utf8')) as { runId: string };
    expect(markedProcessesFind().filter((p) => p.runId === runId)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    const check = await execa(process.execPath, [cli, 'check', runDir, '--model', 'etcd-register', '--json'], {
      reject: false,
      timeout: 60_000,
    });
    expect([0, 1, 2], check.stderr).toContain(check.exitCode);
    expect(JSON.parse(check.stdout)).toMatchObject({ operations: expect.any(Number) as unknown });
  }, 120_000);
});
