// The live state of one directed link: its mode, its counters, and the stream
// directions currently carrying its bytes, so that changing the mode acts on
// connections that are already open and not only on new ones.

import { assertNever } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import type { DirectedLink } from '../links/link.js';
import { linkModeChecked, linkModePass, type LinkMode } from '../links/link-mode.js';

export interface LinkCounters {
  readonly bytesForwarded: number;
  readonly chunksForwarded: number;
  readonly bytesDropped: number;
  readonly chunksDropped: number;
  /** Connections accepted by this link's listener (the link is the dialling direction). */
  readonly connectionsAccepted: number;
  /** Connections reset because of this link's mode (reset, loss, or a heal after lost bytes). */
  readonly connectionsReset: number;
  /** Chunks held back by a loss spike. */
  readonly lossSpikes: number;
}

type CounterName = keyof LinkCounters;

/** One direction of one proxied connection, as far as the link needs to know it. */
export interface LinkFlow {
  /** True once a byte or the end of the stream was dropped: the stream has a gap. */
  readonly lost: boolean;
  /** Ends the whole connection with a reset, counted against `cause`. */
  resetBy(cause: LinkState): void;
}

export class LinkState {
  readonly link: DirectedLink;
  /** Draws delay jitter and loss for this link only, so links do not perturb each other's draws. */
  readonly prng: Prng;
  #mode: LinkMode = linkModePass;
  readonly #counters: Record<CounterName, number> = {
    bytesForwarded: 0,
    chunksForwarded: 0,
    bytesDropped: 0,
    chunksDropped: 0,
    connectionsAccepted: 0,
    connectionsReset: 0,
    lossSpikes: 0,
  };
  readonly #flows = new Set<LinkFlow>();

  constructor(link: DirectedLink, prng: Prng) {
    this.link = link;
    this.prng = prng;
  }

  get mode(): LinkMode {
    return this.#mode;
  }

  /**
   * Sets the mode and applies it to open connections. A stream that lost bytes
   * is reset as soon as its link stops dropping: TCP never delivers a stream
   * with a hole, it gives up and resets once retransmissions fail, and this
   * does the same without the real minutes of waiting. Streams that were idle
   * through a blackhole carry on.
   */
  modeSet(mode: LinkMode): void {
    this.#mode = linkModeChecked(mode);
    for (const flow of [...this.#flows]) {
      if (this.#resetsFlow(flow)) flow.resetBy(this);
    }
  }

  /** Whether a connection carrying this direction may be opened now. */
  admits(): boolean {
    return this.#mode.kind !== 'reset';
  }

  flowAdd(flow: LinkFlow): void {
    this.#flows.add(flow);
  }

  flowDelete(flow: LinkFlow): void {
    this.#flows.delete(flow);
  }

  flowCount(): number {
    return this.#flows.size;
  }

  count(name: CounterName, amount = 1): void {
    this.#counters[name] += amount;
  }

  counters(): LinkCounters {
    return Object.freeze({ ...this.#counters });
  }

  #resetsFlow(flow: LinkFlow): boolean {
    const mode = this.#mode;
    switch (mode.kind) {
      case 'reset':
        return true;
      case 'blackhole':
        return false;
      case 'pass':
      case 'delay':
      case 'loss':
        return flow.lost;
      default:
        return assertNever(mode, 'link mode');
    }
  }
}
