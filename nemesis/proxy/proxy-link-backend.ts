// The local runtime's link backend: the fault-injecting proxy on every link.
// Its modes apply at once (in memory); a blackholed link counts the chunks and
// bytes it swallowed, which is what a partition's heal reports.

import { linkKey } from '../links/link.js';
import { linkBackendOk, type LinkBackend, type LinkDrops } from '../links/link-backend.js';
import type { ProxyMesh } from './proxy-mesh.js';

export function proxyLinkBackend(mesh: ProxyMesh): LinkBackend {
  return {
    kind: 'proxy',
    dropUnit: 'chunk',
    links: () => mesh.linkReports().map((report) => report.link),
    modeUnavailable: () => null,
    linkAccepts: () => true,
    linksModeSet: (links, mode) => {
      mesh.linksModeSet(links, mode);
      return Promise.resolve(linkBackendOk);
    },
    linkMode: (link) => mesh.linkMode(link),
    linksDrops: (links) => {
      const drops = new Map<string, LinkDrops>();
      for (const link of links) {
        const counters = mesh.linkCounters(link);
        drops.set(linkKey(link), { bytes: counters.bytesDropped, count: counters.chunksDropped });
      }
      return Promise.resolve({ ok: true, drops });
    },
    heal: () => {
      mesh.heal();
      return Promise.resolve(linkBackendOk);
    },
  };
}
