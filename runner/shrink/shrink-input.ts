// What a shrink starts from, read once from a run directory: the run must be
// invalid and have a schedule (its schedule.json, else the schedule or script
// its test.json recorded), and its options must re-run the same way in this build. Every
// problem is an error naming the file and the field; the CLI makes it exit 3.

import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { clusterConfigParse, type ClusterConfig } from '../../cluster/config.js';
import { scheduleFileParse } from '../../nemesis/schedule/schedule-file.js';
import { runResultsD } from '../../results/schema/results-file.js';
import { storedFileRead } from '../../results/schema/stored-file.js';
import { testFileD } from '../../results/schema/test-file.js';
import { durationText, rerunBaseOf, type RerunBase, type RunOptionsRecorded } from './rerun-args.js';
import { scheduleJsonRead, scheduleJsonText, type ScheduleJson, type StepJson } from './episodes.js';

export const runScheduleFile = 'schedule.json';

export interface ShrinkInput {
  readonly runDir: string;
  readonly recorded: RunOptionsRecorded;
  readonly base: RerunBase;
  readonly schedule: ScheduleJson;
  /** Where the schedule came from: the run's schedule.json, or the script in its test.json. */
  readonly scheduleSource: string;
  /** The checkers whose verdict was invalid. */
  readonly checkersFailed: readonly string[];
}

export type ShrinkInputRead =
  { readonly ok: true; readonly input: ShrinkInput } | { readonly ok: false; readonly error: string };

class InputError extends Error {}

/** `runDir` may be a link such as store/latest: the input names the directory it points at (relative when given so). */
export function shrinkInputRead(runDir: string): ShrinkInputRead {
  try {
    if (!existsSync(runDir))
      throw new InputError(`${runDir}: no such directory (expected a run directory such as store/latest)`);
    const real = realpathSync(runDir);
    return { ok: true, input: inputBuild(path.isAbsolute(runDir) ? real : path.relative(process.cwd(), real) || '.') };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, error: error.message };
    throw error;
  }
}

function inputBuild(runDir: string): ShrinkInput {
  if (!statSync(runDir).isDirectory())
    throw new InputError(`${runDir}: not a directory (expected a run directory such as store/latest)`);
  const testPath = path.join(runDir, 'test.json');
  const resultsPath = path.join(runDir, 'results.json');
  if (!existsSync(testPath)) throw new InputError(`${runDir}: not a run directory (no test.json)`);
  if (!existsSync(resultsPath)) throw new InputError(`${runDir}: the run has no results.json (it did not finish)`);
  const test = storedFileRead(testPath, testFileD);
  if (!test.ok) throw new InputError(test.error);
  const results = storedFileRead(resultsPath, runResultsD);
  if (!results.ok) throw new InputError(results.error);
  const { verdict, checkers } = results.value;
  if (verdict !== 'invalid')
    throw new InputError(`${resultsPath}: verdict: the run is ${verdict}; only an invalid run has a failure to shrink`);
  const checkersFailed = checkers.filter((checker) => checker.verdict === 'invalid').map((checker) => checker.checker);
  const options = objectAt(objectAt(test.raw, testPath)['options'], `${testPath}: options`);
  const recorded = recordedOf(options, test.value.commandLine, testPath);
  const { schedule, source } = scheduleOf(runDir, objectAt(test.raw, testPath), testPath);
  const text = scheduleJsonText(schedule);
  const parsed = scheduleFileParse(source, text);
  if (!parsed.ok) throw new InputError(`${parsed.error} (this build cannot run the run's schedule)`);
  const base = rerunBaseOf(recorded, { path: source, text });
  if (!base.ok) throw new InputError(`${testPath}: ${base.error}`);
  return Object.freeze({
    runDir,
    recorded,
    base: base.base,
    schedule,
    scheduleSource: source,
    checkersFailed: Object.freeze(checkersFailed),
  });
}

/** The run's schedule.json when it wrote one, else the script test.json recorded (a --nemesis-schedule FILE run). */
function scheduleOf(
  runDir: string,
  test: Record<string, unknown>,
  testPath: string,
): { readonly schedule: ScheduleJson; readonly source: string } {
  const file = path.join(runDir, runScheduleFile);
  if (existsSync(file)) {
    const read = scheduleJsonRead(jsonRead(file), file);
    if (!read.ok) throw new InputError(read.error);
    return { schedule: read.schedule, source: file };
  }
  const nemesis = test['nemesis'];
  const drawn =
    typeof nemesis === 'object' && nemesis !== null ? (nemesis as Record<string, unknown>)['schedule'] : undefined;
  if (drawn !== undefined) {
    const read = scheduleJsonRead(drawn, `${testPath}: nemesis.schedule`);
    if (!read.ok) throw new InputError(read.error);
    return { schedule: read.schedule, source: `${testPath} (nemesis.schedule)` };
  }
  const options = objectAt(test['options'], `${testPath}: options`);
  const spec = objectAt(options['nemesisSchedule'], `${testPath}: options.nemesisSchedule`);
  if (spec['kind'] !== 'script')
    throw new InputError(
      `${runDir}: no ${runScheduleFile}, and test.json records the ${JSON.stringify(spec['kind'])} schedule rather than a script: no schedule to shrink`,
    );
  const where = `${testPath}: options.nemesisSchedule`;
  const lanesRaw = Array.isArray(spec['lanes']) ? (spec['lanes'] as unknown[]) : [spec['steps']];
  const lanes = lanesRaw.map((lane, i) =>
    arrayAt(lane, `${where}.lanes[${i}]`).map((step, j) =>
      stepFileJson(objectAt(step, `${where}.lanes[${i}][${j}]`), `${where}.lanes[${i}][${j}]`),
    ),
  );
  const raw = { lanes, repeat: spec['repeat'] === true };
  const read = scheduleJsonRead(raw, where);
  if (!read.ok) throw new InputError(read.error);
  return {
    schedule: { ...read.schedule, oneLane: lanes.length === 1 },
    source: `${testPath} (options.nemesisSchedule)`,
  };
}

/** A parsed step as test.json records it ({kind: 'sleep', ms}) in the file's form ({sleep: "1500ms"}). */
function stepFileJson(step: Record<string, unknown>, where: string): StepJson {
  switch (step['kind']) {
    case 'sleep':
      return { sleep: durationText(numberAt(step['ms'], `${where}.ms`)) };
    case 'stop':
      return { stop: stringAt(step['fault'], `${where}.fault`) };
    case 'mark':
      return { mark: stringAt(step['label'], `${where}.label`) };
    case 'await':
      return {
        await: stringAt(step['event'], `${where}.event`),
        timeout: durationText(numberAt(step['timeoutMs'], `${where}.timeoutMs`)),
      };
    case 'burst':
      return {
        burst: numberAt(step['clients'], `${where}.clients`),
        for: durationText(numberAt(step['forMs'], `${where}.forMs`)),
      };
    case 'start': {
      const targets = step['targets'];
      const aimed =
        targets === null || targets === undefined
          ? {}
          : Array.isArray(targets)
            ? { targets }
            : objectAt(targets, `${where}.targets`);
      const attempts =
        typeof step['attempts'] === 'number' && step['attempts'] > 1 ? { untilOk: step['attempts'] } : {};
      return { start: stringAt(step['fault'], `${where}.fault`), ...aimed, ...attempts };
    }
    default:
      throw new InputError(
        `${where}.kind: expected sleep, start, stop, await, burst or mark, got ${JSON.stringify(step['kind'])}`,
      );
  }
}

function recordedOf(
  options: Record<string, unknown>,
  commandLine: readonly string[],
  testPath: string,
): RunOptionsRecorded {
  const at = (field: string): string => `${testPath}: options.${field}`;
  const nullableNumber = (field: string): number | null =>
    options[field] === null ? null : numberAt(options[field], at(field));
  const docker = objectAt(options['docker'] ?? { image: null, subnet: null }, at('docker'));
  const nullableString = (value: unknown, where: string): string | null =>
    value === null || value === undefined ? null : stringAt(value, where);
  return Object.freeze({
    workload: stringAt(options['workload'], at('workload')),
    seed: numberAt(options['seed'], at('seed')),
    keyCount: numberAt(options['keyCount'], at('keyCount')),
    rate: nullableNumber('rate'),
    opsLimit: nullableNumber('opsLimit'),
    nemesis: arrayAt(options['nemesis'], at('nemesis')).map((name, i) => stringAt(name, `${at('nemesis')}[${i}]`)),
    nemesisIntervalMs: numberAt(options['nemesisIntervalMs'], at('nemesisIntervalMs')),
    standbyWriters: numberAt(options['standbyWriters'] ?? 0, at('standbyWriters')),
    runtime: stringAt(options['runtime'], at('runtime')),
    docker: {
      image: nullableString(docker['image'], at('docker.image')),
      subnet: nullableString(docker['subnet'], at('docker.subnet')),
    },
    opTimeoutMs: numberAt(options['opTimeoutMs'], at('opTimeoutMs')),
    cluster: clusterOf(options['cluster'], at('cluster')),
    concurrency: numberAt(options['concurrency'], at('concurrency')),
    timeLimitMs: numberAt(options['timeLimitMs'], at('timeLimitMs')),
    commandLine,
  });
}

function clusterOf(raw: unknown, where: string): ClusterConfig {
  const parsed = clusterConfigParse(objectAt(raw, where), where);
  if (!parsed.ok) throw new InputError(parsed.error);
  return parsed.config;
}

function jsonRead(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${(error as Error).message}`);
  }
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputError(`${where}: expected an object, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value as Record<string, unknown>;
}

function arrayAt(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value))
    throw new InputError(`${where}: expected a list, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

function stringAt(value: unknown, where: string): string {
  if (typeof value !== 'string')
    throw new InputError(`${where}: expected a string, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}

function numberAt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InputError(`${where}: expected a number, got ${JSON.stringify(value) ?? 'nothing'}`);
  return value;
}
