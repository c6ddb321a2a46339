// The liveness watches' own loops on simulated time, with a scripted stand-in
// for the storage nodes: when they stop, what they record each round, and that
// the bound ends a wait for a replica that never catches up.

import { describe, expect, it } from 'vitest';
import type { RepairSeen, ReplicaSeen, ScrubSeen } from '../checkers/liveness-events.js';
import type { NodeId, NodeSpec } from '../cluster/topology.js';
import { clockVirtualCreate } from '../core/clock.js';
import type { JsonValue } from '../core/history.js';
import { repairStatsMissing, type StoreObserver } from './liveness-store.js';
import { livenessPollMs, repairCheck, replicasWatch, type WatchEnv } from './liveness-watch.js';

const nodes: NodeSpec[] = ['s00', 's01'].map((id) => ({
  id: id as NodeId,
  role: 'storage',
  az: 0,
  listen: { host: '127.0.0.1', port: 1 },
  dataDir: '/nonexistent',
}));

/** A stand-in whose answers depend on how many rounds have asked so far. */
function scripted(answers: {
  replica?: (node: string, round: number) => ReplicaSeen;
  repair?: (node: string, round: number) => RepairSeen;
  scrub?: (node: string, pass: number) => ScrubSeen;
}): StoreObserver {
  const asked = { replica: 0, repair: 0, scrub: 0 };
  const round = (kind: keyof typeof asked): number => Math.floor(asked[kind]++ / nodes.length) + 1;
  return {
    replica: (node) => Promise.resolve(answers.replica!(node.id, round('replica'))),
    repairStats: (node) => Promise.resolve(answers.repair!(node.id, round('repair'))),
    scrub: (node) => Promise.resolve(answers.scrub!(node.id, round('scrub'))),
  };
}

function watchEnv(observer: StoreObserver, timeoutMs = 2000) {
  const clock = clockVirtualCreate();
  const recorded: { f: string; value: JsonValue }[] = [];
  const env: WatchEnv = {
    nodes,
    observer,
    clock,
    record: (f, value) => recorded.push({ f, value }),
    timeoutMs,
    signal: new AbortController().signal,
  };
  return { env, clock, recorded };
}

const stats = (node: string, blocksUnrepaired: number): RepairSeen => ({
  node,
  blocksUnrepaired,
  blockRepairsMax: 1,
  error: null,
});
const scrubbed = (node: string, blocksCorrupt: number): ScrubSeen => ({
  node,
  figures: { blocksChecked: 8, blocksCorrupt, blocksUnrepaired: blocksCorrupt, complete: true },
  error: null,
});

describe('the replica watch', () => {
  it('records rounds until the lagging replica reaches its PG’s highest SCL, then stops', async () => {
    const observer = scripted({
      replica: (node, round) => ({ node, scls: [node === 's01' && round < 3 ? 10 : 40, 7], error: null }),
    });
    const { env, clock, recorded } = watchEnv(observer);
    expect(await clock.runUntil(replicasWatch(env), 10_000)).toBe(true);
    expect(recorded.map((r) => r.value)).toEqual([
      expect.objectContaining({ round: 1, watchedMs: 0, timeoutMs: 2000 }),
      expect.objectContaining({ round: 2, watchedMs: livenessPollMs }),
      {
        round: 3,
        watchedMs: 2 * livenessPollMs,
        timeoutMs: 2000,
        nodes: [
          { node: 's00', scls: [40, 7], error: null },
          { node: 's01', scls: [40, 7], error: null },
        ],
      },
    ]);
  });

  it('gives up at its bound on a replica that never answers, having recorded every round', async () => {
    const observer = scripted({
      replica: (node) =>
        node === 's01' ? { node, scls: null, error: 'connect ECONNREFUSED' } : { node, scls: [40], error: null },
    });
    const { env, clock, recorded } = watchEnv(observer, 1000);
    expect(await clock.runUntil(replicasWatch(env), 10_000)).toBe(false);
    expect(recorded).toHaveLength(1000 / livenessPollMs + 1);
    expect(recorded.at(-1)?.value).toMatchObject({ watchedMs: 1000 });
  });
});

describe('the repair check', () => {
  it('scrubs, waits until nothing is unrepaired, and scrubs again', async () => {
    const observer = scripted({
      scrub: (node, pass) => scrubbed(node, pass === 1 && node === 's00' ? 2 : 0),
      repair: (node, round) => stats(node, node === 's00' && round < 2 ? 2 : 0),
    });
    const { env, clock, recorded } = watchEnv(observer);
    expect(await clock.runUntil(repairCheck(env), 10_000)).toBe(true);
    expect(recorded.map((r) => r.f)).toEqual(['observe-scrub', 'observe-repair', 'observe-repair', 'observe-scrub']);
    expect(recorded[0]?.value).toMatchObject({ pass: 1 });
    expect(recorded[3]?.value).toMatchObject({ pass: 2 });
  });

  it('says false when the second scrub finds a corrupt block', async () => {
    const observer = scripted({ scrub: (node, pass) => scrubbed(node, pass), repair: (node) => stats(node, 0) });
    const { env, clock } = watchEnv(observer);
    expect(await clock.runUntil(repairCheck(env), 10_000)).toBe(false);
  });

  it('does not wait on a store that reports no repair stats', async () => {
    const observer = scripted({
      scrub: (node) => ({ node, figures: null, error: 'reject bad-request' }),
      repair: (node) => ({ node, blocksUnrepaired: null, blockRepairsMax: null, error: repairStatsMissing }),
    });
    const { env, clock, recorded } = watchEnv(observer);
    expect(await clock.runUntil(repairCheck(env), 10_000)).toBe(false);
    expect(recorded.filter((r) => r.f === 'observe-repair')).toHaveLength(1);
    expect(clock.nowMs()).toBe(0);
  });
});
