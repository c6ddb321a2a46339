// The commands that read users' files, fed mutated files as real processes:
// `check` of a history and `report` of a run directory. Whatever the input,
// the process ends within a bound with a documented exit code, a user's
// mistake is one line without a stack trace, and nothing is written but what
// the command is meant to write (`check` writes nothing; `report` writes only
// report.html, and leaves it as it was when it refuses the run). A few cases
// in `npm test` (each is a process start); QUORUMLAB_FUZZ_SCALE multiplies them.

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fuzzInputs } from '../core/test-support/fuzz.js';
import { fuzzScale } from '../cluster/protocol/test-support/wire-fuzz.js';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
const storedRun = path.join(root, 'results/report/test-support/stored-before-format');
const built = existsSync(cli);
const casesPerCommand = 5 * fuzzScale();
/** Bound on one command: far above what a file of this size takes. */
const commandMsMax = 30_000;
const exitCodes = [0, 1, 2, 3];
let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-cli-fuzz-'));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Every file under `dir` with its size and modification time: what a command may not change. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const stat = statSync(full);
        files.set(path.relative(dir, full), `${stat.size}:${stat.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return files;
}

async function quorumlab(args: readonly string[]) {
  return execa(process.execPath, [cli, ...args], { cwd: work, reject: false, timeout: commandMsMax });
}

function expectUserError(result: { exitCode?: number; stderr: string }, input: string): void {
  expect(exitCodes, `exit ${result.exitCode} for ${JSON.stringify(input.slice(0, 200))}`).toContain(result.exitCode);
  expect(result.stderr, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+/);
  if (result.exitCode === 3) expect(result.stderr.trim().split('\n')).toHaveLength(1);
}

describe.skipIf(!built)('commands under fuzzing', () => {
  it(`check: ${casesPerCommand} mutated histories end in a verdict or a one-line error, writing nothing`, async () => {
    const valid = readFileSync(path.join(storedRun, 'history.jsonl'), 'utf8').split('\n').slice(0, 40).join('\n');
    const inputs = fuzzInputs([valid], casesPerCommand, 7);
    for (const [i, input] of inputs.entries()) {
      const file = path.join(work, `h${i}.jsonl`);
      writeFileSync(file, input);
      const before = snapshot(work);
      const result = await quorumlab(['check', file, '--model', 'cas-register']);
      expectUserError(result, input);
      expect(snapshot(work)).toEqual(before);
    }
  }, 300_000);

  it(`report: ${casesPerCommand} mutated results.json files are rendered or refused, report.html kept on refusal`, async () => {
    const valid = readFileSync(path.join(storedRun, 'results.json'), 'utf8');
    const inputs = fuzzInputs([valid], casesPerCommand, 11);
    for (const [i, input] of inputs.entries()) {
      const run = path.join(work, `run${i}`);
      cpSync(storedRun, run, { recursive: true });
      writeFileSync(path.join(run, 'report.html'), 'the report before');
      writeFileSync(path.join(run, 'results.json'), input);
      const before = snapshot(run);
      const result = await quorumlab(['report', run]);
      expectUserError(result, input);
      const after = snapshot(run);
      if (result.exitCode === 3) {
        expect(after).toEqual(before);
        expect(readFileSync(path.join(run, 'report.html'), 'utf8')).toBe('the report before');
      } else {
        // Only the page changes.
        for (const [file, stamp] of before) if (file !== 'report.html') expect(after.get(file), file).toBe(stamp);
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      }
      rmSync(run, { recursive: true, force: true });
    }
  }, 300_000);
});
