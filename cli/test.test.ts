import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it, test } from 'vitest';
import { clockCreate, pollUntil } from '../core/clock.js';
import type { HistoryEvent } from '../core/history.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
const storeBuilt = ['dist/cluster/storage/main.js', 'dist/cluster/writer/main.js'].every((file) =>
  existsSync(path.join(root, file)),
);
let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-cli-test-'));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function quorumlab(...args: string[]) {
  return execa(process.execPath, [cli, 'test', '--store', path.join(work, 'store'), ...args], {
    cwd: work,
    reject: false,
    timeout: 120_000,
  });
}

function historyRead(runDir: string): HistoryEvent[] {
  return readFileSync(path.join(runDir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as HistoryEvent);
}

describe('quorumlab test: bad input', () => {
  test.each([
    ['--workload', 'queue'],
    ['--time-limit', 'soon'],
    ['--concurrency', '0'],
    ['--seed', '-1'],
    ['--keys', 'many'],
    ['--rate', 'fast'],
    ['--ops-limit', '1.5'],
    ['--bug', 'nope'],
    ['--pgs', '0'],
    ['--cache', 'maybe'],
    ['--nemesis', 'chaos'],
    ['--runtime', 'k8s'],
    ['--liveness-timeout', 'forever'],
    ['--liveness-keep-stopped', 'w0'],
  ])('%s %s exits 3 naming the flag and the value', async (flag, value) => {
    const result = await quorumlab(flag, value);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(flag);
    expect(result.stderr).toContain(value);
  });

  test.each([
    ['--op-timeout', '9999h', '1h'],
    ['--nemesis-interval', '9999h', '1h'],
    ['--time-limit', '9999h', '24h'],
    ['--liveness-timeout', '9999h', '10m'],
  ])('%s %s, beyond its bound, exits 3 naming the flag and the largest value', async (flag, value, largest) => {
    const result = await quorumlab('--runtime', 'memory', '--nemesis-schedule', 'fixed', flag, value);
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim()).toBe(`quorumlab: ${flag}: at most ${largest}, got "${value}"`);
  });

  it('rejects a config file that breaks a geometry rule, naming the file and the field', async () => {
    const file = path.join(work, 'cluster.json');
    writeFileSync(file, JSON.stringify({ geometry: { writeQuorum: 7 } }));
    const result = await quorumlab('--config', file);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`${file}.geometry.writeQuorum`);
  });

  it('rejects a config file that cannot be read', async () => {
    const result = await quorumlab('--config', path.join(work, 'missing.json'));
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('--config');
  });
});

describe('quorumlab test on the in-process store', () => {
  it('runs the loop, writes the run store and exits 0 with a valid verdict', async () => {
    const result = await quorumlab(
      '--runtime',
      'memory',
      '--workload',
      'append',
      '--ops-limit',
      '300',
      '--seed',
      '5',
      '--json',
    );
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      verdict: string;
      run: string;
      seed: number;
      checkers: { checker: string; verdict: string }[];
    };
    expect(summary.verdict).toBe('valid');
    expect(summary.seed).toBe(5);
    expect(summary.checkers.map((c) => c.checker)).toContain('durability');
    const runDir = path.resolve(work, summary.run);
    for (const file of ['test.json', 'history.jsonl', 'results.json', 'latency.hdr', 'nodes'])
      expect(existsSync(path.join(runDir, file)), file).toBe(true);
    expect(path.resolve(work, 'store', readlinkSync(path.join(work, 'store', 'latest')))).toBe(runDir);
    const testJson = JSON.parse(readFileSync(path.join(runDir, 'test.json'), 'utf8')) as {
      seed: number;
      versions: { node: string };
      commandLine: string[];
    };
    expect(testJson.seed).toBe(5);
    expect(testJson.versions.node).toBe(process.version);
    expect(testJson.commandLine).toContain('--ops-limit');
    const history = historyRead(runDir);
    const markers = history.filter((e) => e.process === 'nemesis' && e.f === 'phase').map((e) => e.value);
    expect(markers).toEqual(['heal', 'liveness', 'final']);
    // The in-process store has no storage nodes: the liveness phase's observations are recorded empty.
    const observations = history.filter((e) => e.process === 'nemesis' && e.f.startsWith('observe-')).map((e) => e.f);
    expect(observations).toEqual(['observe-replicas', 'observe-scrub', 'observe-repair', 'observe-scrub']);
    const livenessWrites = history
      .slice(
        history.findIndex((e) => e.value === 'liveness'),
        history.findIndex((e) => e.value === 'final'),
      )
      .filter((e) => e.type === 'ok' && e.f === 'append');
    expect(livenessWrites.map((e) => e.key).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    const finalReads = history
      .slice(history.findIndex((e) => e.value === 'final'))
      .filter((e) => e.type === 'ok' && e.f === 'read');
    expect(finalReads.map((e) => e.key).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
  });

  it('on SIGINT stops the run, keeps a readable history and exits 4', async () => {
    const child = spawn(
      process.execPath,
      [cli, 'test', '--runtime', 'memory', '--time-limit', '60s', '--store', path.join(work, 'store')],
      { cwd: work, stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const history = path.join(work, 'store', 'latest', 'history.jsonl');
      await pollUntil(clockCreate(), {
        what: 'the run to record 10 kB of history',
        timeoutMs: 20_000,
        intervalMs: 50,
        probe: () => (existsSync(history) && readFileSync(history, 'utf8').length > 10_000 ? true : null),
      });
      child.kill('SIGINT');
      expect(await exited).toBe(4);
      const runDir = path.join(work, 'store', 'latest');
      const results = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as {
        aborted: boolean;
        exitCode: number;
      };
      expect(results).toMatchObject({ aborted: true, exitCode: 4 });
      const events = historyRead(runDir);
      expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('quorumlab test against the store on the local runtime', () => {
  it.skipIf(!storeBuilt)('runs a register test end to end and finds the store linearizable', async () => {
    const result = await quorumlab(
      '--workload',
      'register',
      '--time-limit',
      '3s',
      '--concurrency',
      '4',
      '--seed',
      '7',
      '--json',
    );
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout) as {
      verdict: string;
      run: string;
      counts: { ok: number };
      checkers: { checker: string; verdict: string }[];
    };
    expect(summary.checkers.find((c) => c.checker === 'linearizable')?.verdict).toBe('valid');
    expect(summary.checkers.find((c) => c.checker === 'node-logs')?.verdict).toBe('valid');
    expect(summary.counts.ok).toBeGreaterThan(0);
    expect(result.exitCode).toBe(0);
    const nodes = path.resolve(work, summary.run, 'nodes');
    for (const node of ['w0', 's00', 's21']) expect(existsSync(path.join(nodes, `${node}.log`)), node).toBe(true);
    expect(existsSync(path.resolve(work, summary.run, 'node-data')), 'node data removed at the end').toBe(false);
  });

  it.skipIf(!storeBuilt)('a run killed by SIGKILL leaves its node logs in its run directory', async () => {
    const child = spawn(
      process.execPath,
      [cli, 'test', '--time-limit', '60s', '--concurrency', '2', '--store', path.join(work, 'store')],
      { cwd: work, stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const log = path.join(work, 'store', 'latest', 'node-data', 'nodes', 's00.log');
    try {
      await pollUntil(clockCreate(), {
        what: 'the run to start its nodes and record some history',
        timeoutMs: 60_000,
        intervalMs: 100,
        probe: () => {
          const history = path.join(work, 'store', 'latest', 'history.jsonl');
          return existsSync(history) && readFileSync(history, 'utf8').length > 2_000 ? true : null;
        },
      });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const nodeLogs = path.join(work, 'store', 'latest', 'node-data', 'nodes');
    expect(readFileSync(log, 'utf8').length).toBeGreaterThan(0);
    // The nodes see their owner gone and stop on their own; the directory goes with the test's work folder.
    await pollUntil(clockCreate(), {
      what: "the killed run's nodes to stop",
      timeoutMs: 30_000,
      intervalMs: 200,
      probe: () => (nodeProcessesOf(nodeLogs) === 0 ? true : null),
    });
  });
});

/** Processes whose command line names a path under `dir` (the nodes of a run keep their config there). */
function nodeProcessesOf(dir: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) count++;
    } catch {
      // The process ended while the list was read.
    }
  }
  return count;
}
