// Faults on the proxied network: partitions (the links of a partition plan
// black-holed) and slow or lossy links (every link into and out of one AZ, or
// of the nodes a script names, delayed or losing chunks). A stop sets exactly
// its own links back to pass, so it does not undo another fault's links.

import { assertNever } from '../core/assert.js';
import type { JsonValue } from '../core/history.js';
import { linkModeBlackhole, linkModeDelay, linkModeLoss, type LinkMode } from './link-mode.js';
import { clientLinkEnd, linkKey, type DirectedLink, type LinkEnd } from './link.js';
import { azsOf, outcomeError, outcomeOk, targetsUnknown, type Fault, type FaultEnv, type TargetsRequest } from './fault.js';
import type { NemesisOutcome } from './nemesis.js';
import { partitionPlan, type PartitionKind, type PartitionTargets } from './partition.js';
import { partitionRequested } from './partition-requested.js';

/** Delay of a slow link: a base and a uniform jitter, about a cross-region round trip. */
export const slowBaseMs = 50;
export const slowJitterMs = 50;
/** Share of chunks a lossy link holds back (each costing a retransmission spike). */
export const lossProbability = 0.1;

export function partitionFaultCreate(name: string, kind: PartitionKind, env: FaultEnv): Fault {
  return new LinkFault(name, env, (_, requested) => {
    if (requested !== null) {
      const all = env.runtime.nodes().map((node) => node.id);
      const named = partitionRequested(kind, all, requested, env.writerPrimary());
      if (!named.ok) return { error: named.error };
      return { links: named.links, mode: linkModeBlackhole, targets: requested, details: { description: named.description } };
    }
    const plan = partitionPlan(kind, env.runtime.nodes(), env.prng, { writer: env.writerPrimary() });
    if (!plan.ok) return { error: plan.error };
    const { targets } = plan.partition;
    return { links: plan.partition.links, mode: linkModeBlackhole, targets: partitionVictims(targets), details: { partition: { ...targets }, description: plan.partition.description } };
  });
}

/** Who a partition is aimed at, for the fault window: the cut-off side, or every node when none stands out. */
function partitionVictims(targets: PartitionTargets): readonly string[] {
  switch (targets.kind) {
    case 'isolate-node':
      return [targets.node];
    case 'isolate-az':
      return targets.nodes;
    case 'halves':
      return targets.halves[0] ?? [];
    case 'majorities-ring':
      return targets.ring;
    case 'bridge':
      return [targets.bridge];
    case 'writer-storage':
      return [targets.writer];
    case 'client-writer':
      return [clientLinkEnd, targets.writer];
    default:
      return assertNever(targets, 'partition targets');
  }
}

export type LinkDegradeKind = 'slow' | 'lossy';

/** Every link into and out of one AZ's nodes, the client's included. */
export function linkDegradeFaultCreate(name: string, kind: LinkDegradeKind, env: FaultEnv): Fault {
  return new LinkFault(name, env, (mesh, requested) => {
    const nodes = env.runtime.nodes();
    const azs = azsOf(nodes);
    if (azs.length === 0) return { error: 'the cluster has no nodes' };
    const az = requested === null ? env.prng.pick(azs) : null;
    const chosen = new Set<LinkEnd>(requested ?? nodes.filter((node) => node.az === az).map((node) => node.id));
    const links = mesh
      .linkReports()
      .map((report) => report.link)
      .filter((link) => chosen.has(link.from) || chosen.has(link.to));
    const mode = kind === 'slow' ? linkModeDelay(slowBaseMs, slowJitterMs) : linkModeLoss(lossProbability);
    const where = az === null ? `of ${[...chosen].join(' ')}` : `into and out of AZ ${az}`;
    return { links, mode, targets: [...chosen].sort(), details: { az, description: `${kind} links ${where}` } };
  });
}

type LinkPlan =
  | { readonly links: readonly DirectedLink[]; readonly mode: LinkMode; readonly targets: readonly string[]; readonly details: Record<string, JsonValue> }
  | { readonly error: string };

class LinkFault implements Fault {
  #links: readonly DirectedLink[] = [];
  #targets: readonly string[] = [];

  constructor(
    readonly name: string,
    private readonly env: FaultEnv,
    private readonly plan: (mesh: NonNullable<FaultEnv['mesh']>, requested: TargetsRequest) => LinkPlan,
  ) {}

  get active(): boolean {
    return this.#links.length > 0;
  }

  start(requested: TargetsRequest): Promise<NemesisOutcome> {
    const mesh = this.env.mesh;
    if (mesh === null) return Promise.resolve(outcomeError('no-proxy: this runtime has no link proxy'));
    if (this.active) return Promise.resolve(outcomeError('already-active', this.#targets));
    const unknown = requested === null ? null : targetsUnknown(this.env.runtime, requested);
    if (unknown !== null) return Promise.resolve(outcomeError(`unknown-target ${unknown}`, requested ?? []));
    const plan = this.plan(mesh, requested);
    if ('error' in plan) return Promise.resolve(outcomeError(plan.error));
    this.env.linkClaims?.claim(this.name, plan.links, plan.mode);
    const wrong = plan.links.filter((link) => mesh.linkMode(link).kind !== plan.mode.kind);
    this.#links = plan.links;
    this.#targets = plan.targets;
    if (wrong.length > 0) return Promise.resolve(outcomeError(`links not set: ${wrong.map(linkKey).join(' ')}`, this.#targets));
    return Promise.resolve(outcomeOk(this.#targets, { ...plan.details, links: plan.links.length }));
  }

  stop(): Promise<NemesisOutcome> {
    const mesh = this.env.mesh;
    const targets = this.#targets;
    if (mesh === null || !this.active) return Promise.resolve(outcomeOk([]));
    this.env.linkClaims?.release(this.name);
    const links = this.#links.length;
    this.#links = [];
    this.#targets = [];
    return Promise.resolve(outcomeOk(targets, { links }));
  }
}
