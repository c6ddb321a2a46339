// What the chosen runtime cannot do on this machine, asked before a run starts
// so that a fault it cannot inject is refused (or left out of `all`) up front
// instead of failing at every start: Docker shapes links with tc netem, which
// some kernels lack. The local proxy and the in-process store lack nothing.

import { netemSupportHost } from '../cluster/runtime/docker/link-shaping.js';
import { faultsUnavailable, type FaultNeed } from '../nemesis/faults/fault-catalog.js';

/** Fault name -> why this runtime cannot inject it here; empty for a runtime that can inject every fault. */
export async function runtimeFaultsUnavailable(runtime: string | undefined): Promise<ReadonlyMap<string, string>> {
  if (runtime !== 'docker') return new Map();
  const missing = new Map<FaultNeed, string>();
  const netem = await netemSupportHost();
  if (!netem.supported) missing.set('link-shaping', netem.reason);
  return faultsUnavailable(missing);
}
