// The append workload: unique values appended to per-key lists, and reads of
// whole lists. Checked for durability (every acknowledged append survives, in
// one order) and linearizability of each list.

import { assert } from '../core/assert.js';
import { genUnfold } from './generator.js';
import type { ClientOp } from './op.js';
import { keysMake, livenessValue, type StoreRequest, type Workload, type WorkloadOptions } from './workload.js';

/** One operation in this many is a read of a whole list. */
const appendReadEvery = 4;

export function appendWorkload(options: WorkloadOptions): Workload {
  const keys = keysMake('a', options.keyCount);
  return {
    name: 'append',
    model: 'list-append',
    keys,
    generator: genUnfold<number, ClientOp>(1, (valueNext, context) => {
      const key = keys[context.prng.int(keys.length)]!;
      if (context.prng.int(appendReadEvery) === 0) return { op: { f: 'read', key, value: null }, state: valueNext };
      return { op: { f: 'append', key, value: valueNext }, state: valueNext + 1 };
    }),
    finalReads: keys.map((key): ClientOp => ({ f: 'read', key, value: null })),
    livenessWrites: (round) =>
      keys.map((key, i): ClientOp => ({ f: 'append', key, value: livenessValue(round, i, keys.length) })),
    request: appendRequest,
    okValue: (op, answer) =>
      op.f === 'read' ? (Array.isArray(answer) ? (answer as readonly (number | string)[]) : null) : op.value,
  };
}

function appendRequest(op: ClientOp): StoreRequest {
  if (op.f === 'read') return { t: 'read-list', key: op.key };
  assert(op.f === 'append', `append workload cannot run ${op.f}`);
  assert(typeof op.value === 'number', `append value must be a number, got ${JSON.stringify(op.value)}`);
  return { t: 'append', key: op.key, value: op.value };
}
