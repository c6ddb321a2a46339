import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.js';
import type { Verdict } from '../core/verdict.js';
import type { SetDetails } from './checker-details.js';
import type { SetCategory } from './set.js';
import { setChecker } from './set.js';
import { contextFor, historyWrite } from './test-support/history-writer.js';

function setCheck(history: readonly HistoryEvent[]): { verdict: Verdict; details: SetDetails } {
  const result = setChecker.check(history, contextFor('set'));
  return { verdict: result.verdict, details: result.details as SetDetails };
}

describe('set checker', () => {
  const cases: [string, () => HistoryEvent[], Verdict, Partial<Record<SetCategory, number>>][] = [
    [
      'acknowledged elements in the final read are ok',
      () =>
        historyWrite()
          .op(0, 'add', 's', 1, 'ok')
          .op(1, 'add', 's', 2, 'ok')
          .phase('final')
          .op(2, 'read', 's', null, 'ok', [2, 1]).events,
      'valid',
      { ok: 2 },
    ],
    [
      'an acknowledged element missing from the final read is lost',
      () =>
        historyWrite()
          .op(0, 'add', 's', 1, 'ok')
          .op(1, 'add', 's', 2, 'ok')
          .phase('final')
          .op(2, 'read', 's', null, 'ok', [1]).events,
      'invalid',
      { ok: 1, lost: 1 },
    ],
    [
      'an indefinite add that is present is recovered',
      () => historyWrite().op(0, 'add', 's', 1, 'info').phase('final').op(2, 'read', 's', null, 'ok', [1]).events,
      'valid',
      { recovered: 1 },
    ],
    [
      'an indefinite add that is absent is allowed',
      () => historyWrite().op(0, 'add', 's', 1, 'info').phase('final').op(2, 'read', 's', null, 'ok', []).events,
      'valid',
      { 'unconfirmed-absent': 1 },
    ],
    [
      'an element seen and then missing from a later read is stale',
      () =>
        historyWrite()
          .op(0, 'add', 's', 1, 'info')
          .op(1, 'read', 's', null, 'ok', [1])
          .op(1, 'read', 's', null, 'ok', [])
          .phase('final')
          .op(2, 'read', 's', null, 'ok', [1]).events,
      'invalid',
      { stale: 1 },
    ],
    [
      'an element that flips back in and out is stale even when never acknowledged',
      () =>
        historyWrite()
          .op(0, 'add', 's', 1, 'info')
          .op(1, 'read', 's', null, 'ok', [1])
          .phase('final')
          .op(2, 'read', 's', null, 'ok', []).events,
      'invalid',
      { stale: 1 },
    ],
    [
      'an element nobody added is unexpected',
      () => historyWrite().op(0, 'add', 's', 1, 'ok').phase('final').op(2, 'read', 's', null, 'ok', [1, 9]).events,
      'invalid',
      { ok: 1, unexpected: 1 },
    ],
    [
      'an element whose add failed must not appear',
      () => historyWrite().op(0, 'add', 's', 1, 'fail').phase('final').op(2, 'read', 's', null, 'ok', [1]).events,
      'invalid',
      { 'failed-present': 1 },
    ],
    [
      'a failed add that never appears is fine',
      () =>
        historyWrite()
          .op(0, 'add', 's', 1, 'fail')
          .op(0, 'add', 's', 2, 'ok')
          .phase('final')
          .op(2, 'read', 's', null, 'ok', [2]).events,
      'valid',
      { failed: 1, ok: 1 },
    ],
    [
      'an acknowledged element no final read covers is never read, so unknown',
      () => historyWrite().op(0, 'add', 's', 1, 'ok').phase('final').op(2, 'read', 's', null, 'fail').events,
      'unknown',
      { 'never-read': 1 },
    ],
    [
      'a read that begins after an acknowledgement and misses the element is stale',
      () =>
        historyWrite()
          .op(0, 'add', 's', 1, 'ok')
          .op(1, 'read', 's', null, 'ok', [])
          .phase('final')
          .op(2, 'read', 's', null, 'ok', [1]).events,
      'invalid',
      { stale: 1 },
    ],
    [
      'concurrent reads that miss an element still in flight are fine',
      () =>
        historyWrite()
          .invoke(0, 'add', 's', 1)
          .op(1, 'read', 's', null, 'ok', [])
          .complete(0, 'ok')
          .phase('final')
          .op(2, 'read', 's', null, 'ok', [1]).events,
      'valid',
      { ok: 1 },
    ],
  ];

  it.each(cases)('%s', (_name, history, verdict, counts) => {
    const result = setCheck(history());
    expect(result.verdict).toBe(verdict);
    expect(result.details.counts).toMatchObject(counts);
  });

  it('names the add and the final read behind a lost element', () => {
    const history = historyWrite()
      .op(0, 'add', 's', 1, 'ok')
      .op(1, 'add', 's', 2, 'ok')
      .phase('final')
      .op(2, 'read', 's', null, 'ok', [1]).events;
    expect(setCheck(history).details.evidence.lost).toEqual([
      expect.objectContaining({ element: 2, opIndex: 3, readIndex: 6 }),
    ]);
  });

  it('names the read that saw a stale element and the later read that missed it', () => {
    const history = historyWrite()
      .op(0, 'add', 's', 1, 'info')
      .op(1, 'read', 's', null, 'ok', [1])
      .op(1, 'read', 's', null, 'ok', [])
      .phase('final')
      .op(2, 'read', 's', null, 'ok', [1]).events;
    expect(setCheck(history).details.evidence.stale).toEqual([
      expect.objectContaining({ element: 1, opIndex: 3, readIndex: 5 }),
    ]);
  });

  it('keeps the sets of different keys apart', () => {
    const history = historyWrite()
      .op(0, 'add', 'a', 1, 'ok')
      .op(0, 'add', 'b', 1, 'ok')
      .phase('final')
      .op(2, 'read', 'a', null, 'ok', [1])
      .op(2, 'read', 'b', null, 'ok', []).events;
    expect(setCheck(history).details.counts).toMatchObject({ ok: 1, lost: 1 });
  });

  it('is unknown for a history without elements', () => {
    expect(setCheck([]).verdict).toBe('unknown');
  });
});
