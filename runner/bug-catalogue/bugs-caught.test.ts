// Every named bug of the store is caught by a real `quorumlab test` run (built
// CLI, local runtime, real processes, a scripted nemesis): invalid with the bug
// on, and valid with the same seed and schedule and the bug off. Each catch is
// a timing experiment (a fault meeting the writes in flight), so `npm test`
// runs this file alone, after the others, rather than beside them on the cores.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { markedProcessesFind } from '../../cluster/runtime/local/process-marker.js';
import { bugCatalogue, type CaughtBug, catalogueGenericArgs, catalogueTestArgs } from './catalogue.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
const built = ['dist/cli/main.js', 'dist/cluster/storage/main.js', 'dist/cluster/writer/main.js'].every((file) =>
  existsSync(path.join(root, file)),
);
/**
 * Bound on one run: start, time limit, heal, the liveness phase, final reads, checks, stop. A bug that leaves blocks
 * unrepaired makes the heal and the liveness waits run to their bounds (about 100 s in all), hence the margin.
 */
const runTimeoutMs = 240_000;
/** The same for a generic run, whose main phase alone is 60 s. */
const genericRunTimeoutMs = 300_000;
/**
 * The generic run the suite repeats (the others are in campaigns/bugs.json): a bug found by `--nemesis all` with
 * nothing written for it, on a seed that bench/bugs-generic.ts saw catch it.
 */
const genericInSuite = { bug: 'no-epoch-fence', seed: 1 } as const;
/** Time a CLI that has printed its summary gets to exit; past it the run fails (it would hold up a campaign). */
const exitGraceMs = 10_000;

interface RunSummary {
  readonly verdict: string;
  readonly exitCode: number;
  /** The run's directory in the store. */
  readonly run: string;
  readonly checkers: readonly { readonly checker: string; readonly verdict: string; readonly summary: string }[];
}

let work: string;
/** The run's own temporary directory, so that what it leaves behind can be seen. */
let tmp: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-bugs-'));
  tmp = path.join(work, 'tmp');
  mkdirSync(tmp);
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/**
 * Runs one catalogue entry and checks that it exits with the code its summary
 * states and leaves no node process and no temporary file behind. A CLI that
 * has printed its summary but does not exit within exitGraceMs is stopped and
 * the run fails.
 */
async function catalogueRun(
  entry: CaughtBug,
  testArgs: readonly string[],
  timeoutMs = runTimeoutMs,
): Promise<{ exitCode: number; summary: RunSummary }> {
  const args = [...testArgs, '--store', path.join(work, 'store'), '--json'];
  const child = execa(process.execPath, [cli, ...args], {
    cwd: work,
    reject: false,
    timeout: timeoutMs,
    env: { ...entry.env, TMPDIR: tmp },
  });
  let printed = '';
  let linger: NodeJS.Timeout | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
    if (linger === undefined && printed.endsWith('}\n')) linger = setTimeout(() => child.kill('SIGTERM'), exitGraceMs);
  });
  const result = await child;
  clearTimeout(linger);
  expect(result.stdout, result.stderr.slice(-2000)).toMatch(/^\{/);
  const summary = JSON.parse(result.stdout) as RunSummary;
  expect(result.isTerminated, `the CLI did not exit within ${exitGraceMs} ms of printing its summary`).toBe(false);
  expect(result.exitCode).toBe(summary.exitCode);
  const { runId } = JSON.parse(readFileSync(path.join(path.resolve(work, summary.run), 'test.json'), 'utf8')) as {
    runId: string;
  };
  expect(markedProcessesFind().filter((p) => p.runId === runId)).toEqual([]);
  expect(readdirSync(tmp)).toEqual([]);
  return { exitCode: summary.exitCode, summary };
}

describe('every named bug is caught by a real run', () => {
  test('the CLI and the nodes are built (npm test builds them first)', () => {
    expect(built).toBe(true);
  });

  test.each(bugCatalogue.map((entry) => [entry.bug, entry.checker, entry] as const))(
    'with %s on, the run is invalid and the %s checker says why',
    async (_bug, _checker, entry) => {
      const { exitCode, summary } = await catalogueRun(entry, catalogueTestArgs(entry, root, true));
      const caught = summary.checkers.find((c) => c.checker === entry.checker);
      expect(caught?.verdict, caught?.summary).toBe('invalid');
      expect(caught?.summary).toMatch(entry.evidence);
      expect(exitCode).toBe(1);
    },
    runTimeoutMs + 10_000,
  );

  test.each(bugCatalogue.filter((entry) => entry.offInSuite).map((entry) => [entry.bug, entry] as const))(
    'with %s off, the same run (seed, schedule, flags) is valid',
    async (_bug, entry) => {
      const { exitCode, summary } = await catalogueRun(entry, catalogueTestArgs(entry, root, false));
      const wrong = summary.checkers.filter((c) => c.verdict !== 'valid').map((c) => `${c.checker}: ${c.summary}`);
      expect(wrong).toEqual([]);
      expect(exitCode).toBe(0);
    },
    runTimeoutMs + 10_000,
  );

  test(
    `with ${genericInSuite.bug} on, --nemesis all finds it with no schedule written for it (seed ${genericInSuite.seed})`,
    async () => {
      const entry = bugCatalogue.find((candidate) => candidate.bug === genericInSuite.bug)!;
      expect(entry.generic.caughtSeeds).toContain(genericInSuite.seed);
      const args = catalogueGenericArgs(entry, genericInSuite.seed, true);
      const { exitCode, summary } = await catalogueRun(entry, args, genericRunTimeoutMs);
      const invalid = summary.checkers.filter((c) => c.verdict === 'invalid').map((c) => c.checker);
      expect(invalid, JSON.stringify(summary.checkers)).toContain(entry.checker);
      expect(exitCode).toBe(1);
    },
    genericRunTimeoutMs + 10_000,
  );
});
