// Which active faults hold which links, so overlapping link faults compose:
// a link takes the mode of the newest fault holding it, and when a fault
// stops, its links fall back to the next newest holder's mode, or to pass.
// Without this, healing one partition would reopen links another still cuts.

import { linkKey, type DirectedLink } from './link.js';
import { linkModePass, type LinkMode } from './link-mode.js';
import type { ProxyMesh } from './proxy-mesh.js';

interface Claim {
  readonly holder: string;
  readonly mode: LinkMode;
}

export class LinkClaims {
  readonly #claims = new Map<string, { readonly link: DirectedLink; readonly stack: Claim[] }>();

  constructor(private readonly mesh: ProxyMesh) {}

  /** `holder` sets `mode` on every link; it wins over older holders until it releases them. */
  claim(holder: string, links: readonly DirectedLink[], mode: LinkMode): void {
    for (const link of links) {
      const key = linkKey(link);
      const entry = this.#claims.get(key) ?? { link, stack: [] };
      entry.stack.push({ holder, mode });
      this.#claims.set(key, entry);
    }
    this.mesh.linksModeSet(links, mode);
  }

  /** Drops every claim of `holder`; each of its links returns to the newest remaining claim, or to pass. */
  release(holder: string): void {
    for (const [key, entry] of [...this.#claims]) {
      const kept = entry.stack.filter((claim) => claim.holder !== holder);
      if (kept.length === entry.stack.length) continue;
      const top = kept[kept.length - 1];
      this.mesh.linksModeSet([entry.link], top?.mode ?? linkModePass);
      if (kept.length === 0) this.#claims.delete(key);
      else this.#claims.set(key, { link: entry.link, stack: kept });
    }
  }
}
