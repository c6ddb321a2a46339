// The options of one test run, parsed once from command-line flags (and an
// optional cluster config file) into a frozen value. Every error names the flag
// and the value received; nothing downstream checks again.

import { bugNames, clusterConfigParse, type ClusterConfig } from '../cluster/config.js';
import { storageNodeId, writerNodeId, type NodeId } from '../cluster/topology.js';
import { durationDayMsMax, durationHourMsMax, durationParse } from '../core/duration.js';
import { workloadKeyCountDefault } from '../workloads/index.js';
import { workloadNames, type WorkloadName } from '../workloads/workload.js';
import { subnetParse } from '../cluster/runtime/docker/subnet.js';
import { faultAllName, faultNamesExpand } from '../nemesis/faults/fault-catalog.js';
import { scheduleFileParse } from '../nemesis/schedule/schedule-file.js';
import { scheduleKinds, type ScheduleSpec } from '../nemesis/schedule/schedule.js';
import { scheduleTargetsCheck } from '../nemesis/schedule/schedule-targets.js';
import { storeNameReserved, storeNamesReserved } from '../results/store-dir.js';
import { livenessOptionsParse, livenessTimeoutDefault } from './liveness-options.js';
import { nemesisNames, nemesisNoneName } from './nemesis-select.js';
import { FlagError, integer, oneOf } from './flag-values.js';

export const runtimeNames = ['local', 'docker', 'memory'] as const;
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
  /** The faults of the run (families and `all` expanded), or ['none']. */
  readonly nemesis: readonly string[];
  /** Faults the runtime cannot inject, left out of `all` or recorded as unavailable in a script, with the reason. */
  readonly nemesisUnavailable: readonly FaultUnavailable[];
  readonly nemesisIntervalMs: number;
  readonly nemesisSchedule: ScheduleSpec;
  /** Standby writers besides w0; a killed primary fails over to one. */
  readonly standbyWriters: number;
  /** Changes the run made to the cluster config on its own, and why (recorded in test.json). */
  readonly adjustments: readonly string[];
  readonly runtime: RuntimeName;
  /** Docker runtime choices (null: the offline image, a free /24 of the default block). */
  readonly docker: { readonly image: string | null; readonly subnet: string | null };
  readonly storeDir: string;
  readonly cluster: ClusterConfig;
  readonly opTimeoutMs: number;
  readonly recoveryTimeoutMs: number;
  /** The bound of each wait of the liveness phase: the writes, the replica watch, the repair wait. */
  readonly livenessTimeoutMs: number;
  /** Test-only: a storage node stopped after the heal and kept stopped (the liveness checker must name it). */
  readonly livenessKeepStopped: NodeId | null;
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
  readonly nemesisSchedule?: string;
  readonly standbyWriters?: string;
  readonly runtime?: string;
  readonly dockerImage?: string;
  readonly dockerSubnet?: string;
  readonly store?: string;
  readonly json?: boolean;
  readonly name?: string;
  readonly opTimeout?: string;
  readonly livenessTimeout?: string;
  readonly livenessKeepStopped?: string;
}

export interface TestOptionsSources {
  /** The seed when --seed is absent (derived from the clock by the caller). */
  readonly seedDefault: number;
  /** The --config file: its path and its text, read by the caller. */
  readonly configFile: { readonly path: string; readonly text: string } | null;
  /** The --nemesis-schedule file when it names one (not fixed or random): its path and text. */
  readonly scheduleFile?: { readonly path: string; readonly text: string } | null;
  /** Faults the chosen runtime cannot inject on this machine, with the reason (probed by the caller). */
  readonly faultsUnavailable?: ReadonlyMap<string, string>;
}

export interface FaultUnavailable {
  readonly fault: string;
  readonly reason: string;
}

export type TestOptionsParse = { ok: true; options: TestOptions } | { ok: false; error: string };

export function testOptionsParse(flags: TestFlags, sources: TestOptionsSources): TestOptionsParse {
  try {
    const options = optionsBuild(flags, sources);
    scheduleTargetsAgainstRun(options);
    return { ok: true, options: Object.freeze(options) };
  } catch (error) {
    if (error instanceof FlagError) return { ok: false, error: error.message };
    throw error;
  }
}

function optionsBuild(flags: TestFlags, sources: TestOptionsSources): TestOptions {
  const workload = oneOf('--workload', flags.workload ?? 'register', workloadNames);
  const runtime = oneOf('--runtime', flags.runtime ?? 'local', runtimeNames);
  const { nemesis, schedule, label, unavailable } = nemesisBuild(flags, sources, runtime);
  const built = clusterBuild(flags, sources.configFile);
  const powerLoss = nemesis.includes('power-loss') && !built.storage.volatileWriteCache;
  const cluster: ClusterConfig = powerLoss
    ? Object.freeze({ ...built, storage: Object.freeze({ ...built.storage, volatileWriteCache: true }) })
    : built;
  return {
    name: flags.name === undefined ? `${workload}-${label}` : nameParse(flags.name),
    workload,
    timeLimitMs: duration('--time-limit', flags.timeLimit ?? '30s', durationDayMsMax),
    concurrency: integer('--concurrency', flags.concurrency ?? '8', 1, 1024),
    seed: flags.seed === undefined ? sources.seedDefault : integer('--seed', flags.seed, 0, 0xffff_ffff),
    keyCount: flags.keys === undefined ? workloadKeyCountDefault[workload] : integer('--keys', flags.keys, 1, 100_000),
    rate: flags.rate === undefined ? null : positiveNumber('--rate', flags.rate),
    opsLimit: flags.opsLimit === undefined ? null : integer('--ops-limit', flags.opsLimit, 1, Number.MAX_SAFE_INTEGER),
    nemesis,
    nemesisUnavailable: unavailable,
    nemesisIntervalMs: duration(
      '--nemesis-interval',
      flags.nemesisInterval ?? nemesisIntervalDefault,
      durationHourMsMax,
    ),
    nemesisSchedule: schedule,
    standbyWriters:
      flags.standbyWriters === undefined
        ? nemesisNamesAll(flags)
          ? standbyWritersAll
          : 0
        : integer('--standby-writers', flags.standbyWriters, 0, standbyWritersMax),
    adjustments: Object.freeze(
      powerLoss
        ? ['storage.volatileWriteCache switched on: the power-loss fault needs a kill to lose unsynced writes']
        : [],
    ),
    runtime,
    docker: dockerBuild(flags, runtime),
    storeDir: flags.store ?? 'store',
    cluster,
    opTimeoutMs: duration('--op-timeout', flags.opTimeout ?? '5s', durationHourMsMax),
    recoveryTimeoutMs: 30_000,
    ...livenessBuild(flags, runtime, cluster),
    json: flags.json === true,
  };
}

/** A schedule file's targets must be nodes of the run: its AZs, their storage nodes, w0 and the standbys. */
function scheduleTargetsAgainstRun(options: TestOptions): void {
  if (options.nemesisSchedule.kind !== 'script') return;
  const { azCount, nodesPerAz } = options.cluster.geometry;
  const nodes = new Set<NodeId>();
  for (let az = 0; az < azCount; az++)
    for (let index = 0; index < nodesPerAz; index++) nodes.add(storageNodeId(az, index));
  for (let writer = 0; writer <= options.standbyWriters; writer++) nodes.add(writerNodeId(writer));
  const text = `storage ${storageNodeId(0, 0)}..${storageNodeId(azCount - 1, nodesPerAz - 1)}, writers ${writerNodeId(0)}..${writerNodeId(options.standbyWriters)}`;
  const checked = scheduleTargetsCheck(options.nemesisSchedule, nodes, text);
  if (!checked.ok) throw new FlagError(`--nemesis-schedule: ${checked.error}`);
}

export const nemesisIntervalDefault = '5s';
export const standbyWritersMax = 3;
/** Standby writers of a `--nemesis all` run without --standby-writers: failovers and recoveries in every run. */
export const standbyWritersAll = 1;

/** Whether --nemesis names `all` (alone or among others): its random schedule is the dense one. */
function nemesisNamesAll(flags: TestFlags): boolean {
  return (flags.nemesis ?? '').split(',').some((name) => name.trim() === faultAllName);
}

/**
 * The faults and their schedule. A schedule file brings its own faults; a
 * --nemesis list given beside it must include them. The label names the run.
 * A fault the runtime cannot inject is an error when named (alone or by its
 * family), is left out of `all`, and stays in a script as an unavailable step.
 */
function nemesisBuild(
  flags: TestFlags,
  sources: TestOptionsSources,
  runtime: RuntimeName,
): { nemesis: readonly string[]; schedule: ScheduleSpec; label: string; unavailable: readonly FaultUnavailable[] } {
  const missing = sources.faultsUnavailable ?? new Map<string, string>();
  const { faults: listed, leftOut } = nemesisParse(flags.nemesis ?? nemesisNoneName, missing, runtime);
  const label = (flags.nemesis ?? nemesisNoneName)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .join('+');
  const scheduleText = flags.nemesisSchedule ?? 'random';
  if ((scheduleKinds as readonly string[]).includes(scheduleText)) {
    const kind = scheduleText as (typeof scheduleKinds)[number];
    return {
      nemesis: listed,
      schedule: Object.freeze(kind === 'random' ? { kind, dense: nemesisNamesAll(flags) } : { kind }),
      label,
      unavailable: unavailableOf(leftOut, missing),
    };
  }
  const file = sources.scheduleFile;
  if (file === undefined || file === null || file.path !== scheduleText) {
    throw new FlagError(`--nemesis-schedule: expected fixed, random or a schedule file, got "${scheduleText}"`);
  }
  const parsed = scheduleFileParse(file.path, file.text);
  if (!parsed.ok) throw new FlagError(`--nemesis-schedule: ${parsed.error}`);
  const scripted = parsed.faults.filter((fault) => !missing.has(fault));
  const scriptUnavailable = parsed.faults.filter((fault) => missing.has(fault));
  if (listed[0] === nemesisNoneName)
    return {
      nemesis: scripted,
      schedule: parsed.spec,
      label: 'script',
      unavailable: unavailableOf([...leftOut, ...scriptUnavailable], missing),
    };
  const absent = scripted.filter((fault) => !listed.includes(fault));
  if (absent.length > 0)
    throw new FlagError(
      `--nemesis-schedule: ${file.path} uses ${absent.join(', ')}, which --nemesis "${flags.nemesis}" leaves out`,
    );
  return {
    nemesis: listed,
    schedule: parsed.spec,
    label: `${label}+script`,
    unavailable: unavailableOf([...leftOut, ...scriptUnavailable], missing),
  };
}

function unavailableOf(faults: readonly string[], missing: ReadonlyMap<string, string>): readonly FaultUnavailable[] {
  return Object.freeze([...new Set(faults)].map((fault) => Object.freeze({ fault, reason: missing.get(fault)! })));
}

function livenessBuild(
  flags: TestFlags,
  runtime: RuntimeName,
  cluster: ClusterConfig,
): Pick<TestOptions, 'livenessTimeoutMs' | 'livenessKeepStopped'> {
  const parsed = livenessOptionsParse(flags.livenessTimeout ?? livenessTimeoutDefault, flags.livenessKeepStopped, {
    runtime,
    geometry: cluster.geometry,
  });
  if (!parsed.ok) throw new FlagError(parsed.error);
  return { livenessTimeoutMs: parsed.timeoutMs, livenessKeepStopped: parsed.keepStopped };
}

/** --docker-image and --docker-subnet, which only the docker runtime takes. */
function dockerBuild(flags: TestFlags, runtime: RuntimeName): TestOptions['docker'] {
  for (const [flag, value] of [
    ['--docker-image', flags.dockerImage],
    ['--docker-subnet', flags.dockerSubnet],
  ] as const) {
    if (value !== undefined && runtime !== 'docker')
      throw new FlagError(`${flag}: only the docker runtime takes it, got --runtime ${runtime}`);
  }
  if (flags.dockerImage !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/.test(flags.dockerImage)) {
    throw new FlagError(
      `--docker-image: expected an image reference like quorumlab-node:0.1.0, got "${flags.dockerImage}"`,
    );
  }
  if (flags.dockerSubnet !== undefined) {
    const parsed = subnetParse(flags.dockerSubnet, '--docker-subnet');
    if (!parsed.ok) throw new FlagError(parsed.error);
  }
  return Object.freeze({ image: flags.dockerImage ?? null, subnet: flags.dockerSubnet ?? null });
}

/** The config file first, then the flags over it; one validation of the whole with the file's name. */
function clusterBuild(flags: TestFlags, configFile: TestOptionsSources['configFile']): ClusterConfig {
  let raw: Record<string, unknown> = {};
  if (configFile !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(configFile.text);
    } catch (error) {
      throw new FlagError(`--config ${configFile.path}: not JSON: ${(error as Error).message.replace(/\s+/g, ' ')}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new FlagError(`--config ${configFile.path}: expected a JSON object with geometry, bugs, writer, storage`);
    }
    raw = parsed as Record<string, unknown>;
  }
  const geometryFlags: Record<string, unknown> = {};
  const writerFlags: Record<string, unknown> = {};
  if (flags.pgs !== undefined) geometryFlags['pgCount'] = integer('--pgs', flags.pgs, 1, 1024);
  if (flags.cache !== undefined)
    writerFlags['cacheEnabled'] = oneOf('--cache', flags.cache, ['on', 'off'] as const) === 'on';
  for (const bug of flags.bug ?? []) {
    if (!(bugNames as readonly string[]).includes(bug))
      throw new FlagError(`--bug: unknown bug "${bug}"; known bugs: ${bugNames.join(', ')}`);
  }
  const merged: Record<string, unknown> = { ...raw };
  overlay(merged, 'geometry', geometryFlags);
  overlay(merged, 'writer', writerFlags);
  if (flags.bug !== undefined && flags.bug.length > 0) {
    const fileBugs = raw['bugs'];
    merged['bugs'] =
      fileBugs === undefined
        ? [...flags.bug]
        : Array.isArray(fileBugs)
          ? [...(fileBugs as unknown[]), ...flags.bug]
          : fileBugs;
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
  else if (typeof current === 'object' && current !== null && !Array.isArray(current))
    target[section] = { ...current, ...fields };
}

/** The listed faults, expanded; `leftOut` are the faults of `all` that the runtime cannot inject. */
function nemesisParse(
  text: string,
  missing: ReadonlyMap<string, string>,
  runtime: RuntimeName,
): { faults: readonly string[]; leftOut: readonly string[] } {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const known = nemesisNames();
  for (const name of names) {
    if (!known.includes(name)) throw new FlagError(`--nemesis: unknown nemesis "${name}"; known: ${known.join(', ')}`);
  }
  if (names.length === 0) throw new FlagError(`--nemesis: expected a comma-separated list of nemeses, got "${text}"`);
  const real = names.filter((name) => name !== nemesisNoneName);
  if (real.length === 0) return { faults: Object.freeze([nemesisNoneName]), leftOut: [] };
  const named = faultNamesExpand(real.filter((name) => name !== faultAllName));
  if (!named.ok) throw new FlagError(`--nemesis: ${named.error}`);
  const refused = named.faults.find((fault) => missing.has(fault));
  if (refused !== undefined)
    throw new FlagError(`--nemesis: ${refused} is not available on the ${runtime} runtime: ${missing.get(refused)}`);
  const expanded = faultNamesExpand(real);
  if (!expanded.ok) throw new FlagError(`--nemesis: ${expanded.error}`);
  const leftOut = expanded.faults.filter((fault) => missing.has(fault));
  const faults = expanded.faults.filter((fault) => !missing.has(fault));
  if (faults.length === 0)
    throw new FlagError(
      `--nemesis: none of "${text}" is available on the ${runtime} runtime (${leftOut.map((fault) => `${fault}: ${missing.get(fault)}`).join('; ')})`,
    );
  return { faults: Object.freeze(faults), leftOut };
}

function nameParse(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/.test(name))
    throw new FlagError(`--name: expected letters, digits, . _ + - (a directory name), got "${name}"`);
  if (storeNameReserved(name))
    throw new FlagError(
      `--name: "${name}" is a name the run store keeps for itself (${storeNamesReserved.join(', ')})`,
    );
  return name;
}

function positiveNumber(flag: string, text: string): number {
  const value = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value > 0) || !Number.isFinite(value))
    throw new FlagError(`${flag}: expected a positive number, got "${text}"`);
  return value;
}

function duration(flag: string, text: string, msMax: number): number {
  const parsed = durationParse(text, msMax);
  if (!parsed.ok) throw new FlagError(`${flag}: ${parsed.error}`);
  if (parsed.ms <= 0) throw new FlagError(`${flag}: must be longer than 0, got "${text}"`);
  return parsed.ms;
}
