import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { historyFileRead } from './history-file.js';
import { historyFormatDetect } from './history-format.js';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'quorumlab-formats-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const jsonlLine = '{"index":0,"type":"invoke","f":"read","key":"a","value":null,"process":0,"time":0}';
const ednLine = '{:process 0, :type :invoke, :f :get, :key "0", :value nil}';
const logLine = 'INFO  jepsen.util - 0\t:invoke\t:read\tnil';

describe('reading history files', () => {
  test.each([
    ['history.jsonl', 'jsonl'],
    ['history.edn', 'edn'],
    ['c10-ok.txt', 'edn'],
    ['etcd_000.log', 'jepsen-log'],
    ['HISTORY.EDN', 'edn'],
    ['history', null],
    ['history.csv', null],
  ])('the name %s implies the format %s', (name, format) => {
    expect(historyFormatDetect(name)).toBe(format);
  });

  test.each([
    ['h.jsonl', jsonlLine, 'jsonl', 'read'],
    ['h.edn', `[${ednLine}]`, 'edn', 'get'],
    ['h.txt', ednLine, 'edn', 'get'],
    ['h.log', logLine, 'jepsen-log', 'read'],
  ])('%s is read in the format its extension implies', async (name, text, format, f) => {
    const file = path.join(dir, name);
    await writeFile(file, `${text}\n`);
    const read = await historyFileRead(file);
    expect(read.ok && { format: read.format, f: read.events[0]?.f }).toEqual({ format, f });
  });

  test('an explicit format wins over the extension', async () => {
    const file = path.join(dir, 'odd-name.data');
    await writeFile(file, `${logLine}\n`);
    const read = await historyFileRead(file, 'jepsen-log');
    expect(read.ok && read.events).toHaveLength(1);
  });

  test('an unknown extension without a format asks for --format', async () => {
    const file = path.join(dir, 'odd-name.data');
    await writeFile(file, `${logLine}\n`);
    const read = await historyFileRead(file);
    expect(!read.ok && read.error).toMatch(/odd-name\.data: cannot tell the format from the name; use --format/);
  });

  test('a run directory stands for its history.jsonl', async () => {
    const run = path.join(dir, 'run-1');
    await mkdir(run);
    await writeFile(path.join(run, 'history.jsonl'), `${jsonlLine}\n`);
    const read = await historyFileRead(run);
    expect(read.ok && read.path).toBe(path.join(run, 'history.jsonl'));
  });

  test('a malformed file is one line naming file, line and field', async () => {
    const file = path.join(dir, 'bad.jsonl');
    await writeFile(file, `${jsonlLine}\n${jsonlLine.replace('"invoke"', '"begin"')}\n`);
    const read = await historyFileRead(file);
    expect(!read.ok && read.error).toBe(`${file}:2: field "type" must be invoke, ok, fail or info, got "begin"`);
  });

  test('warnings name the file and line too', async () => {
    const file = path.join(dir, 'crashed.jsonl');
    await writeFile(file, `${jsonlLine}\n{"index":1,"ty`);
    const read = await historyFileRead(file);
    expect(read.ok && read.warnings).toEqual([
      expect.stringMatching(new RegExp(`^${file.replaceAll('.', '\\.')}:2: truncated final line skipped`)),
    ]);
  });

  test('a missing file says so', async () => {
    const read = await historyFileRead(path.join(dir, 'absent.jsonl'));
    expect(!read.ok && read.error).toMatch(/absent\.jsonl: no such file$/);
  });
});
