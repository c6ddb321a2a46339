// How the liveness phase looks at the storage nodes: from outside, one bounded
// request to each node's own address (health for SCLs and repair stats, scrub
// for a scrub pass), each answer shaped as the observation the history records.
// The watch loops take it as a value, so their own tests can stand in for a cluster.

import { storageScrub } from '../cluster/admin-client.js';
import { storageHealthProbe } from '../cluster/runtime/shared/node-health.js';
import { scrubCycleHotMsMax } from '../cluster/storage/scrub.js';
import type { NodeSpec } from '../cluster/topology.js';
import type { RepairSeen, ReplicaSeen, ScrubSeen } from '../checkers/liveness-events.js';

/** Bound on one health round trip. */
export const healthProbeTimeoutMs = 1000;
/** Bound on one scrub round trip: the node's own bound on the hot logs' part of a pass, and time for the rest. */
export const scrubTimeoutMs = scrubCycleHotMsMax + 10_000;
/** The error of a node that answered health without repair stats (a node image built before they existed). */
export const repairStatsMissing = 'health has no repair stats';

export interface StoreObserver {
  replica(node: NodeSpec): Promise<ReplicaSeen>;
  repairStats(node: NodeSpec): Promise<RepairSeen>;
  scrub(node: NodeSpec): Promise<ScrubSeen>;
}

export function storeObserverCreate(): StoreObserver {
  return {
    async replica(node) {
      const probe = await storageHealthProbe(node.listen, healthProbeTimeoutMs);
      return probe.ok
        ? { node: node.id, scls: probe.health.scls, error: null }
        : { node: node.id, scls: null, error: probe.error };
    },
    async repairStats(node) {
      const probe = await storageHealthProbe(node.listen, healthProbeTimeoutMs);
      if (!probe.ok) return { node: node.id, blocksUnrepaired: null, blockRepairsMax: null, error: probe.error };
      // The frame is not checked field by field on read, and a Docker image built before these stats answers without them.
      const stats = probe.health.stats as unknown as Readonly<Record<string, unknown>>;
      const blocksUnrepaired = countOrNull(stats['blocksUnrepaired']);
      const blockRepairsMax = countOrNull(stats['blockRepairsMax']);
      const error = blocksUnrepaired === null || blockRepairsMax === null ? repairStatsMissing : null;
      return { node: node.id, blocksUnrepaired, blockRepairsMax, error };
    },
    async scrub(node) {
      const scrub = await storageScrub(node.listen, scrubTimeoutMs);
      if (!scrub.ok) return { node: node.id, figures: null, error: scrub.error };
      const { blocksChecked, blocksCorrupt, blocksUnrepaired, complete } = scrub;
      return { node: node.id, figures: { blocksChecked, blocksCorrupt, blocksUnrepaired, complete }, error: null };
    },
  };
}

function countOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}
