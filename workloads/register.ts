// The register workload: read, write and compare-and-set on a few keys, checked
// for linearizability per key. Written values come from one increasing counter,
// so every write of a run is distinguishable from every other.

import { AssertionError, assert, assertNever } from '../core/assert.js';
import { genUnfold } from './generator.js';
import type { ClientOp } from './op.js';
import { keysMake, livenessValue, type StoreRequest, type Workload, type WorkloadOptions } from './workload.js';

interface RegisterState {
  /** The next value to write; values start at 1 so they never look like an absent key. */
  readonly valueNext: number;
  /** Per key, the value this generator last asked to store: the likely `from` of a cas. */
  readonly lastByKey: readonly (number | null)[];
}

export function registerWorkload(options: WorkloadOptions): Workload {
  const keys = keysMake('r', options.keyCount);
  const initial: RegisterState = { valueNext: 1, lastByKey: keys.map(() => null) };
  return {
    name: 'register',
    model: 'etcd-register',
    keys,
    generator: genUnfold(initial, (state, context) =>
      registerStep(state, keys, context.prng.int(keys.length), context.prng.int(3)),
    ),
    finalReads: keys.map((key): ClientOp => ({ f: 'read', key, value: null })),
    livenessWrites: (round) =>
      keys.map((key, i): ClientOp => ({ f: 'write', key, value: livenessValue(round, i, keys.length) })),
    request: registerRequest,
    okValue: (op, answer) => (op.f === 'read' ? ((answer as number | null) ?? null) : op.value),
  };
}

function registerStep(
  state: RegisterState,
  keys: readonly string[],
  keyIndex: number,
  roll: number,
): { op: ClientOp; state: RegisterState } {
  const key = keys[keyIndex]!;
  if (roll === 0) return { op: { f: 'read', key, value: null }, state };
  const value = state.valueNext;
  const lastByKey = state.lastByKey.map((last, i) => (i === keyIndex ? value : last));
  const next = { valueNext: value + 1, lastByKey };
  const from = state.lastByKey[keyIndex] ?? null;
  // A cas needs a value the key plausibly holds; before this generator wrote one, write instead.
  if (roll === 1 || from === null) return { op: { f: 'write', key, value }, state: next };
  return { op: { f: 'cas', key, value: [from, value] }, state: next };
}

function registerRequest(op: ClientOp): StoreRequest {
  switch (op.f) {
    case 'read':
      return { t: 'read', key: op.key };
    case 'write':
      assert(typeof op.value === 'number', `register write value must be a number, got ${JSON.stringify(op.value)}`);
      return { t: 'write', key: op.key, value: op.value };
    case 'cas': {
      const [from, to] = op.value as readonly [number | null, number];
      assert(typeof to === 'number', `register cas value must be [from, to], got ${JSON.stringify(op.value)}`);
      return { t: 'cas', key: op.key, from, to };
    }
    case 'append':
    case 'add':
      throw new AssertionError(`register workload cannot run ${op.f}`);
    default:
      return assertNever(op.f, 'register op');
  }
}
