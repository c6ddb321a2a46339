// nemesis/observe/: what the nemesis sees of the cluster, so faults can be
// aimed where a quorum store is weakest (aims.ts) and timed at transitions
// (await-event.ts). The observer stands outside the proxied network and asks
// through the store's own protocols only: each running storage node's `health`
// frame and each running writer's client `health`, at the node's own listen
// address (a container address on Docker), every probe bounded. A node that
// does not answer is listed as unreachable; observing never throws.

import type { ClusterConfig } from '../../cluster/config.js';
import { storageHealthProbe, writerHealthProbe } from '../../cluster/runtime/shared/node-health.js';
import type { Runtime } from '../../cluster/runtime/runtime.js';
import type { NodeId, NodeSpec } from '../../cluster/topology.js';
import type { Clock } from '../../core/clock.js';
import type { NodeSeen, Snapshot, StorageSeen, WriterSeen } from './snapshot.js';

/** Bound on one node's probe, connection included. */
export const observeProbeTimeoutMs = 1000;

export interface Observer {
  /** A snapshot of every node, taken in parallel; resolves within observeProbeTimeoutMs (plus scheduling). */
  observe(): Promise<Snapshot>;
}

export interface ObserverInput {
  readonly runtime: Runtime;
  readonly config: ClusterConfig;
  readonly clock: Clock;
  /** The runtime's idea of the primary, used when no writer answers as one. */
  readonly primaryDeclared: () => NodeId;
}

export function observerCreate(input: ObserverInput): Observer {
  let epochPrimaryMax = -1;
  return {
    observe: async () => {
      const { runtime, config, clock } = input;
      const atMs = clock.nowMs();
      const nodes = runtime.nodes();
      const [storage, writers] = await Promise.all([
        Promise.all(nodes.filter((node) => node.role === 'storage').map((node) => storageSee(runtime, node))),
        Promise.all(nodes.filter((node) => node.role === 'writer').map((node) => writerSee(runtime, node))),
      ]);
      for (const writer of writers)
        if (writer.kind === 'answered' && writer.health.role === 'writer' && writer.health.ready)
          epochPrimaryMax = Math.max(epochPrimaryMax, writer.health.epoch);
      const { writeQuorum, pgCount } = config.geometry;
      return Object.freeze({
        atMs,
        geometry: Object.freeze({ writeQuorum, pgCount }),
        storage: Object.freeze(storage),
        writers: Object.freeze(writers),
        primaryDeclared: input.primaryDeclared(),
        epochPrimaryMax,
      });
    },
  };
}

/** A paused or stopped node is not asked: it could not answer, and a paused one would cost the whole bound. */
function absent<H>(runtime: Runtime, node: NodeSpec): NodeSeen<H> | null {
  const state = runtime.nodeState(node.id);
  return state === 'running' ? null : { kind: 'down', id: node.id, az: node.az, state };
}

async function storageSee(runtime: Runtime, node: NodeSpec): Promise<NodeSeen<StorageSeen>> {
  const down = absent<StorageSeen>(runtime, node);
  if (down !== null) return down;
  const probe = await storageHealthProbe(node.listen, observeProbeTimeoutMs);
  if (!probe.ok) return { kind: 'unreachable', id: node.id, az: node.az, error: probe.error };
  const { scls, epoch, ready, stats } = probe.health;
  return { kind: 'answered', id: node.id, az: node.az, health: { scls, epoch, ready, stats } };
}

async function writerSee(runtime: Runtime, node: NodeSpec): Promise<NodeSeen<WriterSeen>> {
  const down = absent<WriterSeen>(runtime, node);
  if (down !== null) return down;
  // The client connects, then asks: half the bound for each keeps the whole probe within it.
  const probe = await writerHealthProbe(node.listen, observeProbeTimeoutMs / 2).catch((error: unknown) => ({
    ok: false as const,
    error: error instanceof Error ? error.message : String(error),
  }));
  if (!probe.ok) return { kind: 'unreachable', id: node.id, az: node.az, error: probe.error };
  return { kind: 'answered', id: node.id, az: node.az, health: probe.health };
}
