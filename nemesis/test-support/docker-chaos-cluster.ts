// A real Docker cluster with the chaos nemesis over it, for the Docker fault
// tests: the same store settings as the local fault tests (short timeouts,
// fast scrub, volatile write cache, one standby writer), the link faults on
// iptables in the containers' namespaces, and a stop that removes everything.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreClient } from '../../cluster/client.js';
import { clusterConfigParse } from '../../cluster/config.js';
import { dockerRuntimeCreate, type DockerRuntime } from '../../cluster/runtime/docker/docker-runtime.js';
import { DockerNetworkFaults } from '../../cluster/runtime/docker/network-faults.js';
import { testRunsRemove } from '../../cluster/runtime/docker/test-support/docker-gate.js';
import { clockCreate } from '../../core/clock.js';
import type { JsonValue } from '../../core/history.js';
import { prngCreate } from '../../core/prng.js';
import { chaosNemesisCreate } from '../chaos.js';
import { dockerLinkBackend } from '../links/docker-link-backend.js';
import type { LinkBackend } from '../links/link-backend.js';
import type { NemesisOutcome, NemesisPackage } from '../nemesis.js';
import { requestTimeoutMs } from './chaos-cluster.js';

export interface DockerChaosCluster {
  readonly runtime: DockerRuntime;
  readonly links: LinkBackend;
  readonly nemesis: NemesisPackage;
  op(f: string, targets?: readonly string[]): Promise<NemesisOutcome>;
  /** Any nemesis operation with the value a schedule would give it (an aim, an await's bound). */
  invoke(f: string, value: JsonValue): Promise<NemesisOutcome>;
  /** One write to the current primary's container address, on a fresh connection. */
  write(key: string, value: number | string): Promise<boolean>;
  stop(): Promise<void>;
}

export async function dockerChaosClusterStart(runId: string, faults: readonly string[]): Promise<DockerChaosCluster> {
  const parsed = clusterConfigParse({
    writer: { quorumTimeoutMs: 1000, backpressureTimeoutMs: 1000 },
    storage: { gossipIntervalMs: 100, scrubIntervalMs: 100, volatileWriteCache: true },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-dk-nemesis-'));
  const runtime = dockerRuntimeCreate({ config: parsed.config, standbyWriters: 1, baseDir, runId });
  const stop = async (): Promise<void> => {
    await runtime.stop();
    await testRunsRemove([runId]);
    rmSync(baseDir, { recursive: true, force: true });
  };
  try {
    await runtime.start();
    const networkFaults = new DockerNetworkFaults(runtime);
    const links = dockerLinkBackend({
      faults: networkFaults,
      nodes: () => runtime.nodes(),
      netem: await networkFaults.netemSupport(),
    });
    const nemesis = chaosNemesisCreate({ faults, schedule: { kind: 'fixed' } })({
      runtime,
      prng: prngCreate(7),
      clock: clockCreate(),
      intervalMs: 1000,
      links,
      config: parsed.config,
      writerPrimary: () => runtime.writerPrimary(),
    });
    await nemesis.nemesis.setup();
    return {
      runtime,
      links,
      nemesis,
      op: (f, targets) =>
        nemesis.nemesis.invoke({ f, value: targets === undefined ? null : { targets: [...targets] } }),
      invoke: (f, value) => nemesis.nemesis.invoke({ f, value }),
      write: (key, value) => writeOnce(runtime, key, value),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function writeOnce(runtime: DockerRuntime, key: string, value: number | string): Promise<boolean> {
  let client: StoreClient;
  try {
    client = await StoreClient.connect(runtime.writerAddress(), requestTimeoutMs);
  } catch (error) {
    if (error instanceof Error) return false;
    throw error;
  }
  try {
    return (await client.request({ t: 'write', key, value }, requestTimeoutMs)).ok;
  } finally {
    client.close();
  }
}
