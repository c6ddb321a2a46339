import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, test } from 'vitest';
import { clockCreate, pollUntil } from '../core/clock.js';
import { clientProcessOf, type HistoryEvent } from '../core/history.js';
import { HistoryFileWriter, historyFlushIntervalMs, historyLine } from './history-file.js';
import { jsonlHistoryParse } from './formats/jsonl-history.js';
import { HistoryRecorder } from './history-recorder.js';

const distModule = path.resolve(import.meta.dirname, '../dist/results/history-recorder.js');
let dir: string;
let child: ChildProcess | null = null;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-history-'));
});

afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
  rmSync(dir, { recursive: true, force: true });
});

function linesOf(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

const clock = clockCreate();
/** How often a test looks at the file another writer is filling. */
const filePollMs = 20;

describe('history file', () => {
  test.each<HistoryEvent>([
    { index: 0, type: 'invoke', f: 'read', key: 'r0', value: null, process: clientProcessOf(3), time: 12 },
    {
      index: 1,
      type: 'ok',
      f: 'read',
      key: 'r"0\n',
      value: [1, 'two', { three: 3 }],
      process: clientProcessOf(3),
      time: 1.5e12,
    },
    {
      index: 2,
      type: 'info',
      f: 'cas',
      key: 'r0',
      value: [1, 2],
      process: clientProcessOf(17),
      time: 99,
      error: 'timeout',
    },
    { index: 3, type: 'info', f: 'start-partition', value: { targets: ['s00'] }, process: 'nemesis', time: 100 },
    {
      index: 4,
      type: 'fail',
      f: 'write',
      key: 'ключ',
      value: -0.5,
      process: clientProcessOf(0),
      time: 101,
      error: 'not-ready',
    },
  ])('serializes event $index exactly as JSON.stringify does', (event) => {
    expect(historyLine(event)).toBe(`${JSON.stringify(event)}\n`);
  });

  it('writes one JSON event per line, numbered densely, and close flushes everything', () => {
    const file = path.join(dir, 'history.jsonl');
    const recorder = new HistoryRecorder(HistoryFileWriter.open(file));
    recorder.record({ type: 'invoke', f: 'write', key: 'r0', value: 1, process: clientProcessOf(0), time: 10 });
    recorder.record({
      type: 'info',
      f: 'write',
      key: 'r0',
      value: 1,
      process: clientProcessOf(0),
      time: 20,
      error: 'timeout',
    });
    recorder.record({ type: 'info', f: 'phase', value: 'final', process: 'nemesis', time: 30 });
    recorder.close();
    const events = linesOf(file).map((line) => JSON.parse(line) as HistoryEvent);
    expect(events).toEqual([
      { index: 0, type: 'invoke', f: 'write', key: 'r0', value: 1, process: 0, time: 10 },
      { index: 1, type: 'info', f: 'write', key: 'r0', value: 1, process: 0, time: 20, error: 'timeout' },
      { index: 2, type: 'info', f: 'phase', value: 'final', process: 'nemesis', time: 30 },
    ]);
    expect(recorder.events).toEqual(events);
  });

  it('streams events to disk during a run, without being closed', async () => {
    const file = path.join(dir, 'history.jsonl');
    const recorder = new HistoryRecorder(HistoryFileWriter.open(file));
    recorder.record({ type: 'invoke', f: 'read', key: 'r0', value: null, process: clientProcessOf(0), time: 1 });
    await pollUntil(clock, {
      what: 'the event on disk before the recorder is closed',
      timeoutMs: historyFlushIntervalMs * 4,
      intervalMs: filePollMs,
      probe: () => (linesOf(file).length === 1 ? true : null),
      detail: () => `${linesOf(file).length} lines`,
    });
    recorder.close();
  });

  it('leaves a readable prefix when the recording process is killed', async () => {
    const file = path.join(dir, 'history.jsonl');
    expect(existsSync(distModule), `build first: ${distModule} is missing`).toBe(true);
    const script = `
      const { HistoryRecorder } = await import(${JSON.stringify(distModule)});
      const { HistoryFileWriter } = await import(${JSON.stringify(distModule.replace('history-recorder', 'history-file'))});
      const recorder = new HistoryRecorder(HistoryFileWriter.open(${JSON.stringify(file)}));
      const start = process.hrtime.bigint();
      const tick = () => {
        for (let i = 0; i < 500; i++) recorder.record({ type: 'invoke', f: 'append', key: 'a0', value: i, process: i % 8, time: Number(process.hrtime.bigint() - start) });
        setImmediate(tick);
      };
      tick();`;
    child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    await pollUntil(clock, {
      what: 'the recording process to write 10000 events',
      timeoutMs: 10_000,
      intervalMs: filePollMs,
      probe: () => (existsSync(file) && linesOf(file).length > 10_000 ? true : null),
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    // The kill may land inside a write: every line but the last is whole, and the
    // history reader keeps them all, skipping a torn last line with a warning.
    const complete = lines.slice(0, -1);
    expect(complete.length).toBeGreaterThan(10_000);
    complete.forEach((line, i) => expect((JSON.parse(line) as HistoryEvent).index).toBe(i));
    const parsed = jsonlHistoryParse(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.events.length).toBe(complete.length);
  });
});
