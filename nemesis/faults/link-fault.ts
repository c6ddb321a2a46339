// Faults on the cluster's network (the local proxy or Docker's packet filter):
// partitions (the links of a partition plan black-holed) and slow or lossy
// links (every link into and out of one AZ, or of the nodes a script names,
// delayed or losing data). An aim is resolved to node ids first and then taken
// as a script's names (partition-az and the link faults: the AZ of its first
// node). A stop gives back exactly its own links, so it does not undo another
// fault's, and reports what its links dropped meanwhile.

import { assertNever } from '../../core/assert.js';
import type { JsonValue } from '../../core/history.js';
import { linkDropsSince, type LinkBackend, type LinkDrops } from '../links/link-backend.js';
import { linkModeBlackhole, linkModeDelay, linkModeLoss, type LinkMode } from '../links/link-mode.js';
import { clientLinkEnd, linkKey, type DirectedLink, type LinkEnd } from '../links/link.js';
import type { NemesisOutcome } from '../nemesis.js';
import { outcomeError, outcomeOk } from '../outcome.js';
import type { NodeId } from '../../cluster/topology.js';
import type { AimShape } from '../observe/aims.js';
import { azsOf, type Fault, type FaultEnv, type TargetsRequest } from './fault.js';
import { isAimRequest, targetsResolve } from './targets-resolve.js';
import { partitionPlan, type PartitionKind, type PartitionTargets } from '../links/partition.js';
import { partitionRequested } from '../links/partition-requested.js';

/** Delay of a slow link: a base and a uniform jitter, about a cross-region round trip. */
export const slowBaseMs = 50;
export const slowJitterMs = 50;
/** Share of chunks a lossy link holds back (each costing a retransmission spike). */
export const lossProbability = 0.1;

export function partitionFaultCreate(name: string, kind: PartitionKind, env: FaultEnv): Fault {
  const shape = (): AimShape => (kind === 'isolate-az' ? 'az' : 'nodes');
  return new LinkFault(name, env, shape, (_, requested) => {
    if (requested !== null) {
      const all = env.runtime.nodes().map((node) => node.id);
      const storage = env.runtime
        .nodes()
        .filter((node) => node.role === 'storage')
        .map((node) => node.id);
      const named = partitionRequested(kind, all, requested, env.writerPrimary(), storage);
      if (!named.ok) return { error: named.error };
      return {
        links: named.links,
        mode: linkModeBlackhole,
        targets: requested,
        details: { description: named.description },
      };
    }
    const plan = partitionPlan(kind, env.runtime.nodes(), env.prng, { writer: env.writerPrimary() });
    if (!plan.ok) return { error: plan.error };
    const { targets } = plan.partition;
    return {
      links: plan.partition.links,
      mode: linkModeBlackhole,
      targets: partitionVictims(targets),
      details: { partition: { ...targets }, description: plan.partition.description },
    };
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
    case 'storage-peers':
      return targets.nodes;
    default:
      return assertNever(targets, 'partition targets');
  }
}

export type LinkDegradeKind = 'slow' | 'lossy';

/** Every link into and out of one AZ's nodes, the client's included where the backend can act on them. */
export function linkDegradeFaultCreate(name: string, kind: LinkDegradeKind, env: FaultEnv): Fault {
  // One AZ by nature; an aim with a count degrades the links of exactly those nodes.
  const shape = (requested: TargetsRequest): AimShape =>
    isAimRequest(requested) && requested.count !== undefined ? 'nodes' : 'az';
  return new LinkFault(name, env, shape, (backend, requested) => {
    const nodes = env.runtime.nodes();
    const azs = azsOf(nodes);
    if (azs.length === 0) return { error: 'the cluster has no nodes' };
    const az = requested === null ? env.prng.pick(azs) : null;
    const chosen = new Set<LinkEnd>(requested ?? nodes.filter((node) => node.az === az).map((node) => node.id));
    const mode = kind === 'slow' ? linkModeDelay(slowBaseMs, slowJitterMs) : linkModeLoss(lossProbability);
    const links = backend
      .links()
      .filter((link) => (chosen.has(link.from) || chosen.has(link.to)) && backend.linkAccepts(link, mode));
    const where = az === null ? `of ${[...chosen].join(' ')}` : `into and out of AZ ${az}`;
    return { links, mode, targets: [...chosen].sort(), details: { az, description: `${kind} links ${where}` } };
  });
}

type LinkPlan =
  | {
      readonly links: readonly DirectedLink[];
      readonly mode: LinkMode;
      readonly targets: readonly string[];
      readonly details: Record<string, JsonValue>;
    }
  | { readonly error: string };

class LinkFault implements Fault {
  #links: readonly DirectedLink[] = [];
  #targets: readonly string[] = [];
  /** The links' drop counters when the fault took effect, so its stop reports only its own drops. */
  #dropsAtStart: ReadonlyMap<string, LinkDrops> = new Map();

  constructor(
    readonly name: string,
    private readonly env: FaultEnv,
    private readonly shape: (requested: TargetsRequest) => AimShape,
    private readonly plan: (backend: LinkBackend, requested: readonly NodeId[] | null) => LinkPlan,
  ) {}

  get active(): boolean {
    return this.#links.length > 0;
  }

  get targets(): readonly string[] {
    return this.active ? this.#targets : [];
  }

  async start(requested: TargetsRequest): Promise<NemesisOutcome> {
    const { links: backend, linkClaims } = this.env;
    if (backend === null || linkClaims === null) return outcomeError('no-link-backend');
    if (this.active) return outcomeError('already-active', undefined, this.#targets);
    const resolved = await targetsResolve(this.env, requested, this.shape(requested));
    if (!resolved.ok) return resolved.outcome;
    const plan = this.plan(backend, resolved.targets);
    if ('error' in plan) return outcomeError('plan-impossible', plan.error, [], resolved.details);
    const unavailable = backend.modeUnavailable(plan.mode.kind);
    if (unavailable !== null) return outcomeError('unavailable', unavailable, plan.targets);
    const details = { ...resolved.details, ...plan.details };
    this.#links = plan.links;
    this.#targets = plan.targets;
    const claimed = await linkClaims.claim(this.name, plan.links, plan.mode);
    const drops = await backend.linksDrops(plan.links);
    this.#dropsAtStart = drops.ok ? drops.drops : new Map();
    if (!claimed.ok) return outcomeError('links-not-set', claimed.error, this.#targets);
    const wrong = plan.links.filter((link) => backend.linkMode(link).kind !== linkClaims.modeExpected(link).kind);
    if (wrong.length > 0)
      return outcomeError('links-not-set', `still in another mode: ${wrong.map(linkKey).join(' ')}`, this.#targets);
    return outcomeOk(this.#targets, { ...details, links: plan.links.length });
  }

  /** Reads what the links dropped while the fault held them, then gives them back. */
  async stop(): Promise<NemesisOutcome> {
    const { links: backend, linkClaims } = this.env;
    const targets = this.#targets;
    const links = this.#links;
    if (backend === null || linkClaims === null || !this.active) return outcomeOk([]);
    const dropped = await droppedSince(backend, links, this.#dropsAtStart);
    const released = await linkClaims.release(this.name);
    this.#links = [];
    this.#targets = [];
    if (!released.ok)
      return outcomeError('links-not-released', released.error, targets, { links: links.length, dropped });
    return outcomeOk(targets, { links: links.length, dropped });
  }
}

/**
 * The drops of the fault's links since it started, as the report shows them:
 * totals, the backend and unit, and each link that dropped anything.
 */
async function droppedSince(
  backend: LinkBackend,
  links: readonly DirectedLink[],
  atStart: ReadonlyMap<string, LinkDrops>,
): Promise<JsonValue> {
  const read = await backend.linksDrops(links);
  if (!read.ok) return { backend: backend.kind, error: read.error };
  const since = linkDropsSince(atStart, read.drops);
  let bytes = 0;
  let count = 0;
  const perLink: Record<string, JsonValue> = {};
  for (const [key, drops] of since) {
    bytes += drops.bytes;
    count += drops.count;
    if (drops.count > 0 || drops.bytes > 0) perLink[key] = { bytes: drops.bytes, count: drops.count };
  }
  return {
    backend: backend.kind,
    unit: backend.dropUnit,
    bytes,
    count,
    linksDropping: Object.keys(perLink).length,
    perLink,
  };
}
