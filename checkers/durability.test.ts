import { describe, expect, it } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../core/history.js';
import type { Verdict } from '../core/verdict.js';
import { durabilityChecker } from './durability.js';
import type { DurabilityProblem } from './durability-key.js';
import { contextFor, historyWrite } from './test-support/history-writer.js';

function problemsOf(history: readonly HistoryEvent[], workload: 'register' | 'append'): readonly DurabilityProblem[] {
  return durabilityChecker.check(history, contextFor(workload)).details?.problems ?? [];
}

describe('durability of the append workload', () => {
  const cases: [string, () => HistoryEvent[], Verdict][] = [
    [
      'every acknowledged append in the final list is valid',
      () =>
        historyWrite()
          .op(0, 'append', 'k', 1, 'ok')
          .op(1, 'append', 'k', 2, 'ok')
          .op(0, 'read', 'k', null, 'ok', [1])
          .phase('final')
          .op(2, 'read', 'k', null, 'ok', [1, 2]).events,
      'valid',
    ],
    [
      'an acknowledged append missing from the final list is invalid',
      () =>
        historyWrite()
          .op(0, 'append', 'k', 1, 'ok')
          .op(1, 'append', 'k', 2, 'ok')
          .phase('final')
          .op(2, 'read', 'k', null, 'ok', [1]).events,
      'invalid',
    ],
    [
      'an indefinite append may be present',
      () =>
        historyWrite()
          .op(0, 'append', 'k', 1, 'ok')
          .op(1, 'append', 'k', 2, 'info')
          .phase('final')
          .op(2, 'read', 'k', null, 'ok', [1, 2]).events,
      'valid',
    ],
    [
      'an indefinite append may be absent',
      () =>
        historyWrite()
          .op(0, 'append', 'k', 1, 'ok')
          .op(1, 'append', 'k', 2, 'info')
          .phase('final')
          .op(2, 'read', 'k', null, 'ok', [1]).events,
      'valid',
    ],
    [
      'final reads in different orders are invalid',
      () =>
        historyWrite()
          .op(0, 'append', 'k', 1, 'ok')
          .op(1, 'append', 'k', 2, 'ok')
          .phase('final')
          .op(2, 'read', 'k', null, 'ok', [1, 2])
          .op(3, 'read', 'k', null, 'ok', [2, 1]).events,
      'invalid',
    ],
    [
      'an earlier read that is not a prefix of the final list is invalid',
      () =>
        historyWrite()
          .op(0, 'append', 'k', 1, 'info')
          .op(1, 'append', 'k', 2, 'ok')
          .op(1, 'read', 'k', null, 'ok', [2])
          .phase('final')
          .op(2, 'read', 'k', null, 'ok', [1, 2]).events,
      'invalid',
    ],
    [
      'an element no append sent is invalid',
      () => historyWrite().op(0, 'append', 'k', 1, 'ok').phase('final').op(2, 'read', 'k', null, 'ok', [1, 99]).events,
      'invalid',
    ],
    [
      'an element whose append failed is invalid',
      () =>
        historyWrite()
          .op(0, 'append', 'k', 1, 'ok')
          .op(1, 'append', 'k', 2, 'fail')
          .phase('final')
          .op(2, 'read', 'k', null, 'ok', [1, 2]).events,
      'invalid',
    ],
    [
      'an element appearing twice is invalid',
      () => historyWrite().op(0, 'append', 'k', 1, 'ok').phase('final').op(2, 'read', 'k', null, 'ok', [1, 1]).events,
      'invalid',
    ],
    [
      'a key without a final read is unknown',
      () =>
        historyWrite()
          .op(0, 'append', 'k', 1, 'ok')
          .op(0, 'append', 'j', 2, 'ok')
          .phase('final')
          .op(2, 'read', 'k', null, 'ok', [1]).events,
      'unknown',
    ],
    [
      'an absent key (null) after no acknowledged append is valid',
      () => historyWrite().op(0, 'append', 'k', 1, 'fail').phase('final').op(2, 'read', 'k', null, 'ok', null).events,
      'valid',
    ],
    [
      'without a phase marker, reads after every append count as final',
      () =>
        historyWrite().op(0, 'append', 'k', 1, 'ok').op(1, 'append', 'k', 2, 'ok').op(2, 'read', 'k', null, 'ok', [1])
          .events,
      'invalid',
    ],
  ];

  it.each(cases)('%s', (_name, history, verdict) => {
    expect(durabilityChecker.check(history(), contextFor('append')).verdict).toBe(verdict);
  });

  it('names the acknowledging append and the final read that prove a loss', () => {
    const history = historyWrite()
      .op(0, 'append', 'k', 1, 'ok')
      .op(1, 'append', 'k', 2, 'ok')
      .phase('final')
      .op(2, 'read', 'k', null, 'ok', [1]).events;
    expect(problemsOf(history, 'append')).toEqual([
      expect.objectContaining({ kind: 'lost', key: 'k', value: 2, opIndex: 3, readIndex: 6 }),
    ]);
  });

  it('shows where an earlier read parts from the final list, not the whole lists', () => {
    const history = historyWrite()
      .op(0, 'append', 'k', 1, 'info')
      .op(1, 'append', 'k', 2, 'ok')
      .op(1, 'read', 'k', null, 'ok', [2])
      .phase('final')
      .op(2, 'read', 'k', null, 'ok', [1, 2]).events;
    expect(problemsOf(history, 'append')).toEqual([
      expect.objectContaining({
        kind: 'read-not-prefix',
        readIndex: 5,
        opIndex: 8,
        value: { at: 0, readLength: 1, finalLength: 2, read: [2], final: [1, 2] },
      }),
    ]);
  });

  it('does not require an append acknowledged after the final read began', () => {
    const history = historyWrite()
      .phase('final')
      .invoke(2, 'read', 'k', null)
      .op(0, 'append', 'k', 1, 'ok')
      .complete(2, 'ok', []).events;
    const result = durabilityChecker.check(history, contextFor('append'));
    expect(result.verdict).toBe('valid');
  });

  it('counts indefinite appends that turned out present', () => {
    const history = historyWrite()
      .op(0, 'append', 'k', 1, 'info')
      .op(1, 'append', 'k', 2, 'info')
      .phase('final')
      .op(2, 'read', 'k', null, 'ok', [2]).events;
    expect(durabilityChecker.check(history, contextFor('append')).details).toMatchObject({ infoPresent: 1, acked: 0 });
  });
});

describe('durability of the register workload', () => {
  const cases: [string, () => HistoryEvent[], Verdict][] = [
    [
      'the last acknowledged write as the final value is valid',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(0, 'write', 'r', 2, 'ok')
          .phase('final')
          .op(1, 'read', 'r', null, 'ok', 2).events,
      'valid',
    ],
    [
      'a value overwritten by a later acknowledged write is a loss',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(0, 'write', 'r', 2, 'ok')
          .phase('final')
          .op(1, 'read', 'r', null, 'ok', 1).events,
      'invalid',
    ],
    [
      'either of two concurrent writes may be last',
      () =>
        historyWrite()
          .invoke(0, 'write', 'r', 1)
          .invoke(1, 'write', 'r', 2)
          .complete(1, 'ok')
          .complete(0, 'ok')
          .phase('final')
          .op(2, 'read', 'r', null, 'ok', 1).events,
      'valid',
    ],
    [
      'an indefinite write may be the final value',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(1, 'write', 'r', 2, 'info')
          .phase('final')
          .op(2, 'read', 'r', null, 'ok', 2).events,
      'valid',
    ],
    [
      'an indefinite write may be absent',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(1, 'write', 'r', 2, 'info')
          .phase('final')
          .op(2, 'read', 'r', null, 'ok', 1).events,
      'valid',
    ],
    [
      'a final value no write sent is corrupted',
      () => historyWrite().op(0, 'write', 'r', 1, 'ok').phase('final').op(2, 'read', 'r', null, 'ok', 77).events,
      'invalid',
    ],
    [
      'an empty register after an acknowledged write is a loss',
      () => historyWrite().op(0, 'write', 'r', 1, 'ok').phase('final').op(2, 'read', 'r', null, 'ok', null).events,
      'invalid',
    ],
    [
      'an empty register after only indefinite writes is valid',
      () => historyWrite().op(0, 'write', 'r', 1, 'info').phase('final').op(2, 'read', 'r', null, 'ok', null).events,
      'valid',
    ],
    [
      'an acknowledged cas sets the final value',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(0, 'cas', 'r', [1, 3], 'ok')
          .phase('final')
          .op(2, 'read', 'r', null, 'ok', 3).events,
      'valid',
    ],
    [
      'losing an acknowledged cas is a loss',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(0, 'cas', 'r', [1, 3], 'ok')
          .phase('final')
          .op(2, 'read', 'r', null, 'ok', 1).events,
      'invalid',
    ],
    [
      'the value of a failed cas is invalid',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(0, 'cas', 'r', [2, 3], 'fail')
          .phase('final')
          .op(2, 'read', 'r', null, 'ok', 3).events,
      'invalid',
    ],
    [
      'final reads that disagree are invalid',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(1, 'write', 'r', 2, 'info')
          .phase('final')
          .op(2, 'read', 'r', null, 'ok', 2)
          .op(3, 'read', 'r', null, 'ok', 1).events,
      'invalid',
    ],
    [
      'a key without a final read is unknown',
      () => historyWrite().op(0, 'write', 'r', 1, 'ok').phase('final').op(2, 'read', 'r', null, 'fail').events,
      'unknown',
    ],
    [
      'a corrupted intermediate read is invalid',
      () =>
        historyWrite()
          .op(0, 'write', 'r', 1, 'ok')
          .op(1, 'read', 'r', null, 'ok', 5)
          .phase('final')
          .op(2, 'read', 'r', null, 'ok', 1).events,
      'invalid',
    ],
  ];

  it.each(cases)('%s', (_name, history, verdict) => {
    expect(durabilityChecker.check(history(), contextFor('register')).verdict).toBe(verdict);
  });

  it('reports the lost acknowledged write with its ack and the final read', () => {
    const history = historyWrite()
      .op(0, 'write', 'r', 1, 'ok')
      .op(0, 'write', 'r', 2, 'ok')
      .phase('final')
      .op(1, 'read', 'r', null, 'ok', 1).events;
    expect(problemsOf(history, 'register')).toEqual([
      expect.objectContaining({ kind: 'lost', value: 2, opIndex: 3, readIndex: 6 }),
    ]);
  });

  it('flags a value never written as corrupted, not as a loss', () => {
    const history = historyWrite()
      .op(0, 'write', 'r', 1, 'ok')
      .phase('final')
      .op(2, 'read', 'r', null, 'ok', 77).events;
    expect(problemsOf(history, 'register').map((problem) => problem.kind)).toEqual(['corrupted']);
  });
});

describe('durability on histories it cannot judge', () => {
  it('is unknown for the set workload, which the set checker covers', () => {
    expect(durabilityChecker.check([], contextFor('set')).verdict).toBe('unknown');
  });

  it('is unknown with the event index when a completion has no invocation', () => {
    const history: HistoryEvent[] = [
      { index: 0, type: 'ok', f: 'write', key: 'r', value: 1, process: clientProcessOf(0), time: 0 },
    ];
    const result = durabilityChecker.check(history, contextFor('register'));
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toContain('event 0');
  });

  it('is unknown for an empty history', () => {
    expect(durabilityChecker.check([], contextFor('register')).verdict).toBe('unknown');
  });
});
