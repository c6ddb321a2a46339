import { describe, expect, it } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../core/history.js';
import { finalReads, historyOps, opsByKey } from './history-ops.js';
import { historyWrite } from './test-support/history-writer.js';

function opsOf(history: readonly HistoryEvent[]) {
  const parsed = historyOps(history);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('pairing a history into operations', () => {
  it("pairs each completion with its process's open invocation, even when interleaved", () => {
    const history = historyWrite()
      .invoke(0, 'write', 'r', 1)
      .invoke(1, 'read', 'r', null)
      .complete(1, 'ok', 1)
      .complete(0, 'info')
      .invoke(2, 'write', 'r', 2).events;
    expect(opsOf(history).ops.map((op) => [op.process, op.f, op.outcome, op.completion?.index ?? null])).toEqual([
      [0, 'write', 'info', 3],
      [1, 'read', 'ok', 2],
      [2, 'write', 'open', null],
    ]);
  });

  it("takes an ok read's value from its completion and any other value from the invocation", () => {
    const history = historyWrite().op(0, 'read', 'r', null, 'ok', 7).op(0, 'write', 'r', 3, 'fail', null).events;
    expect(opsOf(history).ops.map((op) => op.value)).toEqual([7, 3]);
  });

  it('ignores info completions without an invocation, as Jepsen histories have them, and counts them', () => {
    const orphan: HistoryEvent = {
      index: 0,
      type: 'info',
      f: 'write',
      key: 'r',
      value: 1,
      process: clientProcessOf(4),
      time: 0,
    };
    expect(opsOf([orphan]).orphanInfoCount).toBe(1);
  });

  it('rejects a second invocation on a process whose operation is open, naming the event', () => {
    const history = historyWrite().invoke(0, 'write', 'r', 1).invoke(0, 'write', 'r', 2).events;
    expect(historyOps(history)).toEqual({ ok: false, error: expect.stringContaining('event 1') as unknown });
  });

  it('marks operations invoked after the final-phase marker as final', () => {
    const history = historyWrite()
      .op(0, 'read', 'r', null, 'ok', null)
      .phase('final')
      .op(0, 'read', 'r', null, 'ok', null).events;
    expect(opsOf(history).ops.map((op) => op.final)).toEqual([false, true]);
  });
});

describe('final reads', () => {
  it('are the ok reads after the marker when there is one', () => {
    const { ops, finalMarkerIndex } = opsOf(
      historyWrite()
        .op(0, 'write', 'r', 1, 'ok')
        .op(0, 'read', 'r', null, 'ok', 1)
        .phase('final')
        .op(1, 'read', 'r', null, 'fail')
        .op(1, 'read', 'r', null, 'ok', 1).events,
    );
    expect(finalReads(opsByKey(ops).get('r') ?? [], finalMarkerIndex).map((op) => op.invoke.index)).toEqual([7]);
  });

  it('are, without a marker, the ok reads invoked after every mutation of the key completed', () => {
    const history = historyWrite()
      .invoke(0, 'write', 'r', 1)
      .op(1, 'read', 'r', null, 'ok', null)
      .complete(0, 'ok')
      .op(1, 'read', 'r', null, 'ok', 1)
      .op(0, 'write', 'r', 2, 'fail')
      .op(1, 'read', 'r', null, 'ok', 1).events;
    const { ops, finalMarkerIndex } = opsOf(history);
    expect(finalReads(opsByKey(ops).get('r') ?? [], finalMarkerIndex).map((op) => op.invoke.index)).toEqual([4, 8]);
  });
});
