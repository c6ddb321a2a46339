// Seeded fuzz of live servers over real sockets: random and mutated frames
// sent to a storage node and to the writer. A connection that sent whole
// frames is answered or closed within a bound (no hang); afterwards both
// processes still run, logged no FATAL, and the store still serves.

import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { prngCreate, type Prng } from '../../core/prng.js';
import { frameEncode } from '../protocol/frame.js';
import {
  fuzzFrame,
  fuzzScale,
  storageSeedsReadOnly,
  writerSeeds,
  type FuzzFrame,
} from '../protocol/test-support/wire-fuzz.js';
import { clientLinkEnd } from '../runtime/local/link-address.js';
import type { Address, NodeId } from '../topology.js';
import { storageNodeId, writerNodeId } from '../topology.js';
import { ClusterFixtures, okValue } from './test-support/cluster-fixture.js';
import type { TestCluster } from './test-support/cluster-fixture.js';
import { processGone } from './test-support/processes.js';

const fixtures = new ClusterFixtures();
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await fixtures.start();
});
afterAll(() => fixtures.cleanup());

const sockets = new Set<net.Socket>();
afterEach(() => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
});

const connectionsPerScale = 120;
/** Bound on the fuzz of one server whatever the scale. */
const budgetMsPerScale = 4000;
/** Connections fuzzing at once. */
const parallel = 8;
/** A connection that sent whole frames must be answered or closed within this. */
const answerWaitMs = 3000;
/** A connection left with a partial frame is given this long to be refused, then dropped by the test. */
const partialWaitMs = 50;

type Outcome = 'answered' | 'closed' | 'silent';

test.each([
  ['the writer', writerNodeId(0), writerSeeds],
  ['a storage node', storageNodeId(1, 0), storageSeedsReadOnly],
] as const)(
  '%s survives fuzzed frames: each whole one answered or closed, and it serves after',
  async (_n, id, seeds) => {
    const address = cluster.runtime.linkAddress(clientLinkEnd, id);
    const frames = seeds.map((seed) => frameEncode(seed));
    const prng = prngCreate(id === writerNodeId(0) ? 11 : 12);
    const scale = fuzzScale();
    const deadline = performance.now() + budgetMsPerScale * scale;
    const hung: string[] = [];
    const outcomes = new Map<Outcome, number>();
    for (let done = 0; done < connectionsPerScale * scale && performance.now() < deadline; done += parallel) {
      const batch = Array.from({ length: parallel }, () => connectionFuzz(prng, address, frames));
      for (const { outcome, sent } of await Promise.all(batch)) {
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (outcome === 'silent' && sent.every((frame) => frame.complete))
          hung.push(sent.map((f) => f.how).join(' + '));
      }
    }
    expect(hung, 'connections with whole frames neither answered nor closed').toEqual([]);
    expect(outcomes.get('answered') ?? 0).toBeGreaterThan(0);
    expect(outcomes.get('closed') ?? 0).toBeGreaterThan(0);
    await stillServing(id);
  },
  60_000,
);

async function stillServing(id: NodeId): Promise<void> {
  const pid = cluster.runtime.nodePid(id);
  expect(pid !== null && !processGone(pid)).toBe(true);
  expect(readFileSync(cluster.runtime.nodeLogPath(id), 'utf8')).not.toMatch(/ FATAL /);
  const client = await cluster.client();
  await okValue(client, { t: 'write', key: `after-fuzz-${id}`, value: 3 });
  expect(await okValue(client, { t: 'read', key: `after-fuzz-${id}` })).toBe(3);
  const health = await cluster.runtime.storageHealth(storageNodeId(1, 0), 2000);
  expect(health.ok ? health.health.ready : health).toBe(true);
}

/** One connection: 1 to 3 fuzzed frames, then the first of an answer, a close, or the wait's end. */
async function connectionFuzz(
  prng: Prng,
  address: Address,
  seeds: readonly Buffer[],
): Promise<{ outcome: Outcome; sent: FuzzFrame[] }> {
  const sent = Array.from({ length: prng.between(1, 3) }, () => fuzzFrame(prng, seeds));
  const waitMs = sent.every((frame) => frame.complete) ? answerWaitMs : partialWaitMs;
  const socket = net.connect(address);
  sockets.add(socket);
  socket.on('error', () => socket.destroy());
  const outcome = await new Promise<Outcome>((resolve) => {
    // First the connect's bound, then the answer's.
    let timer = setTimeout(() => end('silent'), answerWaitMs);
    const end = (outcome: Outcome): void => {
      clearTimeout(timer);
      resolve(outcome);
    };
    socket.once('data', () => end('answered'));
    socket.once('close', () => end('closed'));
    socket.once('connect', () => {
      clearTimeout(timer);
      timer = setTimeout(() => end('silent'), waitMs);
      socket.write(Buffer.concat(sent.map((frame) => frame.bytes)));
    });
  });
  socket.destroy();
  sockets.delete(socket);
  return { outcome, sent };
}
