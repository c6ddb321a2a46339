// Knossos's multi-register: transactions of read and write micro-operations
// over a map of registers, initially {x: 0, y: 0}. A read of nil is unknown
// (always legal); writes apply in order. Transactions span keys, so the
// history is not partitioned.

import type { HistoryEvent, JsonValue } from '../../../core/history.js';
import { HistoryShapeError } from '../history-shape-error.js';
import { hashCombine, hashMix, jsonDescribe, jsonEqual, jsonHash, stringHash } from '../json-value.js';
import type { Model, OpConversion } from '../types.js';

export interface MicroOp {
  readonly f: 'read' | 'write';
  readonly key: string;
  readonly value: JsonValue;
}

/** Registers by name; a register never written reads as nil. */
export type MultiRegisterState = Readonly<Record<string, JsonValue>>;

export interface MultiRegisterOptions {
  readonly initial?: MultiRegisterState;
}

export function multiRegisterModel(
  options: MultiRegisterOptions = {},
): Model<MultiRegisterState, readonly MicroOp[], null> {
  const initial = Object.freeze({ ...(options.initial ?? { x: 0, y: 0 }) });
  return {
    name: 'multi-register',
    init: () => initial,
    step: multiRegisterStep,
    equal: multiRegisterEqual,
    hash: multiRegisterHash,
    convert: multiRegisterConvert,
    describeOperation: (input) => `txn ${input.map(microOpDescribe).join(' ')}`,
    describeState: (state) =>
      `{${Object.keys(state)
        .sort()
        .map((key) => `${key} ${jsonDescribe(state[key])}`)
        .join(', ')}}`,
  };
}

function multiRegisterStep(state: MultiRegisterState, input: readonly MicroOp[]): MultiRegisterState | undefined {
  let next: Record<string, JsonValue> | null = null;
  for (const micro of input) {
    const current = next ?? state;
    if (micro.f === 'read') {
      if (micro.value !== null && !jsonEqual(current[micro.key] ?? null, micro.value)) return undefined;
    } else {
      next ??= { ...state };
      next[micro.key] = micro.value;
    }
  }
  return next ?? state;
}

function multiRegisterEqual(a: MultiRegisterState, b: MultiRegisterState): boolean {
  if (a === b) return true;
  for (const key of Object.keys(a)) if (!jsonEqual(a[key] ?? null, b[key] ?? null)) return false;
  for (const key of Object.keys(b)) if (!jsonEqual(a[key] ?? null, b[key] ?? null)) return false;
  return true;
}

/** A sum over non-nil registers, so a register set to nil hashes like one never written. */
function multiRegisterHash(state: MultiRegisterState): number {
  let sum = 0;
  for (const key of Object.keys(state)) {
    const value = state[key] ?? null;
    if (value !== null) sum = (sum + hashCombine(stringHash(key), jsonHash(value))) >>> 0;
  }
  return hashMix(sum);
}

function multiRegisterConvert(
  invoke: HistoryEvent,
  completion: HistoryEvent | null,
): OpConversion<readonly MicroOp[], null> {
  if (invoke.f !== 'txn')
    throw new HistoryShapeError(invoke.index, `a multi-register operation is txn, got f "${invoke.f}"`);
  if (completion?.type === 'fail') return 'drop';
  // Knossos: an ok transaction's reads carry their values in the completion.
  const source = completion !== null && completion.type === 'ok' ? completion : invoke;
  return { input: microOpsRead(source), output: null, key: null };
}

function microOpsRead(event: HistoryEvent): readonly MicroOp[] {
  if (!Array.isArray(event.value))
    throw new HistoryShapeError(event.index, `a txn value is a list of micro-ops, got ${JSON.stringify(event.value)}`);
  return (event.value as readonly JsonValue[]).map((micro) => {
    if (!Array.isArray(micro) || micro.length !== 3) {
      throw new HistoryShapeError(event.index, `a micro-op is [f key value], got ${JSON.stringify(micro)}`);
    }
    const [f, key, value] = micro as readonly JsonValue[];
    if ((f !== 'read' && f !== 'write') || (typeof key !== 'string' && typeof key !== 'number')) {
      throw new HistoryShapeError(event.index, `a micro-op is [read|write key value], got ${JSON.stringify(micro)}`);
    }
    return { f, key: String(key), value: value ?? null };
  });
}

function microOpDescribe(micro: MicroOp): string {
  return `[${micro.f} ${micro.key} ${micro.f === 'read' && micro.value === null ? '?' : jsonDescribe(micro.value)}]`;
}
