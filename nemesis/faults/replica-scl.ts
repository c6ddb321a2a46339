// What storage replicas hold, asked over their health frame at their own
// address (the nemesis stands outside the proxied network): each node's SCL per
// PG, the LSN every replica has reached, and a bounded wait for a damaged
// replica to catch up with its peers again.

import { storageHealthProbe } from '../../cluster/runtime/local/node-health.js';
import type { NodeId, NodeSpec } from '../../cluster/topology.js';
import { pollUntil, PollTimeoutError, type Clock } from '../../core/clock.js';

/** Bound on one health round trip. */
export const sclProbeTimeoutMs = 1000;
/** Interval of catch-up polls. */
const catchUpPollMs = 200;

export type SclRead =
  | { readonly ok: true; readonly scls: ReadonlyMap<NodeId, readonly number[]> }
  | { readonly ok: false; readonly error: string };

export async function sclsRead(nodes: readonly NodeSpec[]): Promise<SclRead> {
  const probes = await Promise.all(
    nodes.map(async (node) => ({ node, probe: await storageHealthProbe(node.listen, sclProbeTimeoutMs) })),
  );
  const scls = new Map<NodeId, readonly number[]>();
  for (const { node, probe } of probes) {
    if (!probe.ok) return { ok: false, error: `${node.id}: ${probe.error}` };
    scls.set(node.id, probe.health.scls);
  }
  return { ok: true, scls };
}

/** Per PG, the lowest SCL of the replicas: every record at or below it is on every one of them. */
export function sclFloor(scls: ReadonlyMap<NodeId, readonly number[]>): number[] {
  const floor: number[] = [];
  for (const perPg of scls.values()) {
    perPg.forEach((scl, pg) => {
      floor[pg] = Math.min(floor[pg] ?? scl, scl);
    });
  }
  return floor;
}

/**
 * Waits until `node` holds, for every PG, everything the lowest of its peers
 * held when the wait began. Returns null once it does, or what it lacks.
 */
export async function catchUpWait(
  clock: Clock,
  node: NodeSpec,
  peers: readonly NodeSpec[],
  timeoutMs: number,
): Promise<string | null> {
  const before = await sclsRead(peers);
  if (!before.ok) return `peers: ${before.error}`;
  const goal = sclFloor(before.scls);
  let last = 'not probed';
  try {
    await pollUntil(clock, {
      what: `${node.id} to catch up with its peers`,
      timeoutMs,
      intervalMs: catchUpPollMs,
      probe: async () => {
        const probe = await storageHealthProbe(node.listen, sclProbeTimeoutMs);
        if (!probe.ok) {
          last = probe.error;
          return null;
        }
        const behind = goal.flatMap((scl, pg) =>
          (probe.health.scls[pg] ?? -1) >= scl ? [] : [`pg ${pg} at ${probe.health.scls[pg]} < ${scl}`],
        );
        last = behind.join(', ');
        return behind.length === 0 ? true : null;
      },
    });
    return null;
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    return `${node.id} not caught up within ${timeoutMs} ms: ${last}`;
  }
}
