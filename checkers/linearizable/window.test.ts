// The failure evidence: the longest linearizable prefix, the breaking
// operation, and the window (definition in window.ts). The window is checked
// against a brute-force reading of its definition: not linearizable on its
// own from each of its start states, and no later cut qualifies.

import { describe, expect, test } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { prngCreate } from '../../core/prng.js';
import { budgetCreate } from './budget.js';
import { checkLinearizable, historyToOperations, modelByName, type Model } from './index.js';
import type { SearchOp } from './search.js';
import { bruteFinalStates, bruteLinearizable } from './test-support/brute-force.js';
import { historyOf } from './test-support/history-build.js';
import { randomHistory, registerVocabulary } from './test-support/random-history.js';
import { windowFind } from './window.js';

const options = { timeoutMs: 10_000, memoryBytesMax: 256 * 1024 * 1024 };
const failingHistoriesWanted = 60;

type AnyModel = Model<unknown, unknown, unknown>;
type Op = SearchOp<unknown, unknown>;

describe('failure evidence', () => {
  test('a stale read: the prefix before it, the read as breaking op and as the whole window', () => {
    const model = modelByName('cas-register')!;
    const events = historyOf([
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
      [0, 'invoke', 'write', 2],
      [0, 'ok', 'write', 2],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ]);
    const [failure] = checkLinearizable(model, events, options).failures;
    expect(failure).toMatchObject({
      key: null,
      longestPrefix: [0, 1, 2],
      prefixStates: ['1', '1', '2'],
      breakingOp: 3,
      window: [3],
      windowStartStates: ['2'],
      windowMinimal: true,
      windowEndOp: 3,
    });
  });

  test('a window starts from the states the operations before its cut leave', () => {
    // Two reads overlap one write; the first read sees the new value, so the
    // write happened before it, and the later read of the old value cannot.
    const model = modelByName('cas-register')!;
    const events = historyOf([
      [0, 'invoke', 'write', 0],
      [0, 'ok', 'write', 0],
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', 0],
      [0, 'ok', 'write', 1],
    ]);
    const [failure] = checkLinearizable(model, events, options).failures;
    expect(failure?.longestPrefix).toEqual([0, 1, 2]);
    expect(failure?.window).toEqual([3]);
    expect(failure?.windowStartStates).toEqual(['1']);
  });

  test(`the window of ${failingHistoriesWanted} random failing histories meets its definition`, () => {
    const prng = prngCreate(20_240_611);
    let checked = 0;
    for (let attempt = 0; checked < failingHistoriesWanted && attempt < 50 * failingHistoriesWanted; attempt++) {
      const name = prng.pick(['cas-register', 'etcd-register']);
      const model = modelByName(name)!;
      const events = randomHistory(prng, registerVocabulary, {
        operations: 7,
        processes: 3,
        failProbability: 0.1,
        infoProbability: 0.15,
      });
      const ops = historyToOperations(model, events);
      if (bruteLinearizable(model, ops, model.init())) continue;
      const context = `${name} ${JSON.stringify(events)}`;
      const found = windowFind(model, ops, budgetCreate(clockCreate(), 10_000, 256 * 1024 * 1024));
      expect(found.minimal, context).toBe(true);
      for (const state of found.startStates) expect(bruteLinearizable(model, found.ops, state), context).toBe(false);
      const expected = windowByDefinition(model, ops);
      expect(
        found.ops.map((op) => op.call),
        context,
      ).toEqual(expected.window.map((op) => op.call));
      expect(found.endOp === null ? null : ops[found.endOp]!.call, context).toBe(expected.end.call);
      expect(statesDescribed(model, found.startStates), context).toEqual(statesDescribed(model, expected.startStates));
      checked++;
    }
    expect(checked).toBe(failingHistoriesWanted);
  });
});

/** The window straight from its definition in window.ts, by brute force. */
function windowByDefinition(
  model: AnyModel,
  ops: readonly Op[],
): { window: readonly Op[]; end: Op; startStates: readonly unknown[] } {
  const init = model.init();
  const cut = (t: number): Op[] =>
    ops.filter((op) => op.call <= t).map((op) => (op.ret > t ? { ...op, ret: Infinity } : op));
  const definite = ops.filter((op) => op.ret !== Infinity).sort((a, b) => a.ret - b.ret);
  const end = definite.find((op) => !bruteLinearizable(model, cut(op.ret), init))!;
  const history = cut(end.ret);
  for (let w = history.length - 1; w > 0; w--) {
    const before = history.slice(0, w);
    const window = history.slice(w);
    if (before.some((op) => op.ret !== Infinity && op.ret > window[0]!.call)) continue;
    const startStates = bruteFinalStates(model, before, init);
    if (startStates.length > 0 && startStates.every((state) => !bruteLinearizable(model, window, state)))
      return { window, end, startStates };
  }
  return { window: history, end, startStates: [init] };
}

function statesDescribed(model: AnyModel, states: readonly unknown[]): string[] {
  return states.map((state) => model.describeState(state)).sort();
}
