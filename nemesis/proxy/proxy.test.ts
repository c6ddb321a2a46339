import { afterEach, describe, expect, it, test } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { prngCreate } from '../../core/prng.js';
import type { NodeId } from '../../cluster/topology.js';
import { linkOf } from '../links/link.js';
import { linkModeBlackhole, linkModeDelay, linkModePass, linkModeReset, type LinkMode } from '../links/link-mode.js';
import { LinkState } from './link-state.js';
import { linkProxyStart, type LinkProxy, type ProxyBounds } from './proxy.js';
import {
  clientConnect,
  connectRefused,
  echoServerStart,
  eventually,
  type EchoServer,
  type EchoServerOptions,
  type TestClient,
} from '../test-support/net-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  readonly server: EchoServer;
  readonly proxy: LinkProxy;
  /** The link a -> b: what the client sends. */
  readonly forward: LinkState;
  /** The link b -> a: what the client receives. */
  readonly backward: LinkState;
  readonly connect: () => Promise<TestClient>;
}

async function rig(serverOptions: EchoServerOptions = {}, bounds: Partial<ProxyBounds> = {}): Promise<Rig> {
  const server = await echoServerStart(serverOptions);
  cleanups.push(() => server.close());
  const prng = prngCreate(7);
  const forward = new LinkState(linkOf('a' as NodeId, 'b' as NodeId), prng.fork('a->b'));
  const backward = new LinkState(linkOf('b' as NodeId, 'a' as NodeId), prng.fork('b->a'));
  const proxy = await linkProxyStart({ forward, backward, target: server.address, bounds });
  cleanups.push(() => proxy.close());
  const connect = async (): Promise<TestClient> => {
    const client = await clientConnect(proxy.address);
    cleanups.push(() => void client.socket.destroy());
    return client;
  };
  return { server, proxy, forward, backward, connect };
}

async function roundTrip(client: TestClient, text: string): Promise<void> {
  const before = client.received().length;
  client.socket.write(text);
  await eventually(`the echo of "${text}"`, () => client.received().length >= before + text.length);
  expect(client.received().subarray(before).toString()).toBe(text);
}

describe('pass', () => {
  it('forwards bytes both ways and counts them on each directed link', async () => {
    const { forward, backward, connect } = await rig();
    const client = await connect();
    await roundTrip(client, 'hello');
    expect(forward.counters()).toMatchObject({ bytesForwarded: 5, bytesDropped: 0, connectionsAccepted: 1 });
    expect(backward.counters()).toMatchObject({ bytesForwarded: 5, bytesDropped: 0, connectionsAccepted: 0 });
  });

  it('passes the end of the stream on, so a half-close reaches the other side and the connection is released', async () => {
    const { proxy, forward, backward, connect } = await rig();
    const client = await connect();
    await roundTrip(client, 'bye');
    client.socket.end();
    await eventually('the server to end its side in turn', () => client.ended());
    await eventually('the proxy to release the connection', () => proxy.connectionCount() === 0);
    expect(forward.flowCount() + backward.flowCount()).toBe(0);
    expect(client.ending()).toBe('end');
  });

  it('carries a large stream intact and in order through a delayed link with a small queue bound', async () => {
    const { server, forward, connect } = await rig({ echo: false }, { queueBytesMax: 16 * 1024 });
    forward.modeSet(linkModeDelay(2, 3));
    const client = await connect();
    const payload = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + (i >> 10)) & 0xff;
    client.socket.write(payload);
    await eventually('the whole payload at the server', () => server.received().length >= payload.length, 20_000);
    expect(server.received().equals(payload)).toBe(true);
  });
});

describe('blackhole', () => {
  it('accepts bytes and carries none while active, then resets the connection that lost bytes when healed', async () => {
    const { server, forward, connect } = await rig();
    const client = await connect();
    await roundTrip(client, 'before');
    forward.modeSet(linkModeBlackhole);
    client.socket.write('during');
    await eventually('the proxy to drop the bytes', () => forward.counters().bytesDropped === 6);
    expect(server.received().toString()).toBe('before');
    expect(client.received().toString()).toBe('before');
    expect(client.ending()).toBeNull();

    forward.modeSet(linkModePass);
    await eventually('the damaged connection to be reset', () => client.ending() !== null);
    expect(client.ending()).toBe('ECONNRESET');
    expect(forward.counters().connectionsReset).toBe(1);
    await roundTrip(await connect(), 'after');
    expect(server.received().toString()).toBe('beforeafter');
  });

  it('accepts new connections while active but carries nothing on them', async () => {
    const { server, forward, connect } = await rig();
    forward.modeSet(linkModeBlackhole);
    const client = await connect();
    client.socket.write('lost');
    await eventually('the proxy to drop the bytes', () => forward.counters().chunksDropped === 1);
    expect(forward.counters().connectionsAccepted).toBe(1);
    expect(server.received().length).toBe(0);
    expect(client.received().length).toBe(0);
  });

  it('leaves a connection that was idle through the blackhole working after the heal', async () => {
    const { forward, connect } = await rig();
    const client = await connect();
    await roundTrip(client, 'one');
    forward.modeSet(linkModeBlackhole);
    forward.modeSet(linkModePass);
    await roundTrip(client, 'two');
    expect(client.ending()).toBeNull();
    expect(forward.counters().connectionsReset).toBe(0);
  });
});

describe('one-way partitions', () => {
  it('blocks what the dialler sends and still delivers what it receives', async () => {
    const { server, forward, backward, connect } = await rig({ greeting: 'welcome', echo: false });
    forward.modeSet(linkModeBlackhole);
    const client = await connect();
    client.socket.write('unheard');
    await eventually('the greeting to arrive', () => client.received().toString() === 'welcome');
    await eventually('the request to be dropped', () => forward.counters().bytesDropped === 7);
    expect(server.received().length).toBe(0);
    expect(backward.counters().bytesDropped).toBe(0);
  });

  it('blocks what the dialler receives and still delivers what it sends', async () => {
    const { server, forward, backward, connect } = await rig();
    backward.modeSet(linkModeBlackhole);
    const client = await connect();
    client.socket.write('heard');
    await eventually('the server to receive the request', () => server.received().toString() === 'heard');
    await eventually('the echo to be dropped', () => backward.counters().bytesDropped === 5);
    expect(client.received().length).toBe(0);
    expect(forward.counters().bytesDropped).toBe(0);
  });
});

describe('reset', () => {
  test.each(['forward', 'backward'] as const)(
    'on the %s link resets open connections and refuses new ones until healed',
    async (side) => {
      const r = await rig();
      const link = side === 'forward' ? r.forward : r.backward;
      const open = await r.connect();
      await roundTrip(open, 'ping');
      link.modeSet(linkModeReset);
      await eventually('the open connection to be reset', () => open.ending() !== null);
      expect(open.ending()).toBe('ECONNRESET');
      const refused = await r.connect();
      await eventually('the new connection to be reset', () => refused.ending() !== null);
      expect(refused.ending()).toBe('ECONNRESET');
      expect(link.counters().connectionsReset).toBe(2);
      link.modeSet(linkModePass);
      await roundTrip(await r.connect(), 'pong');
    },
  );
});

describe('delay and loss', () => {
  it('holds every chunk at least the base delay and keeps byte order under jitter', async () => {
    const { server, forward, connect } = await rig({ echo: false });
    const baseMs = 60;
    forward.modeSet(linkModeDelay(baseMs, 40));
    const client = await connect();
    const clock = clockCreate();
    const sentAtMs = clock.nowMs();
    const messages = Array.from({ length: 40 }, (_, i) => `<${i}>`);
    for (const message of messages) client.socket.write(message);
    await eventually('the first bytes at the server', () => server.received().length > 0);
    expect(clock.nowMs() - sentAtMs).toBeGreaterThanOrEqual(baseMs);
    await eventually('every message at the server', () => server.received().toString() === messages.join(''));
  });

  test.each<{ name: string; mode: LinkMode; reset: boolean }>([
    {
      name: 'spikes every chunk late but delivers it',
      mode: { kind: 'loss', probability: 1, spikeMs: 20, resetProbability: 0 },
      reset: false,
    },
    {
      name: 'resets the connection when retransmission gives up',
      mode: { kind: 'loss', probability: 1, spikeMs: 20, resetProbability: 1 },
      reset: true,
    },
  ])('loss $name', async ({ mode, reset }) => {
    const { forward, connect } = await rig();
    forward.modeSet(mode);
    const client = await connect();
    if (reset) {
      client.socket.write('x');
      await eventually('the reset', () => client.ending() !== null);
      expect(client.ending()).toBe('ECONNRESET');
      expect(forward.counters().connectionsReset).toBe(1);
      return;
    }
    await roundTrip(client, 'late');
    await roundTrip(client, 'still in order');
    expect(forward.counters().lossSpikes).toBeGreaterThanOrEqual(2);
  });
});

describe('lifecycle', () => {
  it('close() ends every connection and the port refuses connections afterwards', async () => {
    const { proxy, forward, connect } = await rig();
    const client = await connect();
    await roundTrip(client, 'open');
    expect(proxy.connectionCount()).toBe(1);
    await proxy.close();
    await eventually('the client to see the end of the stream', () => client.ended() || client.ending() !== null);
    expect(proxy.connectionCount()).toBe(0);
    expect(forward.flowCount()).toBe(0);
    expect(await connectRefused(proxy.address)).toBe(true);
  });

  it('resets the dialler when the real target refuses the connection', async () => {
    const { server, connect } = await rig();
    await server.close();
    const client = await connect();
    await eventually('the client to be reset', () => client.ending() !== null);
    expect(client.ending()).toBe('ECONNRESET');
  });
});
