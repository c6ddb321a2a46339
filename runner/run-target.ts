// What a test runs against: a cluster on a runtime (local processes with the
// fault-injecting proxy on every link, or Docker containers with packet-drop
// rules), or the in-process store that checks the workbench itself without a
// cluster. The loop sees only this: start, clients, the links the nemesis acts
// on, wait for recovery, stop, node logs.

import { rmSync } from 'node:fs';
import { localRuntimeCreate } from '../cluster/runtime/local/local-runtime.js';
import { assertNever } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { prngCreate } from '../core/prng.js';
import type { LinkBackend } from '../nemesis/links/link-backend.js';
import { proxyLinkBackend } from '../nemesis/proxy/proxy-link-backend.js';
import { linkLayerProxyCreate, type ProxyMesh } from '../nemesis/proxy/proxy-mesh.js';
import { memoryClientOpen } from '../workloads/memory-client.js';
import { dockerTargetCreate } from './docker-target.js';
import { recoveryPoll } from './recovery-poll.js';
import { clusterClientOpen, runtimeLogs } from './target-support.js';
import type { RunTarget } from './target.js';
import type { TestOptions } from './test-options.js';

export { recoveryKey, type RecoveryWait } from './recovery-poll.js';
export type { RunTarget } from './target.js';

/**
 * `baseDir` holds the nodes' data and logs while the run lasts; it is inside the run directory, so a run
 * killed before it could clean up leaves them beside its history (the only copy of the node logs), not in
 * the system's temp directory.
 */
export function runTargetCreate(options: TestOptions, runId: string, clock: Clock, baseDir: string): RunTarget {
  switch (options.runtime) {
    case 'local':
      return localTargetCreate(options, runId, clock, baseDir);
    case 'docker':
      return dockerTargetCreate(options, runId, clock, baseDir);
    case 'memory':
      return memoryTargetCreate();
    default:
      return assertNever(options.runtime, 'runtime');
  }
}

function localTargetCreate(options: TestOptions, runId: string, clock: Clock, baseDir: string): RunTarget {
  let links: LinkBackend | null = null;
  // The proxy draws delay jitter and loss from its own stream of the run's seed.
  const onMesh = (mesh: ProxyMesh): void => {
    links = proxyLinkBackend(mesh);
  };
  const linkLayerCreate = linkLayerProxyCreate(prngCreate(options.seed).fork('links'), { onMesh });
  const runtime = localRuntimeCreate(
    { config: options.cluster, standbyWriters: options.standbyWriters, baseDir, runId },
    { linkLayerCreate, clock },
  );
  return {
    runtime,
    links: () => links,
    writerPrimary: () => runtime.writerPrimary(),
    start: (signal) => runtime.start(signal),
    describe: () => ({ name: 'local', links: 'proxy' }),
    clientOpen: (workload) => clusterClientOpen(workload, runtime, options, clock),
    recoveryWait: (timeoutMs, signal) => recoveryPoll(runtime, clock, timeoutMs, signal),
    stop: () => runtime.stop(),
    logs: () => runtimeLogs(runtime),
    dispose: () => rmSync(baseDir, { recursive: true, force: true }),
  };
}

function memoryTargetCreate(): RunTarget {
  return {
    runtime: null,
    links: () => null,
    writerPrimary: () => null,
    start: () => Promise.resolve(),
    describe: () => ({ name: 'memory' }),
    clientOpen: (workload) => memoryClientOpen(workload),
    recoveryWait: () => Promise.resolve({ ready: true, waitedMs: 0 }),
    stop: () => Promise.resolve(),
    logs: () => [],
    dispose: () => undefined,
  };
}
