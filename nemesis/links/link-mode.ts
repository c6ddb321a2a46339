// What the proxy does to the bytes of one directed link. A TCP stream cannot
// lose bytes in its middle without corrupting what follows, so a lossy link is
// modelled the way a real one looks from above TCP: most chunks arrive, some
// arrive late (a retransmission spike) and now and then the connection resets.

import { assert, assertNever } from '../../core/assert.js';

export type LinkMode =
  | { readonly kind: 'pass' }
  /** Bytes vanish like under an iptables DROP; connections stay open and new ones are accepted. */
  | { readonly kind: 'blackhole' }
  /** Existing and new connections carrying this direction are reset. */
  | { readonly kind: 'reset' }
  /** Each chunk waits baseMs plus a uniform jitter in [0, jitterMs]; byte order is kept. */
  | { readonly kind: 'delay'; readonly baseMs: number; readonly jitterMs: number }
  /**
   * With `probability` a chunk is held back for `spikeMs` (a lost segment that
   * TCP retransmits), and with `resetProbability` the connection is reset
   * (retransmissions gave up). Both are drawn per chunk.
   */
  | {
      readonly kind: 'loss';
      readonly probability: number;
      readonly spikeMs: number;
      readonly resetProbability: number;
    };

export type LinkModeKind = LinkMode['kind'];

/** Linux's minimum retransmission timeout: the shortest delay a lost segment costs. */
export const lossSpikeMsDefault = 200;
/** Of the lost chunks, the share that ends the connection instead of arriving late. */
export const lossResetShareDefault = 0.05;

export const linkModePass: LinkMode = Object.freeze({ kind: 'pass' });
export const linkModeBlackhole: LinkMode = Object.freeze({ kind: 'blackhole' });
export const linkModeReset: LinkMode = Object.freeze({ kind: 'reset' });

export function linkModeDelay(baseMs: number, jitterMs = 0): LinkMode {
  return linkModeChecked({ kind: 'delay', baseMs, jitterMs });
}

/** A lossy link with the default spike and reset share; `probability` is the per-chunk loss rate. */
export function linkModeLoss(probability: number, spikeMs = lossSpikeMsDefault): LinkMode {
  return linkModeChecked({ kind: 'loss', probability, spikeMs, resetProbability: probability * lossResetShareDefault });
}

/** Asserts a mode's numbers are sane and returns it frozen; modes come from code, not from users. */
export function linkModeChecked(mode: LinkMode): LinkMode {
  switch (mode.kind) {
    case 'pass':
    case 'blackhole':
    case 'reset':
      break;
    case 'delay':
      assert(Number.isFinite(mode.baseMs) && mode.baseMs >= 0, `delay baseMs must be >= 0, got ${mode.baseMs}`);
      assert(Number.isFinite(mode.jitterMs) && mode.jitterMs >= 0, `delay jitterMs must be >= 0, got ${mode.jitterMs}`);
      break;
    case 'loss':
      assert(
        mode.probability >= 0 && mode.probability <= 1,
        `loss probability must be in [0, 1], got ${mode.probability}`,
      );
      assert(
        mode.resetProbability >= 0 && mode.resetProbability <= 1,
        `loss resetProbability must be in [0, 1], got ${mode.resetProbability}`,
      );
      assert(Number.isFinite(mode.spikeMs) && mode.spikeMs >= 0, `loss spikeMs must be >= 0, got ${mode.spikeMs}`);
      break;
    default:
      assertNever(mode, 'link mode');
  }
  return Object.freeze({ ...mode });
}

/** A short human description for logs and reports ("delay 50ms +-10ms"). */
export function linkModeDescribe(mode: LinkMode): string {
  switch (mode.kind) {
    case 'pass':
    case 'blackhole':
    case 'reset':
      return mode.kind;
    case 'delay':
      return mode.jitterMs > 0 ? `delay ${mode.baseMs}ms +0..${mode.jitterMs}ms` : `delay ${mode.baseMs}ms`;
    case 'loss':
      return `loss ${probabilityText(mode.probability)} (spike ${mode.spikeMs}ms, reset ${probabilityText(mode.resetProbability)})`;
    default:
      return assertNever(mode, 'link mode');
  }
}

/** Three significant digits, so that 0.2 x 0.05 reads 0.01 and not 0.010000000000000002. */
function probabilityText(probability: number): string {
  return String(Number(probability.toPrecision(3)));
}
