import { describe, expect, it } from 'vitest';
import type { NodeId } from '../../cluster/topology.js';
import { linkOf, linkKey, type DirectedLink } from './link.js';
import { linkBackendOk, type LinkBackend } from './link-backend.js';
import { LinkClaims, linkModeOfClaims } from './link-claims.js';
import { linkModeBlackhole, linkModeDelay, linkModeLoss, linkModePass, type LinkMode } from './link-mode.js';

/** A backend that only keeps each link's mode: what the claims set is all there is to see. */
function modesBackend(links: readonly DirectedLink[]): LinkBackend {
  const modes = new Map<string, LinkMode>();
  return {
    kind: 'proxy',
    dropUnit: 'chunk',
    links: () => links,
    modeUnavailable: () => null,
    linkAccepts: () => true,
    linksModeSet: (set, mode) => {
      for (const link of set) modes.set(linkKey(link), mode);
      return Promise.resolve(linkBackendOk);
    },
    linkMode: (link) => modes.get(linkKey(link)) ?? linkModePass,
    linksDrops: () => Promise.resolve({ ok: true, drops: new Map() }),
    heal: () => {
      modes.clear();
      return Promise.resolve(linkBackendOk);
    },
  };
}

const s = (id: string): NodeId => id as NodeId;
const a = linkOf(s('s00'), s('s10'));
const b = linkOf(s('s00'), s('s20'));

describe('link claims', () => {
  it('a cut stays cut when a slow or lossy fault claims the same link later, and after it is released', async () => {
    const backend = modesBackend([a, b]);
    const claims = new LinkClaims(backend);
    await claims.claim('partition-peers', [a], linkModeBlackhole);
    await claims.claim('slow-links', [a, b], linkModeDelay(50, 50));
    expect(backend.linkMode(a).kind).toBe('blackhole');
    expect(backend.linkMode(b).kind).toBe('delay');
    expect(claims.modeExpected(a).kind).toBe('blackhole');
    expect(claims.modeExpected(b).kind).toBe('delay');
    await claims.release('slow-links');
    expect(backend.linkMode(a).kind).toBe('blackhole');
    expect(backend.linkMode(b).kind).toBe('pass');
  });

  it('healing the cut leaves the slow link slow; healing a partition keeps another partition of the link', async () => {
    const backend = modesBackend([a, b]);
    const claims = new LinkClaims(backend);
    await claims.claim('partition-node', [a, b], linkModeBlackhole);
    await claims.claim('partition-peers', [a], linkModeBlackhole);
    await claims.claim('slow-links', [a], linkModeDelay(50));
    await claims.release('partition-node');
    expect(backend.linkMode(a).kind).toBe('blackhole');
    expect(backend.linkMode(b).kind).toBe('pass');
    await claims.release('partition-peers');
    expect(backend.linkMode(a).kind).toBe('delay');
  });

  it('among modes of one severity the newest holds', () => {
    expect(linkModeOfClaims([linkModeDelay(10), linkModeLoss(0.2)]).kind).toBe('loss');
    expect(linkModeOfClaims([linkModeLoss(0.2), linkModeDelay(10)]).kind).toBe('delay');
    expect(linkModeOfClaims([]).kind).toBe('pass');
  });
});

describe('link claims at once', () => {
  it('two releases at once leave every link as the claims say, however slow the backend', async () => {
    const base = modesBackend([a, b]);
    // Each mode set takes a while, and the first call takes longest: an unserialized release would apply a stale mode last.
    let calls = 0;
    const slow: LinkBackend = {
      ...base,
      linksModeSet: async (set, mode) => {
        const waitMs = calls++ === 0 ? 30 : 1;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        return base.linksModeSet(set, mode);
      },
    };
    const claims = new LinkClaims(slow);
    await claims.claim('partition-halves', [a, b], linkModeBlackhole);
    await claims.claim('partition-writer-storage', [a], linkModeBlackhole);
    calls = 0;
    await Promise.all([claims.release('partition-halves'), claims.release('partition-writer-storage')]);
    expect(base.linkMode(a).kind).toBe('pass');
    expect(base.linkMode(b).kind).toBe('pass');
  });
});
