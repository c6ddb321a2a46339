import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { jsonEdited, type JsonPath } from '../../results/schema/test-support/json-edit.js';
import { episodesOf } from './episodes.js';
import { rerunArgs } from './rerun-args.js';
import { faultNamesExpand } from '../../nemesis/faults/fault-catalog.js';
import { shrinkInputRead } from './shrink-input.js';

/** A stored run of the memory runtime: valid, random partitions, seed 7. */
const fixture = path.resolve(import.meta.dirname, '../../results/report/test-support/stored-before-format');

let work: string;
let run: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-shrink-input-'));
  run = path.join(work, 'run');
  mkdirSync(run);
  for (const file of ['test.json', 'results.json', 'history.jsonl'])
    copyFileSync(path.join(fixture, file), path.join(run, file));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function edit(file: string, at: JsonPath, value: unknown): void {
  const target = path.join(run, file);
  writeFileSync(target, jsonEdited(readFileSync(target, 'utf8'), at, value));
}

function invalid(): void {
  edit('results.json', ['verdict'], 'invalid');
  edit('results.json', ['checkers', 0, 'verdict'], 'invalid');
}

const errorOf = (dir: string): string => {
  const read = shrinkInputRead(dir);
  expect(read.ok).toBe(false);
  return read.ok ? '' : read.error;
};

const episodeSteps = [
  { sleep: '1s' },
  { start: 'partition-node', targets: ['s00'] },
  { sleep: '1s' },
  { stop: 'partition-node' },
  { start: 'partition-halves' },
  { stop: 'partition-halves' },
];

describe('shrinkInputRead', () => {
  test('a valid run is refused: it has no failure to shrink', () => {
    expect(errorOf(run)).toContain(
      'results.json: verdict: the run is valid; only an invalid run has a failure to shrink',
    );
  });

  test('an invalid run with neither schedule.json nor a script is refused', () => {
    invalid();
    expect(errorOf(run)).toContain('no schedule.json, and test.json records the "random" schedule');
  });

  test.each([
    ['no directory', (): string => path.join(work, 'nothing'), 'no such directory'],
    ['a directory without test.json', (): string => work, 'not a run directory (no test.json)'],
  ])('%s is refused', (_what, dir, message) => {
    expect(errorOf(dir())).toContain(message);
  });

  test('a results.json of an unknown format is refused naming the file', () => {
    edit('results.json', ['format'], 2);
    expect(errorOf(run)).toContain(`${path.join(run, 'results.json')}: format 2 is not one this build reads`);
  });

  test("the run's schedule.json, its failed checkers and its options make the input", () => {
    invalid();
    // Recorded as this build expands `--nemesis partition`, so the re-run keeps the command line's own text.
    const partition = faultNamesExpand(['partition']);
    if (!partition.ok) throw new Error(partition.error);
    edit('test.json', ['options', 'nemesis'], partition.faults);
    writeFileSync(path.join(run, 'schedule.json'), JSON.stringify({ steps: episodeSteps }));
    const read = shrinkInputRead(run);
    if (!read.ok) throw new Error(read.error);
    const { input } = read;
    expect(input.checkersFailed).toEqual(['linearizable']);
    expect(episodesOf(input.schedule).map((episode) => episode.fault)).toEqual(['partition-node', 'partition-halves']);
    expect(input.recorded).toMatchObject({ seed: 7, concurrency: 2, timeLimitMs: 1000, runtime: 'memory' });
    const args = rerunArgs(input.base, { schedulePath: 's.json', concurrency: 1, timeLimitMs: 500 }, null);
    expect(args).toEqual(
      expect.arrayContaining(['--seed', '7', '--nemesis', 'partition', '--nemesis-schedule', 's.json']),
    );
    expect(args.join(' ')).toContain('--time-limit 500ms --concurrency 1');
    expect(args.join(' ')).toContain('--ops-limit 60');
  });

  test('a run recorded when a family named fewer faults is re-run with the faults it had, by name', () => {
    invalid();
    writeFileSync(path.join(run, 'schedule.json'), JSON.stringify({ steps: episodeSteps }));
    const read = shrinkInputRead(run);
    if (!read.ok) throw new Error(read.error);
    const args = rerunArgs(read.input.base, { schedulePath: 's.json', concurrency: 1, timeLimitMs: 500 }, null);
    const nemesis = args[args.indexOf('--nemesis') + 1]!;
    expect(nemesis.split(',')).toEqual(read.input.recorded.nemesis);
  });

  test('a run of a schedule file is shrunk from the script its test.json recorded', () => {
    invalid();
    const steps = [
      { kind: 'sleep', ms: 1000 },
      { kind: 'start', fault: 'partition-node', targets: ['s00'] },
      { kind: 'stop', fault: 'partition-node' },
    ];
    edit('test.json', ['options', 'nemesisSchedule'], { kind: 'script', source: 'x.json', steps, repeat: false });
    const read = shrinkInputRead(run);
    if (!read.ok) throw new Error(read.error);
    expect(read.input.schedule.lanes).toEqual([
      [{ sleep: '1s' }, { start: 'partition-node', targets: ['s00'] }, { stop: 'partition-node' }],
    ]);
    expect(read.input.scheduleSource).toContain('options.nemesisSchedule');
  });

  test('a schedule this build cannot run is refused with the field named', () => {
    invalid();
    writeFileSync(path.join(run, 'schedule.json'), JSON.stringify({ steps: [{ start: 'melt-disk' }] }));
    expect(errorOf(run)).toContain('unknown fault "melt-disk"');
  });
});
