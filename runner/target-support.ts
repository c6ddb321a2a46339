// What the runtime-backed run targets share: clients that dial whatever
// address the runtime gives for the current writer, and the node log files to
// copy into the run directory.

import type { Runtime } from '../cluster/runtime/runtime.js';
import type { NodeSpec } from '../cluster/topology.js';
import type { Clock } from '../core/clock.js';
import type { NodeLogSource } from '../results/run-store.js';
import type { WorkloadClientOpen } from '../workloads/client.js';
import { storeClientOpen } from '../workloads/store-client.js';
import type { Workload } from '../workloads/workload.js';
import type { TestOptions } from './test-options.js';

/** Bound on one client connect; a connect that fails is a definite failure of its operation. */
export const connectTimeoutMs = 1000;
/** A failed connect holds its worker this long before the next operation. */
export const connectRetryDelayMs = 100;

/** Clients of a real cluster dial whatever address the runtime gives for the current writer. */
export function clusterClientOpen(
  workload: Workload,
  runtime: Runtime,
  options: TestOptions,
  clock: Clock,
): WorkloadClientOpen {
  return () =>
    storeClientOpen(workload, {
      writerAddress: () => runtime.writerAddress(),
      opTimeoutMs: options.opTimeoutMs,
      connectTimeoutMs,
      connectRetryDelayMs,
      clock,
    });
}

/** Every node's log file; before a successful start there may be no topology, and then no logs to collect. */
export function runtimeLogs(runtime: Runtime): readonly NodeLogSource[] {
  return runtimeNodes(runtime).map((node) => ({ node: node.id, path: runtime.nodeLogPath(node.id) }));
}

function runtimeNodes(runtime: Runtime): readonly NodeSpec[] {
  try {
    return runtime.nodes();
  } catch (error) {
    process.stderr.write(
      `quorumlab: no node logs to collect: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return [];
  }
}
