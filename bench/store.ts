// Store benchmark: a closed-loop write workload at 1, 16 and 64 concurrent
// clients against a fresh local cluster, each level for a fixed time, printing
// acknowledged writes/s and latency percentiles per level and the machine's
// core count, and the CPU time each role spent per acknowledged write (read
// from /proc: less sensitive to other load on the machine than the rates). Run with
// `npm run bench:store` after a build; options: --duration 10s,
// --levels 1,16,64, --pgs 1, --warmup 1s, --connections 4 (the clients of a
// level share at most this many multiplexed connections, as the closed-loop
// processes of one application would).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import hdr from 'hdr-histogram-js';
import { StoreClient } from '../cluster/client.js';
import { clusterConfigParse } from '../cluster/config.js';
import { localRuntimeCreate } from '../cluster/runtime/local/local-runtime.js';
import type { LocalRuntime } from '../cluster/runtime/local/local-runtime.js';
import { durationParse } from '../core/duration.js';

interface BenchOptions {
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly levels: readonly number[];
  readonly pgCount: number;
  readonly connectionsMax: number;
}

interface LevelResult {
  readonly clients: number;
  readonly acked: number;
  readonly errors: ReadonlyMap<string, number>;
  readonly elapsedMs: number;
  readonly histogram: hdr.Histogram;
  /** CPU microseconds spent during the level, per role (null where /proc is not readable). */
  readonly cpuUs: CpuUs | null;
}

interface CpuUs {
  readonly writer: number;
  readonly storage: number;
  readonly bench: number;
}

/** Latencies are recorded in microseconds, from 1 us to 60 s, to 3 significant digits. */
const histogramSettings = { lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, autoResize: false } as const;
const requestTimeoutMs = 5000;
const connectTimeoutMs = 5000;
/** Distinct keys each client cycles through. */
const keysPerClient = 64;
/** Bounds on the levels a run may ask for. */
const clientsMax = 1024;
const durationMsMax = 600_000;
/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ). */
const clockTicksPerSecond = 100;

const options = optionsParse(process.argv.slice(2));
const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-bench-'));
const config = clusterConfigParse({ geometry: { pgCount: options.pgCount } });
if (!config.ok) throw new Error(config.error);
const runtime = localRuntimeCreate({ config: config.config, standbyWriters: 0, baseDir, runId: `bench-${path.basename(baseDir)}` });
try {
  await runtime.start();
  process.stdout.write(`store benchmark: ${os.cpus().length} CPU cores (os.cpus().length), node ${process.version}, 6 storage nodes + 1 writer, ${options.pgCount} PG(s), closed-loop writes over at most ${options.connectionsMax} connection(s), ${options.durationMs / 1000} s per level\n`);
  process.stdout.write(`${'clients'.padStart(8)} ${'acked/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  ${'CPU us/write: writer+storage+bench=total'.padEnd(42)}  errors\n`);
  for (const clients of options.levels) {
    await levelRun(runtime, clients, options.connectionsMax, options.warmupMs, null);
    const result = await levelRun(runtime, clients, options.connectionsMax, options.durationMs, histogramCreate());
    process.stdout.write(`${levelRender(result)}\n`);
  }
} finally {
  await runtime.stop();
  rmSync(baseDir, { recursive: true, force: true });
}

/**
 * Runs `clients` closed-loop writers for durationMs, client c on connection
 * c mod connectionsMax; a null histogram is a warm-up whose figures are dropped.
 */
async function levelRun(runtime: LocalRuntime, clients: number, connectionsMax: number, durationMs: number, histogram: hdr.Histogram | null): Promise<LevelResult> {
  const connections = await Promise.all(Array.from({ length: Math.min(clients, connectionsMax) }, () => StoreClient.connect(runtime.writerAddress(), connectTimeoutMs)));
  const errors = new Map<string, number>();
  let acked = 0;
  const cpuBefore = cpuRead(runtime);
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (client: StoreClient, c: number): Promise<void> => {
    for (let n = 0; performance.now() < deadline; n++) {
      const sentMs = performance.now();
      const result = await client.request({ t: 'write', key: `bench-${c}-${n % keysPerClient}`, value: n }, requestTimeoutMs);
      if (result.ok) {
        acked++;
        histogram?.recordValue(Math.max(1, Math.round((performance.now() - sentMs) * 1000)));
      } else {
        errors.set(result.code, (errors.get(result.code) ?? 0) + 1);
        if (client.closed) return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, (_, c) => loop(connections[c % connections.length]!, c)));
  } finally {
    for (const client of connections) client.close();
  }
  const elapsedMs = performance.now() - started;
  const cpuAfter = cpuRead(runtime);
  const cpuUs = cpuBefore === null || cpuAfter === null ? null : { writer: cpuAfter.writer - cpuBefore.writer, storage: cpuAfter.storage - cpuBefore.storage, bench: cpuAfter.bench - cpuBefore.bench };
  return { clients, acked, errors, elapsedMs, histogram: histogram ?? histogramCreate(), cpuUs };
}

/** CPU microseconds (user + system) used so far by the writer, all storage nodes together, and this process. */
function cpuRead(runtime: LocalRuntime): CpuUs | null {
  let writer = 0;
  let storage = 0;
  for (const node of runtime.nodes()) {
    const pid = runtime.nodePid(node.id);
    const us = pid === null ? null : procCpuUs(pid);
    if (us === null) return null;
    if (node.role === 'writer') writer += us;
    else storage += us;
  }
  const own = process.cpuUsage();
  return { writer, storage, bench: own.user + own.system };
}

/** utime + stime of a process from /proc/<pid>/stat, in microseconds; null where unreadable. */
function procCpuUs(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / clockTicksPerSecond;
}

function histogramCreate(): hdr.Histogram {
  return hdr.build(histogramSettings);
}

function levelRender(result: LevelResult): string {
  const ms = (us: number): string => (us / 1000).toFixed(2).padStart(8);
  const h = result.histogram;
  const rate = Math.round(result.acked / (result.elapsedMs / 1000));
  const errors = [...result.errors].map(([code, count]) => `${code}: ${count}`).join(', ') || 'none';
  return `${String(result.clients).padStart(8)} ${String(rate).padStart(10)} ${ms(h.getValueAtPercentile(50))} ${ms(h.getValueAtPercentile(99))} ${ms(h.maxValue)}  ${cpuRender(result).padEnd(42)}  ${errors}`;
}

function cpuRender(result: LevelResult): string {
  const cpu = result.cpuUs;
  if (cpu === null || result.acked === 0) return 'n/a';
  const per = (us: number): string => (us / result.acked).toFixed(0);
  return `${per(cpu.writer)}+${per(cpu.storage)}+${per(cpu.bench)}=${per(cpu.writer + cpu.storage + cpu.bench)}`;
}

function optionsParse(argv: readonly string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    if (!['--duration', '--warmup', '--levels', '--pgs', '--connections'].includes(flag) || value === undefined) usage(`unknown flag or missing value: ${flag}`);
    flags.set(flag, value);
  }
  const duration = (flag: string, fallback: string): number => {
    const parsed = durationParse(flags.get(flag) ?? fallback);
    if (!parsed.ok || parsed.ms > durationMsMax) return usage(`${flag}: ${parsed.ok ? `at most ${durationMsMax / 1000} s` : parsed.error}`);
    return parsed.ms;
  };
  const levels = (flags.get('--levels') ?? '1,16,64').split(',').map(Number);
  if (levels.some((n) => !Number.isInteger(n) || n < 1 || n > clientsMax)) usage(`--levels: expected client counts from 1 to ${clientsMax}, got "${flags.get('--levels')}"`);
  const pgCount = Number(flags.get('--pgs') ?? '1');
  if (!Number.isInteger(pgCount) || pgCount < 1) usage(`--pgs: expected a positive integer, got "${flags.get('--pgs')}"`);
  const connectionsMax = Number(flags.get('--connections') ?? '4');
  if (!Number.isInteger(connectionsMax) || connectionsMax < 1 || connectionsMax > clientsMax) usage(`--connections: expected an integer from 1 to ${clientsMax}, got "${flags.get('--connections')}"`);
  return { durationMs: duration('--duration', '10s'), warmupMs: duration('--warmup', '1s'), levels, pgCount, connectionsMax };
}

function usage(message: string): never {
  process.stderr.write(`bench/store: ${message}\nusage: node dist/bench/store.js [--duration 10s] [--warmup 1s] [--levels 1,16,64] [--pgs 1] [--connections 4]\n`);
  process.exit(3);
}
