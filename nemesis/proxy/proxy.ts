// nemesis/proxy/: the fault-injecting TCP proxy of the local runtime. Every
// directed link a node dials gets a listener (this file), each accepted
// connection is a ProxyConnection with a StreamDirection each way, and
// ProxyMesh holds them all for a cluster; proxy-link-backend.ts hands the mesh
// to the link faults as a LinkBackend.
//
// The listener of one directed link: the dialling node connects here instead of
// to its peer, and every accepted connection is forwarded to the peer's real
// address through a ProxyConnection governed by the link's modes. Listens on
// 127.0.0.1 only.

import net, { type Server, type Socket } from 'node:net';
import { assert } from '../../core/assert.js';
import { clockCreate, type Clock } from '../../core/clock.js';
import type { Address } from '../../cluster/topology.js';
import type { LinkState } from './link-state.js';
import { ProxyConnection } from './proxy-connection.js';

export const proxyHost = '127.0.0.1';

export interface ProxyBounds {
  /** Bytes queued per connection direction before the sender is paused. */
  readonly queueBytesMax: number;
  /** Open connections per listener; further ones are closed as soon as they are accepted. */
  readonly connectionsMax: number;
  readonly connectTimeoutMs: number;
  /** How long close() waits for the listener to shut before giving up. */
  readonly closeTimeoutMs: number;
}

export const proxyBoundsDefault: ProxyBounds = Object.freeze({
  queueBytesMax: 1 << 20,
  connectionsMax: 256,
  connectTimeoutMs: 2000,
  closeTimeoutMs: 2000,
});

export interface LinkProxyOptions {
  /** The state of the listener's link (from -> to): the bytes the dialler sends. */
  readonly forward: LinkState;
  /** The state of the reverse link (to -> from): the bytes the dialler receives. */
  readonly backward: LinkState;
  /** The real address of `to`. */
  readonly target: Address;
  readonly clock?: Clock;
  readonly bounds?: Partial<ProxyBounds>;
  /**
   * Ports the listener must not take: the nodes' own ports, chosen before the
   * proxy starts and bound only when the nodes start, which a port-0 listen
   * could otherwise grab first.
   */
  readonly portsAvoid?: ReadonlySet<number>;
}

/** Bound on listens that landed on a port to avoid before giving up. */
export const listenAttemptsMax = 16;

export interface LinkProxy {
  /** Where `from` must dial to reach `to` through the proxy. */
  readonly address: Address;
  /** Connections open right now. */
  connectionCount(): number;
  /** The last error the listener reported (accept failures such as EMFILE), or null. */
  listenerErrorLast(): string | null;
  /** Closes the listener and every connection; idempotent. */
  close(): Promise<void>;
}

export async function linkProxyStart(options: LinkProxyOptions): Promise<LinkProxy> {
  assert(options.forward.link.from === options.backward.link.to, 'backward link must be the reverse of forward');
  assert(options.forward.link.to === options.backward.link.from, 'backward link must be the reverse of forward');
  const bounds: ProxyBounds = { ...proxyBoundsDefault, ...options.bounds };
  const clock = options.clock ?? clockCreate();
  const connections = new Set<ProxyConnection>();
  const serverCreate = (): Server => {
    const created = net.createServer({ allowHalfOpen: true }, (accepted) => {
      connectionAccept(accepted, { ...options, clock, bounds, connections });
    });
    created.maxConnections = bounds.connectionsMax;
    return created;
  };
  const { server, address } = await serverListenAvoiding(serverCreate, options.portsAvoid ?? new Set());
  // An accept failure must not bring the whole runtime down; it is kept for the report instead.
  let listenerErrorLast: string | null = null;
  server.on('error', (error: NodeJS.ErrnoException) => {
    listenerErrorLast = error.code ?? error.message;
  });
  let closing: Promise<void> | null = null;
  return {
    address,
    connectionCount: () => connections.size,
    listenerErrorLast: () => listenerErrorLast,
    close: () => {
      closing ??= serverClose(server, connections, clock, bounds.closeTimeoutMs);
      return closing;
    },
  };
}

interface AcceptContext extends LinkProxyOptions {
  readonly clock: Clock;
  readonly bounds: ProxyBounds;
  readonly connections: Set<ProxyConnection>;
}

function connectionAccept(accepted: Socket, context: AcceptContext): void {
  const { forward, backward, bounds } = context;
  forward.count('connectionsAccepted');
  // A connection needs both directions; a link in reset mode refuses it at once.
  const refusedBy = [forward, backward].find((link) => !link.admits());
  if (refusedBy !== undefined) {
    refusedBy.count('connectionsReset');
    // The reset we send may race an error from the peer; either way the socket is done.
    accepted.on('error', () => accepted.destroy());
    accepted.resetAndDestroy();
    return;
  }
  const connection = new ProxyConnection({
    accepted,
    target: context.target,
    forward,
    backward,
    clock: context.clock,
    queueBytesMax: bounds.queueBytesMax,
    connectTimeoutMs: bounds.connectTimeoutMs,
    onClosed: (closed) => context.connections.delete(closed),
  });
  context.connections.add(connection);
}

async function serverListenAvoiding(
  serverCreate: () => Server,
  portsAvoid: ReadonlySet<number>,
): Promise<{ server: Server; address: Address }> {
  for (let attempt = 1; ; attempt++) {
    const server = serverCreate();
    const address = await serverListen(server);
    if (!portsAvoid.has(address.port)) return { server, address };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (attempt >= listenAttemptsMax)
      throw new Error(`proxy listener landed on a reserved port ${listenAttemptsMax} times`);
  }
}

function serverListen(server: Server): Promise<Address> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: proxyHost, port: 0 }, () => {
      server.off('error', reject);
      const bound = server.address();
      assert(bound !== null && typeof bound === 'object', 'a TCP listener has an address');
      resolve(Object.freeze({ host: proxyHost, port: bound.port }));
    });
  });
}

/** Waits for the listener to shut, at most `timeoutMs` on the clock; the connections are destroyed meanwhile. */
async function serverClose(
  server: Server,
  connections: Set<ProxyConnection>,
  clock: Clock,
  timeoutMs: number,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const connection of [...connections]) connection.destroy();
  connections.clear();
  const settled = new AbortController();
  try {
    await Promise.race([closed, clock.sleep(timeoutMs, settled.signal)]);
  } finally {
    settled.abort();
  }
}
