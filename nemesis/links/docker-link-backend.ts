// The Docker runtime's link backend: a blackholed link is an iptables DROP in
// a container's network namespace (real packets dropped, counted by the rule),
// and slow or lossy links are tc netem queues where the kernel has netem. The
// link set is the local proxy's, so the same fault picks the same links.

import type { DockerNetworkFaults } from '../../cluster/runtime/docker/network-faults.js';
import type { LinkShape, NetemSupport } from '../../cluster/runtime/docker/link-shaping.js';
import type { NodeSpec } from '../../cluster/topology.js';
import { assertNever } from '../../core/assert.js';
import { clientLinkEnd, clusterLinks, linkKey, linkReverse, type DirectedLink } from './link.js';
import {
  linkBackendOk,
  type LinkBackend,
  type LinkBackendOutcome,
  type LinkDrops,
  type LinkDropsRead,
} from './link-backend.js';
import { linkModePass, type LinkMode, type LinkModeKind } from './link-mode.js';

/** A netem queue that neither delays nor loses: where an unshaped link keeps its band until the heal. */
const shapeNone: LinkShape = Object.freeze({ delayMs: 0, jitterMs: 0, lossPercent: 0 });

export interface DockerLinkBackendInput {
  readonly faults: DockerNetworkFaults;
  readonly nodes: () => readonly NodeSpec[];
  /** Detected once when the run starts. */
  readonly netem: NetemSupport;
}

export function dockerLinkBackend(input: DockerLinkBackendInput): LinkBackend {
  return new DockerLinkBackend(input);
}

class DockerLinkBackend implements LinkBackend {
  readonly kind = 'iptables';
  readonly dropUnit = 'packet';
  readonly #modes = new Map<string, LinkMode>();
  /** Links that hold a netem band now (shaped, or shaped once and set back to none). */
  readonly #shaped = new Set<string>();

  constructor(private readonly input: DockerLinkBackendInput) {}

  /** The proxy's links: every node to every other, the client to every node, and each reply direction. */
  links(): readonly DirectedLink[] {
    const forward = clusterLinks(this.input.nodes());
    const all = new Map<string, DirectedLink>();
    for (const link of [...forward, ...forward.map(linkReverse)]) all.set(linkKey(link), link);
    return [...all.values()].sort((a, b) => (linkKey(a) < linkKey(b) ? -1 : linkKey(a) > linkKey(b) ? 1 : 0));
  }

  modeUnavailable(kind: LinkModeKind): string | null {
    switch (kind) {
      case 'pass':
      case 'blackhole':
        return null;
      case 'reset':
        return 'the docker runtime drops packets; it cannot reset connections';
      case 'delay':
      case 'loss':
        return this.input.netem.supported ? null : this.input.netem.reason;
      default:
        return assertNever(kind, 'link mode kind');
    }
  }

  /** netem shapes what a container sends; the client is the host, so its sending side cannot be shaped. */
  linkAccepts(link: DirectedLink, mode: LinkMode): boolean {
    return !(link.from === clientLinkEnd && (mode.kind === 'delay' || mode.kind === 'loss'));
  }

  async linksModeSet(links: readonly DirectedLink[], mode: LinkMode): Promise<LinkBackendOutcome> {
    const unavailable = this.modeUnavailable(mode.kind);
    if (unavailable !== null) return { ok: false, error: unavailable };
    const { faults } = this.input;
    const unblock = links.filter((link) => mode.kind !== 'blackhole' && this.linkMode(link).kind === 'blackhole');
    const outcomes = [unblock.length === 0 ? linkBackendOk : await faults.linksUnblock(unblock)];
    switch (mode.kind) {
      case 'pass':
      case 'reset':
        outcomes.push(await this.unshape(links));
        break;
      case 'blackhole':
        outcomes.push(await faults.linksBlock(links));
        break;
      case 'delay':
      case 'loss':
        outcomes.push(await this.shape(links, shapeOf(mode)));
        break;
      default:
        assertNever(mode, 'link mode');
    }
    const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
    if (failed.length > 0) return { ok: false, error: failed.join('; ') };
    for (const link of links) this.#modes.set(linkKey(link), mode);
    return linkBackendOk;
  }

  linkMode(link: DirectedLink): LinkMode {
    return this.#modes.get(linkKey(link)) ?? linkModePass;
  }

  /** Reads the rule counters of the links that are blocked now; any other link has no rule and dropped nothing here. */
  async linksDrops(links: readonly DirectedLink[]): Promise<LinkDropsRead> {
    const drops = new Map<string, LinkDrops>();
    for (const link of links) {
      if (this.linkMode(link).kind !== 'blackhole') {
        drops.set(linkKey(link), { bytes: 0, count: 0 });
        continue;
      }
      const read = await this.input.faults.linkCounters(link);
      if (!read.ok) return read;
      drops.set(linkKey(link), { bytes: read.counters.bytes, count: read.counters.packets });
    }
    return { ok: true, drops };
  }

  async heal(): Promise<LinkBackendOutcome> {
    this.#modes.clear();
    this.#shaped.clear();
    return this.input.faults.heal();
  }

  private async shape(links: readonly DirectedLink[], shape: LinkShape): Promise<LinkBackendOutcome> {
    const outcome = await this.input.faults.linksShape(links, shape);
    for (const link of links) this.#shaped.add(linkKey(link));
    return outcome;
  }

  private async unshape(links: readonly DirectedLink[]): Promise<LinkBackendOutcome> {
    const shaped = links.filter((link) => this.#shaped.has(linkKey(link)));
    return shaped.length === 0 ? linkBackendOk : this.input.faults.linksShape(shaped, shapeNone);
  }
}

function shapeOf(mode: LinkMode & { readonly kind: 'delay' | 'loss' }): LinkShape {
  return mode.kind === 'delay'
    ? { delayMs: mode.baseMs, jitterMs: mode.jitterMs, lossPercent: 0 }
    : { delayMs: 0, jitterMs: 0, lossPercent: Number((mode.probability * 100).toPrecision(3)) };
}
