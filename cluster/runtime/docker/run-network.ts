// The one bridge network of a run: named and labelled with the run id, with an
// explicit subnet so that every node gets a fixed address. Without a subnet
// from the user, a free /24 is chosen from the default block, skipping what
// existing networks hold, and the next one is tried if another run took it
// first.

import type Docker from 'dockerode';
import { stringHash32 } from '../../../core/prng.js';
import { errorText } from './docker-engine.js';
import { networkName, runLabels } from './docker-labels.js';
import { cidrParse, subnetHost, subnetsFree, subnetText } from './subnet.js';
import type { Subnet } from './subnet.js';

/** Bound on subnets tried when network creation races with another run. */
export const networkCreateAttemptsMax = 8;

export interface RunNetwork {
  readonly id: string;
  readonly name: string;
  readonly subnet: Subnet;
  /** The bridge's address on the host: where traffic from the host (the client) comes from. */
  readonly gateway: string;
}

export async function runNetworkCreate(
  docker: Docker,
  runId: string,
  subnetWanted: Subnet | null,
): Promise<RunNetwork> {
  const name = networkName(runId);
  const candidates =
    subnetWanted !== null
      ? [subnetWanted]
      : subnetsFree(await subnetsUsed(docker), stringHash32(runId)).slice(0, networkCreateAttemptsMax);
  if (candidates.length === 0)
    throw new Error('no free /24 left in the default block for a run network; remove old networks or pass a subnet');
  let lastError = '';
  for (const subnet of candidates) {
    const gateway = subnetHost(subnet, 1);
    try {
      const network = await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: runLabels(runId),
        IPAM: { Driver: 'default', Config: [{ Subnet: subnetText(subnet), Gateway: gateway }] },
      });
      return { id: network.id, name, subnet, gateway };
    } catch (error) {
      lastError = errorText(error);
      // Only a taken address range is worth another subnet; anything else is final.
      if (subnetWanted !== null || !/overlap|pool/i.test(lastError)) break;
    }
  }
  throw new Error(`creating network ${name}: ${lastError}`);
}

/** Every IPv4 subnet existing Docker networks hold. */
async function subnetsUsed(docker: Docker): Promise<Subnet[]> {
  const networks = await docker.listNetworks();
  const used: Subnet[] = [];
  for (const network of networks) {
    for (const config of network.IPAM?.Config ?? []) {
      const subnet = typeof config.Subnet === 'string' ? cidrParse(config.Subnet) : null;
      if (subnet !== null) used.push(subnet);
    }
  }
  return used;
}
