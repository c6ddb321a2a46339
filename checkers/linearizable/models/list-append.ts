// The list model of our append workload: each key holds a list, `append`
// adds a value at its end, `read` returns the whole list (nil for a key never
// written). Lists are persistent cons cells with an incremental hash, so a
// step and a hash are O(1) and equal lists share their common prefix.

import type { HistoryEvent, JsonValue } from '../../../core/history.js';
import { HistoryShapeError } from '../history-shape-error.js';
import { hashCombine, jsonDescribe, jsonEqual, jsonHash } from '../json-value.js';
import type { Model, OpConversion } from '../types.js';

export interface ListCell {
  readonly length: number;
  readonly hash: number;
  readonly value: JsonValue;
  readonly parent: ListCell | null;
}

/** null is the empty list. */
export type ListState = ListCell | null;

const emptyHash = 0x4c495354;
/** Elements a state description shows before it cuts the list short. */
const describeElementsMax = 24;

export type ListInput = { readonly f: 'append'; readonly value: JsonValue } | { readonly f: 'read' };

/**
 * A read's observed list. Its hash is computed on first use and kept: the
 * search needs it at every step, the list-order check never, and reads of
 * long lists make it most of the cost of reading a history.
 */
export class ListObserved {
  private hashKept = -1;
  constructor(readonly values: readonly JsonValue[]) {}

  get hash(): number {
    if (this.hashKept < 0) {
      let hash = emptyHash;
      for (const value of this.values) hash = hashCombine(hash, jsonHash(value));
      this.hashKept = hash;
    }
    return this.hashKept;
  }
}

/** null when the read's result is unknown. */
export type ListOutput = ListObserved | null;

/** The models listAppendModel made, so the checker can recognise one and use the list-order check. */
const listAppendModels = new WeakSet<object>();

export function listAppendModel(): Model<ListState, ListInput, ListOutput> {
  const model: Model<ListState, ListInput, ListOutput> = {
    name: 'list-append',
    init: () => null,
    step: listStep,
    equal: listEqual,
    hash: (state) => state?.hash ?? emptyHash,
    convert: listConvert,
    describeOperation: (input, output) =>
      input.f === 'append'
        ? `append ${jsonDescribe(input.value)}`
        : output === null
          ? 'read ?'
          : `read ${valuesDescribe(output.values)}`,
    describeState: (state) => valuesDescribe(listValues(state)),
    stateBytes: () => 48,
  };
  listAppendModels.add(model);
  return model;
}

export function isListAppendModel(model: object): model is Model<ListState, ListInput, ListOutput> {
  return listAppendModels.has(model);
}

function listStep(state: ListState, input: ListInput, output: ListOutput): ListState | undefined {
  if (input.f === 'append') {
    return {
      length: (state?.length ?? 0) + 1,
      hash: hashCombine(state?.hash ?? emptyHash, jsonHash(input.value)),
      value: input.value,
      parent: state,
    };
  }
  if (output === null) return state;
  if (output.values.length !== (state?.length ?? 0) || output.hash !== (state?.hash ?? emptyHash)) return undefined;
  let cell = state;
  for (let i = output.values.length - 1; i >= 0 && cell !== null; i--, cell = cell.parent) {
    if (!jsonEqual(cell.value, output.values[i])) return undefined;
  }
  return state;
}

function listEqual(a: ListState, b: ListState): boolean {
  let left = a;
  let right = b;
  while (left !== right) {
    if (left === null || right === null || left.length !== right.length || left.hash !== right.hash) return false;
    if (!jsonEqual(left.value, right.value)) return false;
    left = left.parent;
    right = right.parent;
  }
  return true;
}

export function listValues(state: ListState): JsonValue[] {
  const values: JsonValue[] = [];
  for (let cell = state; cell !== null; cell = cell.parent) values.push(cell.value);
  return values.reverse();
}

function listConvert(invoke: HistoryEvent, completion: HistoryEvent | null): OpConversion<ListInput, ListOutput> {
  const key = invoke.key ?? null;
  if (completion?.type === 'fail') return 'drop';
  switch (invoke.f) {
    case 'append':
      return { input: { f: 'append', value: invoke.value }, output: null, key };
    case 'read': {
      if (completion === null || completion.type === 'info') return { input: { f: 'read' }, output: null, key };
      const values = completion.value ?? [];
      if (!Array.isArray(values))
        throw new HistoryShapeError(
          completion.index,
          `a list read returns a list or nil, got ${JSON.stringify(values)}`,
        );
      return { input: { f: 'read' }, output: new ListObserved(values as readonly JsonValue[]), key };
    }
    default:
      throw new HistoryShapeError(invoke.index, `a list operation is append or read, got f "${invoke.f}"`);
  }
}

function valuesDescribe(values: readonly JsonValue[]): string {
  return listPrefixDescribe(values, values.length);
}

/** Describes the list of values[0, length) as describeState would, in time independent of length. */
export function listPrefixDescribe(values: readonly JsonValue[], length: number): string {
  if (length <= describeElementsMax) return `[${values.slice(0, length).map(jsonDescribe).join(' ')}]`;
  const head = values
    .slice(0, describeElementsMax / 2)
    .map(jsonDescribe)
    .join(' ');
  const tail = values
    .slice(length - describeElementsMax / 2, length)
    .map(jsonDescribe)
    .join(' ');
  return `[${head} … ${tail}] (${length})`;
}
