// The state file of a cluster kept running by hand (`quorumlab cluster up`):
// which process runs it and where its nodes listen, so that `cluster down`,
// `cluster status`, `client` and `cleanup` can find it. Written atomically;
// read back as a value, never trusted blindly (the process may be long gone).

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Address, NodeId, NodeRole } from '../../topology.js';
import { procCommandLine, procStartTicks } from './process-marker.js';

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
  const state = raw as Partial<ClusterState>;
  if (
    state.version !== 1 ||
    typeof state.pid !== 'number' ||
    !Array.isArray(state.nodes) ||
    typeof state.writer?.port !== 'number'
  ) {
    return { ok: false, missing: false, error: `${file}: not a cluster state file of this version` };
  }
  return { ok: true, state: state as ClusterState };
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
