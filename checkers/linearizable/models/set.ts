// The set model of our set workload: each key holds a set, `add` puts an
// element in, `read` returns every element (in any order). States are
// persistent cons cells carrying the size and an order-free hash (a sum of
// element hashes), so equal sets built in different orders hash alike.

import type { HistoryEvent, JsonValue } from '../../../core/history.js';
import { HistoryShapeError } from '../history-shape-error.js';
import { hashMix, jsonDescribe, jsonEqual, jsonHash } from '../json-value.js';
import type { Model, OpConversion } from '../types.js';

export interface SetCell {
  readonly size: number;
  /** Sum (mod 2^32) of the elements' hashes. */
  readonly sum: number;
  readonly value: JsonValue;
  readonly parent: SetCell | null;
}

/** null is the empty set. */
export type SetState = SetCell | null;

export type SetInput = { readonly f: 'add'; readonly value: JsonValue } | { readonly f: 'read' };

/** A read's distinct elements, by canonical JSON text, with their hash sum; null when unknown. */
export type SetOutput = { readonly elements: ReadonlySet<string>; readonly sum: number } | null;

/** Elements a state description shows before it cuts the set short. */
const describeElementsMax = 24;

export function setModel(): Model<SetState, SetInput, SetOutput> {
  return {
    name: 'set',
    init: () => null,
    step: setStep,
    equal: setEqual,
    hash: (state) => hashMix(((state?.sum ?? 0) + Math.imul(state?.size ?? 0, 0x9e3779b9)) >>> 0),
    convert: setConvert,
    describeOperation: (input, output) =>
      input.f === 'add'
        ? `add ${jsonDescribe(input.value)}`
        : output === null
          ? 'read ?'
          : `read ${elementsDescribe([...output.elements])}`,
    describeState: (state) => elementsDescribe(setElements(state).map((value) => JSON.stringify(value))),
    stateBytes: () => 48,
  };
}

function setStep(state: SetState, input: SetInput, output: SetOutput): SetState | undefined {
  if (input.f === 'add') {
    if (setHas(state, input.value)) return state;
    return {
      size: (state?.size ?? 0) + 1,
      sum: ((state?.sum ?? 0) + jsonHash(input.value)) >>> 0,
      value: input.value,
      parent: state,
    };
  }
  if (output === null) return state;
  if (output.elements.size !== (state?.size ?? 0) || output.sum !== (state?.sum ?? 0)) return undefined;
  for (let cell = state; cell !== null; cell = cell.parent)
    if (!output.elements.has(JSON.stringify(cell.value))) return undefined;
  return state;
}

function setHas(state: SetState, value: JsonValue): boolean {
  for (let cell = state; cell !== null; cell = cell.parent) if (jsonEqual(cell.value, value)) return true;
  return false;
}

function setEqual(a: SetState, b: SetState): boolean {
  if (a === b) return true;
  if ((a?.size ?? 0) !== (b?.size ?? 0) || (a?.sum ?? 0) !== (b?.sum ?? 0)) return false;
  for (let cell = a; cell !== null; cell = cell.parent) if (!setHas(b, cell.value)) return false;
  return true;
}

export function setElements(state: SetState): JsonValue[] {
  const values: JsonValue[] = [];
  for (let cell = state; cell !== null; cell = cell.parent) values.push(cell.value);
  return values.reverse();
}

function setConvert(invoke: HistoryEvent, completion: HistoryEvent | null): OpConversion<SetInput, SetOutput> {
  const key = invoke.key ?? null;
  if (completion?.type === 'fail') return 'drop';
  switch (invoke.f) {
    case 'add':
      return { input: { f: 'add', value: invoke.value }, output: null, key };
    case 'read': {
      if (completion === null || completion.type === 'info') return { input: { f: 'read' }, output: null, key };
      const values = completion.value ?? [];
      if (!Array.isArray(values))
        throw new HistoryShapeError(
          completion.index,
          `a set read returns a list or nil, got ${JSON.stringify(values)}`,
        );
      return { input: { f: 'read' }, output: setOutputOf(values as readonly JsonValue[]), key };
    }
    default:
      throw new HistoryShapeError(invoke.index, `a set operation is add or read, got f "${invoke.f}"`);
  }
}

function setOutputOf(values: readonly JsonValue[]): SetOutput {
  const elements = new Set<string>();
  let sum = 0;
  for (const value of values) {
    const text = JSON.stringify(value);
    if (elements.has(text)) continue;
    elements.add(text);
    sum = (sum + jsonHash(value)) >>> 0;
  }
  return { elements, sum };
}

function elementsDescribe(texts: readonly string[]): string {
  const shown = texts.length <= describeElementsMax ? texts : texts.slice(0, describeElementsMax);
  const rest = texts.length > shown.length ? ` … (${texts.length})` : '';
  return `#{${shown.map((text) => (text === 'null' ? 'nil' : text)).join(' ')}${rest}}`;
}
