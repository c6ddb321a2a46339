// A test against a cluster of Docker containers: the runtime starts them on
// the run's own network, clients dial the writer container's address, the
// link faults become iptables rules (and netem queues where the kernel has
// netem), and the run record names the image, the subnet and what is missing.

import { rmSync } from 'node:fs';
import { dockerRuntimeCreate, type DockerRuntimeOptions } from '../cluster/runtime/docker/docker-runtime.js';
import type { NetemSupport } from '../cluster/runtime/docker/link-shaping.js';
import { DockerNetworkFaults } from '../cluster/runtime/docker/network-faults.js';
import { subnetText } from '../cluster/runtime/docker/subnet.js';
import type { Clock } from '../core/clock.js';
import type { JsonValue } from '../core/history.js';
import { dockerLinkBackend } from '../nemesis/links/docker-link-backend.js';
import type { LinkBackend } from '../nemesis/links/link-backend.js';
import { recoveryPoll } from './recovery-poll.js';
import type { RunTarget } from './target.js';
import { clusterClientOpen, runtimeLogs } from './target-support.js';
import type { TestOptions } from './test-options.js';

export function dockerTargetCreate(options: TestOptions, runId: string, clock: Clock, baseDir: string): RunTarget {
  const runtimeOptions: DockerRuntimeOptions = {
    clock,
    ...(options.docker.image === null ? {} : { image: options.docker.image }),
    ...(options.docker.subnet === null ? {} : { subnet: options.docker.subnet }),
  };
  const runtime = dockerRuntimeCreate(
    { config: options.cluster, standbyWriters: options.standbyWriters, baseDir, runId },
    runtimeOptions,
  );
  let links: LinkBackend | null = null;
  let netem: NetemSupport | null = null;
  return {
    runtime,
    links: () => links,
    writerPrimary: () => runtime.writerPrimary(),
    start: async (signal) => {
      await runtime.start(signal);
      const faults = new DockerNetworkFaults(runtime);
      netem = await faults.netemSupport();
      links = dockerLinkBackend({ faults, nodes: () => runtime.nodes(), netem });
    },
    describe: () => describe(runtime, netem),
    clientOpen: (workload) => clusterClientOpen(workload, runtime, options, clock),
    recoveryWait: (timeoutMs, signal) => recoveryPoll(runtime, clock, timeoutMs, signal),
    stop: () => runtime.stop(),
    logs: () => runtimeLogs(runtime),
    dispose: () => rmSync(baseDir, { recursive: true, force: true }),
  };
}

function describe(
  runtime: ReturnType<typeof dockerRuntimeCreate>,
  netem: NetemSupport | null,
): Record<string, JsonValue> {
  const network = runtime.runNetwork();
  return {
    name: 'docker',
    image: runtime.imageTag(),
    network: network.name,
    subnet: subnetText(network.subnet),
    gateway: network.gateway,
    writer: `${runtime.writerAddress().host}:${runtime.writerAddress().port}`,
    links: 'iptables',
    linkShaping: netem === null ? 'not probed' : netem.supported ? 'tc netem' : netem.reason,
  };
}
