// nemesis/: the nemesis packages a run can choose (chaos.ts, none.ts) and what
// they are built from: proxy/ (the local fault-injecting TCP proxy), links/
// (the network vocabulary and backends), faults/ (what can be injected) and
// schedule/ (when). outcome.ts and errors.ts say how an operation went.
//
// What a nemesis is (Jepsen's nemesis package): the nemesis that performs fault
// operations on the cluster, a pure schedule of them for the main phase, and a
// final schedule that heals everything. The runner interprets both beside the
// clients and records each operation with process 'nemesis': an invoke when a
// fault starts, an info when it took effect, value {targets: [...]}.

import type { ClusterConfig } from '../cluster/config.js';
import type { Runtime } from '../cluster/runtime/runtime.js';
import type { NodeId } from '../cluster/topology.js';
import type { Clock } from '../core/clock.js';
import type { JsonValue } from '../core/history.js';
import type { Prng } from '../core/prng.js';
import type { Generator } from '../workloads/generator.js';
import type { NemesisError } from './errors.js';
import type { LinkBackend } from './links/link-backend.js';
import type { ProxyMesh } from './proxy/proxy-mesh.js';

export interface NemesisOp {
  /** `start-<fault>` or `stop-<fault>` (checkers derive fault windows from the pair). */
  readonly f: string;
  /** The schedule's choice, e.g. {targets: ['s00', 's01']}; null for a stop that ends whatever is active. */
  readonly value: JsonValue;
}

/** What a schedule asks for next: a fault operation, or a pause before the next one. */
export type NemesisStep =
  { readonly kind: 'op'; readonly op: NemesisOp } | { readonly kind: 'sleep'; readonly ms: number };

/** How a fault operation went; recorded as the info completion (outcome.ts). Operating errors are values. */
export type NemesisOutcome =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly value: JsonValue; readonly error: NemesisError };

export interface NemesisContext {
  /** The cluster, started and ready. */
  readonly runtime: Runtime;
  /** The nemesis stream of the run's PRNG: schedules and targets come from it only. */
  readonly prng: Prng;
  readonly clock: Clock;
  /** The time between faults a schedule aims for (a fixed-interval schedule uses it as is). */
  readonly intervalMs: number;
  /** The proxy on every link (local runtime); partitions and link faults need it or `links`. */
  readonly mesh?: ProxyMesh | null;
  /** The network the link faults act on (Docker's packet filter); wins over `mesh`. */
  readonly links?: LinkBackend | null;
  /** The cluster's config: quorum sizes for corruption patterns, block size, the volatile write cache. */
  readonly config?: ClusterConfig;
  /** The writer that is the primary now; the first writer listed when absent. */
  readonly writerPrimary?: () => NodeId;
}

export interface Nemesis {
  readonly name: string;
  /** Called once after the cluster is ready and before the schedule starts. */
  setup(): Promise<void>;
  /** Performs one fault operation; resolves when it took effect (or failed). Never throws for an operating error. */
  invoke(op: NemesisOp): Promise<NemesisOutcome>;
  /** Called once after the final heal; releases what setup took. */
  teardown(): Promise<void>;
}

export interface NemesisPackage {
  readonly name: string;
  readonly nemesis: Nemesis;
  /** The main phase's schedule; the runner stops asking when the main phase ends. */
  readonly generator: Generator<NemesisStep>;
  /** Run at the heal phase, to its end: stops every fault. */
  readonly finalGenerator: Generator<NemesisStep>;
}

/** Builds a nemesis package for a started cluster. */
export type NemesisCreate = (context: NemesisContext) => NemesisPackage;
