// The options of one bench run, parsed once from the command line into a
// frozen value. The cluster, runtime, seed and nemesis flags go through the
// test's own parser (runner/test-options.ts), once per target; the bench's own
// flags (mix, keys, load, sweep, baseline) are parsed here. Every error names
// the flag and the value received.

import { durationHourMsMax, durationParse } from '../../core/duration.js';
import {
  testOptionsParse,
  type TestFlags,
  type TestOptions,
  type TestOptionsSources,
} from '../../runner/test-options.js';
import { keyChooserCreate, keyCountMax, zipfConstantDefault } from './key-chooser.js';
import { keyDistributionNames, mixParse, type BenchMix, type KeyDistributionName } from './mix.js';
import type { SweepRule } from './sweep.js';
import { FlagError, integer, oneOf } from '../../runner/flag-values.js';

export const clientsMax = 1024;
export const repeatMax = 20;
/** The only target this build's runTargetCreate knows unless the parsed options name another. */
export const targetDefault = 'quorumlab';
const valueSizeMax = 1_000_000;
const recordCountMax = 1_000_000;
const rateMax = 1_000_000;
const sweepStepsMax = 50;

export type BenchLoad =
  | { readonly kind: 'closed'; readonly clients: readonly number[] }
  | { readonly kind: 'open'; readonly rate: number; readonly slots: number }
  | { readonly kind: 'sweep'; readonly rule: SweepRule; readonly slots: number };

export interface BenchTarget {
  readonly name: string;
  readonly options: TestOptions;
}

export interface BenchOptions {
  readonly targets: readonly BenchTarget[];
  readonly mix: BenchMix;
  readonly distribution: KeyDistributionName;
  readonly zipfConstant: number;
  readonly recordCount: number;
  readonly keyCount: number;
  readonly valueSize: number;
  readonly load: BenchLoad;
  readonly pointMs: number;
  readonly warmupMs: number;
  readonly repeat: number;
  readonly baseline: string | null;
  readonly regression: number;
  readonly json: boolean;
}

/** The bench's own flags as commander hands them over; the test's flags ride along. */
export interface BenchFlags extends TestFlags {
  readonly mix?: string;
  readonly distribution?: string;
  readonly zipfConstant?: string;
  readonly recordCount?: string;
  readonly valueSize?: string;
  readonly clients?: string;
  readonly slots?: string;
  readonly sweep?: boolean;
  readonly sweepFrom?: string;
  readonly sweepFactor?: string;
  readonly sweepTo?: string;
  readonly sweepSteps?: string;
  readonly p99Max?: string;
  readonly growthMin?: string;
  readonly warmup?: string;
  readonly repeat?: string;
  readonly baseline?: string;
  readonly regression?: string;
  readonly target?: string;
  readonly check?: boolean;
}

export type BenchOptionsParse = { ok: true; options: BenchOptions } | { ok: false; error: string };

export function benchOptionsParse(flags: BenchFlags, sources: TestOptionsSources): BenchOptionsParse {
  try {
    return { ok: true, options: Object.freeze(optionsBuild(flags, sources)) };
  } catch (error) {
    if (error instanceof FlagError) return { ok: false, error: error.message };
    throw error;
  }
}

function optionsBuild(flags: BenchFlags, sources: TestOptionsSources): BenchOptions {
  if (flags.check === true)
    throw new FlagError(
      '--check: checking a bench run is not built yet; run `quorumlab test` with the workload for a checked run',
    );
  const parsedMix = mixParse(flags.mix ?? 'A');
  if (!parsedMix.ok) throw new FlagError(parsedMix.error);
  const mix = parsedMix.mix;
  const recordCount = integer('--record-count', flags.recordCount ?? '1000', 0, recordCountMax);
  const keyCount = integer('--keys', flags.keys ?? String(Math.max(1, recordCount)), 1, keyCountMax);
  const zipfConstant = fraction('--zipf-constant', flags.zipfConstant ?? String(zipfConstantDefault));
  const distribution = oneOf('--distribution', flags.distribution ?? mix.distribution, keyDistributionNames);
  const load = loadBuild(flags);
  const concurrency = load.kind === 'closed' ? Math.max(...load.clients) : load.slots;
  const testFlags: TestFlags = { ...flags, keys: String(keyCount), concurrency: String(concurrency) };
  const options: BenchOptions = {
    targets: targetsBuild(
      flags.target ?? targetDefault,
      { ...testFlags, name: flags.name ?? `bench-${mix.name}` },
      sources,
    ),
    mix,
    distribution,
    zipfConstant,
    recordCount,
    keyCount,
    valueSize: integer('--value-size', flags.valueSize ?? '100', 1, valueSizeMax),
    load,
    pointMs: duration('--time-limit', flags.timeLimit ?? '10s'),
    warmupMs: duration('--warmup', flags.warmup ?? '1s', true),
    repeat: integer('--repeat', flags.repeat ?? '1', 1, repeatMax),
    baseline: flags.baseline ?? null,
    regression: percent('--regression', flags.regression ?? '10%'),
    json: flags.json === true,
  };
  // Builds the chooser once here so a distribution that cannot be drawn is a flag error, not a crash later.
  keyChooserCreate(distribution, keyCount, zipfConstant);
  return options;
}

function loadBuild(flags: BenchFlags): BenchLoad {
  const slots = integer('--slots', flags.slots ?? '128', 1, clientsMax);
  if (flags.sweep === true && flags.rate !== undefined)
    throw new FlagError('--sweep: the sweep sets the rate itself; leave out --rate');
  if ((flags.sweep === true || flags.rate !== undefined) && flags.clients !== undefined)
    throw new FlagError('--clients: a closed-loop flag; the open loop bounds operations outstanding with --slots');
  if (flags.rate !== undefined) return { kind: 'open', rate: positive('--rate', flags.rate, rateMax), slots };
  if (flags.sweep === true) {
    const rule: SweepRule = {
      rateStart: positive('--sweep-from', flags.sweepFrom ?? '200', rateMax),
      rateFactor: positive('--sweep-factor', flags.sweepFactor ?? '1.5', 100),
      rateMax: positive('--sweep-to', flags.sweepTo ?? '100000', rateMax),
      stepsMax: integer('--sweep-steps', flags.sweepSteps ?? '15', 1, sweepStepsMax),
      p99MaxUs: duration('--p99-max', flags.p99Max ?? '100ms') * 1000,
      growthMin: percent('--growth-min', flags.growthMin ?? '5%'),
    };
    if (rule.rateFactor <= 1) throw new FlagError(`--sweep-factor: must be above 1, got "${flags.sweepFactor}"`);
    return { kind: 'sweep', rule, slots };
  }
  for (const flag of [
    '--sweep-from',
    '--sweep-factor',
    '--sweep-to',
    '--sweep-steps',
    '--p99-max',
    '--growth-min',
  ] as const) {
    const key = flag.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof BenchFlags;
    if (flags[key] !== undefined) throw new FlagError(`${flag}: only a --sweep takes it`);
  }
  const text = flags.clients ?? flags.concurrency ?? '16';
  const clients = text.split(',').map((part) => integer('--clients', part, 1, clientsMax));
  return { kind: 'closed', clients: Object.freeze(clients) };
}

/** Each target's test options, parsed with the target named, so a parser that knows targets validates it. */
function targetsBuild(text: string, flags: TestFlags, sources: TestOptionsSources): readonly BenchTarget[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => !/^[a-z][a-z0-9-]{0,30}$/.test(name)))
    throw new FlagError(`--target: expected a comma-separated list of target names, got "${text}"`);
  if (new Set(names).size !== names.length) throw new FlagError(`--target: a target is named twice in "${text}"`);
  return Object.freeze(
    names.map((name) => {
      const parsed = testOptionsParse({ ...flags, target: name } as TestFlags, sources);
      if (!parsed.ok) throw new FlagError(parsed.error);
      // Options without a target field come from a build with one target; any other name is unknown to it.
      const chosen = (parsed.options as TestOptions & { readonly target?: unknown }).target ?? targetDefault;
      if (chosen !== name) throw new FlagError(`--target: unknown target "${name}"; this build runs: ${targetDefault}`);
      return Object.freeze({ name, options: parsed.options });
    }),
  );
}

function positive(flag: string, text: string, high: number): number {
  const value = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value > 0) || value > high)
    throw new FlagError(`${flag}: expected a number above 0, at most ${high}, got "${text}"`);
  return value;
}

/** Strictly between 0 and 1. */
function fraction(flag: string, text: string): number {
  const value = /^\d*\.\d+$|^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value > 0 && value < 1)) throw new FlagError(`${flag}: expected a number above 0 and below 1, got "${text}"`);
  return value;
}

/** "10%" or "10": a percentage, returned as a fraction. */
function percent(flag: string, text: string): number {
  const match = /^(\d+(\.\d+)?)%?$/.exec(text.trim());
  const value = match === null ? NaN : Number(match[1]) / 100;
  if (!(value > 0) || value > 10) throw new FlagError(`${flag}: expected a percentage like 10%, got "${text}"`);
  return value;
}

function duration(flag: string, text: string, zeroAllowed = false): number {
  const parsed = durationParse(text, durationHourMsMax);
  if (!parsed.ok) throw new FlagError(`${flag}: ${parsed.error}`);
  if (parsed.ms <= 0 && !zeroAllowed) throw new FlagError(`${flag}: must be longer than 0, got "${text}"`);
  return parsed.ms;
}
