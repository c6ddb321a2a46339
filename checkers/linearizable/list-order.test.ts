// The list-order check agrees with the general search and with brute force on
// many random list-append histories, decides hand-written stories with the
// evidence they call for, and leaves histories with repeated values to the
// search.

import { describe, expect, test } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { prngCreate } from '../../core/prng.js';
import { budgetCreate } from './budget.js';
import { checkLinearizable, historyToOperations } from './index.js';
import { listOrderCheck } from './list-order.js';
import { listAppendModel, type ListInput, type ListOutput } from './models/list-append.js';
import { searchRun } from './search.js';
import { bruteLinearizable } from './test-support/brute-force.js';
import { historyOf, type Line } from './test-support/history-build.js';
import { listStoreVocabulary, randomHistory } from './test-support/random-history.js';
import type { LinOp, PartitionFailure } from './types.js';

// A generous time budget: these histories take milliseconds, and a budget hit on a starved machine is no verdict.
const options = { timeoutMs: 120_000, memoryBytesMax: 256 * 1024 * 1024 };
const model = listAppendModel();

type Verdict = 'valid' | 'invalid';

function listOrderVerdict(ops: Parameters<typeof listOrderCheck>[0]): Verdict {
  const outcome = listOrderCheck(ops);
  expect(outcome.kind).not.toBe('not-unique');
  return outcome.kind === 'linearizable' ? 'valid' : 'invalid';
}

function searchVerdict(ops: Parameters<typeof listOrderCheck>[0]): Verdict | 'unknown' {
  const outcome = searchRun({
    model,
    ops,
    init: model.init(),
    budget: budgetCreate(clockCreate(), options.timeoutMs, options.memoryBytesMax),
  });
  return outcome.kind === 'linearizable' ? 'valid' : outcome.kind === 'not-linearizable' ? 'invalid' : 'unknown';
}

/** The evidence is sound: the prefix is a linearization of its operations and the states are the model's. */
function evidenceExpectSound(
  failure: PartitionFailure,
  ops: readonly LinOp<ListInput, ListOutput>[],
  story: string,
): void {
  const byId = new Map(ops.map((op) => [op.id, op]));
  let state = model.init();
  failure.longestPrefix.forEach((id, position) => {
    const op = byId.get(id)!;
    const next = model.step(state, op.input, op.output);
    expect(next, `${story}: prefix step ${position} is legal`).not.toBeUndefined();
    state = next!;
    expect(failure.prefixStates[position], story).toBe(model.describeState(state));
    for (const earlier of failure.longestPrefix.slice(0, position)) {
      expect(op.ret < byId.get(earlier)!.call, `${story}: op ${id} returned before op ${earlier}, yet follows it`).toBe(
        false,
      );
    }
  });
  expect(failure.breakingOp).not.toBeNull();
  expect(failure.longestPrefix).not.toContain(failure.breakingOp);
  expect(failure.window, story).toContain(failure.breakingOp);
}

describe('the list-order check against other checkers', () => {
  test('gives the brute-force verdict on 600 random histories of 7 operations', () => {
    const prng = prngCreate(7);
    const verdicts = { valid: 0, invalid: 0 };
    for (let i = 0; i < 600; i++) {
      const events = randomHistory(prng, listStoreVocabulary(), {
        operations: 7,
        processes: 3,
        failProbability: 0.1,
        infoProbability: 0.15,
      });
      const ops = historyToOperations(model, events);
      const expected = bruteLinearizable(model, ops, model.init()) ? 'valid' : 'invalid';
      expect(listOrderVerdict(ops), `history ${i}: ${JSON.stringify(events)}`).toBe(expected);
      verdicts[expected]++;
    }
    expect(verdicts.valid).toBeGreaterThan(100);
    expect(verdicts.invalid).toBeGreaterThan(100);
  });

  test('gives the search verdict, with sound evidence, on 3000 random histories of up to 20 operations', () => {
    const prng = prngCreate(30);
    const verdicts = { valid: 0, invalid: 0 };
    for (let i = 0; i < 3000; i++) {
      const shape = {
        operations: prng.between(2, 20),
        processes: prng.between(2, 5),
        failProbability: 0.05,
        infoProbability: prng.pick([0, 0.05, 0.2]),
      };
      const events = randomHistory(prng, listStoreVocabulary(), shape);
      const ops = historyToOperations(model, events);
      const story = `history ${i}: ${JSON.stringify(events)}`;
      const expected = searchVerdict(ops);
      expect(listOrderVerdict(ops), story).toBe(expected);
      if (expected === 'unknown') continue; // never: the line above would have failed
      verdicts[expected]++;
      const result = checkLinearizable(model, ops, options);
      expect(result.verdict, story).toBe(expected);
      if (expected === 'invalid') evidenceExpectSound(result.failures[0]!, ops, story);
    }
    expect(verdicts.valid).toBeGreaterThan(500);
    expect(verdicts.invalid).toBeGreaterThan(500);
  });
});

type Row = readonly [
  story: string,
  lines: readonly Line[],
  verdict: Verdict,
  breakingOp: number | null,
  window: readonly number[],
];

const k = 'l';
const rows: readonly Row[] = [
  [
    'a read sees appends in order',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [0, 'invoke', 'append', 2, k],
      [0, 'ok', 'append', 2, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1, 2], k],
    ],
    'valid',
    null,
    [],
  ],
  [
    'a read sees appends in the wrong order',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [0, 'invoke', 'append', 2, k],
      [0, 'ok', 'append', 2, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [2, 1], k],
    ],
    'invalid',
    0,
    [0, 1, 2],
  ],
  [
    'one read sees concurrent appends in either order',
    [
      [0, 'invoke', 'append', 1, k],
      [1, 'invoke', 'append', 2, k],
      [0, 'ok', 'append', 1, k],
      [1, 'ok', 'append', 2, k],
      [2, 'invoke', 'read', null, k],
      [2, 'ok', 'read', [2, 1], k],
    ],
    'valid',
    null,
    [],
  ],
  [
    'a stale read after a completed append',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [], k],
    ],
    'invalid',
    0,
    [0, 1],
  ],
  [
    'two reads disagree on the order of concurrent appends',
    [
      [0, 'invoke', 'append', 1, k],
      [1, 'invoke', 'append', 2, k],
      [2, 'invoke', 'read', null, k],
      [2, 'ok', 'read', [1, 2], k],
      [3, 'invoke', 'read', null, k],
      [3, 'ok', 'read', [2, 1], k],
      [0, 'ok', 'append', 1, k],
      [1, 'ok', 'append', 2, k],
    ],
    'invalid',
    3,
    [2, 3],
  ],
  [
    'reads go back in time',
    [
      [0, 'invoke', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1], k],
      [2, 'invoke', 'read', null, k],
      [2, 'ok', 'read', [], k],
      [0, 'ok', 'append', 1, k],
    ],
    'invalid',
    1,
    [1, 2],
  ],
  [
    'a lost acknowledged append',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [1, 'invoke', 'append', 2, k],
      [1, 'ok', 'append', 2, k],
      [2, 'invoke', 'read', null, k],
      [2, 'ok', 'read', [2], k],
    ],
    'invalid',
    0,
    [0, 2],
  ],
  [
    'an acknowledged append no read could have seen yet',
    [
      [0, 'invoke', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [], k],
      [0, 'ok', 'append', 1, k],
    ],
    'valid',
    null,
    [],
  ],
  [
    'an indefinite append that a later read shows',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'info', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [], k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1], k],
    ],
    'valid',
    null,
    [],
  ],
  [
    'an indefinite append that no read shows',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'info', 'append', 1, k],
      [1, 'invoke', 'append', 2, k],
      [1, 'ok', 'append', 2, k],
      [2, 'invoke', 'read', null, k],
      [2, 'ok', 'read', [2], k],
    ],
    'valid',
    null,
    [],
  ],
  [
    'an indefinite append that cannot un-happen',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'info', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1], k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [], k],
    ],
    'invalid',
    1,
    [1, 2],
  ],
  [
    'a read shows an append invoked after it returned',
    [
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1], k],
      [0, 'invoke', 'append', 1, k],
      [0, 'info', 'append', 1, k],
    ],
    'invalid',
    0,
    [0, 1],
  ],
  [
    'a read of an absent key is empty',
    [
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', null, k],
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
    ],
    'valid',
    null,
    [],
  ],
  [
    'a read of an absent key after an acknowledged append',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', null, k],
    ],
    'invalid',
    0,
    [0, 1],
  ],
  [
    'a read of a value never appended',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1, 9], k],
    ],
    'invalid',
    1,
    [1],
  ],
  [
    'a failed append never happened',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'fail', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1], k],
    ],
    'invalid',
    0,
    [0],
  ],
  [
    'a read repeats a value',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1, 1], k],
    ],
    'invalid',
    1,
    [1],
  ],
  [
    'a timed-out read says nothing',
    [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'info', 'read', null, k],
    ],
    'valid',
    null,
    [],
  ],
];

describe('hand-written list-append histories', () => {
  test.each(rows)('%s: %s', (_story, lines, verdict, breakingOp, window) => {
    const result = checkLinearizable(model, historyOf(lines), options);
    expect(result.verdict).toBe(verdict);
    expect(result.details).toMatchObject({ partitions: [{ key: k, method: 'list-order', verdict }] });
    if (verdict === 'valid') return;
    expect(result.failures[0]).toMatchObject({ key: k, breakingOp, window, windowMinimal: true });
  });

  test('a wrong order: the prefix is the greedy schedule up to the append that cannot follow it', () => {
    const [failure] = checkLinearizable(model, historyOf(rows[1]![1]), options).failures;
    expect(failure).toMatchObject({ longestPrefix: [1], prefixStates: ['[2]'], breakingOp: 0 });
  });

  test('a lost append: the prefix holds what the reads saw, and the append breaks it', () => {
    const lines: readonly Line[] = [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1], k],
      [0, 'invoke', 'append', 2, k],
      [0, 'ok', 'append', 2, k],
      [0, 'invoke', 'append', 3, k],
      [0, 'ok', 'append', 3, k],
      [1, 'invoke', 'read', null, k],
      [1, 'ok', 'read', [1, 3], k],
    ];
    const [failure] = checkLinearizable(model, historyOf(lines), options).failures;
    expect(failure).toMatchObject({
      longestPrefix: [0, 1, 3],
      prefixStates: ['[1]', '[1]', '[1 3]'],
      breakingOp: 2,
      window: [2, 4],
    });
  });

  test('without evidence wanted, the window is left empty', () => {
    const result = checkLinearizable(model, historyOf(rows[3]![1]), { ...options, evidence: false });
    expect(result.failures[0]).toMatchObject({ breakingOp: 0, window: [], windowMinimal: false });
  });

  test('keys are checked apart and the failing one is named', () => {
    const lines: readonly Line[] = [
      [0, 'invoke', 'append', 1, 'a'],
      [0, 'ok', 'append', 1, 'a'],
      [1, 'invoke', 'append', 1, 'b'],
      [1, 'ok', 'append', 1, 'b'],
      [2, 'invoke', 'read', null, 'a'],
      [2, 'ok', 'read', [1], 'a'],
      [3, 'invoke', 'read', null, 'b'],
      [3, 'ok', 'read', [], 'b'],
    ];
    const result = checkLinearizable(model, historyOf(lines), options);
    expect(result).toMatchObject({ verdict: 'invalid', partitions: 2 });
    expect(result.failures.map((failure) => failure.key)).toEqual(['b']);
  });

  test('a key with a value appended twice is left to the search, which still decides it', () => {
    const twice: readonly Line[] = [
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
      [0, 'invoke', 'append', 1, k],
      [0, 'ok', 'append', 1, k],
    ];
    const valid = checkLinearizable(
      model,
      historyOf([...twice, [1, 'invoke', 'read', null, k], [1, 'ok', 'read', [1, 1], k]]),
      options,
    );
    expect(valid).toMatchObject({ verdict: 'valid', details: { partitions: [{ method: 'search' }] } });
    const invalid = checkLinearizable(
      model,
      historyOf([...twice, [1, 'invoke', 'read', null, k], [1, 'ok', 'read', [1], k]]),
      options,
    );
    expect(invalid).toMatchObject({ verdict: 'invalid', details: { partitions: [{ method: 'search' }] } });
  });

  test('values are compared as JSON: equal objects in any key order are one value', () => {
    const lines: readonly Line[] = [
      [0, 'invoke', 'append', { a: 1, b: 2 }, k],
      [0, 'ok', 'append', { a: 1, b: 2 }, k],
      [0, 'invoke', 'append', { a: 1, b: 3 }, k],
      [0, 'ok', 'append', { a: 1, b: 3 }, k],
      [1, 'invoke', 'read', null, k],
      [
        1,
        'ok',
        'read',
        [
          { b: 2, a: 1 },
          { b: 3, a: 1 },
        ],
        k,
      ],
    ];
    expect(checkLinearizable(model, historyOf(lines), options)).toMatchObject({
      verdict: 'valid',
      details: { partitions: [{ method: 'list-order' }] },
    });
  });
});
