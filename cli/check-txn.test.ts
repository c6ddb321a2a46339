// Runs the built command line on list-append histories: `quorumlab check FILE
// --model txn-append --consistency TOKEN` exits 0 / 1 / 2 for valid / invalid
// / unknown (3 for bad input), and --json prints the verdict and anomaly types.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const cliMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
const cliTimeoutMs = 30_000;

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'quorumlab-check-txn-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(...args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const result = await execa('node', [cliMain, 'check', ...args], { reject: false, timeout: cliTimeoutMs });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** Write skew: each transaction read the initial state of the key the other appended to. */
const writeSkewEdn = `[{:type :invoke, :f :txn, :value [[:r :x nil] [:append :y 1]], :process 0, :index 0}
 {:type :invoke, :f :txn, :value [[:r :y nil] [:append :x 1]], :process 1, :index 1}
 {:type :ok, :f :txn, :value [[:r :x []] [:append :y 1]], :process 0, :index 2}
 {:type :ok, :f :txn, :value [[:r :y []] [:append :x 1]], :process 1, :index 3}]
`;

const serialJsonl = [
  { index: 0, type: 'invoke', f: 'txn', value: [['append', 'x', 1]], process: 0, time: 0 },
  { index: 1, type: 'ok', f: 'txn', value: [['append', 'x', 1]], process: 0, time: 1 },
  { index: 2, type: 'invoke', f: 'txn', value: [['r', 'x', null]], process: 1, time: 2 },
  { index: 3, type: 'ok', f: 'txn', value: [['r', 'x', [1]]], process: 1, time: 3 },
]
  .map((event) => JSON.stringify(event))
  .join('\n');

describe('quorumlab check --model txn-append', () => {
  test('write skew is invalid under serializable: exit 1, and --json names G2-item', async () => {
    const file = path.join(dir, 'write-skew.edn');
    await writeFile(file, writeSkewEdn);
    const result = await check(file, '--model', 'txn-append', '--consistency', 'serializable', '--json');
    expect(result.exitCode, result.stderr).toBe(1);
    const json = JSON.parse(result.stdout) as { verdict: string; anomalyTypes: string[] };
    expect({ verdict: json.verdict, anomalyTypes: json.anomalyTypes }).toEqual({
      verdict: 'invalid',
      anomalyTypes: ['G2-item'],
    });
  });

  test('the same history is valid under snapshot-isolation: exit 0', async () => {
    const file = path.join(dir, 'write-skew-si.edn');
    await writeFile(file, writeSkewEdn);
    const result = await check(file, '--model', 'txn-append', '--consistency', 'snapshot-isolation');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('valid under snapshot-isolation');
  });

  test('a history.jsonl is read by its extension; strict-serializable is the default', async () => {
    const file = path.join(dir, 'serial.jsonl');
    await writeFile(file, serialJsonl);
    const result = await check(file, '--model', 'txn-append', '--json');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'valid', consistency: 'strict-serializable' });
  });

  test('a history with nothing to check is unknown: exit 2', async () => {
    const file = path.join(dir, 'lonely');
    await writeFile(
      file,
      '[{:type :invoke, :value [[:r :x nil]], :process 0} {:type :ok, :value [[:r :x]], :process 0}]',
    );
    const result = await check(
      file,
      '--model',
      'txn-append',
      '--format',
      'edn',
      '--consistency',
      'serializable',
      '--json',
    );
    expect(result.exitCode, result.stderr).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'unknown', anomalyTypes: ['empty-transaction-graph'] });
  });

  test.each([
    [['--consistency', 'serialisable'], /unknown consistency model "serialisable"/],
    [['--consistency', 'anomalies=G9'], /unknown anomaly "G9"/],
    [['--format', 'jepsen-log'], /reads edn or jsonl/],
  ])('bad input %j exits 3 with a message naming it', async (flags, message) => {
    const file = path.join(dir, 'input.edn');
    await writeFile(file, writeSkewEdn);
    const result = await check(file, '--model', 'txn-append', ...flags);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(message);
  });
});
