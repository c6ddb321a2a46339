// Reads a campaign file once into a frozen list of tests: JSON, then the
// schema (ajv, every error with the field's path), then what a schema cannot
// say (durations, nemesis names of this build, unique test ids). Every message
// names the file and the field, e.g. `smoke.json: matrix[1].seeds[0]: ...`.

import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject } from 'ajv';
import { durationDayMsMax, durationHourMsMax, durationParse, timerMsMax } from '../../core/duration.js';
import { nemesisNames } from '../nemesis-select.js';
import {
  campaignEnvNames,
  campaignSchema,
  type CampaignEntryRaw,
  type CampaignRaw,
  type HuntExpect,
  type TestFieldsRaw,
  type VerdictExpected,
} from './campaign-schema.js';

/** Schema errors listed at most; the first few are what a person fixes first. */
const errorsShownMax = 10;
/** Time past the time limit a test child gets (cluster start, heal, recovery, final reads, checkers) before it is stopped. */
export const testTimeoutGraceMs = 180_000;

export interface CampaignTest {
  /** Unique in the campaign; the test's name in the run store. */
  readonly id: string;
  readonly entry: number;
  readonly workload: string;
  readonly nemesis: string;
  readonly runtime: string;
  readonly seed: number;
  readonly bugs: readonly string[];
  readonly timeLimit: string;
  readonly timeLimitMs: number;
  readonly expect: VerdictExpected;
  /** The arguments of `quorumlab test` after `test`, without --name, --store and --json. */
  readonly args: readonly string[];
  /** Extra environment of the test child (and so of its nodes); empty for most tests. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

/** A hunt: the tests in order of seed until the first invalid verdict, then a shrink of that run. */
export interface HuntSettings {
  readonly expect: HuntExpect;
  readonly shrink: boolean;
  readonly shrinkAttempts: number;
  readonly shrinkBudgetMs: number;
}

export interface Campaign {
  readonly name: string;
  readonly description: string;
  readonly tests: readonly CampaignTest[];
  /** null for a matrix campaign. */
  readonly hunt: HuntSettings | null;
  /** sha256 of the file's text, hex: a resumed campaign directory must come from the same file. */
  readonly sourceSha256: string;
}

/** Bound on the seeds of one range ("1..N"). */
export const seedRangeCountMax = 10_000;
const seedMax = 0xffff_ffff;
export const huntShrinkAttemptsDefault = 24;
export const huntShrinkBudgetDefault = '1h';

export type CampaignParse =
  { readonly ok: true; readonly campaign: Campaign } | { readonly ok: false; readonly error: string };

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile<CampaignRaw>(campaignSchema);

class CampaignError extends Error {}

export function campaignParse(text: string, source: string): CampaignParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${source}: not JSON: ${(error as Error).message.replace(/\s+/g, ' ')}` };
  }
  if (!validate(raw)) {
    const errors = (validate.errors ?? [])
      .filter((error) => error.keyword !== 'propertyNames')
      .slice(0, errorsShownMax)
      .map((error) => `${source}: ${schemaErrorText(error, raw)}`);
    return { ok: false, error: errors.join('\n') };
  }
  try {
    const tests = testsExpand(raw);
    const hunt = huntOf(raw, tests);
    return {
      ok: true,
      campaign: Object.freeze({
        name: raw.name,
        description: raw.description ?? '',
        tests: Object.freeze(hunt === null ? tests : seedMajor(tests)),
        hunt,
        sourceSha256: createHash('sha256').update(text).digest('hex'),
      }),
    };
  } catch (error) {
    if (error instanceof CampaignError) return { ok: false, error: `${source}: ${error.message}` };
    throw error;
  }
}

/** `matrix[0].workloads[1]: must be one of register, append, set; got "queue"` */
export function schemaErrorText(error: ErrorObject, root: unknown): string {
  const where = fieldPath(error.instancePath);
  const got = valueAt(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.propertyName !== undefined)
    return `${joinPath(where, error.propertyName)}: not a variable a campaign may set; allowed: ${campaignEnvNames.join(', ')}`;
  switch (error.keyword) {
    case 'required':
      return `${joinPath(where, String(params['missingProperty']))}: missing (required)`;
    case 'additionalProperty':
    case 'additionalProperties':
      return `${joinPath(where, String(params['additionalProperty']))}: unknown field`;
    case 'enum':
      return `${where || '(top)'}: must be one of ${(params['allowedValues'] as unknown[]).map(String).join(', ')}; got ${JSON.stringify(got)}`;
    default:
      return `${where || '(top)'}: ${error.message ?? 'invalid'}; got ${JSON.stringify(got)}`;
  }
}

function testsExpand(raw: CampaignRaw): CampaignTest[] {
  const defaults = raw.defaults ?? {};
  const tests: CampaignTest[] = [];
  raw.matrix.forEach((entry, i) => {
    const at = `matrix[${i}]`;
    const nemeses = entry.nemeses ?? ['none'];
    nemeses.forEach((nemesis, j) => nemesisCheck(nemesis, `${at}.nemeses[${j}]`));
    const timeLimits = entry.timeLimits ?? [defaults.timeLimit ?? '30s'];
    timeLimits.forEach((limit, j) => durationMs(limit, `${at}.timeLimits[${j}]`, durationDayMsMax));
    const fields: TestFieldsRaw = { ...defaults, ...entry };
    for (const [field, msMax] of fieldDurationsMsMax) {
      const value = fields[field];
      const where = entry[field] !== undefined ? `${at}.${field}` : `defaults.${field}`;
      if (value !== undefined) durationMs(value, where, msMax);
    }
    for (const workload of entry.workloads)
      for (const nemesis of nemeses)
        for (const runtime of entry.runtimes ?? [defaults.runtime ?? 'local'])
          for (const bugs of entry.bugs ?? [[]])
            for (const timeLimit of timeLimits)
              for (const seed of seedsOf(entry.seeds, `${at}.seeds`))
                tests.push(testBuild(entry, i, fields, { workload, nemesis, runtime, bugs, timeLimit, seed }));
  });
  const seen = new Map<string, number>();
  for (const test of tests) {
    const first = seen.get(test.id);
    if (first !== undefined)
      throw new CampaignError(
        `matrix[${test.entry}]: test "${test.id}" is also made by matrix[${first}]; give one of the entries a distinct "name"`,
      );
    seen.set(test.id, test.entry);
  }
  return tests;
}

/** The duration fields of a test and their bounds (the flags' own); a time limit takes at most a day. */
const fieldDurationsMsMax = [
  ['nemesisInterval', durationHourMsMax],
  ['opTimeout', durationHourMsMax],
  ['timeout', timerMsMax],
] as const;

interface Point {
  readonly workload: string;
  readonly nemesis: string;
  readonly runtime: string;
  readonly bugs: readonly string[];
  readonly timeLimit: string;
  readonly seed: number;
}

function testBuild(entry: CampaignEntryRaw, index: number, fields: TestFieldsRaw, point: Point): CampaignTest {
  const timeLimitMs = durationMs(point.timeLimit, `matrix[${index}].timeLimits`, durationDayMsMax);
  const parts = [
    entry.name,
    point.workload,
    point.nemesis.replaceAll(',', '+'),
    point.runtime,
    point.bugs.length === 0 ? undefined : point.bugs.join('+'),
    point.timeLimit,
    `s${point.seed}`,
  ];
  const args = [
    '--workload',
    point.workload,
    '--nemesis',
    point.nemesis,
    '--runtime',
    point.runtime,
    '--seed',
    String(point.seed),
    '--time-limit',
    point.timeLimit,
  ];
  for (const bug of point.bugs) args.push('--bug', bug);
  const flags: readonly [Exclude<keyof TestFieldsRaw, 'env'>, string][] = [
    ['concurrency', '--concurrency'],
    ['keys', '--keys'],
    ['rate', '--rate'],
    ['opsLimit', '--ops-limit'],
    ['nemesisInterval', '--nemesis-interval'],
    ['nemesisSchedule', '--nemesis-schedule'],
    ['opTimeout', '--op-timeout'],
    ['pgs', '--pgs'],
    ['cache', '--cache'],
    ['standbyWriters', '--standby-writers'],
  ];
  for (const [field, flag] of flags) if (fields[field] !== undefined) args.push(flag, String(fields[field]));
  return Object.freeze({
    id: parts
      .filter((part): part is string => part !== undefined)
      .join('-')
      .replace(/[^A-Za-z0-9._+-]/g, '_')
      .slice(0, 100),
    entry: index,
    ...point,
    bugs: Object.freeze([...point.bugs]),
    timeLimitMs,
    expect: entry.expect ?? (point.bugs.length > 0 ? 'invalid' : 'valid'),
    args: Object.freeze(args),
    env: Object.freeze({ ...fields.env }),
    timeoutMs:
      fields.timeout === undefined
        ? timeLimitMs + testTimeoutGraceMs
        : durationMs(fields.timeout, 'timeout', timerMsMax),
  });
}

function huntOf(raw: CampaignRaw, tests: readonly CampaignTest[]): HuntSettings | null {
  if ((raw.type ?? 'matrix') === 'matrix') {
    if (raw.hunt !== undefined) throw new CampaignError('hunt: only a campaign of "type": "hunt" takes hunt settings');
    return null;
  }
  const settings = raw.hunt ?? {};
  return Object.freeze({
    expect: settings.expect ?? (tests.some((test) => test.bugs.length > 0) ? 'caught' : 'not-caught'),
    shrink: settings.shrink ?? true,
    shrinkAttempts: settings.shrinkAttempts ?? huntShrinkAttemptsDefault,
    shrinkBudgetMs: durationMs(settings.shrinkBudget ?? huntShrinkBudgetDefault, 'hunt.shrinkBudget', durationDayMsMax),
  });
}

/** A hunt tries every configuration at seed 1, then every one at seed 2, ...: the seed order of each is kept. */
function seedMajor(tests: readonly CampaignTest[]): CampaignTest[] {
  const rank = new Map<CampaignTest, number>();
  const seen = new Map<string, number>();
  for (const test of tests) {
    const config = test.id.replace(/-s\d+$/, '');
    const index = seen.get(config) ?? 0;
    seen.set(config, index + 1);
    rank.set(test, index);
  }
  return [...tests].sort((a, b) => rank.get(a)! - rank.get(b)!);
}

/** A list of seeds as given, or the range "FIRST..LAST" spelled out. */
export function seedsOf(raw: readonly number[] | string | undefined, where: string): readonly number[] {
  if (raw === undefined) return [1];
  if (typeof raw !== 'string') return raw;
  const [first, last] = raw.split('..').map(Number) as [number, number];
  if (last > seedMax) throw new CampaignError(`${where}: seeds go up to ${seedMax}, got "${raw}"`);
  if (first > last) throw new CampaignError(`${where}: the first seed is above the last in "${raw}"`);
  if (last - first + 1 > seedRangeCountMax)
    throw new CampaignError(
      `${where}: at most ${seedRangeCountMax} seeds in a range, got ${last - first + 1} in "${raw}"`,
    );
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

function nemesisCheck(value: string, where: string): void {
  const known = nemesisNames();
  for (const name of value.split(',').map((part) => part.trim())) {
    if (!known.includes(name))
      throw new CampaignError(`${where}: unknown nemesis "${name}" in "${value}"; known: ${known.join(', ')}`);
  }
}

function durationMs(text: string, where: string, msMax: number): number {
  const parsed = durationParse(text, msMax);
  if (!parsed.ok) throw new CampaignError(`${where}: ${parsed.error}`);
  if (parsed.ms <= 0) throw new CampaignError(`${where}: must be longer than 0, got "${text}"`);
  return parsed.ms;
}

/** "/matrix/0/workloads/1" -> "matrix[0].workloads[1]" */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`), '');
}

function joinPath(base: string, field: string): string {
  return base === '' ? field : `${base}.${field}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const part of pointer.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return value;
}
