// The faults that look before they strike, against a real cluster behind the
// proxy: the observer's snapshot, starts aimed by what the replicas hold,
// awaits that end on a transition, depose-writer, the store-control faults,
// and a final heal that fails and says what it left active. One cluster
// serves the whole file.

import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeId } from '../../cluster/topology.js';
import { clockCreate } from '../../core/clock.js';
import { prngCreate } from '../../core/prng.js';
import { HistoryRecorder } from '../../results/history-recorder.js';
import { nemesisLoopRun } from '../../runner/nemesis-loop.js';
import { observerCreate, type Observer } from '../observe/observer.js';
import { primaryReady, storageAnswered, type Snapshot } from '../observe/snapshot.js';
import { chaosClusterStart, fieldOf, targetsOf, type ChaosCluster } from '../test-support/chaos-cluster.js';
import { slowFsyncDelayMs } from './tune-fault.js';

const faults = ['kill-node', 'kill-writer', 'pause-node', 'power-loss', 'depose-writer', 'slow-fsync', 'storage-reads'];
let cluster: ChaosCluster;
let observer: Observer;

beforeAll(async () => {
  cluster = await chaosClusterStart(faults);
  observer = observerCreate({
    runtime: cluster.runtime,
    config: cluster.config,
    clock: clockCreate(),
    primaryDeclared: () => cluster.runtime.writerPrimary(),
  });
  for (let i = 0; i < 30; i++) await cluster.write(`k${i % 5}`, i);
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

async function writeSucceeds(key: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await cluster.write(key, attempt)) return;
    await sleep(250);
  }
  throw new Error(`no write of ${key} was acknowledged`);
}

const stateOf = (id: string): string => cluster.runtime.nodeState(id as NodeId);
const errorCode = (outcome: Awaited<ReturnType<ChaosCluster['op']>>): string | null =>
  outcome.ok ? null : outcome.error.code;

describe('the observer', () => {
  it('sees every node answer, and a killed or paused node as down, without probing it', async () => {
    const healthy = await observer.observe();
    expect(healthy.storage.map((node) => node.kind)).toEqual(Array(6).fill('answered'));
    expect(storageAnswered(healthy).every((node) => node.health.scls.length === 1)).toBe(true);
    expect(healthy.writers.map((node) => (node.kind === 'answered' ? node.health.role : node.kind))).toEqual([
      'writer',
      'standby',
    ]);
    expect(primaryReady(healthy)?.id).toBe('w0');

    expect((await cluster.op('start-kill-node', ['s00'])).ok).toBe(true);
    expect((await cluster.op('start-pause-node', ['s01'])).ok).toBe(true);
    const began = performance.now();
    const hurt = await observer.observe();
    expect(performance.now() - began).toBeLessThan(1000);
    expect(hurt.storage.slice(0, 2)).toMatchObject([
      { kind: 'down', id: 's00', state: 'stopped' },
      { kind: 'down', id: 's01', state: 'paused' },
    ]);
    expect((await cluster.op('stop-pause-node')).ok).toBe(true);
    expect((await cluster.op('stop-kill-node')).ok).toBe(true);
  });
});

describe('aims', () => {
  it('kill-node aimed at the newest replicas kills that many of them and records the aim and what it saw', async () => {
    const started = await cluster.invoke('start-kill-node', { aim: 'newest', count: 2 });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const victims = targetsOf(started);
    expect(victims).toHaveLength(2);
    for (const id of victims) expect(stateOf(id)).toBe('stopped');
    expect(fieldOf(started, 'aim')).toEqual({ aim: 'newest', count: 2 });
    expect(fieldOf(started, 'observed')).toMatch(/s00 scl \d+/);
    expect((await cluster.op('stop-kill-node')).ok).toBe(true);
    for (const id of victims) expect(stateOf(id)).toBe('running');
  });

  it('power-loss aimed without a count takes the storage nodes of the AZ of the aim first node', async () => {
    const started = await cluster.invoke('start-power-loss', { aim: 'laggard' });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const victims = targetsOf(started);
    expect(victims).toHaveLength(2);
    expect(new Set(victims.map((id) => id[1])).size).toBe(1);
    expect((await cluster.op('stop-power-loss')).ok).toBe(true);
    await writeSucceeds('after-aimed-power-loss');
  });
});

describe('awaits', () => {
  it('await-epoch-change ends when the standby promoted over a killed primary is ready, with the new epoch', async () => {
    const before = primaryReady(await observer.observe());
    expect(before).not.toBeNull();
    const waiting = cluster.invoke('await-epoch-change', { timeoutMs: 20_000 });
    await sleep(100);
    const killed = await cluster.op('start-kill-writer');
    expect(killed.ok, JSON.stringify(killed)).toBe(true);
    const awaited = await waiting;
    expect(awaited.ok, JSON.stringify(awaited)).toBe(true);
    const seen = fieldOf(awaited, 'seen') as { primary: string; epoch: number; epochBefore: number };
    expect(seen.primary).toBe(fieldOf(killed, 'promoted'));
    expect(seen.epoch).toBeGreaterThan(before!.health.epoch);
    expect(seen.epochBefore).toBe(before!.health.epoch);
    expect((await cluster.op('stop-kill-writer')).ok).toBe(true);
  });

  it('an await whose event does not come fails with await-timeout within its bound; caught-up holds when idle', async () => {
    const began = performance.now();
    const recovering = await cluster.invoke('await-writer-recovering', { timeoutMs: 500 });
    expect(errorCode(recovering)).toBe('await-timeout');
    expect(performance.now() - began).toBeLessThan(3000);
    expect((await cluster.invoke('await-caught-up', { timeoutMs: 10_000 })).ok).toBe(true);
    expect((await cluster.invoke('await-writer-ready', { timeoutMs: 1000 })).ok).toBe(true);
  });
});

describe('depose-writer', () => {
  it('pauses the primary, promotes the standby, and the stop resumes a writer that no longer leads', async () => {
    const primary = cluster.runtime.writerPrimary();
    const started = await cluster.op('start-depose-writer');
    expect(started.ok, JSON.stringify(started)).toBe(true);
    expect(targetsOf(started)).toEqual([primary]);
    const promoted = fieldOf(started, 'promoted') as NodeId;
    expect(promoted).not.toBe(primary);
    expect(stateOf(primary)).toBe('paused');
    expect(cluster.runtime.writerPrimary()).toBe(promoted);
    await writeSucceeds('under-the-new-primary');
    expect((await cluster.op('stop-depose-writer')).ok).toBe(true);
    expect(stateOf(primary)).toBe('running');
    await writeSucceeds('after-the-deposed-resumed');
    expect(primaryReady(await observer.observe())?.id).toBe(promoted);
  });

  it('without a running standby it is an error with code no-standby and changes nothing', async () => {
    const standby = cluster.runtime
      .nodes()
      .find((n) => n.role === 'writer' && n.id !== cluster.runtime.writerPrimary());
    expect((await cluster.op('start-kill-writer', [standby!.id])).ok).toBe(true);
    const refused = await cluster.op('start-depose-writer');
    expect(errorCode(refused)).toBe('no-standby');
    expect(stateOf(cluster.runtime.writerPrimary())).toBe('running');
    expect((await cluster.op('stop-kill-writer')).ok).toBe(true);
  });
});

describe('store-control faults', () => {
  it('slow-fsync: writes wait on the slowed disks while active and are fast again after the stop', async () => {
    const started = await cluster.op('start-slow-fsync');
    expect(started.ok, JSON.stringify(started)).toBe(true);
    expect(targetsOf(started)).toEqual(['s00', 's01', 's10', 's11', 's20', 's21']);
    expect(await writeTimeMs('slow')).toBeGreaterThanOrEqual(slowFsyncDelayMs);
    expect((await cluster.op('stop-slow-fsync')).ok).toBe(true);
    expect(await writeTimeMs('fast')).toBeLessThan(slowFsyncDelayMs);
  });

  it('storage-reads: reads reach the storage nodes, spread over them, until the stop', async () => {
    await writeSucceeds('read-me');
    const before = readsServed(await observer.observe());
    const started = await cluster.op('start-storage-reads');
    expect(started.ok, JSON.stringify(started)).toBe(true);
    expect(targetsOf(started)).toEqual(['w0', 'w1']);
    for (let i = 0; i < 36; i++) expect(await cluster.read('read-me')).not.toBeUndefined();
    const during = readsServed(await observer.observe());
    const grew = [...during].filter(([id, reads]) => reads > (before.get(id) ?? 0));
    expect(grew.length, JSON.stringify([...during])).toBeGreaterThanOrEqual(4);
    expect((await cluster.op('stop-storage-reads')).ok).toBe(true);
    // The first read after the window may fill the cache from storage; from then on the cache answers.
    for (let i = 0; i < 3; i++) await cluster.read('read-me');
    const after = readsServed(await observer.observe());
    for (let i = 0; i < 12; i++) await cluster.read('read-me');
    expect(sum(readsServed(await observer.observe()))).toBe(sum(after));
  });
});

describe('the final heal', () => {
  it('records a stop that fails as heal-failed and lists the fault as still active', async () => {
    expect((await cluster.op('start-kill-node', ['s21'])).ok).toBe(true);
    const s21 = cluster.runtime.nodes().find((node) => node.id === 's21')!;
    // Holding the node's port makes its restart fail, as a port taken by another process would.
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(s21.listen.port, s21.listen.host, resolve));
    try {
      const recorder = new HistoryRecorder(null);
      const loop = { nemesis: cluster.nemesis.nemesis, recorder, clock: clockCreate(), prng: prngCreate(1) };
      await nemesisLoopRun(loop, cluster.nemesis.finalGenerator, null);
      const stops = recorder.events.filter((e) => e.type === 'info');
      expect(stops.map((e) => [e.f, e.error])).toEqual([
        ['stop-kill-node', 'heal-failed'],
        ['stop-kill-node', 'heal-failed'],
      ]);
      expect(JSON.stringify(stops[0]!.value)).toMatch(/restart-failed/);
      expect(cluster.nemesis.faultsActive()).toEqual([{ fault: 'kill-node', targets: ['s21'] }]);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
    expect((await cluster.op('stop-kill-node')).ok).toBe(true);
    expect(cluster.nemesis.faultsActive()).toEqual([]);
  });
});

/** The fastest of three writes, so one slow scheduling moment does not decide. */
async function writeTimeMs(key: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const began = performance.now();
    expect(await cluster.write(key, i)).toBe(true);
    times.push(performance.now() - began);
  }
  return Math.min(...times);
}

function readsServed(snapshot: Snapshot): Map<string, number> {
  return new Map(storageAnswered(snapshot).map((node) => [node.id, node.health.stats?.readsServed ?? 0]));
}

function sum(counts: ReadonlyMap<string, number>): number {
  return [...counts.values()].reduce((total, n) => total + n, 0);
}
