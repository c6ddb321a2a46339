// The Docker runtime on a real engine: a 3x2 cluster and a writer in
// containers serves the client library; kill, restart, pause and resume act on
// one container; a blocked link really drops packets (a connect across it
// times out and the rule counts the drops) until it is unblocked, also across
// a restart of the node; stop() removes everything labelled with the run.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StoreClient } from '../../client.js';
import type { ClientResult } from '../../client.js';
import { clusterConfigParse } from '../../config.js';
import { storageNodeId, writerNodeId } from '../../topology.js';
import { clientLinkEnd } from '../local/link-address.js';
import { storageHealthProbe } from '../shared/node-health.js';
import { labelAz, labelNode, labelRole, labelRun } from './docker-labels.js';
import { dockerRuntimeCreate } from './docker-runtime.js';
import type { DockerRuntime } from './docker-runtime.js';
import { DockerNetworkFaults } from './network-faults.js';
import type { DirectedLink } from './network-faults.js';
import { dockerForTests, dockerTestsOff, labelledLeft, testRunId, testRunsRemove } from './test-support/docker-gate.js';

/** Bounds of the client requests and probes in these tests. */
const requestTimeoutMs = 5000;
const probeTimeoutMs = 1500;
/** Bound on waiting for gossip to cross a blocked link and be counted. */
const dropsWaitMs = 5000;

describe.skipIf(dockerTestsOff)('the docker runtime', () => {
  let docker: Docker;
  let runtime: DockerRuntime;
  let faults: DockerNetworkFaults;
  let baseDir: string | undefined;
  const runId = testRunId('rt');
  const clients: StoreClient[] = [];

  beforeAll(async () => {
    docker = await dockerForTests();
    const parsed = clusterConfigParse({ writer: { quorumTimeoutMs: 1000 }, storage: { gossipIntervalMs: 100 } });
    if (!parsed.ok) throw new Error(parsed.error);
    baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-dk-'));
    runtime = dockerRuntimeCreate({ config: parsed.config, standbyWriters: 0, baseDir, runId });
    faults = new DockerNetworkFaults(runtime);
    await runtime.start();
  }, 180_000);

  afterAll(async () => {
    for (const client of clients.splice(0)) client.close();
    // Without an engine beforeAll failed before there was anything to stop.
    if (baseDir === undefined) return;
    await runtime.stop();
    await testRunsRemove([runId]);
    rmSync(baseDir, { recursive: true, force: true });
  }, 120_000);

  async function request(body: Parameters<StoreClient['request']>[0]): Promise<ClientResult> {
    const client = await StoreClient.connect(runtime.writerAddress(), requestTimeoutMs);
    clients.push(client);
    return client.request(body, requestTimeoutMs);
  }

  test('a 3x2 cluster and a writer in labelled containers take writes and read them back', async () => {
    expect(await request({ t: 'write', key: 'k1', value: 41 })).toEqual({ ok: true, value: null });
    expect(await request({ t: 'read', key: 'k1' })).toEqual({ ok: true, value: 41 });
    const containers = await docker.listContainers({ filters: JSON.stringify({ label: [`${labelRun}=${runId}`] }) });
    const labels = containers.map((c) => `${c.Labels[labelNode]} ${c.Labels[labelRole]} az${c.Labels[labelAz]}`).sort();
    expect(labels).toEqual([
      's00 storage az0',
      's01 storage az0',
      's10 storage az1',
      's11 storage az1',
      's20 storage az2',
      's21 storage az2',
      'w0 writer az0',
    ]);
    expect(containers.map((c) => c.Names[0]).sort()).toContain(`/ql-${runId}-w0`);
    // Data directories are host directories, where the nemesis can reach the segment files.
    expect(existsSync(runtime.nodeDataDir(storageNodeId(0, 0)))).toBe(true);
  });

  test('a killed writer container restarts with its data, and its log holds both lives', async () => {
    const writer = writerNodeId(0);
    expect(await request({ t: 'write', key: 'k2', value: 'before' })).toMatchObject({ ok: true });
    await runtime.nodeKill(writer);
    expect(runtime.nodeState(writer)).toBe('stopped');
    expect((await storageHealthProbe(runtime.nodeAddress(writer), probeTimeoutMs)).ok).toBe(false);
    await runtime.nodeStart(writer);
    expect(runtime.nodeState(writer)).toBe('running');
    expect(await request({ t: 'read', key: 'k2' })).toEqual({ ok: true, value: 'before' });
    await runtime.nodeLogsCollect([writer]);
    const starts = readFileSync(runtime.nodeLogPath(writer), 'utf8').match(/listening for clients/g) ?? [];
    expect(starts.length).toBe(2);
  });

  test('a paused storage container answers nothing until it is resumed, and the cluster keeps taking writes', async () => {
    const victim = storageNodeId(1, 0);
    await runtime.nodePause(victim);
    expect(runtime.nodeState(victim)).toBe('paused');
    expect((await storageHealthProbe(runtime.nodeAddress(victim), probeTimeoutMs)).ok).toBe(false);
    expect(await request({ t: 'write', key: 'k3', value: 3 })).toMatchObject({ ok: true });
    await runtime.nodeResume(victim);
    expect(runtime.nodeState(victim)).toBe('running');
    expect(await storageHealthProbe(runtime.nodeAddress(victim), probeTimeoutMs)).toMatchObject({
      ok: true,
      health: { ready: true },
    });
  });

  test('a blocked link drops every packet (a connect across it times out, its rule counts the drops) until it is unblocked', async () => {
    const target = storageNodeId(0, 0);
    const gossiper = storageNodeId(0, 1);
    const links: DirectedLink[] = [
      { from: clientLinkEnd, to: target },
      { from: gossiper, to: target },
    ];
    expect(await faults.linksBlock(links)).toEqual({ ok: true });
    const blocked = await storageHealthProbe(runtime.nodeAddress(target), probeTimeoutMs);
    expect(blocked.ok ? 'answered' : blocked.error).toMatch(/no reply to health/);
    const gossipDrops = await dropsEventually({ from: gossiper, to: target });
    expect(gossipDrops).toBeGreaterThan(0);
    expect(await dropsEventually({ from: clientLinkEnd, to: target })).toBeGreaterThan(0);
    // Links that are not blocked are untouched.
    expect((await storageHealthProbe(runtime.nodeAddress(gossiper), probeTimeoutMs)).ok).toBe(true);
    expect(await faults.linksUnblock(links)).toEqual({ ok: true });
    expect(await storageHealthProbe(runtime.nodeAddress(target), probeTimeoutMs)).toMatchObject({ ok: true });
    expect((await faults.linkCounters({ from: gossiper, to: target })).ok).toBe(true);
  });

  test('a blocked link stays blocked when the node holding its rule restarts, until heal', async () => {
    const target = storageNodeId(2, 1);
    expect(await faults.partition([clientLinkEnd], [target])).toEqual({ ok: true });
    await runtime.nodeKill(target);
    // nodeStart waits for health from the client, which the partition blocks: it must time out.
    await expect(runtime.nodeStart(target, AbortSignal.timeout(3000))).rejects.toThrow(/aborted/);
    expect((await storageHealthProbe(runtime.nodeAddress(target), probeTimeoutMs)).ok).toBe(false);
    expect(await faults.heal()).toEqual({ ok: true });
    expect(faults.linksBlocked()).toEqual([]);
    expect(await storageHealthProbe(runtime.nodeAddress(target), probeTimeoutMs)).toMatchObject({ ok: true });
  });

  test('slow links need tc netem: its support is detected, and when missing the fault says so instead of doing nothing', async () => {
    const support = await faults.netemSupport();
    const shaped = await faults.linksShape([{ from: writerNodeId(0), to: storageNodeId(0, 0) }], {
      delayMs: 5,
      jitterMs: 0,
      lossPercent: 0,
    });
    if (support.supported) expect(shaped).toEqual({ ok: true });
    else expect(shaped.ok ? 'applied' : shaped.error).toMatch(/not available on this kernel: tc netem missing/);
    expect(await faults.heal()).toEqual({ ok: true });
  });

  test('stop() removes every container and the network of the run and leaves the node logs', async () => {
    await runtime.stop();
    expect(await labelledLeft(docker, runId)).toEqual([]);
    expect(readFileSync(runtime.nodeLogPath(storageNodeId(0, 0)), 'utf8')).toMatch(/stopping: SIGTERM/);
    await runtime.stop();
  });

  /** The rule's drop count once it is above zero, or zero after dropsWaitMs. */
  async function dropsEventually(link: DirectedLink): Promise<number> {
    const deadline = performance.now() + dropsWaitMs;
    for (;;) {
      const read = await faults.linkCounters(link);
      if (!read.ok) throw new Error(read.error);
      if (read.counters.packets > 0 || performance.now() > deadline) return read.counters.packets;
      await sleep(100);
    }
  }
});
