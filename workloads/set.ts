// The set workload (Jepsen's set-full): unique elements added to a few sets,
// occasional reads during the run and one final read of each set. A set is a
// list in the store; its read is recorded as an array, [] when absent.

import { assert } from '../core/assert.js';
import { genUnfold } from './generator.js';
import type { ClientOp } from './op.js';
import { keysMake, livenessValue, type StoreRequest, type Workload, type WorkloadOptions } from './workload.js';

/** One operation in this many is a read of a whole set. */
const setReadEvery = 10;

export function setWorkload(options: WorkloadOptions): Workload {
  const keys = keysMake('s', options.keyCount);
  return {
    name: 'set',
    model: 'set',
    keys,
    generator: genUnfold<number, ClientOp>(1, (elementNext, context) => {
      const key = keys[context.prng.int(keys.length)]!;
      if (context.prng.int(setReadEvery) === 0) return { op: { f: 'read', key, value: null }, state: elementNext };
      return { op: { f: 'add', key, value: elementNext }, state: elementNext + 1 };
    }),
    finalReads: keys.map((key): ClientOp => ({ f: 'read', key, value: null })),
    livenessWrites: (round) =>
      keys.map((key, i): ClientOp => ({ f: 'add', key, value: livenessValue(round, i, keys.length) })),
    request: setRequest,
    okValue: (op, answer) =>
      op.f === 'read' ? (Array.isArray(answer) ? (answer as readonly (number | string)[]) : []) : op.value,
  };
}

function setRequest(op: ClientOp): StoreRequest {
  if (op.f === 'read') return { t: 'read-list', key: op.key };
  assert(op.f === 'add', `set workload cannot run ${op.f}`);
  assert(typeof op.value === 'number', `set element must be a number, got ${JSON.stringify(op.value)}`);
  return { t: 'append', key: op.key, value: op.value };
}
