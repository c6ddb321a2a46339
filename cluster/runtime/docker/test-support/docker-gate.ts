// Whether the Docker tests run: always, unless a developer without Docker opts
// out with QUORUMLAB_DOCKER_TESTS=0 (said out loud). With the tests on and no
// engine, they fail with the message that says how to start one.

import type Docker from 'dockerode';
import { dockerEngineConnect } from '../docker-engine.js';
import { dockerCleanup } from '../docker-cleanup.js';

export const dockerTestsOff = process.env['QUORUMLAB_DOCKER_TESTS'] === '0';

if (dockerTestsOff)
  process.stderr.write('Docker runtime tests SKIPPED: QUORUMLAB_DOCKER_TESTS=0 is set (CI always runs them)\n');

/** The engine, or the DockerEngineUnavailable error that says how to start one. */
export function dockerForTests(): Promise<Docker> {
  return dockerEngineConnect();
}

/** Run ids unique to this test process, so parallel test files never share names or subnets. */
export function testRunId(name: string): string {
  return `t${process.pid}-${name}`;
}

/** Whatever a test run left (containers, network), by label; for afterAll, whatever happened. */
export async function testRunsRemove(runIds: readonly string[]): Promise<void> {
  for (const runId of runIds) await dockerCleanup({ runId });
}

/** Names of the containers and networks still labelled with the run id. */
export async function labelledLeft(docker: Docker, runId: string): Promise<string[]> {
  const filters = JSON.stringify({ label: [`quorumlab.run=${runId}`] });
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return [...containers.map((c) => `container ${c.Names[0] ?? c.Id}`), ...networks.map((n) => `network ${n.Name}`)];
}
