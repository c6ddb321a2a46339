// The search itself: it agrees with a brute-force checker on many small
// random histories, treats indefinite operations as "may or may not have
// happened", checks keys independently, and answers `unknown` when its budget
// runs out instead of hanging.

import { describe, expect, test } from 'vitest';
import { prngCreate, stringHash32 } from '../../core/prng.js';
import { checkLinearizable, historyToOperations, modelByName } from './index.js';
import { bruteLinearizable } from './test-support/brute-force.js';
import { historyOf, type Line } from './test-support/history-build.js';
import {
  kvVocabulary,
  listVocabulary,
  multiRegisterVocabulary,
  mutexVocabulary,
  randomHistory,
  registerVocabulary,
  setVocabulary,
  type Vocabulary,
} from './test-support/random-history.js';

const options = { timeoutMs: 10_000, memoryBytesMax: 256 * 1024 * 1024 };
const historiesPerModel = 300;

const vocabularies: readonly (readonly [string, Vocabulary])[] = [
  ['cas-register', registerVocabulary],
  ['etcd-register', registerVocabulary],
  ['mutex', mutexVocabulary],
  ['kv-append', kvVocabulary],
  ['list-append', listVocabulary],
  ['set', setVocabulary],
  ['multi-register', multiRegisterVocabulary],
];

describe('the search against brute force', () => {
  test.each(vocabularies)(
    `gives the brute-force verdict on ${historiesPerModel} random %s histories`,
    (name, vocabulary) => {
      const prng = prngCreate(stringHash32(name));
      const model = modelByName(name)!;
      const verdicts = { valid: 0, invalid: 0 };
      for (let i = 0; i < historiesPerModel; i++) {
        const events = randomHistory(prng, vocabulary, {
          operations: 7,
          processes: 3,
          failProbability: 0.1,
          infoProbability: 0.15,
        });
        const ops = historyToOperations(model, events);
        const expected = bruteLinearizable(model, ops, model.init()) ? 'valid' : 'invalid';
        const result = checkLinearizable(model, ops, options);
        expect(result.verdict, `history ${i}: ${JSON.stringify(events)}`).toBe(expected);
        verdicts[expected]++;
      }
      // Both verdicts must be common, or the comparison proves little.
      expect(verdicts.valid).toBeGreaterThan(historiesPerModel / 10);
      expect(verdicts.invalid).toBeGreaterThan(historiesPerModel / 10);
    },
  );
});

type IndefiniteRow = readonly [story: string, verdict: 'valid' | 'invalid', lines: readonly Line[]];

const indefiniteRows: readonly IndefiniteRow[] = [
  [
    'a timed-out write that later reads show happened',
    'valid',
    [
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ],
  ],
  [
    'a timed-out write that never happened',
    'valid',
    [
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 0],
    ],
  ],
  [
    'a timed-out write that took effect late',
    'valid',
    [
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 0],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ],
  ],
  [
    'a timed-out write that cannot un-happen',
    'invalid',
    [
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 0],
    ],
  ],
  [
    'a write still open at the end of the history',
    'valid',
    [
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
    ],
  ],
  [
    'an indefinite write cannot precede its invocation',
    'invalid',
    [
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 1],
      [0, 'invoke', 'write', 1],
      [0, 'info', 'write', 1],
    ],
  ],
];

describe('indefinite operations', () => {
  test.each(indefiniteRows)('%s: %s', (_story, verdict, lines) => {
    expect(checkLinearizable(modelByName('cas-register')!, historyOf(lines), options).verdict).toBe(verdict);
  });
});

describe('P-compositionality', () => {
  const twoKeys = (aRead: number, bRead: number): Line[] => [
    [0, 'invoke', 'write', 1, 'a'],
    [0, 'ok', 'write', 1, 'a'],
    [1, 'invoke', 'write', 2, 'b'],
    [1, 'ok', 'write', 2, 'b'],
    [2, 'invoke', 'read', null, 'a'],
    [2, 'ok', 'read', aRead, 'a'],
    [3, 'invoke', 'read', null, 'b'],
    [3, 'ok', 'read', bRead, 'b'],
  ];

  test('checks each key on its own: one register per key', () => {
    const result = checkLinearizable(modelByName('cas-register')!, historyOf(twoKeys(1, 2)), options);
    expect(result).toMatchObject({ verdict: 'valid', partitions: 2, operations: 4 });
  });

  test('names the key that fails', () => {
    const result = checkLinearizable(modelByName('cas-register')!, historyOf(twoKeys(1, 1)), options);
    expect(result.verdict).toBe('invalid');
    expect(result.failures.map((failure) => failure.key)).toEqual(['b']);
  });

  test('stops at the first failing key unless asked to check them all', () => {
    const model = modelByName('cas-register')!;
    expect(checkLinearizable(model, historyOf(twoKeys(2, 1)), options).failures).toHaveLength(1);
    expect(
      checkLinearizable(model, historyOf(twoKeys(2, 1)), { ...options, partitionsAll: true }).failures,
    ).toHaveLength(2);
  });
});

describe('the budget', () => {
  // Twenty concurrent appends and a get that matches no order of them: the
  // search must try every subset in every order before it can say invalid.
  const appends = 20;
  const lines: Line[] = [];
  for (let p = 0; p < appends; p++) lines.push([p, 'invoke', 'append', `v${p} `, 'k']);
  lines.push([appends, 'invoke', 'get', null, 'k'], [appends, 'ok', 'get', 'impossible', 'k']);
  for (let p = 0; p < appends; p++) lines.push([p, 'ok', 'append', `v${p} `, 'k']);
  const history = historyOf(lines);

  test('a tiny time budget gives unknown with the reason', () => {
    const result = checkLinearizable(modelByName('kv-append')!, history, {
      timeoutMs: 50,
      memoryBytesMax: 1024 * 1024 * 1024,
    });
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toMatch(/time budget of 50 ms exhausted/);
  });

  test('a tiny memory budget gives unknown with the reason', () => {
    const result = checkLinearizable(modelByName('kv-append')!, history, {
      timeoutMs: 60_000,
      memoryBytesMax: 1024 * 1024,
    });
    expect(result.verdict).toBe('unknown');
    expect(result.reason).toMatch(/memory budget of 1.0 MiB reached/);
  });
});
