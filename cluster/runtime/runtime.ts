// The narrow interface every runtime implements (local processes now, Docker
// next, several engines or Kubernetes later): start and stop a cluster, act on
// one node, and say where its data and logs live. The nemesis and the runner
// use nothing else.

import type { ClusterConfig } from '../config.js';
import type { Address, NodeId, NodeSpec } from '../topology.js';

export interface ClusterSpec {
  readonly config: ClusterConfig;
  /** Standby writers besides the primary (w0); they wait until told to take over. */
  readonly standbyWriters: number;
  /** Directory under which node data directories and logs are created. */
  readonly baseDir: string;
  /** A label for processes/containers so `cleanup` can find leftovers (the run id). */
  readonly runId: string;
}

export type NodeState = 'running' | 'stopped' | 'paused';

export interface Runtime {
  readonly name: 'local' | 'docker';
  /** Start every node and wait until the primary writer reports ready. */
  start(signal?: AbortSignal): Promise<void>;
  /** Stop every node (graceful, then forced after a bound). Idempotent; never throws. */
  stop(): Promise<void>;
  nodes(): readonly NodeSpec[];
  /** The address a client dials to reach the current writer. */
  writerAddress(): Address;
  nodeState(id: NodeId): NodeState;
  /** SIGKILL (or container kill): no chance to flush. */
  nodeKill(id: NodeId): Promise<void>;
  /** Graceful stop (SIGTERM, bounded wait, then SIGKILL). */
  nodeStop(id: NodeId): Promise<void>;
  /**
   * Start a stopped node again with its existing data; resolves when it answers health (a writer: once settled, or
   * at most settleTimeoutMs once it answers).
   */
  nodeStart(id: NodeId, signal?: AbortSignal, settleTimeoutMs?: number): Promise<void>;
  nodePause(id: NodeId): Promise<void>;
  nodeResume(id: NodeId): Promise<void>;
  /** Asks the running writers which leads and takes the ready primary of the highest epoch; null when none is ready. */
  writerPrimaryFind(): Promise<NodeId | null>;
  /** Tell a standby writer to take over (recovery with an epoch bump). */
  writerPromote(id: NodeId, signal?: AbortSignal): Promise<void>;
  nodeDataDir(id: NodeId): string;
  nodeLogPath(id: NodeId): string;
}
