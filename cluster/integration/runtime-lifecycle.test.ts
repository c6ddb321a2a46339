// The local runtime's hold on its processes: signals reach only the node they
// are meant for, stop() leaves nothing running, and nodes do not outlive a
// parent that exits or is killed without stopping them (or, when started
// detached, `quorumlab cleanup` finds and kills them).

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, test } from 'vitest';
import { markedProcessesFind, procState } from '../runtime/local/process-marker.js';
import { StoreClient } from '../client.js';
import { storageNodeId, writerNodeId } from '../topology.js';
import { ClusterFixtures, eventually, okValue } from './test-support/cluster-fixture.js';
import { cliMain, clusterParentStart, processGone } from './test-support/processes.js';
import type { ClusterParent } from './test-support/processes.js';

const fixtures = new ClusterFixtures();
const parents: ClusterParent[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const parent of parents.splice(0)) parent.subprocess.kill('SIGKILL');
  await fixtures.cleanup();
  for (const pid of leftoverPids.splice(0)) if (!processGone(pid)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
/** Node pids of clusters started by other processes, killed after the test whatever happened. */
const leftoverPids: number[] = [];
/** Nodes check for their parent every 500 ms and then stop within a few seconds. */
const orphanExitWaitMs = 8000;

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-rt-'));
  dirs.push(dir);
  return dir;
}

test('pause, resume, kill and start act on one node only, and stop() leaves no process alive', async () => {
  const cluster = await fixtures.start();
  const { runtime } = cluster;
  const victim = storageNodeId(2, 1);
  const pids = runtime.nodes().map((node) => runtime.nodePid(node.id)!);
  expect(runtime.nodes().map((node) => runtime.nodeState(node.id))).toEqual(pids.map(() => 'running'));

  await runtime.nodePause(victim);
  expect(runtime.nodeState(victim)).toBe('paused');
  expect(procState(runtime.nodePid(victim)!)).toBe('T');
  expect(procState(runtime.nodePid(writerNodeId(0))!)).not.toBe('T');
  await runtime.nodeResume(victim);
  expect(runtime.nodeState(victim)).toBe('running');

  const oldPid = runtime.nodePid(victim)!;
  await runtime.nodeKill(victim);
  expect(runtime.nodeState(victim)).toBe('stopped');
  expect(processGone(oldPid)).toBe(true);
  await runtime.nodeStart(victim);
  expect(runtime.nodePid(victim)).not.toBe(oldPid);
  await okValue(await cluster.client(), { t: 'write', key: 'k', value: 1 });

  const allPids = runtime.nodes().map((node) => runtime.nodePid(node.id)!);
  await runtime.stop();
  expect(
    allPids.filter((pid) => !processGone(pid)),
    'node processes alive after stop()',
  ).toEqual([]);
  expect(markedProcessesFind().filter((p) => p.runId === cluster.runtime.spec.runId)).toEqual([]);
  await runtime.stop();
});

test.each([
  ['exits without stopping its cluster', 'exit'],
  ['is killed with SIGKILL', 'wait'],
] as const)('a parent that %s leaves no node behind', async (_label, end) => {
  const parent = clusterParentStart(tempDir(), `rt-orphan-${end}`, end, false);
  parents.push(parent);
  const pids = await parent.nodePids;
  leftoverPids.push(...pids);
  if (end === 'wait') parent.subprocess.kill('SIGKILL');
  await parent.subprocess;
  await eventually(
    () => `every node of the dead parent gone (alive: ${pids.filter((pid) => !processGone(pid)).join(' ')})`,
    orphanExitWaitMs,
    () => Promise.resolve(pids.every(processGone) ? true : null),
  );
});

test('quorumlab cleanup kills the detached nodes of a run whose parent died, and says so', async () => {
  const runId = 'rt-detached-leftover';
  const parent = clusterParentStart(tempDir(), runId, 'wait', true);
  parents.push(parent);
  const pids = await parent.nodePids;
  leftoverPids.push(...pids);
  parent.subprocess.kill('SIGKILL');
  await parent.subprocess;
  expect(pids.filter(processGone), 'detached nodes survive their parent').toEqual([]);

  const result = await execa(process.execPath, [cliMain, 'cleanup', '--store', tempDir()], { reject: false });
  expect(result.exitCode, result.stderr).toBe(0);
  for (const pid of pids) expect(result.stdout).toContain(`removed process ${pid} `);
  expect(result.stdout).toContain(runId);
  await eventually('every leftover node gone', orphanExitWaitMs, () =>
    Promise.resolve(pids.every(processGone) ? true : null),
  );
});

test('the runtime follows a promotion it did not make: clients and waits then dial the new primary', async () => {
  const cluster = await fixtures.start({ standbyWriters: 1 });
  const { runtime } = cluster;
  expect(runtime.writerPrimary()).toBe(writerNodeId(0));
  await runtime.nodeKill(writerNodeId(0));
  // Promoted behind the runtime's back, as when writerPromote's own request times out and the promotion still wins.
  const standby = await StoreClient.connect(runtime.nodeAddress(writerNodeId(1)), 5000);
  await okValue(standby, { t: 'promote' });
  standby.close();
  const found = await eventually('the runtime to take w1 as the primary', 20_000, async () =>
    (await runtime.writerPrimaryFind()) === writerNodeId(1) ? true : null,
  );
  expect(found).toBe(true);
  expect(runtime.writerAddress()).toEqual(runtime.nodeAddress(writerNodeId(1)));
  await okValue(await cluster.client(), { t: 'write', key: 'k', value: 2 });
});
