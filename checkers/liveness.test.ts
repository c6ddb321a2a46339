import { describe, expect, it } from 'vitest';
import type { LivenessDetails } from './checker-details.js';
import { livenessChecker } from './liveness.js';
import { observeF, type ReplicaSeen, type ReplicasObservation } from './liveness-events.js';
import { contextFor, historyWrite, type HistoryWriter } from './test-support/history-writer.js';

const context = contextFor('register');

/** Replica observations as the runner records them: one per watch round. */
function replicas(h: HistoryWriter, rounds: readonly (readonly ReplicaSeen[])[], timeoutMs = 20_000): HistoryWriter {
  rounds.forEach((nodes, i) => {
    const value: ReplicasObservation = { round: i + 1, watchedMs: i * 250, timeoutMs, nodes };
    h.nemesis('info', observeF.replicas, value);
  });
  return h;
}

const seen = (node: string, ...scls: number[]): ReplicaSeen => ({ node, scls, error: null });
const caughtUp = [seen('s00', 40), seen('s01', 40), seen('s10', 40)];

interface RunShape {
  /** Keys written in the liveness phase, and read in the final phase. */
  readonly written?: readonly string[];
  readonly read?: readonly string[];
  /** Replica rounds; none: the run ended before the watch. */
  readonly rounds?: readonly (readonly ReplicaSeen[])[];
  readonly healError?: string;
  readonly phaseReached?: 'main' | 'heal' | 'liveness';
}

/** A register run on r0 and r1 with a kill-node fault, healed, then the liveness phase as the runner runs it. */
function run(shape: RunShape = {}): HistoryWriter {
  const { written = ['r0', 'r1'], read = ['r0', 'r1'], rounds = [caughtUp], phaseReached = 'liveness' } = shape;
  const h = historyWrite()
    .op(0, 'write', 'r0', 1, 'ok')
    .nemesis('invoke', 'start-kill-node', null)
    .nemesis('info', 'start-kill-node', { targets: ['s01'] })
    .op(1, 'write', 'r1', 2, 'ok');
  if (phaseReached === 'main') return h;
  h.phase('heal').nemesis('invoke', 'stop-kill-node', null);
  h.nemesis('info', 'stop-kill-node', { targets: ['s01'] }, shape.healError);
  if (phaseReached === 'heal') return h;
  h.nemesis('info', 'phase', 'liveness');
  written.forEach((key, i) => h.op(2, 'write', key, -(i + 1), 'ok'));
  h.phase('final');
  read.forEach((key) => h.op(3, 'read', key, null, 'ok', -1));
  return replicas(h, rounds);
}

const check = (h: HistoryWriter) => livenessChecker.check(h.events, context);

describe('liveness checker', () => {
  it('is valid when every key was written and read after the heal and every replica caught up', () => {
    const result = check(run({ rounds: [[seen('s00', 40), seen('s01', 12), seen('s10', 40)], caughtUp] }));
    expect(result.verdict, result.summary).toBe('valid');
    const details = result.details as LivenessDetails;
    expect(details).toMatchObject({ keys: { keys: 2, unwritten: [], unread: [] }, behind: [], healFailures: [] });
    expect(details.replicas).toEqual({
      nodes: 3,
      pgs: 1,
      rounds: 2,
      watchedMs: 250,
      timeoutMs: 20_000,
      caughtUp: true,
    });
    expect(result.summary).toContain('3 replicas of 1 PG caught up in 2 rounds');
  });

  it('fails a run whose last observation still shows a replica behind, naming the node, PG, SCLs and watch time', () => {
    const behind = [seen('s00', 40, 7), seen('s01', 12, 7), seen('s10', 40, 7)];
    const result = check(run({ rounds: [behind, behind] }));
    expect(result.verdict).toBe('invalid');
    expect(result.details!.behind).toEqual([
      { node: 's01', pg: 0, scl: 12, pgHighest: 40, watchedMs: 250, error: null },
    ]);
    expect(result.summary).toBe('replica s01 behind on pg 0: SCL 12 < 40 after 250 ms');
  });

  it('fails a run where a storage node never answered after the heal', () => {
    const silent: ReplicaSeen = { node: 's01', scls: null, error: 'connect ECONNREFUSED 127.0.0.1:4101' };
    const result = check(run({ rounds: [[seen('s00', 40), silent, seen('s10', 40)]] }));
    expect(result.verdict).toBe('invalid');
    expect(result.summary).toBe('replica s01 not observed after 0 ms: connect ECONNREFUSED 127.0.0.1:4101');
  });

  it.each([
    { name: 'no ok write', shape: { written: ['r0'] }, text: 'key r1 had no ok write after the heal' },
    { name: 'no ok read', shape: { read: ['r1'] }, text: 'key r0 had no ok read after the heal' },
  ])('fails a run where a key had $name in the liveness phase', ({ shape, text }) => {
    const result = check(run(shape));
    expect(result.verdict).toBe('invalid');
    expect(result.summary).toBe(text);
  });

  it('does not count writes from before the heal as liveness writes', () => {
    const h = run({ written: [] });
    const result = check(h);
    expect(result.verdict).toBe('invalid');
    expect(result.details?.keys?.unwritten).toEqual(['r0', 'r1']);
  });

  it('fails a run whose final heal did not take effect, with the fault, its targets and the error', () => {
    const result = check(run({ healError: 'node s01 did not start: port in use' }));
    expect(result.verdict).toBe('invalid');
    expect(result.summary).toBe('heal of kill-node on s01 failed: node s01 did not start: port in use');
    expect(result.details!.healFailures).toEqual([
      { index: 8, fault: 'kill-node', targets: ['s01'], error: 'node s01 did not start: port in use' },
    ]);
  });

  it('ignores a failed stop from before the heal phase', () => {
    const h = historyWrite()
      .op(0, 'write', 'r0', 1, 'ok')
      .nemesis('info', 'stop-kill-node', { targets: ['s01'] }, 'nemesis-timeout')
      .phase('heal')
      .nemesis('info', 'phase', 'liveness')
      .op(2, 'write', 'r0', -1, 'ok')
      .phase('final')
      .op(3, 'read', 'r0', null, 'ok', -1);
    expect(check(replicas(h, [caughtUp])).verdict).toBe('valid');
  });

  it.each([
    { reached: 'main', reason: 'the run ended before its heal' },
    { reached: 'heal', reason: 'ends after the heal began, before the liveness phase' },
    { reached: 'liveness', reason: 'ends inside the liveness phase, before the replicas were observed' },
  ] as const)('is unknown, and says why, when the run ended in the $reached phase', ({ reached, reason }) => {
    const result = check(run({ phaseReached: reached, rounds: [] }));
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain(reason);
  });

  it('is invalid, not unknown, when the heal failed and the run then crashed', () => {
    const result = check(run({ phaseReached: 'heal', healError: 'nemesis-timeout' }));
    expect(result.verdict).toBe('invalid');
    expect(result.reason).toContain('before the liveness phase');
  });

  it('is valid with no storage nodes to watch (the in-process store)', () => {
    const result = check(run({ rounds: [[]] }));
    expect(result.verdict).toBe('valid');
    expect(result.summary).toContain('no storage nodes to watch');
  });

  it('is unknown when an observation does not have its shape, naming the event', () => {
    const h = run({ rounds: [] }).nemesis('info', observeF.replicas, { round: 1, nodes: 'all' });
    const result = check(h);
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toMatch(/event \d+ \(observe-replicas\): nodes: expected an array/);
  });
});
