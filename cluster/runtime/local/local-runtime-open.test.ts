// open() lays a local cluster out without starting it: a caller then starts
// only the nodes it needs, in its own order, through nodeStart().

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { clusterConfigDefault } from '../../config.js';
import { writerNodeId } from '../../topology.js';
import { localRuntimeCreate, type LocalRuntime } from './local-runtime.js';

const runtimes: LocalRuntime[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function runtimeCreate(standbyWriters: number): LocalRuntime {
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-open-'));
  dirs.push(baseDir);
  const runtime = localRuntimeCreate({
    config: clusterConfigDefault,
    standbyWriters,
    baseDir,
    runId: `open-${path.basename(baseDir)}`,
  });
  runtimes.push(runtime);
  return runtime;
}

test('open() starts no node; nodeStart() starts the storage nodes and a standby alone, which stays a standby', async () => {
  const runtime = runtimeCreate(1);
  await runtime.open();
  expect(runtime.nodes().map((node) => runtime.nodeState(node.id))).toEqual(runtime.nodes().map(() => 'stopped'));
  await expect(runtime.open()).rejects.toThrow(/already running/);
  const storage = runtime.nodes().filter((node) => node.role === 'storage');
  await Promise.all(storage.map((node) => runtime.nodeStart(node.id)));
  const standby = writerNodeId(1);
  await runtime.nodeStart(standby);
  const health = await runtime.writerHealth(standby, 1000);
  expect(health.ok && health.health.role).toBe('standby');
  expect(runtime.nodeState(writerNodeId(0))).toBe('stopped');
  expect(runtime.nodePid(writerNodeId(0))).toBeNull();
});

test('a writer started with no settle time is waited for only until it answers', async () => {
  const runtime = runtimeCreate(0);
  await runtime.open();
  // Without its storage nodes the writer cannot recover: it answers health, recovering, and stays so.
  await runtime.nodeStart(writerNodeId(0), undefined, 0);
  const health = await runtime.writerHealth(writerNodeId(0), 1000);
  expect(health.ok && health.health).toMatchObject({ role: 'recovering', ready: false });
});
