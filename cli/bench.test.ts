// `quorumlab bench` end to end: one short local run (real processes and
// sockets) against a stored baseline it cannot match, so it must leave a whole
// run directory and exit 1; and bad flags, refused with exit 3 before anything starts.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { benchFileD } from '../bench/mode/bench-file.js';
import { latencyHdrProblem } from '../results/report/latency-file-check.js';
import { storedFileRead } from '../results/schema/stored-file.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-bench-test-'));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function bench(...args: string[]) {
  return execa(process.execPath, [cli, 'bench', '--store', path.join(work, 'store'), ...args], {
    cwd: work,
    reject: false,
    timeout: 150_000,
  });
}

/** A stored bench run whose one point no real run reaches: a million ok operations a second at 1 us. */
function baselineUnreachable(): string {
  const dir = path.join(work, 'baseline');
  mkdirSync(dir);
  const summary = { goodputPerSec: 1e6, p50Us: 1, p99Us: 1, p999Us: 1, goodputSpread: 0, p99Spread: 0 };
  const file = {
    format: 1,
    kind: 'bench',
    histogram: { lowestUs: 1, highestUs: 60_000_000, significantDigits: 3 },
    targets: [{ target: 'quorumlab', points: [{ label: 'clients 4', summary, repeats: [] }], sweep: null }],
  };
  writeFileSync(path.join(dir, 'bench.json'), JSON.stringify(file));
  return dir;
}

describe('quorumlab bench', () => {
  test('a short local run leaves bench.json, latency.hdr and report.html, and a regression exits 1', async () => {
    const result = await bench(
      ...['--mix', 'A', '--clients', '4', '--time-limit', '2s', '--warmup', '0s', '--record-count', '50'],
      ...['--seed', '3', '--baseline', baselineUnreachable()],
    );
    expect(result.stderr).not.toMatch(/crashed/);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/not checked: bench mode measures speed/);
    expect(result.stdout).toMatch(/REGRESSION quorumlab clients 4 goodput/);
    const runs = readdirSync(path.join(work, 'store', 'bench-A'));
    expect(runs).toHaveLength(1);
    const runDir = path.join(work, 'store', 'bench-A', runs[0]!);
    const read = storedFileRead(path.join(runDir, 'bench.json'), benchFileD);
    if (!read.ok) throw new Error(read.error);
    const point = read.value.targets[0]!.points[0]!;
    expect(point.label).toBe('clients 4');
    expect(point.summary.goodputPerSec).toBeGreaterThan(0);
    expect(read.value.histogram).toEqual({ lowestUs: 1, highestUs: 60_000_000, significantDigits: 3 });
    expect(read.raw).toMatchObject({ checked: false, host: { cpus: os.cpus().length } });
    const hdr = readFileSync(path.join(runDir, 'latency.hdr'), 'utf8');
    expect(latencyHdrProblem(hdr)).toBeNull();
    expect(hdr).toMatch(/Tag=quorumlab\.clients-4\.1\.read:ok,/);
    const report = readFileSync(path.join(runDir, 'report.html'), 'utf8');
    expect(report).toMatch(/data-chart="curve"/);
    expect(report).toMatch(/Chart/);
    expect(report).not.toMatch(/<script src=/);
    expect(existsSync(path.join(runDir, 'nodes', 'w0.log'))).toBe(true);
  });

  test.each([
    [['--mix', 'E'], /--mix: YCSB E needs range scans/],
    [['--mix', 'read=1,txn=1'], /--mix: txn is not available/],
    [['--target', 'quorumlab,nosuchdb'], /--target: unknown target "nosuchdb"/],
    [['--check'], /--check: checking a bench run is not built yet/],
    [['--baseline', '/nonexistent/run'], /--baseline: \/nonexistent\/run\/bench.json: cannot read/],
  ])('%j is refused with exit 3 and one line', async (args, message) => {
    const result = await bench(...args, '--time-limit', '1s');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(path.join(work, 'store', 'bench-A'))).toBe(false);
  });
});
