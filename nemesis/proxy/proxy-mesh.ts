// The proxy of a whole cluster: one listener per directed link that a node (or
// the client) dials, one LinkState per directed link (including those that only
// carry reply bytes), and the operations the nemesis needs: set a mode on a set
// of links at once, heal everything, read the counters. It is a LinkLayer, so
// the local runtime hands its addresses to the nodes.

import { assert } from '../../core/assert.js';
import type { Clock } from '../../core/clock.js';
import type { Prng } from '../../core/prng.js';
import type { LinkLayer } from '../../cluster/runtime/local/link-address.js';
import type { Address, NodeId, NodeSpec } from '../../cluster/topology.js';
import { clusterLinks, linkKey, linkOf, linkReverse, type DirectedLink, type LinkEnd } from '../links/link.js';
import { linkModePass, type LinkMode } from '../links/link-mode.js';
import { LinkState, type LinkCounters } from './link-state.js';
import { linkProxyStart, type LinkProxy, type ProxyBounds } from './proxy.js';

export interface ProxyMeshOptions {
  /** The real listen address of every node that is dialled. */
  readonly targets: ReadonlyMap<LinkEnd, Address>;
  /** The directed links that need a listener (from dials to). */
  readonly links: readonly DirectedLink[];
  /** Forked per link for delay jitter and loss draws. */
  readonly prng: Prng;
  readonly clock?: Clock;
  readonly bounds?: Partial<ProxyBounds>;
  /** Ports no listener may take (the nodes' own, not yet bound). */
  readonly portsAvoid?: ReadonlySet<number>;
}

export interface LinkReport {
  readonly link: DirectedLink;
  readonly mode: LinkMode;
  readonly counters: LinkCounters;
}

export interface ProxyMesh extends LinkLayer {
  /** Sets one mode on every given link (directed: a -> b does not touch b -> a). */
  linksModeSet(links: readonly DirectedLink[], mode: LinkMode): void;
  /** Every link back to pass. */
  heal(): void;
  linkMode(link: DirectedLink): LinkMode;
  linkCounters(link: DirectedLink): LinkCounters;
  /** Every link the mesh knows, with its mode and counters, in a stable order. */
  linkReports(): readonly LinkReport[];
}

export async function proxyMeshStart(options: ProxyMeshOptions): Promise<ProxyMesh> {
  const states = new Map<string, LinkState>();
  const stateOf = (link: DirectedLink): LinkState => {
    const key = linkKey(link);
    let state = states.get(key);
    if (state === undefined) {
      state = new LinkState(linkOf(link.from, link.to), options.prng.fork(key));
      states.set(key, state);
    }
    return state;
  };
  const proxies = new Map<string, LinkProxy>();
  try {
    for (const link of options.links) await listenerAdd(link, options, stateOf, proxies);
  } catch (error) {
    await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
    throw error;
  }
  return meshOf(states, stateOf, proxies);
}

export interface LinkLayerProxyOptions {
  /** Receives the mesh once it is up, so the nemesis can drive the layer the runtime built. */
  readonly onMesh?: (mesh: ProxyMesh) => void;
  readonly bounds?: Partial<ProxyBounds>;
}

/** A LinkLayerCreate for the local runtime (it accepts this function as is): a proxy on every link of the cluster. */
export function linkLayerProxyCreate(
  prng: Prng,
  hooks: LinkLayerProxyOptions = {},
): (nodes: readonly NodeSpec[]) => Promise<ProxyMesh> {
  return async (nodes: readonly NodeSpec[]): Promise<ProxyMesh> => {
    const targets = new Map<LinkEnd, Address>(nodes.map((node) => [node.id, node.listen]));
    const portsAvoid = new Set(nodes.map((node) => node.listen.port));
    const mesh = await proxyMeshStart({
      targets,
      links: clusterLinks(nodes),
      prng,
      portsAvoid,
      ...(hooks.bounds ? { bounds: hooks.bounds } : {}),
    });
    hooks.onMesh?.(mesh);
    return mesh;
  };
}

async function listenerAdd(
  link: DirectedLink,
  options: ProxyMeshOptions,
  stateOf: (link: DirectedLink) => LinkState,
  proxies: Map<string, LinkProxy>,
): Promise<void> {
  const key = linkKey(link);
  assert(link.from !== link.to, `a link needs two ends, got ${key}`);
  assert(!proxies.has(key), `link ${key} listed twice`);
  const target = options.targets.get(link.to);
  assert(target !== undefined, `link ${key}: no address for ${link.to}`);
  const proxy = await linkProxyStart({
    forward: stateOf(link),
    backward: stateOf(linkReverse(link)),
    target,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
    ...(options.portsAvoid ? { portsAvoid: options.portsAvoid } : {}),
  });
  proxies.set(key, proxy);
}

function meshOf(
  states: Map<string, LinkState>,
  stateOf: (link: DirectedLink) => LinkState,
  proxies: Map<string, LinkProxy>,
): ProxyMesh {
  let closing: Promise<void> | null = null;
  return {
    linkAddress: (from: LinkEnd, to: NodeId) => {
      const proxy = proxies.get(linkKey({ from, to }));
      assert(proxy !== undefined, `no proxied link ${from}->${to}`);
      return proxy.address;
    },
    linksModeSet: (links, mode) => {
      for (const link of links) stateOf(link).modeSet(mode);
    },
    heal: () => {
      for (const state of states.values()) {
        if (state.mode.kind !== 'pass') state.modeSet(linkModePass);
      }
    },
    linkMode: (link) => stateOf(link).mode,
    linkCounters: (link) => stateOf(link).counters(),
    linkReports: () =>
      [...states.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, state]) => Object.freeze({ link: state.link, mode: state.mode, counters: state.counters() })),
    close: () => {
      closing ??= Promise.all([...proxies.values()].map((proxy) => proxy.close())).then(() => undefined);
      return closing;
    },
  };
}
