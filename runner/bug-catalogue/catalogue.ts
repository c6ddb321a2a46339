// The named-bug catalogue: for each deliberate store bug, one `quorumlab test`
// run that catches it (invalid with the bug on, valid with the same seed and
// schedule and the bug off), and the checker expected to say so.

import path from 'node:path';
import type { BugName } from '../../cluster/config.js';
import type { WorkloadName } from '../../workloads/workload.js';

/** A checker that reports a caught bug (the others measure, and stay valid). */
export type CatchingChecker = 'linearizable' | 'durability' | 'repair';

export interface CaughtBug {
  readonly bug: BugName;
  readonly workload: WorkloadName;
  /** A scripted schedule (path from the project root), or random faults by name. */
  readonly faults:
    | { readonly kind: 'schedule'; readonly file: string }
    | { readonly kind: 'nemesis'; readonly names: string; readonly interval: string };
  readonly timeLimit: string;
  readonly seed: number;
  /** Client processes (closed loop). */
  readonly concurrency: number;
  /** Client timeout of one operation (the CLI's default is 5s). */
  readonly opTimeout: string;
  readonly cache: 'on' | 'off';
  readonly standbyWriters: number;
  /** Environment of the test process, inherited by the nodes (a slow device). */
  readonly env: Readonly<Record<string, string>>;
  /** The checker that says invalid with the bug on. */
  readonly checker: CatchingChecker;
  /**
   * The generic run that must catch it too, with no schedule written for it: `--nemesis all` (the dense random
   * schedule) on the workload that fits, for genericSeeds; `caughtSeeds` is what bench/bugs-generic.ts measured.
   */
  readonly generic: GenericRun;
  /** What the checker's summary says when the bug is caught. */
  readonly evidence: RegExp;
  /** Why this run exposes the bug, in one or two sentences. */
  readonly why: string;
  /**
   * Whether the test suite also runs it with the bug off. Every entry was seen
   * valid with the bug off (bench/RESULTS.md); the suite repeats that where the
   * schedule is harsh enough that the store itself might fail it.
   */
  readonly offInSuite: boolean;
}

/** How a bug is found with the generic nemesis: the workload that fits it, and the seeds that caught it. */
export interface GenericRun {
  readonly workload: WorkloadName;
  /** Off for bugs of reads served by storage nodes (every read then goes to storage). */
  readonly cache: 'on' | 'off';
  /** Of genericSeeds, those whose run came out invalid (bench/RESULTS.md, "Named bugs caught by --nemesis all"). */
  readonly caughtSeeds: readonly number[];
}

/** The seeds and the time limit of the generic runs; at least two of the three seeds must catch each bug. */
export const genericSeeds: readonly number[] = Object.freeze([1, 2, 3]);
export const genericTimeLimit = '60s';

/** Every fdatasync of the storage nodes takes this long, so a power cut lands between ack and sync. */
export const slowDeviceSyncDelayMs = 200;

/** What most entries share; an entry names only where it differs. */
const runDefaults = { seed: 1, concurrency: 8, opTimeout: '5s', cache: 'on', standbyWriters: 0, env: {} } as const;
type RunDefaulted = keyof typeof runDefaults;

function caught(entry: Omit<CaughtBug, RunDefaulted> & Partial<Pick<CaughtBug, RunDefaulted>>): CaughtBug {
  return Object.freeze({ ...runDefaults, ...entry });
}

const schedule = (name: string): CaughtBug['faults'] =>
  Object.freeze({ kind: 'schedule', file: `nemesis/schedules/${name}.json` });

export const bugCatalogue: readonly CaughtBug[] = Object.freeze([
  caught({
    bug: 'ack-before-quorum',
    workload: 'append',
    faults: schedule('quorum-loss'),
    timeLimit: '14s',
    generic: { workload: 'append', cache: 'on', caughtSeeds: [2, 3] },
    checker: 'durability',
    evidence: /acknowledged appends lost/,
    why: 'Appends acknowledged by 3 of 6 replicas, then those replicas cut off while the writer restarts: recovery on the other quorum never sees them.',
    offInSuite: false,
  }),
  caught({
    bug: 'ack-before-fsync',
    workload: 'append',
    faults: schedule('power-loss-all'),
    timeLimit: '14s',
    env: { QUORUMLAB_STORAGE_SYNC_DELAY_MS: String(slowDeviceSyncDelayMs) },
    generic: { workload: 'append', cache: 'on', caughtSeeds: [1, 3] },
    checker: 'durability',
    evidence: /acknowledged appends lost/,
    why: 'A slow device keeps acknowledged records in the volatile write cache; cutting power to every node loses them on all replicas at once.',
    offInSuite: true,
  }),
  caught({
    bug: 'read-uncommitted',
    workload: 'append',
    faults: schedule('stalled-writer-killed'),
    timeLimit: '14s',
    concurrency: 32,
    opTimeout: '200ms',
    generic: { workload: 'append', cache: 'on', caughtSeeds: [1, 2, 3] },
    checker: 'linearizable',
    evidence: /not linearizable/,
    why: 'Cut off from every storage node, the writer still answers reads for the rest of its lease (400 ms), with appends no replica holds; killed, those appends vanish and later reads are not extensions of earlier ones. 32 clients and a 200 ms operation timeout (a client blocked on an append is replaced) make sure reads land in that window, three times.',
    offInSuite: true,
  }),
  caught({
    bug: 'stale-storage-read',
    workload: 'register',
    faults: Object.freeze({ kind: 'nemesis', names: 'kill-node', interval: '3s' }),
    timeLimit: '12s',
    cache: 'off',
    generic: { workload: 'register', cache: 'off', caughtSeeds: [1, 2, 3] },
    checker: 'linearizable',
    evidence: /not linearizable/,
    why: 'With the cache off every read goes to storage; a restarted node that is still catching up answers with an old value.',
    offInSuite: false,
  }),
  caught({
    bug: 'skip-crc',
    workload: 'append',
    faults: schedule('helix-then-restart'),
    timeLimit: '10s',
    cache: 'off',
    generic: { workload: 'register', cache: 'off', caughtSeeds: [1, 2, 3] },
    checker: 'repair',
    evidence: /unrepaired|second scrub found/,
    why: 'Damaged blocks are loaded unverified after a restart of every storage node: storage reads may return values never written (the linearizable checker sees them when a read lands there), and the blocks are never repaired, so the second scrub after the heal still finds them.',
    offInSuite: false,
  }),
  caught({
    bug: 'no-epoch-fence',
    workload: 'append',
    faults: schedule('deposed-writer-resumed'),
    timeLimit: '14s',
    concurrency: 32,
    standbyWriters: 1,
    generic: { workload: 'append', cache: 'on', caughtSeeds: [1, 2, 3] },
    checker: 'linearizable',
    evidence: /not linearizable/,
    why: 'A paused primary is replaced by a restarted writer with a newer epoch; resumed, the old primary is still accepted by storage and acknowledges the appends queued while it was paused, which the new one never sees (32 clients, so that enough appends are queued).',
    offInSuite: true,
  }),
  caught({
    bug: 'no-truncation',
    workload: 'append',
    faults: schedule('minority-tail-writer-killed'),
    timeLimit: '12s',
    cache: 'off',
    generic: { workload: 'append', cache: 'on', caughtSeeds: [2, 3] },
    checker: 'linearizable',
    evidence: /not linearizable/,
    why: 'Appends reach only two replicas before the writer dies; recovery on the other four does not truncate them, and when the two return their records resurface inside the lists.',
    offInSuite: true,
  }),
  caught({
    bug: 'lose-hot-log-tail',
    workload: 'append',
    faults: schedule('storage-restarts'),
    timeLimit: '12s',
    cache: 'off',
    generic: { workload: 'register', cache: 'off', caughtSeeds: [1, 2, 3] },
    checker: 'linearizable',
    evidence: /not linearizable/,
    why: 'Restarted replicas forget their last batch but still claim its SCL, so storage reads served by them miss acknowledged appends.',
    offInSuite: false,
  }),
] satisfies CaughtBug[]);

/** The arguments of `quorumlab test` for the generic run of one entry: `--nemesis all` and nothing written for it. */
export function catalogueGenericArgs(entry: CaughtBug, seed: number, bugOn: boolean): string[] {
  const { workload, cache } = entry.generic;
  const args = ['test', '--workload', workload, '--cache', cache, '--nemesis', 'all', '--time-limit', genericTimeLimit];
  args.push('--seed', String(seed));
  if (bugOn) args.push('--bug', entry.bug);
  return args;
}

/** The arguments of `quorumlab test` for one catalogue entry, with its bug on or off. */
export function catalogueTestArgs(entry: CaughtBug, root: string, bugOn: boolean): string[] {
  const args = [
    'test',
    '--workload',
    entry.workload,
    '--time-limit',
    entry.timeLimit,
    '--seed',
    String(entry.seed),
    '--concurrency',
    String(entry.concurrency),
    '--op-timeout',
    entry.opTimeout,
    '--cache',
    entry.cache,
  ];
  if (entry.faults.kind === 'schedule') args.push('--nemesis-schedule', path.join(root, entry.faults.file));
  else args.push('--nemesis', entry.faults.names, '--nemesis-interval', entry.faults.interval);
  if (entry.standbyWriters > 0) args.push('--standby-writers', String(entry.standbyWriters));
  if (bugOn) args.push('--bug', entry.bug);
  return args;
}
