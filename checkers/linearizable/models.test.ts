// Every model accepts the histories its semantics allow and rejects the ones
// they forbid: small hand-written histories, one table row each.

import { describe, expect, test } from 'vitest';
import { checkLinearizable, modelByName, modelNames } from './index.js';
import { historyOf, type Line } from './test-support/history-build.js';

const options = { timeoutMs: 10_000, memoryBytesMax: 256 * 1024 * 1024 };

type Row = readonly [model: string, story: string, lines: readonly Line[], verdict: 'valid' | 'invalid'];

const rows: readonly Row[] = [
  [
    'cas-register',
    'a read sees the initial 0',
    [
      [0, 'invoke', 'read'],
      [0, 'ok', 'read', 0],
    ],
    'valid',
  ],
  [
    'cas-register',
    'a read sees a value never written',
    [
      [0, 'invoke', 'read'],
      [0, 'ok', 'read', 3],
    ],
    'invalid',
  ],
  [
    'cas-register',
    'a nil read is an unknown read',
    [
      [0, 'invoke', 'write', 2],
      [0, 'ok', 'write', 2],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', null],
    ],
    'valid',
  ],
  [
    'cas-register',
    'a cas from the current value succeeds',
    [
      [0, 'invoke', 'cas', [0, 5]],
      [0, 'ok', 'cas', [0, 5]],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 5],
    ],
    'valid',
  ],
  [
    'cas-register',
    'a cas from a stale value cannot succeed',
    [
      [0, 'invoke', 'cas', [1, 5]],
      [0, 'ok', 'cas', [1, 5]],
    ],
    'invalid',
  ],
  [
    'cas-register',
    'a failed write did not happen',
    [
      [0, 'invoke', 'write', 4],
      [0, 'fail', 'write', 4],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 4],
    ],
    'invalid',
  ],
  [
    'cas-register',
    'a stale read after a completed write',
    [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 0],
    ],
    'invalid',
  ],
  [
    'cas-register',
    'a read concurrent with a write sees either value',
    [
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', 0],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', 1],
      [0, 'ok', 'write', 1],
    ],
    'valid',
  ],
  [
    'etcd-register',
    'a read of nil before any write',
    [
      [0, 'invoke', 'read'],
      [0, 'ok', 'read', null],
    ],
    'valid',
  ],
  [
    'etcd-register',
    'a read of nil after a write',
    [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'ok', 'read', null],
    ],
    'invalid',
  ],
  [
    'etcd-register',
    'a failed cas saw another value',
    [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'cas', [2, 3]],
      [1, 'fail', 'cas', [2, 3]],
    ],
    'valid',
  ],
  [
    'etcd-register',
    'a failed cas whose comparison held',
    [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'cas', [1, 3]],
      [1, 'fail', 'cas', [1, 3]],
    ],
    'invalid',
  ],
  [
    'etcd-register',
    'a cas mismatch from our store saw another value',
    [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'cas', [1, 3]],
      [1, 'fail', 'cas', [1, 3], undefined, 'cas-mismatch'],
    ],
    'invalid',
  ],
  [
    'etcd-register',
    'a cas refused before it was attempted says nothing',
    [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'cas', [1, 3]],
      [1, 'fail', 'cas', [1, 3], undefined, 'not-ready'],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', 1],
    ],
    'valid',
  ],
  [
    'etcd-register',
    'a timed-out read says nothing',
    [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'read'],
      [1, 'fail', 'read', null],
    ],
    'valid',
  ],
  [
    'etcd-register',
    'an indefinite cas that must have happened',
    [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'cas', [1, 7]],
      [1, 'info', 'cas', [1, 7]],
      [2, 'invoke', 'read'],
      [2, 'ok', 'read', 7],
    ],
    'valid',
  ],
  [
    'kv-append',
    'appends concatenate',
    [
      [0, 'invoke', 'append', 'x', 'k'],
      [0, 'ok', 'append', 'x', 'k'],
      [0, 'invoke', 'append', 'y', 'k'],
      [0, 'ok', 'append', 'y', 'k'],
      [1, 'invoke', 'get', null, 'k'],
      [1, 'ok', 'get', 'xy', 'k'],
    ],
    'valid',
  ],
  [
    'kv-append',
    'a get sees appends in the wrong order',
    [
      [0, 'invoke', 'append', 'x', 'k'],
      [0, 'ok', 'append', 'x', 'k'],
      [0, 'invoke', 'append', 'y', 'k'],
      [0, 'ok', 'append', 'y', 'k'],
      [1, 'invoke', 'get', null, 'k'],
      [1, 'ok', 'get', 'yx', 'k'],
    ],
    'invalid',
  ],
  [
    'kv-append',
    'a put replaces the value',
    [
      [0, 'invoke', 'append', 'x', 'k'],
      [0, 'ok', 'append', 'x', 'k'],
      [0, 'invoke', 'put', 'z', 'k'],
      [0, 'ok', 'put', 'z', 'k'],
      [1, 'invoke', 'get', null, 'k'],
      [1, 'ok', 'get', 'z', 'k'],
    ],
    'valid',
  ],
  [
    'kv-append',
    'keys are independent',
    [
      [0, 'invoke', 'put', 'a', 'k1'],
      [0, 'ok', 'put', 'a', 'k1'],
      [1, 'invoke', 'get', null, 'k2'],
      [1, 'ok', 'get', '', 'k2'],
    ],
    'valid',
  ],
  [
    'multi-register',
    'a transaction reads its own write',
    [
      [
        0,
        'invoke',
        'txn',
        [
          ['write', 'x', 1],
          ['read', 'x', null],
        ],
      ],
      [
        0,
        'ok',
        'txn',
        [
          ['write', 'x', 1],
          ['read', 'x', 1],
        ],
      ],
    ],
    'valid',
  ],
  [
    'multi-register',
    'a transaction reads a value never written',
    [
      [0, 'invoke', 'txn', [['read', 'y', null]]],
      [0, 'ok', 'txn', [['read', 'y', 5]]],
    ],
    'invalid',
  ],
  [
    'multi-register',
    'two transactions in real-time order',
    [
      [
        0,
        'invoke',
        'txn',
        [
          ['write', 'x', 1],
          ['write', 'y', 1],
        ],
      ],
      [
        0,
        'ok',
        'txn',
        [
          ['write', 'x', 1],
          ['write', 'y', 1],
        ],
      ],
      [
        1,
        'invoke',
        'txn',
        [
          ['read', 'x', null],
          ['read', 'y', null],
        ],
      ],
      [
        1,
        'ok',
        'txn',
        [
          ['read', 'x', 1],
          ['read', 'y', 0],
        ],
      ],
    ],
    'invalid',
  ],
  [
    'mutex',
    'acquire then release',
    [
      [0, 'invoke', 'acquire'],
      [0, 'ok', 'acquire'],
      [0, 'invoke', 'release'],
      [0, 'ok', 'release'],
    ],
    'valid',
  ],
  [
    'mutex',
    'two holders at once',
    [
      [0, 'invoke', 'acquire'],
      [0, 'ok', 'acquire'],
      [1, 'invoke', 'acquire'],
      [1, 'ok', 'acquire'],
    ],
    'invalid',
  ],
  [
    'mutex',
    'a failed acquire did not happen',
    [
      [0, 'invoke', 'acquire'],
      [0, 'ok', 'acquire'],
      [1, 'invoke', 'acquire'],
      [1, 'fail', 'acquire'],
    ],
    'valid',
  ],
  [
    'mutex',
    'a release of a free lock',
    [
      [0, 'invoke', 'release'],
      [0, 'ok', 'release'],
    ],
    'invalid',
  ],
  [
    'list-append',
    'a read sees appends in order',
    [
      [0, 'invoke', 'append', 1, 'l'],
      [0, 'ok', 'append', 1, 'l'],
      [0, 'invoke', 'append', 2, 'l'],
      [0, 'ok', 'append', 2, 'l'],
      [1, 'invoke', 'read', null, 'l'],
      [1, 'ok', 'read', [1, 2], 'l'],
    ],
    'valid',
  ],
  [
    'list-append',
    'a read of an absent key is empty',
    [
      [1, 'invoke', 'read', null, 'l'],
      [1, 'ok', 'read', null, 'l'],
    ],
    'valid',
  ],
  [
    'list-append',
    'a read loses an acknowledged append',
    [
      [0, 'invoke', 'append', 1, 'l'],
      [0, 'ok', 'append', 1, 'l'],
      [1, 'invoke', 'read', null, 'l'],
      [1, 'ok', 'read', [], 'l'],
    ],
    'invalid',
  ],
  [
    'list-append',
    'a read sees appends out of order',
    [
      [0, 'invoke', 'append', 1, 'l'],
      [0, 'ok', 'append', 1, 'l'],
      [0, 'invoke', 'append', 2, 'l'],
      [0, 'ok', 'append', 2, 'l'],
      [1, 'invoke', 'read', null, 'l'],
      [1, 'ok', 'read', [2, 1], 'l'],
    ],
    'invalid',
  ],
  [
    'list-append',
    'an indefinite append may show up',
    [
      [0, 'invoke', 'append', 1, 'l'],
      [0, 'info', 'append', 1, 'l'],
      [1, 'invoke', 'read', null, 'l'],
      [1, 'ok', 'read', [1], 'l'],
    ],
    'valid',
  ],
  [
    'set',
    'a read sees adds in any order',
    [
      [0, 'invoke', 'add', 1, 's'],
      [0, 'ok', 'add', 1, 's'],
      [0, 'invoke', 'add', 2, 's'],
      [0, 'ok', 'add', 2, 's'],
      [1, 'invoke', 'read', null, 's'],
      [1, 'ok', 'read', [2, 1], 's'],
    ],
    'valid',
  ],
  [
    'set',
    'a read loses an acknowledged add',
    [
      [0, 'invoke', 'add', 1, 's'],
      [0, 'ok', 'add', 1, 's'],
      [1, 'invoke', 'read', null, 's'],
      [1, 'ok', 'read', [], 's'],
    ],
    'invalid',
  ],
  [
    'set',
    'an element flips out of the set',
    [
      [0, 'invoke', 'add', 1, 's'],
      [0, 'info', 'add', 1, 's'],
      [1, 'invoke', 'read', null, 's'],
      [1, 'ok', 'read', [1], 's'],
      [1, 'invoke', 'read', null, 's'],
      [1, 'ok', 'read', [], 's'],
    ],
    'invalid',
  ],
];

describe('models', () => {
  test('the registry knows every model by its exact name', () => {
    expect([...modelNames].sort()).toEqual([
      'cas-register',
      'etcd-register',
      'kv-append',
      'list-append',
      'multi-register',
      'mutex',
      'set',
    ]);
    expect(modelByName('no-such-model')).toBeUndefined();
  });

  test.each(rows)('%s: %s is %s', (name, _story, lines, verdict) => {
    const model = modelByName(name)!;
    expect(checkLinearizable(model, historyOf(lines), options).verdict).toBe(verdict);
  });

  test('the cas register takes its initial value from the options, nil included', () => {
    const lines: readonly Line[] = [
      [0, 'invoke', 'cas', [null, 1]],
      [0, 'ok', 'cas', [null, 1]],
    ];
    expect(checkLinearizable(modelByName('cas-register')!, historyOf(lines), options).verdict).toBe('invalid');
    expect(checkLinearizable(modelByName('cas-register', { initial: null })!, historyOf(lines), options).verdict).toBe(
      'valid',
    );
  });
});
