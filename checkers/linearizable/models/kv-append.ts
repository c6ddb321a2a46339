// Porcupine's key/value store with get, put and append, one string per key,
// initially empty. Operations are partitioned by key, so each key is checked
// on its own (P-compositionality).

import type { HistoryEvent } from '../../../core/history.js';
import { HistoryShapeError } from '../history-shape-error.js';
import { hashCombine, hashMix, textCut } from '../json-value.js';
import type { Model, OpConversion } from '../types.js';

export type KvInput = { readonly f: 'get' } | { readonly f: 'put' | 'append'; readonly value: string };

/** A get's observed value, or null when nobody saw it (indefinite). */
export type KvOutput = string | null;

/** Characters sampled from a string's body for its hash, besides its tail. */
const hashSamples = 32;
const hashTail = 32;

export function kvAppendModel(): Model<string, KvInput, KvOutput> {
  return {
    name: 'kv-append',
    init: () => '',
    step: kvStep,
    equal: (a, b) => a === b,
    hash: kvStateHash,
    convert: kvConvert,
    describeOperation: kvOperationDescribe,
    describeState: (state) => textCut(JSON.stringify(state)),
    stateBytes: (state) => 32 + state.length,
    readOnly: (input) => input.f === 'get',
  };
}

function kvStep(state: string, input: KvInput, output: KvOutput): string | undefined {
  switch (input.f) {
    case 'get':
      return output === null || output === state ? state : undefined;
    case 'put':
      return input.value;
    case 'append':
      return state + input.value;
  }
}

/**
 * Hashes the length, a fixed number of evenly spaced characters and the tail,
 * so hashing stays O(1) as values grow; equal strings still hash alike, and
 * appends (which change the tail) rarely collide.
 */
function kvStateHash(state: string): number {
  const length = state.length;
  let hash = hashMix(length);
  const stride = Math.max(1, Math.floor(length / hashSamples));
  for (let i = 0; i < length; i += stride) hash = Math.imul(hash ^ state.charCodeAt(i), 0x01000193);
  for (let i = Math.max(0, length - hashTail); i < length; i++)
    hash = Math.imul(hash ^ state.charCodeAt(i), 0x01000193);
  return hashCombine(hash >>> 0, length);
}

function kvConvert(invoke: HistoryEvent, completion: HistoryEvent | null): OpConversion<KvInput, KvOutput> {
  const key = invoke.key ?? null;
  const input = kvInputRead(invoke);
  if (completion === null || completion.type === 'info') return { input, output: null, key };
  if (completion.type === 'fail') return 'drop';
  if (input.f !== 'get') return { input, output: null, key };
  const value = completion.value;
  if (value !== null && typeof value !== 'string') {
    throw new HistoryShapeError(completion.index, `a get returns a string, got ${JSON.stringify(value)}`);
  }
  // A key never written reads as nil in some stores; its value is the empty string.
  return { input, output: value ?? '', key };
}

function kvInputRead(invoke: HistoryEvent): KvInput {
  switch (invoke.f) {
    case 'get':
      return { f: 'get' };
    case 'put':
    case 'append':
      if (typeof invoke.value !== 'string') {
        throw new HistoryShapeError(invoke.index, `${invoke.f} takes a string, got ${JSON.stringify(invoke.value)}`);
      }
      return { f: invoke.f, value: invoke.value };
    default:
      throw new HistoryShapeError(invoke.index, `a kv operation is get, put or append, got f "${invoke.f}"`);
  }
}

function kvOperationDescribe(input: KvInput, output: KvOutput): string {
  if (input.f === 'get') return output === null ? 'get ?' : `get ${textCut(JSON.stringify(output))}`;
  return `${input.f} ${textCut(JSON.stringify(input.value))}`;
}
