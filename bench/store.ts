// Store benchmark: a closed-loop write workload at 1, 16 and 64 concurrent
// clients against a fresh cluster (local processes, or Docker containers with
// --runtime docker), each level for a fixed time, printing acknowledged
// writes/s, p50/p99/max latency and the machine's core count, and the CPU time
// each role spent per acknowledged write (read from /proc, where container
// processes are host processes too: less sensitive to other load than the
// rates). Run with `npm run bench:store` (or `bench:store:docker`) after a
// build; options: --runtime local, --duration 10s, --levels 1,16,64, --pgs 1,
// --warmup 1s, --connections 4 (the clients of a level share at most this many
// multiplexed connections, as the closed-loop processes of one application would).

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import hdr from 'hdr-histogram-js';
import { StoreClient } from '../cluster/client.js';
import { clusterConfigParse, type ClusterConfig } from '../cluster/config.js';
import { dockerRuntimeCreate } from '../cluster/runtime/docker/docker-runtime.js';
import { localRuntimeCreate } from '../cluster/runtime/local/local-runtime.js';
import type { Runtime } from '../cluster/runtime/runtime.js';
import type { NodeId } from '../cluster/topology.js';
import { clockCreate } from '../core/clock.js';
import { durationParse } from '../core/duration.js';
import { procCpuUs } from './mode/cpu-roles.js';

interface BenchOptions {
  readonly runtime: 'local' | 'docker';
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly levels: readonly number[];
  readonly pgCount: number;
  readonly connectionsMax: number;
}

/** A started cluster as the benchmark sees it: where to write, and each node's process for its CPU time. */
interface BenchCluster {
  readonly runtime: Runtime;
  pidOf(id: NodeId): Promise<number | null>;
}

interface LevelResult {
  readonly clients: number;
  readonly acked: number;
  readonly errors: ReadonlyMap<string, number>;
  readonly elapsedMs: number;
  readonly histogram: hdr.Histogram;
  /** CPU microseconds spent during the level by the writer, the storage nodes together and this process; null where /proc is not readable. */
  readonly cpuUs: { readonly writer: number; readonly storage: number; readonly bench: number } | null;
}

/** Latencies are recorded in microseconds, from 1 us to 60 s, to 3 significant digits. */
const histogramSettings = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: 60_000_000,
  numberOfSignificantValueDigits: 3,
  autoResize: false,
} as const;
const requestTimeoutMs = 5000;
const connectTimeoutMs = 5000;
/** Distinct keys each client cycles through. */
const keysPerClient = 64;
const clientsMax = 1024;
const durationMsMax = 600_000;

const options = optionsParse(process.argv.slice(2));
const clock = clockCreate();
const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-bench-'));
const config = clusterConfigParse({ geometry: { pgCount: options.pgCount } });
if (!config.ok) throw new Error(config.error);
const cluster = clusterCreate(options.runtime, config.config, baseDir);
try {
  await cluster.runtime.start();
  const address = cluster.runtime.writerAddress();
  process.stdout.write(
    `store benchmark on the ${options.runtime} runtime (writer at ${address.host}:${address.port}): ${os.cpus().length} CPU cores, node ${process.version}, 6 storage nodes + 1 writer, ${options.pgCount} PG(s), closed-loop writes over at most ${options.connectionsMax} connection(s), ${options.durationMs / 1000} s per level\n`,
  );
  process.stdout.write(
    `${'clients'.padStart(8)} ${'acked/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  ${'CPU us/write: writer+storage+bench=total'.padEnd(42)}  errors\n`,
  );
  for (const clients of options.levels) {
    await levelRun(cluster, clients, options.warmupMs, null);
    process.stdout.write(
      `${levelRender(await levelRun(cluster, clients, options.durationMs, hdr.build(histogramSettings)))}\n`,
    );
  }
} finally {
  await cluster.runtime.stop();
  rmSync(baseDir, { recursive: true, force: true });
}

function clusterCreate(runtime: BenchOptions['runtime'], cluster: ClusterConfig, dir: string): BenchCluster {
  const spec = { config: cluster, standbyWriters: 0, baseDir: dir, runId: `bench-${path.basename(dir)}` };
  if (runtime === 'local') {
    const local = localRuntimeCreate(spec);
    return { runtime: local, pidOf: (id) => Promise.resolve(local.nodePid(id)) };
  }
  const docker = dockerRuntimeCreate(spec);
  return { runtime: docker, pidOf: (id) => docker.nodePid(id) };
}

/** Runs `clients` closed-loop writers for durationMs, client c on connection c mod connectionsMax; a null histogram is a warm-up. */
async function levelRun(
  cluster: BenchCluster,
  clients: number,
  durationMs: number,
  histogram: hdr.Histogram | null,
): Promise<LevelResult> {
  const count = Math.min(clients, options.connectionsMax);
  const connections = await Promise.all(
    Array.from({ length: count }, () => StoreClient.connect(cluster.runtime.writerAddress(), connectTimeoutMs)),
  );
  const errors = new Map<string, number>();
  let acked = 0;
  const cpuBefore = await cpuRead(cluster);
  const started = clock.nowMs();
  const endMs = started + durationMs;
  const loop = async (client: StoreClient, c: number): Promise<void> => {
    for (let n = 0; clock.nowMs() < endMs; n++) {
      const sentMs = clock.nowMs();
      const result = await client.request(
        { t: 'write', key: `bench-${c}-${n % keysPerClient}`, value: n },
        requestTimeoutMs,
      );
      if (result.ok) {
        acked++;
        histogram?.recordValue(Math.max(1, Math.round((clock.nowMs() - sentMs) * 1000)));
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
  const elapsedMs = clock.nowMs() - started;
  const cpuAfter = await cpuRead(cluster);
  const cpuUs =
    cpuBefore === null || cpuAfter === null
      ? null
      : {
          writer: cpuAfter.writer - cpuBefore.writer,
          storage: cpuAfter.storage - cpuBefore.storage,
          bench: cpuAfter.bench - cpuBefore.bench,
        };
  return { clients, acked, errors, elapsedMs, histogram: histogram ?? hdr.build(histogramSettings), cpuUs };
}

/** CPU microseconds (user + system) used so far by the writer, all storage nodes together, and this process; containers' processes are host processes too. */
async function cpuRead(cluster: BenchCluster): Promise<LevelResult['cpuUs']> {
  let writer = 0;
  let storage = 0;
  for (const node of cluster.runtime.nodes()) {
    const pid = await cluster.pidOf(node.id);
    const us = pid === null ? null : procCpuUs(pid);
    if (us === null) return null;
    if (node.role === 'writer') writer += us;
    else storage += us;
  }
  const own = process.cpuUsage();
  return { writer, storage, bench: own.user + own.system };
}

function levelRender(result: LevelResult): string {
  const ms = (us: number): string => (us / 1000).toFixed(2).padStart(8);
  const h = result.histogram;
  const rate = Math.round(result.acked / (result.elapsedMs / 1000));
  const errors = [...result.errors].map(([code, count]) => `${code}: ${count}`).join(', ') || 'none';
  const cpu = result.cpuUs;
  const per = (us: number): string => (us / result.acked).toFixed(0);
  const cpuText =
    cpu === null || result.acked === 0
      ? 'n/a'
      : `${per(cpu.writer)}+${per(cpu.storage)}+${per(cpu.bench)}=${per(cpu.writer + cpu.storage + cpu.bench)}`;
  return `${String(result.clients).padStart(8)} ${String(rate).padStart(10)} ${ms(h.getValueAtPercentile(50))} ${ms(h.getValueAtPercentile(99))} ${ms(h.maxValue)}  ${cpuText.padEnd(42)}  ${errors}`;
}

function optionsParse(argv: readonly string[]): BenchOptions {
  const known = ['--runtime', '--duration', '--warmup', '--levels', '--pgs', '--connections'];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    if (!known.includes(flag) || value === undefined) usage(`unknown flag or missing value: ${flag}`);
    flags.set(flag, value);
  }
  const runtime = flags.get('--runtime') ?? 'local';
  if (runtime !== 'local' && runtime !== 'docker') usage(`--runtime: expected local or docker, got "${runtime}"`);
  const duration = (flag: string, fallback: string): number => {
    const parsed = durationParse(flags.get(flag) ?? fallback);
    if (!parsed.ok || parsed.ms > durationMsMax)
      return usage(`${flag}: ${parsed.ok ? `at most ${durationMsMax / 1000} s` : parsed.error}`);
    return parsed.ms;
  };
  const levels = (flags.get('--levels') ?? '1,16,64').split(',').map(Number);
  if (levels.some((n) => !Number.isInteger(n) || n < 1 || n > clientsMax))
    usage(`--levels: expected client counts from 1 to ${clientsMax}, got "${flags.get('--levels')}"`);
  const pgCount = Number(flags.get('--pgs') ?? '1');
  if (!Number.isInteger(pgCount) || pgCount < 1)
    usage(`--pgs: expected a positive integer, got "${flags.get('--pgs')}"`);
  const connectionsMax = Number(flags.get('--connections') ?? '4');
  if (!Number.isInteger(connectionsMax) || connectionsMax < 1 || connectionsMax > clientsMax)
    usage(`--connections: expected an integer from 1 to ${clientsMax}, got "${flags.get('--connections')}"`);
  return {
    runtime,
    durationMs: duration('--duration', '10s'),
    warmupMs: duration('--warmup', '1s'),
    levels,
    pgCount,
    connectionsMax,
  };
}

function usage(message: string): never {
  process.stderr.write(
    `bench/store: ${message}\nusage: node dist/bench/store.js [--runtime local|docker] [--duration 10s] [--warmup 1s] [--levels 1,16,64] [--pgs 1] [--connections 4]\n`,
  );
  process.exit(3);
}
