// What one EDN token that is not a string or collection means: a keyword (its
// name), nil, a boolean, a number, or a symbol (its name). Integers past 2^53
// are refused rather than silently rounded.

import type { JsonValue } from '../../core/history.js';

export type EdnAtom =
  { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly message: string };

const integerPattern = /^[+-]?(?:0|[1-9][0-9]*)N?$/;
const floatPattern = /^[+-]?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?M?$/;

export function ednAtom(token: string): EdnAtom {
  const first = token[0] ?? '';
  const second = token[1] ?? '';
  if (first === ':') {
    if (token.length === 1 || second === ':') return { ok: false, message: `bad keyword "${token}"` };
    return { ok: true, value: token.slice(1) };
  }
  if (isDigit(first) || ((first === '+' || first === '-') && isDigit(second))) return ednNumber(token);
  if (token === 'nil') return { ok: true, value: null };
  if (token === 'true') return { ok: true, value: true };
  if (token === 'false') return { ok: true, value: false };
  return { ok: true, value: token };
}

function ednNumber(token: string): EdnAtom {
  if (integerPattern.test(token)) {
    const value = Number(token.endsWith('N') ? token.slice(0, -1) : token);
    if (!Number.isSafeInteger(value)) return { ok: false, message: `integer ${token} is too large (limit 2^53 - 1)` };
    return { ok: true, value };
  }
  if (floatPattern.test(token)) return { ok: true, value: Number(token.endsWith('M') ? token.slice(0, -1) : token) };
  return { ok: false, message: `bad number "${token}"` };
}

function isDigit(char: string): boolean {
  return char >= '0' && char <= '9';
}
