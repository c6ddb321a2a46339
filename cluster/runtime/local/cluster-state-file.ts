// The state file of a cluster kept running by hand (`quorumlab cluster up`):
// which process runs it and where its nodes listen, so that `cluster down`,
// `cluster status`, `client` and `cleanup` can find it. Written atomically;
// read back as a value with every field checked, never trusted blindly (the
// process may be long gone, the file damaged or planted; a local cluster
// listens on the loopback only).

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Address, NodeId, NodeRole } from '../../topology.js';
import { procCommandLine, procStartTicks } from './process-marker.js';
import { fieldBrief, FieldInvalid, fieldInteger, fieldList, fieldObject, fieldText } from '../../field-check.js';
import { nodeRole } from '../../node-config-parse.js';

export const clusterDirDefault = path.join('store', 'cluster');
export const clusterStateFileName = 'state.json';

export interface ClusterStateNode {
  readonly id: NodeId;
  readonly role: NodeRole;
  readonly az: number;
  readonly listen: Address;
  readonly pid: number | null;
  readonly logPath: string;
  readonly dataDir: string;
}

export interface ClusterState {
  readonly version: 1;
  /** The `cluster up` process that owns the nodes. */
  readonly pid: number;
  /** With pid, identifies that process even if the pid is reused later. */
  readonly pidStartTicks: number | null;
  /** With pid and start time, the command line the process ran: a forged or foreign state file names another. */
  readonly ownerCommand?: string;
  readonly runId: string;
  readonly startedAt: string;
  /** The primary writer's client address when the cluster started. */
  readonly writer: Address;
  /** Every writer's client address, so a client can find the primary after a promotion. */
  readonly writers?: readonly { readonly id: NodeId; readonly address: Address }[];
  readonly nodes: readonly ClusterStateNode[];
}

export type ClusterStateRead =
  | { readonly ok: true; readonly state: ClusterState }
  | { readonly ok: false; readonly missing: boolean; readonly error: string };

export function clusterStatePath(dir: string): string {
  return path.join(dir, clusterStateFileName);
}

export function clusterStateWrite(dir: string, state: ClusterState): void {
  const target = clusterStatePath(dir);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, target);
}

export function clusterStateRead(dir: string): ClusterStateRead {
  const file = clusterStatePath(dir);
  if (!existsSync(file))
    return {
      ok: false,
      missing: true,
      error: `no cluster state at ${file} (is a cluster running? start one with \`quorumlab cluster up\`)`,
    };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ok: false, missing: false, error: `${file}: not readable JSON: ${(error as Error).message}` };
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || version !== 1)
    return { ok: false, missing: false, error: `${file}: not a cluster state file of this version` };
  try {
    return { ok: true, state: clusterStateParse(raw) };
  } catch (error) {
    if (error instanceof FieldInvalid) return { ok: false, missing: false, error: `${file}: ${error.message}` };
    throw error;
  }
}

export function clusterStateRemove(dir: string): void {
  rmSync(clusterStatePath(dir), { force: true });
}

/**
 * Who runs at the state's pid now. Only `running` may be signalled: the pid,
 * its start time and its command line all match what `cluster up` recorded.
 * A later start time means the pid was reused after the cluster died; a
 * missing start time or command line, or another command, cannot be told
 * apart from a process that is not ours, so it is never signalled.
 */
export type ClusterOwner =
  | { readonly t: 'running' }
  | { readonly t: 'gone'; readonly reason: string }
  | { readonly t: 'unverified'; readonly reason: string };

export function clusterStateOwner(state: ClusterState): ClusterOwner {
  const { pid } = state;
  const ticks = procStartTicks(pid);
  if (ticks === null) return { t: 'gone', reason: `process ${pid} is gone` };
  if (state.pidStartTicks === null || typeof state.pidStartTicks !== 'number')
    return { t: 'unverified', reason: `the state file records no start time for process ${pid}` };
  if (ticks !== state.pidStartTicks)
    return { t: 'gone', reason: `process ${pid} is gone; its pid now belongs to another process` };
  if (typeof state.ownerCommand !== 'string')
    return { t: 'unverified', reason: `the state file records no command line for process ${pid}` };
  const command = procCommandLine(pid);
  if (command !== state.ownerCommand)
    return {
      t: 'unverified',
      reason: `process ${pid} runs ${JSON.stringify(command ?? '?')}, not the recorded ${JSON.stringify(state.ownerCommand)}`,
    };
  return { t: 'running' };
}

/** Whether the process that wrote the state still runs, verified as itself. */
export function clusterStateOwnerAlive(state: ClusterState): boolean {
  return clusterStateOwner(state).t === 'running';
}

/** Bound on nodes and writers listed (every process of a cluster the config accepts). */
const nodesMax = 256;
/** Linux pids stay below 2^22. */
const pidMax = 4_194_304;

/** Checks a parsed state file of version 1; throws FieldInvalid naming the first bad field. */
function clusterStateParse(raw: object): ClusterState {
  const s = raw as Record<string, unknown>;
  const ticks = s['pidStartTicks'];
  if (ticks !== null && (typeof ticks !== 'number' || !Number.isFinite(ticks)))
    throw new FieldInvalid(`pidStartTicks: expected a number or null, got ${fieldBrief(ticks)}`);
  const ownerCommand = s['ownerCommand'];
  if (ownerCommand !== undefined && typeof ownerCommand !== 'string')
    throw new FieldInvalid(`ownerCommand: expected a string, got ${fieldBrief(ownerCommand)}`);
  const writers = s['writers'] === undefined ? undefined : fieldList(s['writers'], 'writers', nodesMax);
  return {
    version: 1,
    pid: pid(s['pid'], 'pid'),
    pidStartTicks: ticks,
    ...(ownerCommand === undefined ? {} : { ownerCommand }),
    runId: text(s['runId'], 'runId'),
    startedAt: text(s['startedAt'], 'startedAt'),
    writer: loopback(s['writer'], 'writer'),
    ...(writers === undefined
      ? {}
      : {
          writers: writers.map((w, i) => {
            const writer = fieldObject(w, `writers[${i}]`);
            const id = fieldText(writer['id'], `writers[${i}].id`) as NodeId;
            return { id, address: loopback(writer['address'], `writers[${i}].address`) };
          }),
        }),
    nodes: fieldList(s['nodes'], 'nodes', nodesMax).map((n, i) => node(n, `nodes[${i}]`)),
  };
}

function node(raw: unknown, where: string): ClusterStateNode {
  const n = fieldObject(raw, where);
  const id = fieldText(n['id'], `${where}.id`) as NodeId;
  const nodePid = n['pid'];
  if (nodePid !== null && !(typeof nodePid === 'number' && Number.isInteger(nodePid) && nodePid > 0))
    throw new FieldInvalid(`${where}.pid: expected a process id or null, got ${fieldBrief(nodePid)}`);
  return {
    id,
    role: nodeRole(n['role'], `${where}.role`),
    az: fieldInteger(n['az'], `${where}.az`, 0, nodesMax),
    listen: loopback(n['listen'], `${where}.listen`),
    pid: nodePid,
    logPath: fieldText(n['logPath'], `${where}.logPath`),
    dataDir: fieldText(n['dataDir'], `${where}.dataDir`),
  };
}

function loopback(raw: unknown, where: string): Address {
  const address = fieldObject(raw, where);
  const host = fieldText(address['host'], `${where}.host`);
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) && host !== 'localhost' && host !== '::1')
    throw new FieldInvalid(`${where}.host: expected a loopback address, got ${fieldBrief(host)}`);
  return { host, port: fieldInteger(address['port'], `${where}.port`, 1, 65535) };
}

function pid(raw: unknown, where: string): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > pidMax)
    throw new FieldInvalid(`${where}: expected a process id, got ${fieldBrief(raw)}`);
  return raw;
}

/** A string, possibly empty (an old file's startedAt may be). */
function text(raw: unknown, where: string): string {
  if (typeof raw !== 'string') throw new FieldInvalid(`${where}: expected a string, got ${fieldBrief(raw)}`);
  return raw;
}
