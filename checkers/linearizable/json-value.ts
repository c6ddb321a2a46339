// Equality, hashing and short descriptions of the JSON values that histories
// carry, for the models' states. Hashes are 32-bit, stable across runs and
// consistent with jsonEqual (equal values hash alike, object key order ignored).

import type { JsonValue } from '../../core/history.js';

/** Longest description of a value before it is cut with an ellipsis. */
export const describeCharsMax = 160;

export function hashMix(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Combines an accumulated hash with one more 32-bit value, order-sensitive. */
export function hashCombine(hash: number, value: number): number {
  return hashMix((Math.imul(hash, 31) + value) >>> 0);
}

export function stringHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hashMix(hash);
}

export function numberHash(value: number): number {
  if ((value | 0) === value) return hashMix(value ^ 0x2545f491);
  // Integers (the common case) hash from their two 32-bit halves; other
  // numbers from their decimal text, which equal numbers share.
  if (Number.isSafeInteger(value)) return hashCombine(hashMix(value | 0), Math.floor(value / 4294967296) | 0);
  return stringHash(String(value));
}

export function jsonHash(value: JsonValue | undefined): number {
  if (value === null || value === undefined) return 0x6e756c6c;
  switch (typeof value) {
    case 'number':
      return numberHash(value);
    case 'string':
      return stringHash(value);
    case 'boolean':
      return value ? 0x74727565 : 0x66616c73;
    default:
      break;
  }
  if (Array.isArray(value)) {
    let hash = 0x5b5d0000 + value.length;
    for (const item of value as readonly JsonValue[]) hash = hashCombine(hash, jsonHash(item));
    return hash;
  }
  // Objects: a sum over entries, so key order does not matter.
  let sum = 0x7b7d;
  for (const [key, item] of Object.entries(value)) sum = (sum + hashCombine(stringHash(key), jsonHash(item))) >>> 0;
  return hashMix(sum);
}

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return false;
    const left = a as readonly JsonValue[];
    const right = b as readonly JsonValue[];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!jsonEqual(left[i], right[i])) return false;
    return true;
  }
  const left = a as { readonly [key: string]: JsonValue };
  const right = b as { readonly [key: string]: JsonValue };
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(right, key) || !jsonEqual(left[key], right[key])) return false;
  }
  return true;
}

/**
 * A Map key for a value, equal for exactly the values jsonEqual calls equal:
 * numbers stand for themselves (the common case, no allocation), anything
 * else becomes JSON text with object keys sorted.
 */
export function jsonKey(value: JsonValue): number | string {
  return typeof value === 'number' ? value : jsonCanonical(value);
}

function jsonCanonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(jsonCanonical).join(',')}]`;
  const entries = Object.entries(value as { readonly [key: string]: JsonValue }).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${jsonCanonical(item)}`).join(',')}}`;
}

/** A value as a person reads it in a report: JSON, nil for null, cut when long. */
export function jsonDescribe(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'nil';
  return textCut(JSON.stringify(value));
}

export function textCut(text: string): string {
  if (text.length <= describeCharsMax) return text;
  const half = Math.floor((describeCharsMax - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(text.length - half)}`;
}
