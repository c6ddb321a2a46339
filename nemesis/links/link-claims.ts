// Which active faults hold which links, so overlapping link faults compose:
// a link takes the mode of the newest fault holding it, and when a fault
// stops, its links fall back to the next newest holder's mode, or to pass.
// Without this, healing one partition would reopen links another still cuts.

import { linkKey, type DirectedLink } from './link.js';
import { linkBackendOk, type LinkBackend, type LinkBackendOutcome } from './link-backend.js';
import { linkModePass, type LinkMode } from './link-mode.js';

interface Claim {
  readonly holder: string;
  readonly mode: LinkMode;
}

export class LinkClaims {
  readonly #claims = new Map<string, { readonly link: DirectedLink; readonly stack: Claim[] }>();

  constructor(private readonly backend: LinkBackend) {}

  /** `holder` sets `mode` on every link; it wins over older holders until it releases them. */
  claim(holder: string, links: readonly DirectedLink[], mode: LinkMode): Promise<LinkBackendOutcome> {
    for (const link of links) {
      const key = linkKey(link);
      const entry = this.#claims.get(key) ?? { link, stack: [] };
      entry.stack.push({ holder, mode });
      this.#claims.set(key, entry);
    }
    return this.backend.linksModeSet(links, mode);
  }

  /** Drops every claim of `holder`; each of its links returns to the newest remaining claim, or to pass. */
  async release(holder: string): Promise<LinkBackendOutcome> {
    // Links grouped by the mode they fall back to, so the backend sets each mode once.
    const fallbacks = new Map<LinkMode, DirectedLink[]>();
    for (const [key, entry] of [...this.#claims]) {
      const kept = entry.stack.filter((claim) => claim.holder !== holder);
      if (kept.length === entry.stack.length) continue;
      if (kept.length === 0) this.#claims.delete(key);
      else this.#claims.set(key, { link: entry.link, stack: kept });
      const mode = kept[kept.length - 1]?.mode ?? linkModePass;
      fallbacks.set(mode, [...(fallbacks.get(mode) ?? []), entry.link]);
    }
    const errors: string[] = [];
    for (const [mode, links] of fallbacks) {
      const outcome = await this.backend.linksModeSet(links, mode);
      if (!outcome.ok) errors.push(outcome.error);
    }
    return errors.length === 0 ? linkBackendOk : { ok: false, error: errors.join('; ') };
  }
}
