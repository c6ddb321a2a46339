// nemesis/faults/: the faults the chaos nemesis can inject (process, link,
// corruption, store controls, a deposed writer), the catalog that names them
// and groups them in families, and what they need to pick targets and to wait
// for a heal to take.
//
// One fault of the chaos nemesis: a start that injects it on targets chosen
// with the run's seed, named by a script or aimed from an observation, and a
// stop that undoes it, each resolving once it took effect. The nemesis records `start-<name>` / `stop-<name>` around them with
// the targets, so checkers can shade the fault's window.

import type { ClusterConfig } from '../../cluster/config.js';
import type { Runtime } from '../../cluster/runtime/runtime.js';
import type { NodeId, NodeSpec } from '../../cluster/topology.js';
import type { Clock } from '../../core/clock.js';
import type { Prng } from '../../core/prng.js';
import type { NemesisOutcome } from '../nemesis.js';
import type { LinkBackend } from '../links/link-backend.js';
import type { LinkClaims } from '../links/link-claims.js';
import type { AimRequest } from '../observe/aims.js';
import type { Observer } from '../observe/observer.js';

export type { AimName, AimRequest } from '../observe/aims.js';

/** What every fault may use: the cluster, its network, its config, and the nemesis's own Prng. */
export interface FaultEnv {
  readonly runtime: Runtime;
  /** The proxy (local) or the packet filter (Docker); null where there is neither (link faults then report an error). */
  readonly links: LinkBackend | null;
  /** The link faults' claims on the backend's links, shared so that overlapping faults compose. */
  readonly linkClaims: LinkClaims | null;
  readonly config: ClusterConfig;
  /** Target choices; one stream for all faults, drawn in the order operations run. */
  readonly prng: Prng;
  readonly clock: Clock;
  readonly intervalMs: number;
  /** What the cluster holds now, asked from outside; aims and depose-writer look before they strike. */
  readonly observer: Observer;
  writerPrimary(): NodeId;
  /** The nodes the faults active now are holding (an aim strikes the others first). */
  struck(): ReadonlySet<NodeId>;
}

/**
 * Targets a schedule may prescribe: node ids (a scripted step), an aim resolved
 * from an observation at the start (nemesis/observe/aims.ts), or null to let
 * the fault choose with the seed.
 */
export type TargetsRequest = readonly NodeId[] | AimRequest | null;

export interface Fault {
  readonly name: string;
  /** Whether a start took effect and no stop has undone it yet. */
  readonly active: boolean;
  /** What an active fault holds (nodes, or the ends of its links); empty when inactive. */
  readonly targets: readonly string[];
  start(requested: TargetsRequest): Promise<NemesisOutcome>;
  /** Undoes what start did; harmless when nothing is active. */
  stop(): Promise<NemesisOutcome>;
}

/** An exception from the runtime (a node that would not start) is an operating error of the fault. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

export function storageNodes(runtime: Runtime): readonly NodeSpec[] {
  return runtime.nodes().filter((node) => node.role === 'storage');
}

export function writerNodes(runtime: Runtime): readonly NodeSpec[] {
  return runtime.nodes().filter((node) => node.role === 'writer');
}

/** The AZs that hold at least one node, ascending. */
export function azsOf(nodes: readonly NodeSpec[]): number[] {
  return [...new Set(nodes.map((node) => node.az))].sort((a, b) => a - b);
}

/** Requested targets must name nodes of the cluster; returns the first unknown one. */
export function targetsUnknown(runtime: Runtime, requested: readonly NodeId[]): NodeId | null {
  const ids = new Set(runtime.nodes().map((node) => node.id));
  return requested.find((id) => !ids.has(id)) ?? null;
}
