// Runs the built command line (`node dist/cli/main.js check ...`) on small
// histories written to a temporary folder, and checks its exit codes and output.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientProcessOf, type HistoryEvent, type JsonValue } from '../core/history.js';
import { historyToJsonl } from '../results/formats/jsonl-history.js';

const cliMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
const cliTimeoutMs = 30_000;

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'quorumlab-check-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(...args: string[]): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const result = await execa('node', [cliMain, 'check', ...args], { reject: false, timeout: cliTimeoutMs });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** A history file from [process, type, f, value] rows on one key. */
async function historyFile(
  name: string,
  rows: readonly (readonly [number, HistoryEvent['type'], string, JsonValue])[],
): Promise<string> {
  const events = rows.map(([process, type, f, value], index): HistoryEvent => ({
    index,
    type,
    f,
    key: 'k1',
    value,
    process: clientProcessOf(process),
    time: index * 1000,
  }));
  const file = path.join(dir, name);
  await writeFile(file, historyToJsonl(events));
  return file;
}

/** Many concurrent writes, then a read of a value none wrote: invalid, but only after a search over every order. */
function hardRows(writes: number): (readonly [number, HistoryEvent['type'], string, JsonValue])[] {
  const rows: (readonly [number, HistoryEvent['type'], string, JsonValue])[] = [];
  for (let p = 0; p < writes; p++) rows.push([p, 'invoke', 'write', p + 1]);
  for (let p = 0; p < writes; p++) rows.push([p, 'ok', 'write', p + 1]);
  rows.push([writes, 'invoke', 'read', null], [writes, 'ok', 'read', 999_999]);
  return rows;
}

/** A register run as `quorumlab test` records it: a write, the heal, the liveness phase and its observations of three nodes. */
function storedRunEvents(s10Down: boolean): HistoryEvent[] {
  const nodes = ['s00', 's01', 's10'];
  const drafts: Omit<HistoryEvent, 'index' | 'time'>[] = [
    { type: 'invoke', f: 'write', key: 'k1', value: 1, process: clientProcessOf(0) },
    { type: 'ok', f: 'write', key: 'k1', value: 1, process: clientProcessOf(0) },
    { type: 'info', f: 'phase', value: 'heal', process: 'nemesis' },
    { type: 'info', f: 'phase', value: 'liveness', process: 'nemesis' },
    { type: 'invoke', f: 'write', key: 'k1', value: -1, process: clientProcessOf(1) },
    { type: 'ok', f: 'write', key: 'k1', value: -1, process: clientProcessOf(1) },
    { type: 'info', f: 'phase', value: 'final', process: 'nemesis' },
    { type: 'invoke', f: 'read', key: 'k1', value: null, process: clientProcessOf(2) },
    { type: 'ok', f: 'read', key: 'k1', value: -1, process: clientProcessOf(2) },
  ];
  const down = (node: string): boolean => s10Down && node === 's10';
  const replicas = nodes.map((node) =>
    down(node) ? { node, scls: null, error: 'connect ECONNREFUSED' } : { node, scls: [4], error: null },
  );
  const figures = { blocksChecked: 3, blocksCorrupt: 0, blocksUnrepaired: 0, complete: true };
  const scrubbed = nodes.map((node) =>
    down(node) ? { node, figures: null, error: 'connect ECONNREFUSED' } : { node, figures, error: null },
  );
  const stats = nodes.map((node) => ({ node, blocksUnrepaired: 0, blockRepairsMax: 0, error: null }));
  drafts.push(
    {
      type: 'info',
      f: 'observe-replicas',
      value: { round: 1, watchedMs: 2000, timeoutMs: 2000, nodes: replicas },
      process: 'nemesis',
    },
    { type: 'info', f: 'observe-scrub', value: { pass: 1, nodes: scrubbed }, process: 'nemesis' },
    {
      type: 'info',
      f: 'observe-repair',
      value: { round: 1, watchedMs: 0, timeoutMs: 2000, nodes: stats },
      process: 'nemesis',
    },
    { type: 'info', f: 'observe-scrub', value: { pass: 2, nodes: scrubbed }, process: 'nemesis' },
  );
  return drafts.map((draft, index): HistoryEvent => ({ ...draft, index, time: index * 1000 }));
}

describe('quorumlab check', () => {
  test('a linearizable history exits 0 with a summary', async () => {
    const file = await historyFile('valid.jsonl', [
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'read', null],
      [0, 'ok', 'write', 1],
      [1, 'ok', 'read', 1],
    ]);
    const result = await check(file, '--model', 'cas-register');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^valid: .*valid\.jsonl \(jsonl, model cas-register\)/);
    expect(result.stdout).toContain('2 operations from 4 events, 1 partition,');
  });

  test('a history that cannot be linearized exits 1 and names the key and the breaking operation', async () => {
    const file = await historyFile('invalid.jsonl', [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 2],
    ]);
    const result = await check(file, '--model', 'cas-register');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^invalid: /);
    expect(result.stdout).toContain('key "k1" cannot be linearized');
    expect(result.stdout).toMatch(/breaks at: process 1: .*\(invoked at event 2, completed at event 3\)/);
  });

  test('--json prints the verdict and the evidence as JSON', async () => {
    const file = await historyFile('invalid-json.jsonl', [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 2],
    ]);
    const result = await check(file, '--model', 'cas-register', '--json');
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { verdict: string; format: string; failures: { key: string }[] };
    expect(report).toMatchObject({ verdict: 'invalid', format: 'jsonl', failures: [{ key: 'k1' }] });
  });

  test('the verdict and the evidence say how long each took; --no-evidence skips the window', async () => {
    const file = await historyFile('invalid-timed.jsonl', [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 2],
    ]);
    const full = await check(file, '--model', 'cas-register');
    expect(full.stdout).toMatch(/explored, [\d.]+ ms \(verdict [\d.]+ ms, evidence [\d.]+ ms\)/);
    expect(full.stdout).toContain('smallest failing window');
    const bare = await check(file, '--model', 'cas-register', '--no-evidence');
    expect(bare.exitCode).toBe(1);
    expect(bare.stdout).toMatch(/\(verdict [\d.]+ ms, evidence skipped \(--no-evidence\)\)/);
    expect(bare.stdout).toContain('breaks at: process 1');
    expect(bare.stdout).not.toContain('smallest failing window');
  });

  test('a hard history with a tiny time budget exits 2 with the reason', async () => {
    const file = await historyFile('hard.jsonl', hardRows(24));
    const result = await check(file, '--model', 'cas-register', '--timeout', '1ms');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/^unknown: /);
    expect(result.stdout).toContain('reason: ');
  });

  test('EDN and Jepsen log files are read by their extension or --format', async () => {
    const edn = path.join(dir, 'knossos.edn');
    await writeFile(
      edn,
      '[{:process 0, :type :invoke, :f :write, :value 3}\n {:process 0, :type :ok, :f :write, :value 3}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 1, :type :ok, :f :read, :value 3}]\n',
    );
    expect((await check(edn, '--model', 'cas-register')).exitCode).toBe(0);
    const log = path.join(dir, 'etcd.history');
    await writeFile(log, 'INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\t4\n');
    const result = await check(log, '--model', 'etcd-register', '--format', 'jepsen-log');
    expect(result.exitCode).toBe(1);
  });

  test('an unknown model exits 3 and lists the models', async () => {
    const file = await historyFile('any.jsonl', [[0, 'invoke', 'read', null]]);
    const result = await check(file, '--model', 'cas-registr');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/unknown model "cas-registr"; models: .*cas-register/);
  });

  test('a malformed file exits 3 with file:line: message', async () => {
    const file = path.join(dir, 'malformed.jsonl');
    await writeFile(
      file,
      '{"index":0,"type":"invoke","f":"read","value":null,"process":0,"time":0}\n{"index":1,"type":"ok","f":"read","value":null,"process":"p","time":0}\n',
    );
    const result = await check(file, '--model', 'cas-register');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`${file}:2: field "process" must be a non-negative integer or nemesis, got "p"`);
  });

  test.each([
    [
      'an EDN map missing its "}" is blamed on the line that opened it',
      'open.edn',
      '{:type :invoke, :f :write, :value 1, :process 0\n{:type :ok, :f :write, :value 1, :process 0}\n',
      ':1:1: "{" is not closed before the "{" on line 2',
    ],
    [
      'JSON lines read as EDN suggest --format jsonl',
      'lines.edn',
      '{"type":"invoke","f":"write","value":1,"process":0}\n',
      'the file looks like JSON lines: try --format jsonl',
    ],
    ['an empty file has nothing to check', 'empty.jsonl', '', ': no events: nothing to check'],
    [
      'an EDN file of comments only has nothing to check',
      'empty.edn',
      '; nothing here\n',
      ': no events: nothing to check',
    ],
  ])('%s (exit 3)', async (_what, name, text, message) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    const result = await check(file, '--model', 'cas-register');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`${file}${message.startsWith(':') ? '' : ':'}`);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a process with two open invocations exits 3 naming the line of the second', async () => {
    const file = await historyFile('two-open.jsonl', [
      [0, 'invoke', 'write', 1],
      [0, 'invoke', 'write', 2],
    ]);
    const result = await check(file, '--model', 'cas-register');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(`${file}:2: event 1:`);
  });

  test.each([
    [['--model', 'cas-register', '--format', 'csv'], '--format: expected one of jsonl, edn, jepsen-log, got "csv"'],
    [['--model', 'cas-register', '--timeout', 'soon'], '--timeout: expected a duration'],
    [['--model', 'cas-register', 'extra-argument'], 'too many arguments'],
    [[], "required option '--model <name>' not specified"],
  ])('bad flags %j exit 3 naming the flag', async (flags, message) => {
    const file = await historyFile('flags.jsonl', [[0, 'invoke', 'read', null]]);
    const result = await check(file, ...flags);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain(message);
  });

  test.each([
    { down: false, exitCode: 0, line: 'liveness: valid: 1 keys written and read after the heal' },
    {
      down: true,
      exitCode: 1,
      line: 'liveness: invalid: replica s10 not observed after 2000 ms: connect ECONNREFUSED',
    },
  ])(
    'a history recorded by quorumlab test is checked for liveness and repair too (s10 down: $down)',
    async ({ down, exitCode, line }) => {
      const file = path.join(dir, `stored-${down}.jsonl`);
      await writeFile(file, historyToJsonl(storedRunEvents(down)));
      const result = await check(file, '--model', 'cas-register');
      expect(result.exitCode, result.stdout).toBe(exitCode);
      expect(result.stdout).toContain('  linearizable: valid');
      expect(result.stdout).toContain(line);
      expect(result.stdout).toMatch(/ {2}repair: (valid|unknown): /);
      const json = await check(file, '--model', 'cas-register', '--json');
      const report = JSON.parse(json.stdout) as { verdict: string; afterHeal: { checker: string }[] };
      expect(report.afterHeal.map((c) => c.checker)).toEqual(['liveness', 'repair']);
    },
  );

  test('an imported history without phase markers is checked for linearizability only', async () => {
    const file = await historyFile('imported.jsonl', [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
    ]);
    const result = await check(file, '--model', 'cas-register', '--json');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'valid', afterHeal: [] });
  });

  test('a missing file exits 3', async () => {
    const result = await check(path.join(dir, 'absent.jsonl'), '--model', 'cas-register');
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('absent.jsonl: no such file');
  });
});
