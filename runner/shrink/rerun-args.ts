// The `quorumlab test` arguments that re-run a recorded run with another
// schedule, concurrency and time limit and the same options otherwise: the
// seed, workload, nemesis, intervals and cluster of its test.json. Checked
// once against this build's own option parser, so that what the re-runs get is
// what the run had (else the cluster goes in a config file of its own).

import type { ClusterConfig } from '../../cluster/config.js';
import type { TestFlags } from '../test-options.js';
import { testOptionsParse } from '../test-options.js';

/** The options of a run's test.json that a re-run repeats. */
export interface RunOptionsRecorded {
  readonly workload: string;
  readonly seed: number;
  readonly keyCount: number;
  readonly rate: number | null;
  readonly opsLimit: number | null;
  readonly nemesis: readonly string[];
  readonly nemesisIntervalMs: number;
  readonly standbyWriters: number;
  readonly runtime: string;
  readonly docker: { readonly image: string | null; readonly subnet: string | null };
  readonly opTimeoutMs: number;
  readonly cluster: ClusterConfig;
  readonly concurrency: number;
  readonly timeLimitMs: number;
  /** The run's command line; its --nemesis text is kept when it names the same faults. */
  readonly commandLine: readonly string[];
}

/** What every re-run shares; `configFile` is set when the flags cannot say the cluster. */
export interface RerunBase {
  readonly flags: TestFlags;
  readonly configJson: string | null;
}

export interface RerunVaries {
  readonly schedulePath: string;
  readonly concurrency: number;
  readonly timeLimitMs: number;
}

export type RerunBaseOf =
  { readonly ok: true; readonly base: RerunBase } | { readonly ok: false; readonly error: string };

/**
 * The shared flags, checked by parsing them as `quorumlab test` would with the
 * run's schedule: the seed, the faults and the cluster must come out as recorded.
 */
export function rerunBaseOf(
  recorded: RunOptionsRecorded,
  schedule: { readonly path: string; readonly text: string },
): RerunBaseOf {
  const nemesisText = nemesisTextOf(recorded);
  const common: TestFlags = {
    workload: recorded.workload,
    seed: String(recorded.seed),
    keys: String(recorded.keyCount),
    ...(recorded.rate === null ? {} : { rate: String(recorded.rate) }),
    ...(recorded.opsLimit === null ? {} : { opsLimit: String(recorded.opsLimit) }),
    nemesisInterval: durationText(recorded.nemesisIntervalMs),
    standbyWriters: String(recorded.standbyWriters),
    runtime: recorded.runtime,
    ...(recorded.docker.image === null ? {} : { dockerImage: recorded.docker.image }),
    ...(recorded.docker.subnet === null ? {} : { dockerSubnet: recorded.docker.subnet }),
    opTimeout: durationText(recorded.opTimeoutMs),
  };
  const clusterFlags: TestFlags = {
    ...(recorded.cluster.bugs.length === 0 ? {} : { bug: [...recorded.cluster.bugs] }),
    ...(recorded.cluster.writer.cacheEnabled ? {} : { cache: 'off' }),
    ...(recorded.cluster.geometry.pgCount === 1 ? {} : { pgs: String(recorded.cluster.geometry.pgCount) }),
  };
  const candidates: RerunBase[] = [
    { flags: { ...common, nemesis: nemesisText, ...clusterFlags }, configJson: null },
    { flags: { ...common, nemesis: recorded.nemesis.join(','), ...clusterFlags }, configJson: null },
    { flags: { ...common, nemesis: recorded.nemesis.join(',') }, configJson: `${jsonCanonical(recorded.cluster)}\n` },
  ];
  const problems: string[] = [];
  for (const candidate of candidates) {
    const parsed = testOptionsParse(
      { ...candidate.flags, nemesisSchedule: schedule.path, concurrency: String(recorded.concurrency) },
      {
        seedDefault: 0,
        configFile: candidate.configJson === null ? null : { path: 'cluster.json', text: candidate.configJson },
        scheduleFile: schedule,
      },
    );
    if (!parsed.ok) {
      problems.push(parsed.error);
      continue;
    }
    const same =
      jsonCanonical(parsed.options.cluster) === jsonCanonical(recorded.cluster) &&
      parsed.options.nemesis.join(',') === recorded.nemesis.join(',');
    if (same) return { ok: true, base: candidate };
  }
  return {
    ok: false,
    error: `the run's options do not parse to the same run in this build${problems.length === 0 ? '' : `: ${problems[0]}`}`,
  };
}

/** The arguments after `test`, without --name, --store and --json (the caller adds those). */
export function rerunArgs(base: RerunBase, varies: RerunVaries, configPath: string | null): string[] {
  const flags = base.flags;
  const args: string[] = [];
  const add = (flag: string, value: string | undefined): void => {
    if (value !== undefined) args.push(flag, value);
  };
  add('--workload', flags.workload);
  add('--seed', flags.seed);
  add('--nemesis', flags.nemesis);
  add('--nemesis-schedule', varies.schedulePath);
  add('--time-limit', durationText(varies.timeLimitMs));
  add('--concurrency', String(varies.concurrency));
  for (const bug of flags.bug ?? []) add('--bug', bug);
  add('--cache', flags.cache);
  add('--pgs', flags.pgs);
  if (base.configJson !== null && configPath !== null) add('--config', configPath);
  add('--keys', flags.keys);
  add('--rate', flags.rate);
  add('--ops-limit', flags.opsLimit);
  add('--nemesis-interval', flags.nemesisInterval);
  add('--standby-writers', flags.standbyWriters);
  add('--runtime', flags.runtime);
  add('--docker-image', flags.dockerImage);
  add('--docker-subnet', flags.dockerSubnet);
  add('--op-timeout', flags.opTimeout);
  return args;
}

/** "20s" for whole seconds, else "1500ms". */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** The --nemesis text of the command line (`--nemesis X` or `--nemesis=X`), or the recorded faults. */
function nemesisTextOf(recorded: RunOptionsRecorded): string {
  const line = recorded.commandLine;
  for (let i = 0; i < line.length; i++) {
    const arg = line[i]!;
    if (arg === '--nemesis' && line[i + 1] !== undefined) return line[i + 1]!;
    if (arg.startsWith('--nemesis=')) return arg.slice('--nemesis='.length);
  }
  return recorded.nemesis.join(',');
}

/** JSON with object keys sorted, so two equal values give one text. */
function jsonCanonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}
