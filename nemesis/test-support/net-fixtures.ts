// Real sockets for the proxy tests: a server that records what it receives and
// echoes it (optionally greeting each connection first), a client that records
// what it receives and how it ended, and a bounded wait for a condition.

import net, { type Server, type Socket } from 'node:net';
import type { Address } from '../../cluster/topology.js';
import { clockCreate, pollUntil } from '../../core/clock.js';

export interface EchoServer {
  readonly address: Address;
  /** Every byte received, over all connections, in arrival order. */
  received(): Buffer;
  connectionsAccepted(): number;
  close(): Promise<void>;
}

export interface EchoServerOptions {
  /** Sent to every new connection before anything else. */
  readonly greeting?: string;
  /** Echo what arrives (default true). */
  readonly echo?: boolean;
}

export async function echoServerStart(options: EchoServerOptions = {}): Promise<EchoServer> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (options.greeting !== undefined) socket.write(options.greeting);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (options.echo ?? true) socket.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const bound = server.address();
  if (bound === null || typeof bound !== 'object') throw new Error('echo server has no address');
  return {
    address: { host: '127.0.0.1', port: bound.port },
    received: () => Buffer.concat(chunks),
    connectionsAccepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface TestClient {
  readonly socket: Socket;
  received(): Buffer;
  /** Set once the socket closed: 'end' for a clean close, else the error code (ECONNRESET, ...). */
  ending(): string | null;
  /** Whether the peer's end of stream (FIN) arrived. */
  ended(): boolean;
}

export async function clientConnect(address: Address): Promise<TestClient> {
  const chunks: Buffer[] = [];
  let ending: string | null = null;
  let ended = false;
  const socket = net.connect({ host: address.host, port: address.port, allowHalfOpen: true });
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('end', () => {
    ended = true;
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    ending ??= error.code ?? error.message;
  });
  socket.on('close', () => {
    ending ??= 'end';
  });
  // A proxy may reset a connection before the client sees it open; that is an outcome, not a failure.
  await new Promise<void>((resolve) => {
    socket.once('connect', resolve);
    socket.once('close', resolve);
  });
  return { socket, received: () => Buffer.concat(chunks), ending: () => ending, ended: () => ended };
}

const clock = clockCreate();

/** Resolves once `condition` holds; rejects after `timeoutMs` naming what was awaited. */
export async function eventually(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  await pollUntil(clock, { what, timeoutMs, intervalMs: 10, probe: () => (condition() ? true : null) });
}

/** Whether a TCP connection to the address is refused (nothing listens there any more). */
export function connectRefused(address: Address): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
