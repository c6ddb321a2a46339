import { describe, expect, it } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../core/history.js';
import { checkersRun } from './index.js';
import { observeF, type ReplicaSeen, type ScrubSeen } from './liveness-events.js';
import { contextFor, historyWrite, type HistoryWriter } from './test-support/history-writer.js';

/** The heal, then the liveness phase's write of a fresh value to `key`, then the final-phase marker. */
function healed(h: HistoryWriter, f: string, key: string): HistoryWriter {
  return h.phase('heal').nemesis('info', 'phase', 'liveness').op(3, f, key, -1, 'ok').phase('final');
}

/** The runner's looks at three storage nodes after the final reads: caught up, nothing to repair. */
function observed(h: HistoryWriter): HistoryEvent[] {
  const nodes = ['s00', 's01', 's10'];
  const replicas: ReplicaSeen[] = nodes.map((node) => ({ node, scls: [30], error: null }));
  const figures = { blocksChecked: 10, blocksCorrupt: 0, blocksUnrepaired: 0, complete: true };
  const scrubbed: ScrubSeen[] = nodes.map((node) => ({ node, figures, error: null }));
  const stats = nodes.map((node) => ({ node, blocksUnrepaired: 0, blockRepairsMax: 0, error: null }));
  return h
    .nemesis('info', observeF.replicas, { round: 1, watchedMs: 0, timeoutMs: 20_000, nodes: replicas })
    .nemesis('info', observeF.scrub, { pass: 1, nodes: scrubbed })
    .nemesis('info', observeF.repair, { round: 1, watchedMs: 0, timeoutMs: 20_000, nodes: stats })
    .nemesis('info', observeF.scrub, { pass: 2, nodes: scrubbed }).events;
}

/** A register run: writes during a partition, a heal, a liveness write of -1, and a final read of the given value. */
function registerRun(finalValue: number | null): HistoryEvent[] {
  const h = historyWrite()
    .op(0, 'read', 'r', null, 'ok', null)
    .op(0, 'write', 'r', 1, 'ok')
    .nemesis('info', 'start-partition', { targets: ['s00'] })
    .op(1, 'cas', 'r', [1, 2], 'ok')
    .op(1, 'cas', 'r', [7, 8], 'fail', [7, 8])
    .nemesis('info', 'stop-partition', null);
  return observed(healed(h, 'write', 'r').op(2, 'read', 'r', null, 'ok', finalValue));
}

function appendRun(finalList: number[]): HistoryEvent[] {
  const h = historyWrite()
    .op(0, 'append', 'l', 1, 'ok')
    .op(1, 'append', 'l', 2, 'ok')
    .op(0, 'read', 'l', null, 'ok', [1, 2]);
  return observed(healed(h, 'append', 'l').op(2, 'read', 'l', null, 'ok', finalList));
}

const afterHealValid = { liveness: 'valid', repair: 'valid' };

function verdicts(results: readonly { checker: string; verdict: string }[]): Record<string, string> {
  return Object.fromEntries(results.map((result) => [result.checker, result.verdict]));
}

describe('running every checker of a workload', () => {
  it('runs linearizability, durability, liveness, repair, availability and latency for a register run', () => {
    const outcome = checkersRun(registerRun(-1), contextFor('register', { model: 'etcd-register' }));
    expect(outcome.results.map((result) => result.checker)).toEqual([
      'linearizable',
      'durability',
      'liveness',
      'repair',
      'availability',
      'latency',
    ]);
    expect(verdicts(outcome.results)).toEqual({
      linearizable: 'valid',
      durability: 'valid',
      ...afterHealValid,
      availability: 'valid',
      latency: 'valid',
    });
    expect(outcome.verdict).toBe('valid');
  });

  it('starts a register absent (null), not at 0, so a cas from null can succeed', () => {
    const history = historyWrite()
      .op(0, 'cas', 'r', [null, 1], 'ok')
      .phase('final')
      .op(2, 'read', 'r', null, 'ok', 1).events;
    const outcome = checkersRun(history, contextFor('register', { model: 'etcd-register' }));
    expect(outcome.results.find((result) => result.checker === 'linearizable')?.verdict).toBe('valid');
  });

  it('reads a cas-mismatch as a comparison that failed, so a mismatch against the current value is invalid', () => {
    const lying = historyWrite()
      .op(0, 'write', 'r', 1, 'ok')
      .invoke(1, 'cas', 'r', [1, 2])
      .complete(1, 'fail', undefined, 'cas-mismatch')
      .phase('final')
      .op(2, 'read', 'r', null, 'ok', 1).events;
    const refused = historyWrite()
      .op(0, 'write', 'r', 1, 'ok')
      .invoke(1, 'cas', 'r', [1, 2])
      .complete(1, 'fail', undefined, 'not-ready')
      .phase('final')
      .op(2, 'read', 'r', null, 'ok', 1).events;
    const verdictOf = (history: typeof lying): string | undefined =>
      checkersRun(history, contextFor('register')).results.find((result) => result.checker === 'linearizable')?.verdict;
    expect(verdictOf(lying)).toBe('invalid');
    expect(verdictOf(refused)).toBe('valid');
  });

  it('makes the run invalid when a register loses its last acknowledged write', () => {
    const outcome = checkersRun(registerRun(2), contextFor('register'));
    expect(verdicts(outcome.results)).toMatchObject({ linearizable: 'invalid', durability: 'invalid' });
    expect(outcome.verdict).toBe('invalid');
  });

  it('checks an append run with the list-append model and durability', () => {
    expect(verdicts(checkersRun(appendRun([1, 2, -1]), contextFor('append')).results)).toEqual({
      linearizable: 'valid',
      durability: 'valid',
      ...afterHealValid,
      availability: 'valid',
      latency: 'valid',
    });
    expect(verdicts(checkersRun(appendRun([1, -1]), contextFor('append')).results)).toMatchObject({
      linearizable: 'invalid',
      durability: 'invalid',
    });
  });

  it('runs the set checker for a set run', () => {
    const h = historyWrite().op(0, 'add', 's', 1, 'ok').op(1, 'add', 's', 2, 'info');
    const history = observed(healed(h, 'add', 's').op(2, 'read', 's', null, 'ok', [1, 2, -1]));
    const outcome = checkersRun(history, contextFor('set'));
    expect(verdicts(outcome.results)).toEqual({
      set: 'valid',
      ...afterHealValid,
      availability: 'valid',
      latency: 'valid',
    });
  });

  it('adds the node-log checker when logs are given, and its verdict counts', () => {
    const logs = [{ node: 's00', text: '2026-01-01T00:00:00.000Z FATAL s00 assertion failed: lsn order\n' }];
    const outcome = checkersRun(registerRun(-1), contextFor('register'), { nodeLogs: logs });
    expect(verdicts(outcome.results)['node-logs']).toBe('invalid');
    expect(outcome.verdict).toBe('invalid');
  });

  it('says unknown, without throwing, for a history the checkers cannot pair', () => {
    const broken: HistoryEvent[] = [
      { index: 0, type: 'ok', f: 'write', key: 'r', value: 1, process: clientProcessOf(0), time: 0 },
    ];
    const outcome = checkersRun(broken, contextFor('register'));
    expect(new Set(outcome.results.map((result) => result.verdict))).toEqual(new Set(['unknown']));
    expect(outcome.verdict).toBe('unknown');
  });

  it('says unknown for a run that ended before its liveness phase, and why', () => {
    const history = historyWrite().op(0, 'write', 'r', 1, 'ok').phase('heal').events;
    const outcome = checkersRun(history, contextFor('register'));
    expect(verdicts(outcome.results)).toMatchObject({ liveness: 'unknown', repair: 'unknown' });
    expect(outcome.results.find((result) => result.checker === 'liveness')?.reason).toContain(
      'before the liveness phase',
    );
    expect(outcome.verdict).toBe('unknown');
  });
});
