// The options of one test run, parsed once from command-line flags (and an
// optional cluster config file) into a frozen value. Every error names the flag
// and the value received; nothing downstream checks again.

import { bugNames, clusterConfigParse, type ClusterConfig } from '../cluster/config.js';
import { durationParse } from '../core/duration.js';
import { workloadKeyCountDefault } from '../workloads/index.js';
import { workloadNames, type WorkloadName } from '../workloads/workload.js';
import { nemesisNames } from './nemesis-select.js';

export const runtimeNames = ['local', 'memory'] as const;
export type RuntimeName = (typeof runtimeNames)[number];

export interface TestOptions {
  /** Directory name of the test in the run store. */
  readonly name: string;
  readonly workload: WorkloadName;
  readonly timeLimitMs: number;
  readonly concurrency: number;
  readonly seed: number;
  readonly keyCount: number;
  /** Open loop at this many operations per second; null for a closed loop. */
  readonly rate: number | null;
  readonly opsLimit: number | null;
  readonly nemesis: readonly string[];
  readonly nemesisIntervalMs: number;
  readonly runtime: RuntimeName;
  readonly storeDir: string;
  readonly cluster: ClusterConfig;
  readonly opTimeoutMs: number;
  readonly recoveryTimeoutMs: number;
  readonly json: boolean;
}

/** Flags as commander hands them over: strings, validated here. */
export interface TestFlags {
  readonly workload?: string;
  readonly timeLimit?: string;
  readonly concurrency?: string;
  readonly seed?: string;
  readonly keys?: string;
  readonly rate?: string;
  readonly opsLimit?: string;
  readonly bug?: readonly string[];
  readonly pgs?: string;
  readonly cache?: string;
  readonly nemesis?: string;
  readonly nemesisInterval?: string;
  readonly runtime?: string;
  readonly store?: string;
  readonly json?: boolean;
  readonly name?: string;
  readonly opTimeout?: string;
}

export interface TestOptionsSources {
  /** The seed when --seed is absent (derived from the clock by the caller). */
  readonly seedDefault: number;
  /** The --config file: its path and its text, read by the caller. */
  readonly configFile: { readonly path: string; readonly text: string } | null;
}

export type TestOptionsParse = { ok: true; options: TestOptions } | { ok: false; error: string };

class FlagError extends Error {}

export function testOptionsParse(flags: TestFlags, sources: TestOptionsSources): TestOptionsParse {
  try {
    return { ok: true, options: Object.freeze(optionsBuild(flags, sources)) };
  } catch (error) {
    if (error instanceof FlagError) return { ok: false, error: error.message };
    throw error;
  }
}

function optionsBuild(flags: TestFlags, sources: TestOptionsSources): TestOptions {
  const workload = oneOf('--workload', flags.workload ?? 'register', workloadNames);
  const nemesis = nemesisParse(flags.nemesis ?? 'none');
  return {
    name: flags.name === undefined ? `${workload}-${nemesis.join('+')}` : nameParse(flags.name),
    workload,
    timeLimitMs: duration('--time-limit', flags.timeLimit ?? '30s'),
    concurrency: integer('--concurrency', flags.concurrency ?? '8', 1, 1024),
    seed: flags.seed === undefined ? sources.seedDefault : integer('--seed', flags.seed, 0, 0xffff_ffff),
    keyCount: flags.keys === undefined ? workloadKeyCountDefault[workload] : integer('--keys', flags.keys, 1, 100_000),
    rate: flags.rate === undefined ? null : positiveNumber('--rate', flags.rate),
    opsLimit: flags.opsLimit === undefined ? null : integer('--ops-limit', flags.opsLimit, 1, Number.MAX_SAFE_INTEGER),
    nemesis,
    nemesisIntervalMs: duration('--nemesis-interval', flags.nemesisInterval ?? '10s'),
    runtime: oneOf('--runtime', flags.runtime ?? 'local', runtimeNames),
    storeDir: flags.store ?? 'store',
    cluster: clusterBuild(flags, sources.configFile),
    opTimeoutMs: duration('--op-timeout', flags.opTimeout ?? '5s'),
    recoveryTimeoutMs: 30_000,
    json: flags.json === true,
  };
}

/** The config file first, then the flags over it; one validation of the whole with the file's name. */
function clusterBuild(flags: TestFlags, configFile: TestOptionsSources['configFile']): ClusterConfig {
  let raw: Record<string, unknown> = {};
  if (configFile !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(configFile.text);
    } catch (error) {
      throw new FlagError(`--config ${configFile.path}: not JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new FlagError(`--config ${configFile.path}: expected a JSON object with geometry, bugs, writer, storage`);
    }
    raw = parsed as Record<string, unknown>;
  }
  const geometryFlags: Record<string, unknown> = {};
  const writerFlags: Record<string, unknown> = {};
  if (flags.pgs !== undefined) geometryFlags['pgCount'] = integer('--pgs', flags.pgs, 1, 1024);
  if (flags.cache !== undefined) writerFlags['cacheEnabled'] = oneOf('--cache', flags.cache, ['on', 'off'] as const) === 'on';
  for (const bug of flags.bug ?? []) {
    if (!(bugNames as readonly string[]).includes(bug)) throw new FlagError(`--bug: unknown bug "${bug}"; known bugs: ${bugNames.join(', ')}`);
  }
  const merged: Record<string, unknown> = { ...raw };
  overlay(merged, 'geometry', geometryFlags);
  overlay(merged, 'writer', writerFlags);
  if (flags.bug !== undefined && flags.bug.length > 0) {
    const fileBugs = raw['bugs'];
    merged['bugs'] = fileBugs === undefined ? [...flags.bug] : Array.isArray(fileBugs) ? [...(fileBugs as unknown[]), ...flags.bug] : fileBugs;
  }
  const where = configFile === null ? 'config' : configFile.path;
  const result = clusterConfigParse(merged, where);
  if (!result.ok) throw new FlagError(result.error);
  return result.config;
}

/** Flags over a section of the file; a section of the wrong type is left for the config parser to name. */
function overlay(target: Record<string, unknown>, section: string, fields: Record<string, unknown>): void {
  if (Object.keys(fields).length === 0) return;
  const current = target[section];
  if (current === undefined) target[section] = fields;
  else if (typeof current === 'object' && current !== null && !Array.isArray(current)) target[section] = { ...current, ...fields };
}

function nemesisParse(text: string): readonly string[] {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const known = nemesisNames();
  for (const name of names) {
    if (!known.includes(name)) throw new FlagError(`--nemesis: unknown nemesis "${name}"; known: ${known.join(', ')}`);
  }
  if (names.length === 0) throw new FlagError(`--nemesis: expected a comma-separated list of nemeses, got "${text}"`);
  const real = names.filter((name) => name !== 'none');
  if (real.length > 1) throw new FlagError(`--nemesis: one fault per run for now, got "${text}"`);
  return Object.freeze(real.length === 0 ? ['none'] : real);
}

function nameParse(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/.test(name)) throw new FlagError(`--name: expected letters, digits, . _ + - (a directory name), got "${name}"`);
  return name;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new FlagError(`${flag}: expected one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

function integer(flag: string, text: string, low: number, high: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < low || value > high) throw new FlagError(`${flag}: expected an integer from ${low} to ${high}, got "${text}"`);
  return value;
}

function positiveNumber(flag: string, text: string): number {
  const value = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value > 0) || !Number.isFinite(value)) throw new FlagError(`${flag}: expected a positive number, got "${text}"`);
  return value;
}

function duration(flag: string, text: string): number {
  const parsed = durationParse(text);
  if (!parsed.ok) throw new FlagError(`${flag}: ${parsed.error}`);
  if (parsed.ms <= 0) throw new FlagError(`${flag}: must be longer than 0, got "${text}"`);
  return parsed.ms;
}
