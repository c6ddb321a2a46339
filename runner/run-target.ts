// What a test runs against: a cluster on a runtime (local processes), or the
// in-process store that checks the workbench itself without a cluster. The
// loop sees only this: start, clients, wait for recovery, stop, node logs.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localRuntimeCreate } from '../cluster/runtime/local/local-runtime.js';
import { writerHealthProbe, writerPrimaryReady } from '../cluster/runtime/local/node-health.js';
import type { Runtime } from '../cluster/runtime/runtime.js';
import type { NodeSpec } from '../cluster/topology.js';
import { assertNever } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
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

export type RecoveryWait = { readonly ready: true; readonly waitedMs: number } | { readonly ready: false; readonly waitedMs: number; readonly last: string };

export interface RunTarget {
  /** The runtime the nemesis acts on; null for the in-process store. */
  readonly runtime: Runtime | null;
  start(signal: AbortSignal): Promise<void>;
  clientOpen(workload: Workload): WorkloadClientOpen;
  /** Waits until the writer reports ready, within timeoutMs. */
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
  const runtime = localRuntimeCreate({ config: options.cluster, standbyWriters: 0, baseDir, runId });
  return {
    runtime,
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

async function recoveryPoll(runtime: Runtime, clock: Clock, timeoutMs: number, signal: AbortSignal): Promise<RecoveryWait> {
  const startMs = clock.nowMs();
  let last = 'not probed';
  while (clock.nowMs() - startMs < timeoutMs && !signal.aborted) {
    const probe = await writerHealthProbe(runtime.writerAddress(), recoveryProbeTimeoutMs);
    if (probe.ok && writerPrimaryReady(probe.health)) return { ready: true, waitedMs: clock.nowMs() - startMs };
    last = probe.ok ? `writer is ${probe.health.role}, ready ${probe.health.ready}` : probe.error;
    await new Promise((resolve) => setTimeout(resolve, recoveryPollMs));
  }
  return { ready: false, waitedMs: clock.nowMs() - startMs, last: signal.aborted ? 'aborted' : last };
}

function memoryTargetCreate(): RunTarget {
  return {
    runtime: null,
    start: () => Promise.resolve(),
    clientOpen: (workload) => memoryClientOpen(workload),
    recoveryWait: () => Promise.resolve({ ready: true, waitedMs: 0 }),
    stop: () => Promise.resolve(),
    logs: () => [],
    dispose: () => undefined,
  };
}
