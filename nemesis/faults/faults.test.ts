// Every fault against a real cluster behind the proxy: each start shows it
// took effect (links carry no bytes, processes are gone or stopped, blocks
// fail their checks) and each stop shows it was undone. One cluster serves the
// whole file; the last test destroys data on purpose.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentBlockValidate } from '../../cluster/disk/layout.js';
import { procState } from '../../cluster/runtime/local/process-marker.js';
import type { NodeId } from '../../cluster/topology.js';
import { clockCreate } from '../../core/clock.js';
import { prngCreate } from '../../core/prng.js';
import { checkNodeLogs } from '../../checkers/node-logs.js';
import { HistoryRecorder } from '../../results/history-recorder.js';
import { nemesisLoopRun } from '../../runner/nemesis-loop.js';
import { linkKey } from '../links/link.js';
import { chaosClusterStart, fieldOf, targetsOf, type ChaosCluster } from '../test-support/chaos-cluster.js';
import { eventually } from '../test-support/net-fixtures.js';

const partitions = [
  'partition-az',
  'partition-ring',
  'partition-bridge',
  'partition-writer-storage',
  'partition-client-writer',
];
const processFaults = [
  ['kill-az', 'stopped'],
  ['kill-az-plus-one', 'stopped'],
  ['pause-az', 'paused'],
  ['pause-writer', 'paused'],
] as const;
const faults = [
  'partition-node',
  'partition-halves',
  ...partitions,
  'kill-node',
  'kill-writer',
  'power-loss',
  'pause-node',
  ...processFaults.map(([f]) => f),
  'corrupt-helix',
  'corrupt-truncate',
  'corrupt-rollback',
  'corrupt-over-limit',
  'slow-links',
  'lossy-links',
];
let cluster: ChaosCluster;
let written = 0;

beforeAll(async () => {
  cluster = await chaosClusterStart(faults);
  // Enough records for the corruption faults to find blocks: each write is its own batch and block.
  for (let i = 0; i < 150; i++) if (await cluster.write(`k${i % 10}`, `${i}-${'x'.repeat(200)}`)) written++;
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

function pidOf(id: string): number {
  const pid = cluster.runtime.nodePid(id as NodeId);
  if (pid === null) throw new Error(`${id} has no process`);
  return pid;
}

async function writeSucceeds(key: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await cluster.write(key, attempt)) return;
    await sleep(250);
  }
  throw new Error(`no write of ${key} was acknowledged`);
}

describe('network faults', () => {
  it('partition: black-holed links carry no bytes while active, and carry traffic again after the heal', async () => {
    const started = await cluster.op('start-partition-node');
    expect(started.ok).toBe(true);
    const cut = cluster.mesh.linkReports().filter((report) => report.mode.kind === 'blackhole');
    expect(cut.length).toBeGreaterThan(0);
    expect(
      cut.every((report) => report.link.from === targetsOf(started)[0] || report.link.to === targetsOf(started)[0]),
    ).toBe(true);
    const before = new Map(cut.map((report) => [linkKey(report.link), report.counters]));
    await cluster.write('during-partition', 1);
    await sleep(500);
    const during = cut.map((report) => cluster.mesh.linkCounters(report.link));
    during.forEach((counters, i) =>
      expect(counters.bytesForwarded, linkKey(cut[i]!.link)).toBe(before.get(linkKey(cut[i]!.link))!.bytesForwarded),
    );
    expect(during.reduce((sum, c) => sum + c.bytesDropped, 0)).toBeGreaterThan(
      [...before.values()].reduce((sum, c) => sum + c.bytesDropped, 0),
    );

    const stopped = await cluster.op('stop-partition-node');
    expect(stopped.ok).toBe(true);
    // The heal reports what the partition swallowed, under the field names the Docker runtime uses too.
    expect(fieldOf(stopped, 'dropped')).toMatchObject({
      backend: 'proxy',
      unit: 'chunk',
      bytes: expect.any(Number) as unknown,
      count: expect.any(Number) as unknown,
    });
    expect((fieldOf(stopped, 'dropped') as { bytes: number }).bytes).toBeGreaterThan(0);
    expect(cluster.mesh.linkReports().every((report) => report.mode.kind === 'pass')).toBe(true);
    await writeSucceeds('after-partition');
    await eventually('bytes on a healed link', () =>
      cut.some(
        (report) =>
          cluster.mesh.linkCounters(report.link).bytesForwarded > before.get(linkKey(report.link))!.bytesForwarded,
      ),
    );
  });

  it.each(partitions)('%s: its links are black-holed while active and pass again after the heal', async (fault) => {
    const started = await cluster.op(`start-${fault}`);
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const cut = cluster.mesh.linkReports().filter((report) => report.mode.kind === 'blackhole');
    expect(cut.length).toBeGreaterThan(0);
    expect(
      cut.every(
        (report) =>
          targetsOf(started).includes(report.link.from) ||
          targetsOf(started).includes(report.link.to) ||
          fault === 'partition-bridge',
      ),
    ).toBe(true);
    expect((await cluster.op(`stop-${fault}`)).ok).toBe(true);
    expect(cluster.mesh.linkReports().every((report) => report.mode.kind === 'pass')).toBe(true);
  });

  it('slow and lossy links: the AZ links take the mode while active, writes still succeed, and the heal restores pass', async () => {
    for (const [fault, kind] of [
      ['slow-links', 'delay'],
      ['lossy-links', 'loss'],
    ] as const) {
      const started = await cluster.op(`start-${fault}`);
      expect(started.ok).toBe(true);
      const touched = cluster.mesh.linkReports().filter((report) => report.mode.kind === kind);
      expect(touched.length).toBeGreaterThan(0);
      expect(
        touched.every(
          (report) => targetsOf(started).includes(report.link.from) || targetsOf(started).includes(report.link.to),
        ),
      ).toBe(true);
      await writeSucceeds(`during-${fault}`);
      expect((await cluster.op(`stop-${fault}`)).ok).toBe(true);
      expect(cluster.mesh.linkReports().every((report) => report.mode.kind === 'pass')).toBe(true);
    }
  });
});

describe('process faults', () => {
  it('kill: the killed node has no process; the heal restarts it', async () => {
    const pids = new Map(cluster.runtime.nodes().map((node) => [node.id, pidOf(node.id)]));
    const started = await cluster.op('start-kill-node');
    expect(started.ok).toBe(true);
    const [victim] = targetsOf(started);
    expect(alive(pids.get(victim as NodeId)!)).toBe(false);
    expect(cluster.runtime.nodeState(victim as NodeId)).toBe('stopped');
    expect((await cluster.op('stop-kill-node')).ok).toBe(true);
    expect(alive(pidOf(victim!))).toBe(true);
    expect((await cluster.runtime.storageHealth(victim as NodeId, 1000)).ok).toBe(true);
  });

  it('kill-writer: the primary dies, the standby is promoted and takes writes; the heal brings the old primary back', async () => {
    const started = await cluster.op('start-kill-writer');
    expect(started.ok).toBe(true);
    expect(targetsOf(started)).toEqual(['w0']);
    expect(fieldOf(started, 'promoted')).toBe('w1');
    expect(cluster.runtime.writerPrimary()).toBe('w1');
    await writeSucceeds('after-failover');
    expect((await cluster.op('stop-kill-writer')).ok).toBe(true);
    expect(cluster.runtime.nodeState('w0' as NodeId)).toBe('running');
    await writeSucceeds('after-failback');
  });

  it('power loss: one AZ of storage nodes is cut with the volatile write cache on, and restarted at the heal', async () => {
    expect(cluster.config.storage.volatileWriteCache).toBe(true);
    const started = await cluster.op('start-power-loss');
    expect(started.ok).toBe(true);
    const victims = targetsOf(started);
    expect(victims).toHaveLength(2);
    for (const id of victims) expect(cluster.runtime.nodeState(id as NodeId)).toBe('stopped');
    expect((await cluster.op('stop-power-loss')).ok).toBe(true);
    for (const id of victims) expect(alive(pidOf(id))).toBe(true);
    await writeSucceeds('after-power-loss');
  });

  it.each(processFaults)('%s: every target is %s while active and running after the heal', async (fault, state) => {
    const started = await cluster.op(`start-${fault}`);
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const victims = targetsOf(started) as NodeId[];
    expect(victims.length).toBeGreaterThan(0);
    for (const id of victims) expect(cluster.runtime.nodeState(id)).toBe(state);
    expect((await cluster.op(`stop-${fault}`)).ok).toBe(true);
    for (const id of victims) expect(cluster.runtime.nodeState(id)).toBe('running');
    await writeSucceeds(`after-${fault}`);
  });

  it('pause: the node is stopped by the kernel while active and runs again after the heal', async () => {
    const started = await cluster.op('start-pause-node');
    const [victim] = targetsOf(started);
    expect(procState(pidOf(victim!))).toBe('T');
    expect((await cluster.op('stop-pause-node')).ok).toBe(true);
    expect(procState(pidOf(victim!))).not.toBe('T');
  });
});

describe('disk faults', () => {
  it('helix: damaged blocks fail their checks on several replicas; the heal waits until scrub and gossip repaired every one', async () => {
    expect(written).toBeGreaterThan(100);
    const started = await cluster.op('start-corrupt-helix');
    expect(started.ok, JSON.stringify(started)).toBe(true);
    const lines = fieldOf(started, 'blocks') as string[];
    expect(targetsOf(started).length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/(checksum mismatch|block says it is number|file collected)/);
    const stopped = await cluster.op('stop-corrupt-helix');
    expect(stopped.ok, JSON.stringify(stopped)).toBe(true);
    for (const line of lines) {
      const [node, file, , blockNo] = line.split(' ');
      const check = await segmentBlockValidate(
        path.join(cluster.runtime.nodeDataDir(node as NodeId), file!),
        Number(blockNo),
      ).catch(() => ({ ok: true }));
      expect(check.ok, line).toBe(true);
    }
    const logs = targetsOf(started).map((id) => readFileSync(cluster.runtime.nodeLogPath(id as NodeId), 'utf8'));
    expect(logs.every((log) => /ERROR \S+ corrupt block/.test(log))).toBe(true);
    await writeSucceeds('after-helix');
  });

  it('truncate and rollback: a replica loses the end of its hot log, restarts, and has caught up with its peers after the heal', async () => {
    const truncated = await cluster.op('start-corrupt-truncate');
    expect(truncated.ok, JSON.stringify(truncated)).toBe(true);
    const after = fieldOf(truncated, 'bytesAfter') as number;
    expect(after).toBeLessThan(fieldOf(truncated, 'bytesBefore') as number);
    expect(after % cluster.config.storage.blockBytes).not.toBe(0);
    expect(await cluster.op('stop-corrupt-truncate')).toMatchObject({ ok: true });

    // Writes go on while the rollback's snapshot ages, so that there is something to lose.
    let writing = true;
    const load = (async () => {
      for (let i = 0; writing && i < 2000; i++) await cluster.write(`r${i % 5}`, i);
    })();
    const rolled = await cluster.op('start-corrupt-rollback');
    writing = false;
    await load;
    expect(rolled.ok, JSON.stringify(rolled)).toBe(true);
    expect(fieldOf(rolled, 'bytesLost') as number).toBeGreaterThan(0);
    expect(await cluster.op('stop-corrupt-rollback')).toMatchObject({
      ok: true,
      value: { caughtUp: targetsOf(rolled)[0] },
    });
  });
});

describe('the final heal', () => {
  it('stops every fault still active, newest first, and records each stop', async () => {
    expect((await cluster.op('start-partition-halves')).ok).toBe(true);
    expect((await cluster.op('start-kill-node')).ok).toBe(true);
    const recorder = new HistoryRecorder(null);
    await nemesisLoopRun(
      { nemesis: cluster.nemesis.nemesis, recorder, clock: clockCreate(), prng: prngCreate(1) },
      cluster.nemesis.finalGenerator,
      null,
    );
    expect(recorder.events.filter((e) => e.type === 'info').map((e) => [e.f, e.error])).toEqual([
      ['stop-kill-node', undefined],
      ['stop-partition-halves', undefined],
    ]);
    expect(cluster.mesh.linkReports().every((report) => report.mode.kind === 'pass')).toBe(true);
    expect(cluster.runtime.nodes().every((node) => cluster.runtime.nodeState(node.id) === 'running')).toBe(true);
  });
});

describe('over the limit', () => {
  it('damages one stripe on every replica, and the node-log checker reports the data loss', async () => {
    const started = await cluster.op('start-corrupt-over-limit');
    expect(started.ok, JSON.stringify(started)).toBe(true);
    expect(targetsOf(started)).toHaveLength(6);
    const logs = () =>
      cluster.runtime
        .nodes()
        .map((node) => ({ node: node.id, text: readFileSync(cluster.runtime.nodeLogPath(node.id), 'utf8') }));
    await eventually(
      'data-loss lines in the node logs',
      () => logs().some((log) => log.text.includes('data-loss:')),
      15_000,
    );
    const verdict = checkNodeLogs(logs());
    expect(verdict.verdict).toBe('invalid');
    expect(verdict.summary).toMatch(/data-loss lines/);
  });
});
