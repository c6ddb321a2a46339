// What `quorumlab cluster status` shows: for each node of a cluster kept
// running by hand, whether its process runs, is paused or is gone, and what it
// answers to health over the real protocol.

import type { WriterHealth } from '../../protocol/client-messages.js';
import type { ClusterState, ClusterStateNode } from './cluster-state-file.js';
import { clusterStateOwnerAlive } from './cluster-state-file.js';
import { storageHealthProbe, writerHealthProbe } from '../shared/node-health.js';
import type { StorageHealth } from '../shared/node-health.js';
import { procState } from './process-marker.js';

export type ProcessState = 'running' | 'paused' | 'gone';

export interface NodeStatus {
  readonly node: ClusterStateNode;
  readonly process: ProcessState;
  readonly storage?: StorageHealth;
  readonly writer?: WriterHealth;
  /** Why health could not be read, when it could not. */
  readonly healthError?: string;
}

export interface ClusterStatus {
  readonly ownerPid: number;
  readonly ownerAlive: boolean;
  readonly runId: string;
  readonly nodes: readonly NodeStatus[];
}

/** Bound on each node's health probe (a paused node never answers). */
export const statusProbeTimeoutMs = 1000;

export async function clusterStatusRead(
  state: ClusterState,
  probeTimeoutMs = statusProbeTimeoutMs,
): Promise<ClusterStatus> {
  const nodes = await Promise.all(state.nodes.map((node) => nodeStatusRead(node, probeTimeoutMs)));
  return { ownerPid: state.pid, ownerAlive: clusterStateOwnerAlive(state), runId: state.runId, nodes };
}

async function nodeStatusRead(node: ClusterStateNode, probeTimeoutMs: number): Promise<NodeStatus> {
  const process = processStateOf(node.pid);
  if (process !== 'running') return { node, process };
  if (node.role === 'storage') {
    const probe = await storageHealthProbe(node.listen, probeTimeoutMs);
    return probe.ok ? { node, process, storage: probe.health } : { node, process, healthError: probe.error };
  }
  const probe = await writerHealthProbe(node.listen, probeTimeoutMs);
  return probe.ok ? { node, process, writer: probe.health } : { node, process, healthError: probe.error };
}

function processStateOf(pid: number | null): ProcessState {
  if (pid === null) return 'gone';
  const state = procState(pid);
  if (state === null || state === 'Z' || state === 'X') return 'gone';
  return state === 'T' || state === 't' ? 'paused' : 'running';
}
