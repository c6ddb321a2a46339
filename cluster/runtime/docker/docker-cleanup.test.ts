// Nothing of a run outlives it: an interrupted runner (SIGINT) removes its
// containers and network itself, a runner that exits without stopping leaves a
// cleanup process behind, and after a runner killed outright (SIGKILL)
// `dockerCleanup` finds the leftovers by label and removes them. Without an
// engine the runtime fails with a message that says how to start one.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dockerCleanup } from './docker-cleanup.js';
import { DockerEngineUnavailable, dockerEngineConnect } from './docker-engine.js';
import { clusterParentStart } from './test-support/cluster-parent.js';
import type { ClusterParent, ParentEnd } from './test-support/cluster-parent.js';
import { dockerForTests, dockerTestsOff, labelledLeft, testRunId, testRunsRemove } from './test-support/docker-gate.js';

test('without an engine, connecting fails with a message that says how to start one', async () => {
  const saved = process.env['DOCKER_HOST'];
  process.env['DOCKER_HOST'] = `unix://${path.join(os.tmpdir(), 'quorumlab-no-such-docker.sock')}`;
  try {
    const error = await dockerEngineConnect().then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DockerEngineUnavailable);
    expect((error as Error).message).toMatch(
      /no Docker engine answers at DOCKER_HOST=unix:\/\/.*apt-get install -y docker\.io iptables.*dockerd &/,
    );
  } finally {
    if (saved === undefined) delete process.env['DOCKER_HOST'];
    else process.env['DOCKER_HOST'] = saved;
  }
});

describe.skipIf(dockerTestsOff)('leftovers of interrupted runs', () => {
  let docker: Docker;
  const parents: ClusterParent[] = [];
  const runIds: string[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    docker = await dockerForTests();
  });

  afterAll(async () => {
    for (const parent of parents.splice(0)) parent.subprocess.kill('SIGKILL');
    await testRunsRemove(runIds.splice(0));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function parentStarted(
    name: string,
    end: ParentEnd = 'wait',
  ): Promise<{ parent: ClusterParent; runId: string }> {
    const runId = testRunId(name);
    runIds.push(runId);
    const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-dk-'));
    dirs.push(baseDir);
    const parent = clusterParentStart(baseDir, runId, end);
    parents.push(parent);
    await parent.started;
    if (end === 'wait') expect(await labelledLeft(docker, runId)).toHaveLength(3);
    return { parent, runId };
  }

  test('a runner interrupted with SIGINT removes its containers and network before it exits', async () => {
    const { parent, runId } = await parentStarted('sigint');
    parent.subprocess.kill('SIGINT');
    const result = await parent.subprocess;
    expect(result.signal).toBe('SIGINT');
    expect(await labelledLeft(docker, runId)).toEqual([]);
  });

  test('after a runner killed with SIGKILL, cleanup finds its containers and network by label and removes them', async () => {
    const { parent, runId } = await parentStarted('sigkill');
    parent.subprocess.kill('SIGKILL');
    await parent.subprocess;
    // Nothing could run in the killed process: the cluster is still there until cleanup.
    expect(await labelledLeft(docker, runId)).toHaveLength(3);
    // Every run whose owner is gone, as `quorumlab cleanup` does it.
    const leftovers = (await dockerCleanup({ docker })).filter((leftover) => leftover.runId === runId);
    expect(leftovers.map((leftover) => `${leftover.kind} ${leftover.removed}`).sort()).toEqual([
      'container true',
      'container true',
      'network true',
    ]);
    expect(await labelledLeft(docker, runId)).toEqual([]);
  });

  test('a runner that exits without stopping its cluster leaves a process behind that removes it', async () => {
    const { parent, runId } = await parentStarted('exit', 'exit');
    expect((await parent.subprocess).exitCode).toBe(0);
    const deadline = performance.now() + detachedCleanupWaitMs;
    let left = await labelledLeft(docker, runId);
    while (left.length > 0 && performance.now() < deadline) {
      await sleep(200);
      left = await labelledLeft(docker, runId);
    }
    expect(left).toEqual([]);
  });
});

/** Bound on the detached cleanup process removing a run after its owner exited. */
const detachedCleanupWaitMs = 30_000;
