// What a test runs against: a cluster on a runtime (local processes, with the
// fault-injecting proxy on every link), or the in-process store that checks
// the workbench itself without a cluster. The loop sees only this: start,
// clients, the proxy, wait for recovery, stop, node logs.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreClient } from '../cluster/client.js';
import { localRuntimeCreate } from '../cluster/runtime/local/local-runtime.js';
import { writerHealthProbe, writerPrimaryReady } from '../cluster/runtime/local/node-health.js';
import type { Runtime } from '../cluster/runtime/runtime.js';
import type { NodeId, NodeSpec } from '../cluster/topology.js';
import { assertNever } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { prngCreate } from '../core/prng.js';
import { linkLayerProxyCreate, type ProxyMesh } from '../nemesis/proxy-mesh.js';
import type { NodeLogSource } from '../results/run-store.js';
import type { WorkloadClientOpen } from '../workloads/client.js';
import { memoryClientOpen } from '../workloads/memory-client.js';
import { storeClientOpen } from '../workloads/store-client.js';
import type { Workload } from '../workloads/workload.js';
import type { TestOptions } from './test-options.js';

/** Bound on one client connect; a connect that fails is a definite failure of its operation. */
const connectTimeoutMs = 1000;
/** A failed connect holds its worker this long before the next operation. */
const connectRetryDelayMs = 100;
/** Interval and per-probe bound of the recovery wait. */
const recoveryPollMs = 100;
const recoveryProbeTimeoutMs = 1000;
/** Bound on the recovery wait's write: a quorum write may wait for a slow replica. */
const recoveryWriteTimeoutMs = 3000;
/** The key the recovery wait writes; no workload uses it, and it is not in the history. */
export const recoveryKey = 'quorumlab-recovery';

export type RecoveryWait = { readonly ready: true; readonly waitedMs: number } | { readonly ready: false; readonly waitedMs: number; readonly last: string };

export interface RunTarget {
  /** The runtime the nemesis acts on; null for the in-process store. */
  readonly runtime: Runtime | null;
  /** The proxy on every link once the cluster started; null before, and for the in-process store. */
  mesh(): ProxyMesh | null;
  /** The writer clients are sent to now. */
  writerPrimary(): NodeId | null;
  start(signal: AbortSignal): Promise<void>;
  clientOpen(workload: Workload): WorkloadClientOpen;
  /** Waits until the writer reports ready and acknowledges a write, within timeoutMs. */
  recoveryWait(timeoutMs: number, signal: AbortSignal): Promise<RecoveryWait>;
  /** Stops every node; never throws. */
  stop(): Promise<void>;
  logs(): readonly NodeLogSource[];
  /** Removes node data directories. */
  dispose(): void;
}

export function runTargetCreate(options: TestOptions, runId: string, clock: Clock): RunTarget {
  switch (options.runtime) {
    case 'local':
      return localTargetCreate(options, runId, clock);
    case 'memory':
      return memoryTargetCreate();
    default:
      return assertNever(options.runtime, 'runtime');
  }
}

function localTargetCreate(options: TestOptions, runId: string, clock: Clock): RunTarget {
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-run-'));
  let mesh: ProxyMesh | null = null;
  // The proxy draws delay jitter and loss from its own stream of the run's seed.
  const linkLayerCreate = linkLayerProxyCreate(prngCreate(options.seed).fork('links'), { onMesh: (created) => (mesh = created) });
  const runtime = localRuntimeCreate({ config: options.cluster, standbyWriters: options.standbyWriters, baseDir, runId }, { linkLayerCreate });
  return {
    runtime,
    mesh: () => mesh,
    writerPrimary: () => runtime.writerPrimary(),
    start: (signal) => runtime.start(signal),
    clientOpen: (workload) => () =>
      storeClientOpen(workload, { writerAddress: () => runtime.writerAddress(), opTimeoutMs: options.opTimeoutMs, connectTimeoutMs, connectRetryDelayMs }),
    recoveryWait: (timeoutMs, signal) => recoveryPoll(runtime, clock, timeoutMs, signal),
    stop: () => runtime.stop(),
    logs: () => {
      // Before a successful start there may be no topology; then there are no logs to collect.
      return runtimeNodes(runtime).map((node) => ({ node: node.id, path: runtime.nodeLogPath(node.id) }));
    },
    dispose: () => rmSync(baseDir, { recursive: true, force: true }),
  };
}

function runtimeNodes(runtime: Runtime): readonly NodeSpec[] {
  try {
    return runtime.nodes();
  } catch (error) {
    process.stderr.write(`quorumlab: no node logs to collect: ${error instanceof Error ? error.message : String(error)}\n`);
    return [];
  }
}

/** Recovered means the primary reports ready and acknowledges a write: a quorum of storage is back too. */
async function recoveryPoll(runtime: Runtime, clock: Clock, timeoutMs: number, signal: AbortSignal): Promise<RecoveryWait> {
  const startMs = clock.nowMs();
  let last = 'not probed';
  for (let attempt = 1; clock.nowMs() - startMs < timeoutMs && !signal.aborted; attempt++) {
    const probe = await writerHealthProbe(runtime.writerAddress(), recoveryProbeTimeoutMs);
    if (probe.ok && writerPrimaryReady(probe.health)) {
      const write = await recoveryWrite(runtime, attempt);
      if (write === null) return { ready: true, waitedMs: clock.nowMs() - startMs };
      last = `writer ready, but its write failed: ${write}`;
    } else {
      last = probe.ok ? `writer is ${probe.health.role}, ready ${probe.health.ready}` : probe.error;
    }
    await new Promise((resolve) => setTimeout(resolve, recoveryPollMs));
  }
  return { ready: false, waitedMs: clock.nowMs() - startMs, last: signal.aborted ? 'aborted' : last };
}

/** One write outside the workload's keys; null once acknowledged, else why not. */
async function recoveryWrite(runtime: Runtime, attempt: number): Promise<string | null> {
  let client: StoreClient;
  try {
    client = await StoreClient.connect(runtime.writerAddress(), recoveryProbeTimeoutMs);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  try {
    const result = await client.request({ t: 'write', key: recoveryKey, value: attempt }, recoveryWriteTimeoutMs);
    return result.ok ? null : `${result.code}: ${result.message}`;
  } finally {
    client.close();
  }
}

function memoryTargetCreate(): RunTarget {
  return {
    runtime: null,
    mesh: () => null,
    writerPrimary: () => null,
    start: () => Promise.resolve(),
    clientOpen: (workload) => memoryClientOpen(workload),
    recoveryWait: () => Promise.resolve({ ready: true, waitedMs: 0 }),
    stop: () => Promise.resolve(),
    logs: () => [],
    dispose: () => undefined,
  };
}
