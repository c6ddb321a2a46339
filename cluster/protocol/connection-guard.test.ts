// The guard's bounds on real sockets: a server with small bounds whose
// connections identify themselves by sending one byte.

import net from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { loggerCreate } from '../log.js';
import { ConnectionGuard } from './connection-guard.js';

const bounds = { connectionsMax: 4, connectionsPerRemoteMax: 3, frameStallMs: 300 };
const closeWaitMs = 2000;
const opened: net.Socket[] = [];
let server: net.Server | null = null;
afterEach(async () => {
  for (const socket of opened.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server === null ? resolve() : server.close(() => resolve())));
  server = null;
});

/** A server whose connections are identified by a byte 'i' and hold a partial frame after a byte 'p'. */
async function guardedServer(): Promise<{ port: number; warnings: string[] }> {
  const warnings: string[] = [];
  const guard = new ConnectionGuard(
    bounds,
    loggerCreate('t0', (line) => warnings.push(line)),
    'test server',
  );
  server = net.createServer((socket) => {
    const guarded = guard.admit(socket);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      if (chunk.includes('i')) guarded?.identified();
      guarded?.buffered(chunk.includes('p') ? 1 : 0);
      socket.write('.');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, warnings };
}

/** Connects from `from`, sends `send` (if any) and waits for the echo or a close. */
async function connect(port: number, from: string, send: string | null): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port, localAddress: from });
  opened.push(socket);
  socket.on('error', () => socket.destroy());
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  if (send !== null) {
    socket.write(send);
    await new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.once('close', () => resolve());
    });
  }
  return socket;
}

function closedWithin(socket: net.Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

test('one address gets at most its share; the oldest of its silent connections makes room, never an identified one', async () => {
  const { port, warnings } = await guardedServer();
  const silent = await connect(port, '127.0.0.1', null);
  const talking = [await connect(port, '127.0.0.1', 'i'), await connect(port, '127.0.0.1', 'i')];
  const fourth = await connect(port, '127.0.0.1', 'i');
  expect(await closedWithin(silent, closeWaitMs)).toBe(true);
  for (const socket of [...talking, fourth]) expect(socket.destroyed).toBe(false);
  const refused = await connect(port, '127.0.0.1', null);
  expect(await closedWithin(refused, closeWaitMs)).toBe(true);
  expect(warnings.join('\n')).toMatch(
    /refusing connection from 127\.0\.0\.1:\d+ to the test server: 3 connections from/,
  );
  // Another address still has room up to the total.
  const other = await connect(port, '127.0.0.2', 'i');
  expect(other.destroyed).toBe(false);
  const beyond = await connect(port, '127.0.0.3', null);
  expect(await closedWithin(beyond, closeWaitMs)).toBe(true);
  expect(warnings.join('\n')).toMatch(/4 connections already open/);
});

test('a partial frame that gets no more bytes is closed after the stall bound, one that keeps coming is not', async () => {
  const { port } = await guardedServer();
  const stalled = await connect(port, '127.0.0.1', 'ip');
  const trickling = await connect(port, '127.0.0.1', 'ip');
  const timer = setInterval(() => trickling.write('p'), bounds.frameStallMs / 3);
  const startedMs = performance.now();
  expect(await closedWithin(stalled, bounds.frameStallMs + closeWaitMs)).toBe(true);
  expect(performance.now() - startedMs).toBeGreaterThanOrEqual(bounds.frameStallMs - 50);
  await new Promise((resolve) => setTimeout(resolve, bounds.frameStallMs));
  clearInterval(timer);
  expect(trickling.destroyed).toBe(false);
});
