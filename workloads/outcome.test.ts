import { expect, test } from 'vitest';
import type { ClientResult } from '../cluster/client.js';
import { workloadCreate } from './index.js';
import type { ClientOp } from './op.js';
import { completionFromResult } from './outcome.js';

const register = workloadCreate('register', { keyCount: 1 });
const append = workloadCreate('append', { keyCount: 1 });
const set = workloadCreate('set', { keyCount: 1 });
const write: ClientOp = { f: 'write', key: 'r0', value: 5 };
const cas: ClientOp = { f: 'cas', key: 'r0', value: [5, 6] };
const read: ClientOp = { f: 'read', key: 'r0', value: null };
const timeout: ClientResult = { ok: false, definite: false, code: 'timeout', message: '' };
const cut: ClientResult = { ok: false, definite: false, code: 'connection-lost', message: '' };

test.each([
  ['an ok write keeps its value', register, write, { ok: true, value: null }, { type: 'ok', value: 5 }],
  ['an ok read records the observed value', register, read, { ok: true, value: 7 }, { type: 'ok', value: 7 }],
  ['a read of an absent register records null', register, read, { ok: true, value: null }, { type: 'ok', value: null }],
  [
    'a cas that found another value fails with cas-mismatch',
    register,
    cas,
    { ok: false, definite: true, code: 'cas-mismatch', message: '' },
    { type: 'fail', value: [5, 6], error: 'cas-mismatch' },
  ],
  [
    'a definite error is a fail',
    register,
    write,
    { ok: false, definite: true, code: 'not-ready', message: '' },
    { type: 'fail', value: 5, error: 'not-ready' },
  ],
  ['a timed-out write is info', register, write, timeout, { type: 'info', value: 5, error: 'timeout' }],
  ['a write on a cut connection is info', register, write, cut, { type: 'info', value: 5, error: 'connection-lost' }],
  [
    'an indefinite server error on a cas is info',
    register,
    cas,
    { ok: false, definite: false, code: 'quorum-timeout', message: '' },
    { type: 'info', value: [5, 6], error: 'quorum-timeout' },
  ],
  [
    'a timed-out read is a fail: it changed nothing',
    register,
    read,
    timeout,
    { type: 'fail', value: null, error: 'timeout' },
  ],
  [
    'an append read records the list',
    append,
    { f: 'read', key: 'a0', value: null },
    { ok: true, value: [1, 2] },
    { type: 'ok', value: [1, 2] },
  ],
  [
    'an append read of an absent list records null',
    append,
    { f: 'read', key: 'a0', value: null },
    { ok: true, value: null },
    { type: 'ok', value: null },
  ],
  [
    'a set read of an absent set records []',
    set,
    { f: 'read', key: 's0', value: null },
    { ok: true, value: null },
    { type: 'ok', value: [] },
  ],
  [
    'a timed-out add is info',
    set,
    { f: 'add', key: 's0', value: 3 },
    timeout,
    { type: 'info', value: 3, error: 'timeout' },
  ],
] as const)('%s', (_name, workload, op, result, expected) => {
  expect(completionFromResult(workload, op, result as ClientResult)).toEqual(expected);
});
