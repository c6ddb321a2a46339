// Pairing invocations with completions: file order decides, indefinite
// operations return at Infinity, nemesis and orphan info events are ignored,
// and a malformed history names the event at fault.

import { describe, expect, test } from 'vitest';
import { HistoryShapeError, historyToOperations, modelByName } from './index.js';
import { historyOf } from './test-support/history-build.js';

const register = modelByName('cas-register')!;

describe('historyToOperations', () => {
  test('pairs each completion with its process open invocation, by position', () => {
    const ops = historyToOperations(
      register,
      historyOf([
        [0, 'invoke', 'write', 1],
        [1, 'invoke', 'read'],
        [1, 'ok', 'read', 1],
        [0, 'ok', 'write', 1],
      ]),
    );
    expect(ops.map((op) => [op.process, op.call, op.ret])).toEqual([
      [0, 0, 3],
      [1, 1, 2],
    ]);
    expect(ops.map((op) => op.id)).toEqual([0, 1]);
  });

  test('gives info and never-completed operations a return at Infinity', () => {
    const ops = historyToOperations(
      register,
      historyOf([
        [0, 'invoke', 'write', 1],
        [0, 'info', 'write', 1],
        [1, 'invoke', 'write', 2],
      ]),
    );
    expect(ops.map((op) => [op.ret, op.completeIndex])).toEqual([
      [Infinity, null],
      [Infinity, null],
    ]);
  });

  test('drops what the model drops (a failed cas-register write)', () => {
    const ops = historyToOperations(
      register,
      historyOf([
        [0, 'invoke', 'write', 1],
        [0, 'fail', 'write', 1],
      ]),
    );
    expect(ops).toEqual([]);
  });

  test('ignores nemesis events and info completions with no open invocation', () => {
    const ops = historyToOperations(
      register,
      historyOf([
        ['nemesis', 'info', 'start', null],
        [3, 'info', 'write', 1],
        [0, 'invoke', 'read'],
        [0, 'ok', 'read', 0],
      ]),
    );
    expect(ops).toHaveLength(1);
  });

  test('rejects two open invocations on one process, naming the event', () => {
    const events = historyOf([
      [0, 'invoke', 'read'],
      [0, 'invoke', 'read'],
    ]);
    expect(() => historyToOperations(register, events)).toThrow(HistoryShapeError);
    expect(() => historyToOperations(register, events)).toThrow(/^event 1: /);
  });

  test('rejects an ok completion with no open invocation', () => {
    expect(() => historyToOperations(register, historyOf([[0, 'ok', 'read', 1]]))).toThrow(/event 0/);
  });

  test('rejects a value the model cannot read, naming the event', () => {
    expect(() =>
      historyToOperations(
        register,
        historyOf([
          [0, 'invoke', 'cas', 5],
          [0, 'ok', 'cas', 5],
        ]),
      ),
    ).toThrow(/event 0: cas value/);
  });
});
