// The shape of what a test runs against, on its own so that each kind of
// target (local processes, Docker containers, the in-process store) can be
// written in a file of its own that the chooser in run-target.ts imports.

import type { Runtime } from '../cluster/runtime/runtime.js';
import type { NodeId } from '../cluster/topology.js';
import type { JsonValue } from '../core/history.js';
import type { LinkBackend } from '../nemesis/links/link-backend.js';
import type { NodeLogSource } from '../results/run-store.js';
import type { WorkloadClientOpen } from '../workloads/client.js';
import type { Workload } from '../workloads/workload.js';
import type { RecoveryWait } from './recovery-poll.js';

export interface RunTarget {
  /** The runtime the nemesis acts on; null for the in-process store. */
  readonly runtime: Runtime | null;
  /** The network the link faults act on once the cluster started; null before, and for the in-process store. */
  links(): LinkBackend | null;
  /** The writer clients are sent to now. */
  writerPrimary(): NodeId | null;
  start(signal: AbortSignal): Promise<void>;
  /** What the run record says about the runtime once it started (image, subnet, ...). */
  describe(): Readonly<Record<string, JsonValue>>;
  clientOpen(workload: Workload): WorkloadClientOpen;
  /** Waits until the writer reports ready and acknowledges a write, within timeoutMs. */
  recoveryWait(timeoutMs: number, signal: AbortSignal): Promise<RecoveryWait>;
  /** Stops every node; never throws. */
  stop(): Promise<void>;
  logs(): readonly NodeLogSource[];
  /** Removes node data directories. */
  dispose(): void;
}
