// A real local cluster with the proxy on every link and the chaos nemesis
// over it, for the fault tests: short store timeouts, a fast scrub, the
// volatile write cache on (power loss) and one standby writer (failover).
// Everything it starts is released by stop(), whether the test passed or not.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreClient, type ClientResult } from '../../cluster/client.js';
import { clusterConfigParse, type ClusterConfig } from '../../cluster/config.js';
import type { StoreValue } from '../../cluster/protocol/client-messages.js';
import { localRuntimeCreate, type LocalRuntime } from '../../cluster/runtime/local/local-runtime.js';
import { clockCreate } from '../../core/clock.js';
import type { JsonValue } from '../../core/history.js';
import { prngCreate } from '../../core/prng.js';
import { chaosNemesisCreate } from '../chaos.js';
import type { NemesisOutcome, NemesisPackage } from '../nemesis.js';
import { linkLayerProxyCreate, type ProxyMesh } from '../proxy/proxy-mesh.js';

/** Bound on one client request in the fault tests. */
export const requestTimeoutMs = 3000;

export interface ChaosCluster {
  readonly runtime: LocalRuntime;
  readonly mesh: ProxyMesh;
  readonly config: ClusterConfig;
  readonly nemesis: NemesisPackage;
  /** Runs `start-<fault>` (or `stop-<fault>`) and returns what the nemesis would record. */
  op(f: string, targets?: readonly string[]): Promise<NemesisOutcome>;
  /** Runs any nemesis operation with the value a schedule would give it (an aim, an await's bound). */
  invoke(f: string, value: JsonValue): Promise<NemesisOutcome>;
  /** One write through the proxy to the current primary, on a fresh connection. */
  write(key: string, value: number | string): Promise<boolean>;
  /** One read through the proxy; null when it failed. */
  read(key: string): Promise<StoreValue | null | undefined>;
  stop(): Promise<void>;
}

export async function chaosClusterStart(
  faults: readonly string[],
  storage: Record<string, unknown> = {},
): Promise<ChaosCluster> {
  const parsed = clusterConfigParse({
    writer: { quorumTimeoutMs: 1000, backpressureTimeoutMs: 1000 },
    storage: { gossipIntervalMs: 100, scrubIntervalMs: 100, volatileWriteCache: true, ...storage },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const config = parsed.config;
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-nemesis-'));
  let mesh: ProxyMesh | null = null;
  const runtime = localRuntimeCreate(
    { config, standbyWriters: 1, baseDir, runId: `nemesis-test-${path.basename(baseDir)}` },
    {
      linkLayerCreate: linkLayerProxyCreate(prngCreate(1), { onMesh: (created) => (mesh = created) }),
      writerReadyTimeoutMs: 20_000,
    },
  );
  const stop = async (): Promise<void> => {
    await runtime.stop();
    rmSync(baseDir, { recursive: true, force: true });
  };
  try {
    await runtime.start();
  } catch (error) {
    await stop();
    throw error;
  }
  const started = mesh as ProxyMesh | null;
  if (started === null) throw new Error('the runtime started without building the proxy mesh');
  const nemesis = chaosNemesisCreate({ faults, schedule: { kind: 'fixed' } })({
    runtime,
    prng: prngCreate(7),
    clock: clockCreate(),
    intervalMs: 1000,
    mesh: started,
    config,
    writerPrimary: () => runtime.writerPrimary(),
  });
  await nemesis.nemesis.setup();
  return {
    runtime,
    mesh: started,
    config,
    nemesis,
    op: (f, targets) => nemesis.nemesis.invoke({ f, value: targets === undefined ? null : { targets: [...targets] } }),
    invoke: (f, value) => nemesis.nemesis.invoke({ f, value }),
    write: (key, value) => writeOnce(runtime, key, value),
    read: (key) => readOnce(runtime, key),
    stop,
  };
}

async function writeOnce(runtime: LocalRuntime, key: string, value: number | string): Promise<boolean> {
  const result = await requestOnce(runtime, { t: 'write', key, value });
  return result?.ok === true;
}

/** undefined: the read failed; null: the key holds nothing. */
async function readOnce(runtime: LocalRuntime, key: string): Promise<StoreValue | null | undefined> {
  const result = await requestOnce(runtime, { t: 'read', key });
  return result?.ok === true ? (result.value as StoreValue | null) : undefined;
}

async function requestOnce(
  runtime: LocalRuntime,
  request: Parameters<StoreClient['request']>[0],
): Promise<ClientResult | null> {
  let client: StoreClient;
  try {
    client = await StoreClient.connect(runtime.writerAddress(), requestTimeoutMs);
  } catch {
    return null;
  }
  try {
    return await client.request(request, requestTimeoutMs);
  } finally {
    client.close();
  }
}

/** The `targets` of an outcome's value. */
export function targetsOf(outcome: NemesisOutcome): string[] {
  const value = outcome.value as { readonly targets?: readonly JsonValue[] } | null;
  return (value?.targets ?? []).map(String);
}

/** A field of an outcome's value. */
export function fieldOf(outcome: NemesisOutcome, field: string): JsonValue | undefined {
  return (outcome.value as Record<string, JsonValue> | null)?.[field];
}
