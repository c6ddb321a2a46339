// Store benchmark: a closed-loop write workload at 1, 16 and 64 concurrent
// clients against a fresh local cluster, each level for a fixed time, printing
// acknowledged writes/s and latency percentiles per level and the machine's
// core count. Run with `npm run bench:store` after a build; options:
// --duration 10s, --levels 1,16,64, --pgs 1, --warmup 1s.

import { mkdtempSync, rmSync } from 'node:fs';
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
}

interface LevelResult {
  readonly clients: number;
  readonly acked: number;
  readonly errors: ReadonlyMap<string, number>;
  readonly elapsedMs: number;
  readonly histogram: hdr.Histogram;
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

const options = optionsParse(process.argv.slice(2));
const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-bench-'));
const config = clusterConfigParse({ geometry: { pgCount: options.pgCount } });
if (!config.ok) throw new Error(config.error);
const runtime = localRuntimeCreate({ config: config.config, standbyWriters: 0, baseDir, runId: `bench-${path.basename(baseDir)}` });
try {
  await runtime.start();
  process.stdout.write(`store benchmark: ${os.cpus().length} CPU cores (os.cpus().length), node ${process.version}, 6 storage nodes + 1 writer, ${options.pgCount} PG(s), closed-loop writes, ${options.durationMs / 1000} s per level\n`);
  process.stdout.write(`${'clients'.padStart(8)} ${'acked/s'.padStart(10)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  errors\n`);
  for (const clients of options.levels) {
    await levelRun(runtime, clients, options.warmupMs, null);
    const result = await levelRun(runtime, clients, options.durationMs, histogramCreate());
    process.stdout.write(`${levelRender(result)}\n`);
  }
} finally {
  await runtime.stop();
  rmSync(baseDir, { recursive: true, force: true });
}

/** Runs `clients` closed-loop writers for durationMs; a null histogram is a warm-up whose figures are dropped. */
async function levelRun(runtime: LocalRuntime, clients: number, durationMs: number, histogram: hdr.Histogram | null): Promise<LevelResult> {
  const connections = await Promise.all(Array.from({ length: clients }, () => StoreClient.connect(runtime.writerAddress(), connectTimeoutMs)));
  const errors = new Map<string, number>();
  let acked = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async (client: StoreClient, c: number): Promise<void> => {
    for (let n = 0; performance.now() < deadline; n++) {
      const sent = process.hrtime.bigint();
      const result = await client.request({ t: 'write', key: `bench-${c}-${n % keysPerClient}`, value: n }, requestTimeoutMs);
      if (result.ok) {
        acked++;
        histogram?.recordValue(Math.max(1, Number((process.hrtime.bigint() - sent) / 1000n)));
      } else {
        errors.set(result.code, (errors.get(result.code) ?? 0) + 1);
        if (client.closed) return;
      }
    }
  };
  try {
    await Promise.all(connections.map((client, c) => loop(client, c)));
  } finally {
    for (const client of connections) client.close();
  }
  return { clients, acked, errors, elapsedMs: performance.now() - started, histogram: histogram ?? histogramCreate() };
}

function histogramCreate(): hdr.Histogram {
  return hdr.build(histogramSettings);
}

function levelRender(result: LevelResult): string {
  const ms = (us: number): string => (us / 1000).toFixed(2).padStart(8);
  const h = result.histogram;
  const rate = Math.round(result.acked / (result.elapsedMs / 1000));
  const errors = [...result.errors].map(([code, count]) => `${code}: ${count}`).join(', ') || 'none';
  return `${String(result.clients).padStart(8)} ${String(rate).padStart(10)} ${ms(h.getValueAtPercentile(50))} ${ms(h.getValueAtPercentile(99))} ${ms(h.maxValue)}  ${errors}`;
}

function optionsParse(argv: readonly string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    if (!['--duration', '--warmup', '--levels', '--pgs'].includes(flag) || value === undefined) usage(`unknown flag or missing value: ${flag}`);
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
  return { durationMs: duration('--duration', '10s'), warmupMs: duration('--warmup', '1s'), levels, pgCount };
}

function usage(message: string): never {
  process.stderr.write(`bench/store: ${message}\nusage: node dist/bench/store.js [--duration 10s] [--warmup 1s] [--levels 1,16,64] [--pgs 1]\n`);
  process.exit(3);
}
