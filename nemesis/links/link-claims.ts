// Which active faults hold which links, so overlapping link faults compose:
// a link takes the mode of its most severe holder (a cut over a slow or lossy
// link over pass), the newest among equals, and when a fault stops, its links
// fall back to what the remaining holders say, or to pass. Without this,
// healing one partition would reopen links another still cuts, and slowing a
// cut link would reopen it. Claims and releases run one at a time, each
// setting the modes the claims say when it runs: two faults stopping at once
// must not let the slower one apply a mode the faster one already changed.

import { linkKey, type DirectedLink } from './link.js';
import { linkBackendOk, type LinkBackend, type LinkBackendOutcome } from './link-backend.js';
import { linkModePass, type LinkMode } from './link-mode.js';

interface Claim {
  readonly holder: string;
  readonly mode: LinkMode;
}

interface Entry {
  readonly link: DirectedLink;
  readonly stack: readonly Claim[];
}

/** How much a mode keeps from crossing: nothing crosses a cut; a slow or lossy link still carries bytes. */
function severityOf(mode: LinkMode): number {
  switch (mode.kind) {
    case 'blackhole':
    case 'reset':
      return 2;
    case 'delay':
    case 'loss':
      return 1;
    case 'pass':
      return 0;
  }
}

/** The mode a link takes under its claims, oldest first: the most severe, the newest among equals. */
export function linkModeOfClaims(modes: readonly LinkMode[]): LinkMode {
  let effective = linkModePass;
  for (const mode of modes) if (severityOf(mode) >= severityOf(effective)) effective = mode;
  return effective;
}

export class LinkClaims {
  readonly #claims = new Map<string, Entry>();
  /** The claim or release in progress; the next one starts when it is done. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly backend: LinkBackend) {}

  /** `holder` claims every link with `mode`; each link takes the mode its claims now say (linkModeOfClaims). */
  claim(holder: string, links: readonly DirectedLink[], mode: LinkMode): Promise<LinkBackendOutcome> {
    return this.#serial(() => this.#claimNow(holder, links, mode));
  }

  /** Drops every claim of `holder`; each of its links returns to what the remaining claims say, or to pass. */
  release(holder: string): Promise<LinkBackendOutcome> {
    return this.#serial(() => this.#releaseNow(holder));
  }

  /** The mode the claims give `link` now: a link another fault cuts stays cut under this fault's slower mode. */
  modeExpected(link: DirectedLink): LinkMode {
    return linkModeOfClaims((this.#claims.get(linkKey(link))?.stack ?? []).map((claim) => claim.mode));
  }

  #serial(op: () => Promise<LinkBackendOutcome>): Promise<LinkBackendOutcome> {
    const run = this.#queue.then(op, op);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #claimNow(holder: string, links: readonly DirectedLink[], mode: LinkMode): Promise<LinkBackendOutcome> {
    const changed: Entry[] = [];
    for (const link of links) {
      const key = linkKey(link);
      const entry = { link, stack: [...(this.#claims.get(key)?.stack ?? []), { holder, mode }] };
      this.#claims.set(key, entry);
      changed.push(entry);
    }
    return this.#apply(changed);
  }

  #releaseNow(holder: string): Promise<LinkBackendOutcome> {
    const changed: Entry[] = [];
    for (const [key, entry] of [...this.#claims]) {
      const kept = entry.stack.filter((claim) => claim.holder !== holder);
      if (kept.length === entry.stack.length) continue;
      const next = { link: entry.link, stack: kept };
      if (kept.length === 0) this.#claims.delete(key);
      else this.#claims.set(key, next);
      changed.push(next);
    }
    return this.#apply(changed);
  }

  /** Sets each changed link to its effective mode, links grouped by mode so the backend sets each mode once. */
  async #apply(changed: readonly Entry[]): Promise<LinkBackendOutcome> {
    const byMode = new Map<LinkMode, DirectedLink[]>();
    for (const entry of changed) {
      const mode = linkModeOfClaims(entry.stack.map((claim) => claim.mode));
      byMode.set(mode, [...(byMode.get(mode) ?? []), entry.link]);
    }
    const errors: string[] = [];
    for (const [mode, links] of byMode) {
      const outcome = await this.backend.linksModeSet(links, mode);
      if (!outcome.ok) errors.push(outcome.error);
    }
    return errors.length === 0 ? linkBackendOk : { ok: false, error: errors.join('; ') };
  }
}
