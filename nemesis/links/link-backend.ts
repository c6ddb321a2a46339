// What the link faults act on: the network under the cluster, whichever runtime
// built it. On the local runtime it is the fault-injecting proxy; on Docker,
// packet-drop rules and netem queues in the containers' network namespaces.
// Both report what a blocked link dropped under the same field names.

import type { DirectedLink } from './link.js';
import type { LinkMode, LinkModeKind } from './link-mode.js';

/** What one link dropped: bytes, and a count in the backend's unit (proxy chunks or IP packets). */
export interface LinkDrops {
  readonly bytes: number;
  readonly count: number;
}

export type DropUnit = 'chunk' | 'packet';

export type LinkBackendOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

export type LinkDropsRead =
  | { readonly ok: true; readonly drops: ReadonlyMap<string, LinkDrops> }
  | { readonly ok: false; readonly error: string };

export interface LinkBackend {
  /** 'proxy' (local runtime) or 'iptables' (Docker), recorded beside the counters. */
  readonly kind: 'proxy' | 'iptables';
  /** What `LinkDrops.count` counts. */
  readonly dropUnit: DropUnit;
  /** Every directed link of the cluster that the faults may act on, in a stable order. */
  links(): readonly DirectedLink[];
  /** Why links cannot take this kind of mode on this backend (a kernel without netem), or null. */
  modeUnavailable(kind: LinkModeKind): string | null;
  /** Whether this one link can take the mode (Docker cannot shape what the host sends). */
  linkAccepts(link: DirectedLink, mode: LinkMode): boolean;
  /** Sets one mode on every given link (directed: a -> b does not touch b -> a). */
  linksModeSet(links: readonly DirectedLink[], mode: LinkMode): Promise<LinkBackendOutcome>;
  linkMode(link: DirectedLink): LinkMode;
  /** Cumulative drops of each link, keyed by linkKey. */
  linksDrops(links: readonly DirectedLink[]): Promise<LinkDropsRead>;
  /** Every link back to pass. */
  heal(): Promise<LinkBackendOutcome>;
}

export const linkBackendOk: LinkBackendOutcome = Object.freeze({ ok: true });

/**
 * The drops between two readings of the same links. A count that went down
 * belongs to a rule that was re-created (its node restarted): what it shows now
 * was all dropped since.
 */
export function linkDropsSince(
  before: ReadonlyMap<string, LinkDrops>,
  after: ReadonlyMap<string, LinkDrops>,
): Map<string, LinkDrops> {
  const since = new Map<string, LinkDrops>();
  for (const [key, now] of after) {
    const then = before.get(key);
    const reset = then === undefined || now.count < then.count || now.bytes < then.bytes;
    since.set(key, reset ? now : { bytes: now.bytes - then.bytes, count: now.count - then.count });
  }
  return since;
}
