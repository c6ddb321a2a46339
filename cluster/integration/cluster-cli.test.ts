// The command line around a hand-run cluster: `cluster up` rejects bad flags
// with exit 3 naming them; up, client, status and down work together on a real
// cluster; `cleanup` removes the state file of a cluster that died; `cluster up`
// touches no directory it did not make, and `cluster down` signals no process
// it cannot verify as the cluster's.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import { afterEach, expect, test } from 'vitest';
import { exitCode } from '../../core/verdict.js';
import { clusterStatePath, clusterStateRead } from '../runtime/local/cluster-state-file.js';
import { markedProcessesFind, procStartTicks } from '../runtime/local/process-marker.js';
import { eventually } from './test-support/cluster-fixture.js';
import { cliMain, processGone } from './test-support/processes.js';

const dirs: string[] = [];
const upOptions = { reject: false, timeout: 120_000 } as const;
const ups: ResultPromise<typeof upOptions>[] = [];
afterEach(async () => {
  for (const up of ups.splice(0)) {
    up.kill('SIGTERM');
    await up;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const upWaitMs = 30_000;

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-cli-'));
  dirs.push(dir);
  return dir;
}

function cli(...args: string[]): Promise<{ exitCode?: number; stdout: string; stderr: string }> {
  return execa(process.execPath, [cliMain, ...args], { reject: false, timeout: 30_000 });
}

test.each([
  [['--bug', 'nope'], /--bug: unknown bug "nope"; known bugs: ack-before-quorum, .*lose-hot-log-tail/],
  [['--pgs', '0'], /--pgs: expected an integer from 1 to \d+, got "0"/],
  [['--standby', 'two'], /--standby: expected an integer/],
  [['--cache', 'maybe'], /--cache: expected on or off, got "maybe"/],
])('cluster up %j exits 3 naming the flag', async (args, message) => {
  const dir = tempDir();
  const result = await cli('cluster', 'up', '--dir', dir, ...args);
  expect(result.exitCode).toBe(exitCode.usage);
  expect(result.stderr).toMatch(message);
  expect(existsSync(clusterStatePath(dir))).toBe(false);
});

test('cluster up, client, status and down work together on a real cluster', async () => {
  const dir = tempDir();
  const up = execa(process.execPath, [cliMain, 'cluster', 'up', '--dir', dir, '--pgs', '2'], upOptions);
  ups.push(up);
  const state = await eventually('the state file of cluster up', upWaitMs, () => {
    const read = clusterStateRead(dir);
    return Promise.resolve(read.ok ? read.state : null);
  });
  const expectOut = async (args: string[], stdout: string): Promise<void> => {
    const result = await cli('client', '--dir', dir, ...args);
    expect({ exitCode: result.exitCode, stdout: result.stdout.trim() }, result.stderr).toEqual({ exitCode: 0, stdout });
  };
  await expectOut(['write', 'k', '5'], 'null');
  await expectOut(['read', 'k'], '5');
  await expectOut(['cas', 'k', '5', '6'], 'null');
  await expectOut(['append', 'l', 'a'], 'null');
  await expectOut(['read-list', 'l'], '["a"]');
  const mismatch = await cli('client', '--addr', `${state.writer.host}:${state.writer.port}`, 'cas', 'k', '5', '7');
  expect(mismatch.exitCode).toBe(1);
  expect(mismatch.stderr).toMatch(/^cas-mismatch \(definite/);

  const status = await cli('cluster', 'status', '--dir', dir);
  expect(status.exitCode, status.stderr).toBe(0);
  expect(status.stdout).toMatch(/^w0 +writer .* running +writer ready epoch \d+ VDL \d+/m);
  expect(status.stdout.match(/^s\d\d +storage .* running +ready/gm)).toHaveLength(6);

  const down = await cli('cluster', 'down', '--dir', dir);
  expect(down.exitCode, down.stderr).toBe(0);
  const upResult = await up;
  expect(upResult.exitCode, upResult.stderr).toBe(0);
  expect(upResult.stdout).toContain(`writer: ${state.writer.host}:${state.writer.port}`);
  expect(existsSync(clusterStatePath(dir))).toBe(false);
  expect(state.nodes.map((node) => node.pid!).filter((pid) => !processGone(pid))).toEqual([]);
  expect(markedProcessesFind().filter((p) => p.runId === state.runId)).toEqual([]);
});

test('cleanup removes the state file of a cluster whose process is gone', async () => {
  const store = tempDir();
  const deadProcess = execa(process.execPath, ['-e', '0']);
  const deadPid = deadProcess.pid;
  await deadProcess;
  mkdirSync(path.join(store, 'cluster'));
  const stale = {
    version: 1,
    pid: deadPid,
    pidStartTicks: 1,
    runId: 'gone',
    startedAt: '',
    writer: { host: '127.0.0.1', port: 1 },
    nodes: [],
  };
  writeFileSync(path.join(store, 'cluster', 'state.json'), JSON.stringify(stale));
  const result = await cli('cleanup', '--store', store);
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.stdout).toContain(`removed state file ${path.join(store, 'cluster', 'state.json')}`);
  expect(existsSync(path.join(store, 'cluster', 'state.json'))).toBe(false);
});

test('cluster up refuses a non-empty directory it did not make, and deletes nothing in it', async () => {
  const run = tempDir();
  mkdirSync(path.join(run, 'nodes'));
  writeFileSync(path.join(run, 'nodes', 'w0.log'), 'INFO w0 ready\n');
  writeFileSync(path.join(run, 'results.json'), '{}');
  const result = await cli('cluster', 'up', '--dir', run);
  expect(result.exitCode).toBe(exitCode.usage);
  expect(result.stderr.trim()).toMatch(/^quorumlab: --dir .*: not a cluster directory \(it holds results\.json/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(readFileSync(path.join(run, 'nodes', 'w0.log'), 'utf8')).toBe('INFO w0 ready\n');
  expect(existsSync(clusterStatePath(run))).toBe(false);
});

/** A live process that is not a cluster: `cluster down` must never signal it. */
async function bystanderStart(): Promise<{ pid: number; ticks: number; alive: () => boolean }> {
  const bystander = execa(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], bystanderOptions);
  bystanders.push(bystander);
  const pid = bystander.pid!;
  const ticks = await eventually('the start time of the bystander process', 5000, () =>
    Promise.resolve(procStartTicks(pid)),
  );
  return { pid, ticks, alive: () => !processGone(pid) };
}

const bystanderOptions = { reject: false } as const;
const bystanders: ResultPromise<typeof bystanderOptions>[] = [];
afterEach(async () => {
  for (const bystander of bystanders.splice(0)) {
    bystander.kill('SIGKILL');
    await bystander;
  }
});

function stateFileWrite(dir: string, fields: Record<string, unknown>): void {
  const state = { version: 1, runId: 'forged', startedAt: '', writer: { host: '127.0.0.1', port: 1 }, nodes: [] };
  writeFileSync(clusterStatePath(dir), JSON.stringify({ ...state, ...fields }));
}

test.each([
  ['no start time', (b: { pid: number; ticks: number }) => ({ pid: b.pid, pidStartTicks: null }), /no start time/],
  [
    'another command line',
    (b: { pid: number; ticks: number }) => ({ pid: b.pid, pidStartTicks: b.ticks, ownerCommand: 'node cluster up' }),
    /runs ".*setTimeout.*", not the recorded "node cluster up"/,
  ],
  [
    'no command line',
    (b: { pid: number; ticks: number }) => ({ pid: b.pid, pidStartTicks: b.ticks }),
    /no command line/,
  ],
])('cluster down never signals a process it cannot verify (%s): exit 3', async (_name, fields, reason) => {
  const dir = tempDir();
  const bystander = await bystanderStart();
  stateFileWrite(dir, fields(bystander));
  const result = await cli('cluster', 'down', '--dir', dir);
  expect(result.exitCode).toBe(exitCode.usage);
  expect(result.stderr).toMatch(new RegExp(`refusing to signal process ${bystander.pid}`));
  expect(result.stderr).toMatch(reason);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(bystander.alive()).toBe(true);
  expect(existsSync(clusterStatePath(dir))).toBe(true);
});

test('cluster down leaves a reused pid alone: the process there started later than the cluster', async () => {
  const dir = tempDir();
  const bystander = await bystanderStart();
  stateFileWrite(dir, { pid: bystander.pid, pidStartTicks: bystander.ticks - 1, ownerCommand: 'x' });
  const result = await cli('cluster', 'down', '--dir', dir);
  expect(result.exitCode, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/now belongs to another process/);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(bystander.alive()).toBe(true);
  expect(existsSync(clusterStatePath(dir))).toBe(false);
});
