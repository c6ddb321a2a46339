// `quorumlab cleanup --engines`: the leftovers of a run on each engine named
// (here the local engine under two names), nothing else, and a clear failure
// for an engine that does not answer or a URL that is not one.

import path from 'node:path';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkName, runLabels } from '../cluster/runtime/docker/docker-labels.js';
import {
  dockerForTests,
  dockerTestsOff,
  labelledLeft,
  testRunId,
  testRunsRemove,
} from '../cluster/runtime/docker/test-support/docker-gate.js';

const cli = path.resolve(import.meta.dirname, '../dist/cli/main.js');
const runId = testRunId('engines-cleanup');
const processTimeoutMs = 60_000;

function cleanup(...args: string[]) {
  return execa(process.execPath, [cli, 'cleanup', ...args], { reject: false, timeout: processTimeoutMs });
}

describe.skipIf(dockerTestsOff)('quorumlab cleanup --engines', () => {
  let docker: Docker;

  beforeAll(async () => {
    docker = await dockerForTests();
    await docker.createNetwork({ Name: networkName(runId), Driver: 'bridge', Labels: runLabels(runId) });
  });

  afterAll(async () => {
    await testRunsRemove([runId]);
  });

  it("removes the run's network on the engine, and finds nothing more on the same engine named again", async () => {
    const result = await cleanup('--engines', 'local,unix:///var/run/docker.sock', '--run', runId);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      `engine local:\n  removed network ${networkName(runId)} (run ${runId})\nengine unix:///var/run/docker.sock: nothing to clean up`,
    );
    expect(await labelledLeft(docker, runId)).toEqual([]);
  });

  it('an engine that does not answer fails the cleanup (exit 4) and is named', async () => {
    const result = await cleanup('--engines', 'unix:///nonexistent/docker.sock', '--run', runId);
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toMatch(
      /^engine unix:\/\/\/nonexistent\/docker\.sock:\n {2}FAILED no Docker engine answers at/,
    );
  });

  it.each([
    [
      ['--engines', 'ftp://x'],
      '--engines: expected local, unix:///path/to/docker.sock or tcp://HOST:PORT, got "ftp://x"',
    ],
    [['--engines', 'local', '--all'], '--engines: cleans only the engines named; drop --images, --all and --dir'],
    [['--run', runId], '--run: only with --engines'],
  ])('refuses %j in one line with exit 3', async (args, message) => {
    const result = await cleanup(...args);
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim()).toBe(`quorumlab: ${message}`);
  });
});
