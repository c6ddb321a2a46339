// The overlay network of a run on a Docker Swarm: attachable, so plain
// containers on any engine of the swarm join it (no services: the workbench
// starts, kills, pauses and restarts each container itself, on its engine),
// labelled with the run like the bridge network, and made on a manager.
// A `docker swarm init` (or join) is the user's: the workbench never changes
// an engine's swarm membership.

import type Docker from 'dockerode';
import { errorText, withTimeout } from './docker-engine.js';
import { networkName, runLabels } from './docker-labels.js';

/** Bound on one engine call about the overlay network. */
export const overlayCallTimeoutMs = 30_000;

export interface OverlayNetwork {
  readonly id: string;
  readonly name: string;
}

/** Whether the engine is a manager of an active swarm, or why it cannot make the run's overlay network. */
export async function swarmManagerCheck(docker: Docker): Promise<string | null> {
  const info = (await withTimeout(docker.info(), overlayCallTimeoutMs)) as {
    Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean };
  };
  const state = info.Swarm?.LocalNodeState ?? 'inactive';
  if (state !== 'active')
    return `the engine is not in a swarm (state ${state}): run \`docker swarm init --advertise-addr ADDR\` on it (on one machine: --advertise-addr 127.0.0.1), and \`docker swarm join\` on the other engines`;
  if (info.Swarm?.ControlAvailable !== true)
    return 'the engine is a swarm worker; the overlay network is made on a manager: point az0 at a manager';
  return null;
}

export async function overlayNetworkCreate(docker: Docker, runId: string): Promise<OverlayNetwork> {
  const problem = await swarmManagerCheck(docker);
  if (problem !== null) throw new Error(problem);
  const name = networkName(runId);
  try {
    const network = await withTimeout(
      docker.createNetwork({
        Name: name,
        Driver: 'overlay',
        Attachable: true,
        CheckDuplicate: true,
        Labels: runLabels(runId),
      }),
      overlayCallTimeoutMs,
    );
    return { id: network.id, name };
  } catch (error) {
    throw new Error(`creating overlay network ${name}: ${errorText(error)}`);
  }
}
