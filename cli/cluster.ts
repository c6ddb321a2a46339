// `quorumlab cluster up|down|status`: keep a local cluster running in the
// foreground to poke at by hand, stop it from another terminal through its
// state file, and show its nodes and the writer's health.

import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import { clockCreate, pollUntil, PollTimeoutError } from '../core/clock.js';
import { exitCode } from '../core/verdict.js';
import type { ClusterConfig } from '../cluster/config.js';
import { bugNames, clusterConfigParse, geometryPgCountMax } from '../cluster/config.js';
import {
  clusterDirDefault,
  clusterStateOwner,
  clusterStateOwnerAlive,
  clusterStatePath,
  clusterStateRead,
  clusterStateRemove,
  clusterStateWrite,
} from '../cluster/runtime/local/cluster-state-file.js';
import type { ClusterState } from '../cluster/runtime/local/cluster-state-file.js';
import { clusterStatusRead } from '../cluster/runtime/local/cluster-status.js';
import type { ClusterStatus, NodeStatus } from '../cluster/runtime/local/cluster-status.js';
import { localRuntimeCreate } from '../cluster/runtime/local/local-runtime.js';
import type { LocalRuntime } from '../cluster/runtime/local/local-runtime.js';
import { clientLinkEnd } from '../cluster/runtime/local/link-address.js';
import { procCommandLine, procStartTicks } from '../cluster/runtime/local/process-marker.js';
import { clusterDirClaim } from '../cluster/runtime/local/cluster-dir.js';
import { UsageError } from './usage-error.js';

/** Bound on `cluster down` waiting for the cluster process to stop its nodes and exit. */
export const clusterDownWaitMs = 20_000;
const clusterDownPollMs = 100;
/** Bound on standby writers of a hand-run cluster. */
const standbyMax = 8;

interface UpFlags {
  readonly dir: string;
  readonly pgs?: string;
  readonly bug?: string[];
  readonly standby: string;
  readonly cache: string;
  readonly config?: string;
}

export function register(program: Command): void {
  const cluster = program.command('cluster').description(commandSummary.cluster);
  cluster
    .command('up')
    .description('start a local cluster in the foreground; Ctrl-C or `quorumlab cluster down` stops it')
    .option('--dir <dir>', 'directory for node data, logs and the state file', clusterDirDefault)
    .option('--pgs <n>', 'protection groups')
    .option('--bug <name...>', 'switch on a named deliberate bug (repeatable)')
    .option('--standby <n>', 'standby writers besides the primary', '0')
    .option('--cache <on|off>', "the writer's read cache", 'on')
    .option('--config <file>', 'cluster config JSON (flags override it)')
    .action((flags: UpFlags) => clusterUp(flags));
  cluster
    .command('down')
    .description('stop the cluster started by `quorumlab cluster up`')
    .option('--dir <dir>', 'the cluster directory', clusterDirDefault)
    .action((flags: { dir: string }) => clusterDown(flags.dir));
  cluster
    .command('status')
    .description("show the cluster's nodes, their processes and health")
    .option('--dir <dir>', 'the cluster directory', clusterDirDefault)
    .option('--json', 'print machine-readable output')
    .action((flags: { dir: string; json?: boolean }) => clusterStatus(flags.dir, flags.json === true));
}

async function clusterUp(flags: UpFlags): Promise<void> {
  const config = upConfigParse(flags);
  const standbyWriters = intFlag('--standby', flags.standby, 0, standbyMax);
  upDirCheck(flags.dir);
  // A hand-run cluster starts empty: the previous one's nodes, data and logs go.
  clusterStateRemove(flags.dir);
  rmSync(path.join(flags.dir, 'nodes'), { recursive: true, force: true });
  const runId = `cluster-${clockCreate()
    .wallIso()
    .replace(/[^0-9]/g, '')
    .slice(0, 14)}-${process.pid}`;
  const runtime = localRuntimeCreate({ config, standbyWriters, baseDir: path.resolve(flags.dir), runId });
  const stopRequest = signalWait();
  try {
    await runtime.start();
    clusterStateWrite(flags.dir, upState(runtime, runId));
    process.stdout.write(upSummary(runtime, config, flags.dir));
    const signal = await stopRequest.received;
    process.stdout.write(`${signal}: stopping the cluster\n`);
  } catch (error) {
    process.stderr.write(`quorumlab: the cluster did not start: ${(error as Error).message}\n`);
    process.exitCode = exitCode.crashed;
  } finally {
    await runtime.stop();
    clusterStateRemove(flags.dir);
    stopRequest.release();
  }
  if (process.exitCode !== exitCode.crashed) process.stdout.write('cluster stopped\n');
}

/** Refuses a directory that is not ours, or whose cluster still runs (or may: its process cannot be verified). */
function upDirCheck(dir: string): void {
  const existing = clusterStateRead(dir);
  const owner = existing.ok ? clusterStateOwner(existing.state) : null;
  if (owner?.t === 'running') {
    throw new UsageError(
      `--dir ${dir}: a cluster is already running there (pid ${existing.ok ? existing.state.pid : '?'}); stop it with \`quorumlab cluster down --dir ${dir}\``,
    );
  }
  if (owner?.t === 'unverified') {
    throw new UsageError(
      `--dir ${dir}: ${owner.reason}, so it may be a cluster still running; stop it yourself, then remove ${clusterStatePath(dir)}`,
    );
  }
  const claim = clusterDirClaim(dir);
  if (!claim.ok) throw new UsageError(claim.error);
}

async function clusterDown(dir: string): Promise<void> {
  const read = clusterStateRead(dir);
  if (!read.ok) throw new UsageError(`--dir ${dir}: ${read.error}`);
  const { pid } = read.state;
  const owner = clusterStateOwner(read.state);
  if (owner.t === 'unverified')
    throw new UsageError(`--dir ${dir}: refusing to signal process ${pid}: ${owner.reason}`);
  if (owner.t === 'gone') {
    clusterStateRemove(dir);
    process.stdout.write(
      `the cluster process ${pid} was already gone (${owner.reason}); did not signal it and removed its state file (\`quorumlab cleanup\` kills any leftover nodes)\n`,
    );
    return;
  }
  process.kill(pid, 'SIGTERM');
  const exited = await pollUntil(clockCreate(), {
    what: `the cluster process ${pid} to exit`,
    timeoutMs: clusterDownWaitMs,
    intervalMs: clusterDownPollMs,
    probe: () => (clusterStateOwnerAlive(read.state) ? null : true),
  }).catch((error: unknown) => {
    if (error instanceof PollTimeoutError) return false;
    throw error;
  });
  if (!exited) {
    if (clusterStateOwnerAlive(read.state)) process.kill(pid, 'SIGKILL');
    clusterStateRemove(dir);
    process.stderr.write(
      `quorumlab: the cluster process ${pid} did not stop within ${clusterDownWaitMs} ms; killed it (its nodes exit on their own)\n`,
    );
    process.exitCode = exitCode.crashed;
    return;
  }
  process.stdout.write(`cluster stopped (process ${pid})\n`);
}

async function clusterStatus(dir: string, json: boolean): Promise<void> {
  const read = clusterStateRead(dir);
  if (!read.ok) throw new UsageError(`--dir ${dir}: ${read.error}`);
  const status = await clusterStatusRead(read.state);
  process.stdout.write(json ? `${JSON.stringify(status, null, 2)}\n` : statusRender(status, read.state));
}

function upConfigParse(flags: UpFlags): ClusterConfig {
  const raw = flags.config === undefined ? {} : configFileRead(flags.config);
  const geometry = { ...(raw['geometry'] as object | undefined) };
  const writer = { ...(raw['writer'] as object | undefined) };
  if (flags.pgs !== undefined) Object.assign(geometry, { pgCount: intFlag('--pgs', flags.pgs, 1, geometryPgCountMax) });
  if (flags.cache !== 'on' && flags.cache !== 'off')
    throw new UsageError(`--cache: expected on or off, got "${flags.cache}"`);
  Object.assign(writer, { cacheEnabled: flags.cache === 'on' });
  const unknownBug = (flags.bug ?? []).find((name) => !(bugNames as readonly string[]).includes(name));
  if (unknownBug !== undefined)
    throw new UsageError(`--bug: unknown bug "${unknownBug}"; known bugs: ${bugNames.join(', ')}`);
  const bugs = flags.bug ?? raw['bugs'] ?? [];
  const parsed = clusterConfigParse({ ...raw, geometry, writer, bugs }, flags.config ?? 'config');
  if (!parsed.ok) throw new UsageError(parsed.error);
  return parsed.config;
}

function configFileRead(file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--config ${file}: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UsageError(`--config ${file}: expected a JSON object`);
  return raw as Record<string, unknown>;
}

export function intFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max)
    throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, got "${text}"`);
  return value;
}

/**
 * Takes SIGINT and SIGTERM until released: `received` resolves with the first.
 * While they are ours, the runtime's emergency kill stays out of the way and the
 * cluster is stopped gracefully; a second signal during the stop changes nothing.
 */
function signalWait(): { readonly received: Promise<NodeJS.Signals>; release(): void } {
  let on: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    on = (signal) => resolve(signal);
  });
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    received,
    release: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

function upState(runtime: LocalRuntime, runId: string): ClusterState {
  return {
    version: 1,
    pid: process.pid,
    pidStartTicks: procStartTicks(process.pid),
    ownerCommand: procCommandLine(process.pid) ?? process.argv.join(' '),
    runId,
    startedAt: clockCreate().wallIso(),
    writer: runtime.writerAddress(),
    writers: runtime
      .nodes()
      .filter((node) => node.role === 'writer')
      .map((node) => ({ id: node.id, address: runtime.linkAddress(clientLinkEnd, node.id) })),
    nodes: runtime.nodes().map((node) => ({
      id: node.id,
      role: node.role,
      az: node.az,
      listen: node.listen,
      pid: runtime.nodePid(node.id),
      logPath: runtime.nodeLogPath(node.id),
      dataDir: runtime.nodeDataDir(node.id),
    })),
  };
}

function upSummary(runtime: LocalRuntime, config: ClusterConfig, dir: string): string {
  const { azCount, nodesPerAz, pgCount } = config.geometry;
  const writers = runtime.nodes().filter((node) => node.role === 'writer').length;
  const writer = runtime.writerAddress();
  return [
    `cluster up: ${azCount * nodesPerAz} storage nodes in ${azCount} AZs, ${writers} writer(s), ${pgCount} PG(s), bugs: ${config.bugs.join(', ') || 'none'}, cache ${config.writer.cacheEnabled ? 'on' : 'off'}`,
    `writer: ${writer.host}:${writer.port}`,
    `logs:   ${path.join(dir, 'nodes', '<id>.log')}`,
    `state:  ${clusterStatePath(dir)}`,
    `try:    quorumlab client write k1 1 && quorumlab client read k1`,
    'stop with Ctrl-C or `quorumlab cluster down`',
    '',
  ].join('\n');
}

function statusRender(status: ClusterStatus, state: ClusterState): string {
  const head = `cluster ${status.runId}: process ${status.ownerPid} ${status.ownerAlive ? 'running' : 'GONE (run `quorumlab cleanup`)'}; writer address ${state.writer.host}:${state.writer.port}`;
  const rows = status.nodes.map(
    (n) =>
      `${n.node.id.padEnd(4)} ${n.node.role.padEnd(8)} az${n.node.az}  ${`${n.node.listen.host}:${n.node.listen.port}`.padEnd(16)} pid ${String(n.node.pid ?? '-').padEnd(8)} ${n.process.padEnd(8)} ${nodeHealthRender(n)}`,
  );
  return `${[head, ...rows].join('\n')}\n`;
}

function nodeHealthRender(n: NodeStatus): string {
  if (n.writer !== undefined) {
    const w = n.writer;
    return `${w.role}${w.ready ? ' ready' : ''} epoch ${w.epoch} VDL ${w.vdl} VCL ${w.vcl} next LSN ${w.lsnNext}`;
  }
  if (n.storage !== undefined) {
    const s = n.storage;
    return `${s.ready ? 'ready' : 'not ready'} epoch ${s.epoch} SCL ${s.scls.join(',')} corrupt blocks ${s.stats.blocksCorrupt} repaired ${s.stats.blocksRepaired}`;
  }
  return n.healthError !== undefined ? `no health: ${n.healthError}` : '';
}
