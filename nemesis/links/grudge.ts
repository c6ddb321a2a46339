// A grudge says who cannot hear from whom: `grudge.get(b)` holds every `a`
// whose bytes to `b` are dropped, which is the directed link a -> b cut. Pure
// helpers to build grudges from groups or link lists and to turn them back
// into the directed links the proxy cuts.

import { assert } from '../../core/assert.js';
import { linkKey, linkOf, type DirectedLink, type LinkEnd } from './link.js';

export type Grudge = ReadonlyMap<LinkEnd, ReadonlySet<LinkEnd>>;

/**
 * Every end hears exactly the ends it shares a group with (Jepsen's complete
 * grudge). Groups may overlap: a bridge node sits in two.
 */
export function grudgeFromGroups(ends: readonly LinkEnd[], groups: readonly (readonly LinkEnd[])[]): Grudge {
  const grudge = new Map<LinkEnd, ReadonlySet<LinkEnd>>();
  for (const end of ends) {
    const heard = new Set<LinkEnd>([end]);
    const own = groups.filter((group) => group.includes(end));
    assert(own.length > 0, `${end} is in no group`);
    for (const group of own) for (const peer of group) heard.add(peer);
    const unheard = ends.filter((peer) => !heard.has(peer));
    if (unheard.length > 0) grudge.set(end, new Set(unheard));
  }
  return grudge;
}

/** The grudge that cutting these directed links makes. */
export function grudgeFromLinks(links: readonly DirectedLink[]): Grudge {
  const grudge = new Map<LinkEnd, Set<LinkEnd>>();
  for (const link of links) {
    let froms = grudge.get(link.to);
    if (froms === undefined) {
      froms = new Set();
      grudge.set(link.to, froms);
    }
    froms.add(link.from);
  }
  return grudge;
}

/** The directed links to cut for a grudge, sorted by key so that equal grudges give equal lists. */
export function grudgeLinks(grudge: Grudge): DirectedLink[] {
  const links: DirectedLink[] = [];
  for (const [to, froms] of grudge) {
    for (const from of froms) {
      assert(from !== to, `${to} cannot hold a grudge against itself`);
      links.push(linkOf(from, to));
    }
  }
  return links.sort((a, b) => (linkKey(a) < linkKey(b) ? -1 : linkKey(a) > linkKey(b) ? 1 : 0));
}

/** Both directions between every end of `a` and every end of `b`. */
export function linksBetween(a: readonly LinkEnd[], b: readonly LinkEnd[]): DirectedLink[] {
  const links: DirectedLink[] = [];
  for (const x of a) {
    for (const y of b) {
      if (x !== y) links.push(linkOf(x, y), linkOf(y, x));
    }
  }
  return links;
}

/** Whether `to` receives what `from` sends under this grudge. */
export function grudgeHears(grudge: Grudge, to: LinkEnd, from: LinkEnd): boolean {
  return !(grudge.get(to)?.has(from) ?? false);
}
