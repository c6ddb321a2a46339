import { describe, expect, it } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../core/history.js';
import { availabilityChecker } from './availability.js';
import type { AvailabilityDetails } from './checker-details.js';
import { contextFor, historyWrite } from './test-support/history-writer.js';

function check(history: readonly HistoryEvent[]) {
  const result = availabilityChecker.check(history, contextFor('register'));
  return { ...result, figures: result.details as AvailabilityDetails };
}

/** Two ok ops, a partition in which one op fails and one times out, then a heal and an ok op 25 ms later. */
function partitionHistory(): HistoryEvent[] {
  return historyWrite()
    .at(0)
    .op(0, 'write', 'r', 1, 'ok')
    .at(5)
    .op(0, 'read', 'r', null, 'ok', 1)
    .at(10)
    .nemesis('info', 'start-partition', { targets: ['n1', 'n2', 'n3'] })
    .at(20)
    .op(0, 'write', 'r', 2, 'fail')
    .at(30)
    .invoke(1, 'write', 'r', 3)
    .at(40)
    .complete(1, 'info')
    .at(50)
    .nemesis('info', 'stop-partition', null)
    .at(60)
    .invoke(2, 'read', 'r', null)
    .at(75)
    .complete(2, 'ok', 3).events;
}

describe('availability checker', () => {
  it('gives the ok fraction inside each fault window and outside them', () => {
    const { figures } = check(partitionHistory());
    expect(figures.windows).toEqual([expect.objectContaining({ fault: 'partition', ops: 2, ok: 0, okFraction: 0 })]);
    expect(figures.outside).toEqual({ ops: 3, ok: 3, okFraction: 1 });
    expect(figures.overall).toEqual({ ops: 5, ok: 3, okFraction: 0.6 });
  });

  it('measures the time from a heal to the first ok completion after it', () => {
    expect(check(partitionHistory()).figures.windows[0]?.healToFirstOkMs).toBe(25);
  });

  it('has no recovery time for a window that never healed', () => {
    const history = historyWrite()
      .nemesis('info', 'start-kill', { targets: ['n1'] })
      .op(0, 'write', 'r', 1, 'ok').events;
    expect(check(history).figures.windows[0]).toMatchObject({ ops: 1, ok: 1, healToFirstOkMs: null });
  });

  it('reports the overall fraction when there are no faults', () => {
    const history = historyWrite().op(0, 'write', 'r', 1, 'ok').op(0, 'write', 'r', 2, 'fail').events;
    const result = check(history);
    expect(result.figures.overall.okFraction).toBe(0.5);
    expect(result.summary).toContain('no fault windows');
  });

  it('is a measurement: valid however few ops succeed, and it says so', () => {
    const history = historyWrite().op(0, 'write', 'r', 1, 'fail').op(0, 'write', 'r', 2, 'fail').events;
    const result = check(history);
    expect(result.verdict).toBe('valid');
    expect(result.summary).toContain('no pass/fail');
  });

  it('is unknown for a history with no client operations or one it cannot read', () => {
    expect(check([]).verdict).toBe('unknown');
    const unreadable: HistoryEvent[] = [
      { index: 0, type: 'ok', f: 'read', key: 'r', value: null, process: clientProcessOf(0), time: 0 },
    ];
    expect(check(unreadable).verdict).toBe('unknown');
  });
});
