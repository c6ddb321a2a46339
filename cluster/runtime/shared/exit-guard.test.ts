// A process with a local and a Docker cluster alive, interrupted by a signal it
// does not handle itself, releases both before it dies of the signal: the local
// nodes are gone and nothing labelled with the run is left in the engine.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clockCreate, pollUntil } from '../../../core/clock.js';
import { procState } from '../local/process-marker.js';
import {
  dockerForTests,
  dockerTestsOff,
  labelledLeft,
  testRunId,
  testRunsRemove,
} from '../docker/test-support/docker-gate.js';
import { twoRuntimesParentStart } from './test-support/two-runtimes-parent.js';
import type { TwoRuntimesParent } from './test-support/two-runtimes-parent.js';

/** Bound on a SIGKILLed node process disappearing. */
const nodeGoneWaitMs = 5000;

function processGone(pid: number): boolean {
  const state = procState(pid);
  return state === null || state === 'Z' || state === 'X';
}

describe.skipIf(dockerTestsOff)('one exit guard for every runtime', () => {
  let docker: Docker;
  const parents: TwoRuntimesParent[] = [];
  const pids: number[] = [];
  const runId = testRunId('two-runtimes');
  let baseDir: string | undefined;

  beforeAll(async () => {
    docker = await dockerForTests();
    baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-guard-'));
  });

  afterAll(async () => {
    for (const parent of parents.splice(0)) parent.subprocess.kill('SIGKILL');
    for (const pid of pids.splice(0)) if (!processGone(pid)) process.kill(pid, 'SIGKILL');
    await testRunsRemove([runId]);
    if (baseDir !== undefined) rmSync(baseDir, { recursive: true, force: true });
  }, 60_000);

  test('a SIGTERM nobody handles releases the local nodes and the Docker containers alike', async () => {
    const parent = twoRuntimesParentStart(baseDir!, runId);
    parents.push(parent);
    pids.push(...(await parent.localPids));
    const result = await parent.subprocess;
    expect(result.signal, `the parent should die of its SIGTERM; stderr: ${result.stderr}`).toBe('SIGTERM');
    await pollUntil(clockCreate(), {
      what: 'every local node of the interrupted parent gone',
      timeoutMs: nodeGoneWaitMs,
      intervalMs: 50,
      probe: () => (pids.every(processGone) ? true : null),
      detail: () => `alive: ${pids.filter((pid) => !processGone(pid)).join(' ')}`,
    });
    expect(await labelledLeft(docker, runId)).toEqual([]);
  }, 240_000);
});
