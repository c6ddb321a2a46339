// Small decoders that turn parsed JSON into typed, readonly values, or say
// which field is wrong: "checkers[2].details.lost: expected array, got string".
// The stored files' schemas are written with them, each checked at compile time
// against the type its writer produces.

import type { JsonValue } from '../../core/history.js';

interface DecodeProblem {
  /** Where in the value: `checkers[2].details.lost`; empty for the value itself. */
  readonly path: string;
  readonly message: string;
}

export type Decoded<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: DecodeProblem };

export type Decoder<T> = (value: unknown, path: string) => Decoded<T>;

/** The type a decoder produces. */
type DecodedType<D> = D extends Decoder<infer T> ? T : never;

function decodeOk<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

function decodeFail(path: string, message: string): { readonly ok: false; readonly problem: DecodeProblem } {
  return { ok: false, problem: { path, message } };
}

/** "array", "null", "string"...: what a person calls the JSON value found. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function expected(path: string, what: string, value: unknown): { readonly ok: false; readonly problem: DecodeProblem } {
  return decodeFail(path, `expected ${what}, got ${jsonKind(value)}`);
}

export const stringD: Decoder<string> = (value, path) =>
  typeof value === 'string' ? decodeOk(value) : expected(path, 'string', value);

export const numberD: Decoder<number> = (value, path) =>
  typeof value === 'number' && Number.isFinite(value) ? decodeOk(value) : expected(path, 'number', value);

export const booleanD: Decoder<boolean> = (value, path) =>
  typeof value === 'boolean' ? decodeOk(value) : expected(path, 'boolean', value);

/** Any JSON: a value parsed from JSON text is JSON already. */
export const jsonD: Decoder<JsonValue> = (value, path) =>
  value === undefined ? decodeFail(path, 'missing') : decodeOk(value as JsonValue);

export function literalD<const L extends string | number | boolean>(...literals: readonly L[]): Decoder<L> {
  return (value, path) =>
    literals.includes(value as L)
      ? decodeOk(value as L)
      : decodeFail(
          path,
          `expected one of ${literals.map((l) => JSON.stringify(l)).join(', ')}, got ${JSON.stringify(value) ?? 'nothing'}`,
        );
}

export function nullableD<T>(decoder: Decoder<T>): Decoder<T | null> {
  return (value, path) => (value === null ? decodeOk(null) : decoder(value, path));
}

export function arrayD<T>(item: Decoder<T>): Decoder<readonly T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return expected(path, 'array', value);
    const items: T[] = [];
    for (let i = 0; i < value.length; i++) {
      const decoded = item(value[i], `${path}[${i}]`);
      if (!decoded.ok) return decoded;
      items.push(decoded.value);
    }
    return decodeOk(items);
  };
}

/** An object used as a map: every value decoded by one decoder. */
export function recordD<K extends string, T>(
  value: Decoder<T>,
  key?: Decoder<K>,
): Decoder<Readonly<Partial<Record<K, T>>>> {
  return (raw, path) => {
    if (!isObject(raw)) return expected(path, 'object', raw);
    const entries: [K, T][] = [];
    for (const [name, item] of Object.entries(raw)) {
      const keyDecoded = key === undefined ? decodeOk(name as K) : key(name, fieldPath(path, name));
      if (!keyDecoded.ok) return keyDecoded;
      const decoded = value(item, fieldPath(path, name));
      if (!decoded.ok) return decoded;
      entries.push([keyDecoded.value, decoded.value]);
    }
    return decodeOk(Object.fromEntries(entries) as Partial<Record<K, T>>);
  };
}

type Fields = { readonly [name: string]: Decoder<unknown> };
type FieldsType<F extends Fields> = { readonly [K in keyof F]: DecodedType<F[K]> };
type OptionalType<F extends Fields> = { readonly [K in keyof F]?: DecodedType<F[K]> };

/**
 * An object with these fields (and, when present, these optional ones). Fields
 * it does not name are left out of the value: readers see only what the type says.
 */
export function objectD<F extends Fields, O extends Fields = Record<never, never>>(
  fields: F,
  optional?: O,
): Decoder<FieldsType<F> & OptionalType<O>> {
  return (raw, path) => {
    if (!isObject(raw)) return expected(path, 'object', raw);
    const out: Record<string, unknown> = {};
    for (const [name, decoder] of Object.entries(fields)) {
      if (!Object.hasOwn(raw, name)) return decodeFail(fieldPath(path, name), 'missing');
      const decoded = decoder(raw[name], fieldPath(path, name));
      if (!decoded.ok) return decoded;
      out[name] = decoded.value;
    }
    for (const [name, decoder] of Object.entries(optional ?? {})) {
      if (!Object.hasOwn(raw, name) || raw[name] === undefined) continue;
      const decoded = decoder(raw[name], fieldPath(path, name));
      if (!decoded.ok) return decoded;
      out[name] = decoded.value;
    }
    return decodeOk(out as FieldsType<F> & OptionalType<O>);
  };
}

/** A tagged union: the tag field picks the member's decoder. */
export function taggedD<T>(tag: string, members: { readonly [name: string]: Decoder<T> }): Decoder<T> {
  return (raw, path) => {
    if (!isObject(raw)) return expected(path, 'object', raw);
    const name = raw[tag];
    const member = typeof name === 'string' && Object.hasOwn(members, name) ? members[name] : undefined;
    if (member === undefined)
      return decodeFail(
        fieldPath(path, tag),
        `expected one of ${Object.keys(members)
          .map((m) => JSON.stringify(m))
          .join(', ')}, got ${JSON.stringify(name) ?? 'nothing'}`,
      );
    return member(raw, path);
  };
}

/** The first decoder that accepts the value; the message lists what each expected. */
export function eitherD<A, B>(first: Decoder<A>, second: Decoder<B>): Decoder<A | B> {
  return (value, path) => {
    const a = first(value, path);
    if (a.ok) return a;
    const b = second(value, path);
    return b.ok ? b : a;
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldPath(path: string, name: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(name)) return path === '' ? name : `${path}.${name}`;
  return `${path}[${JSON.stringify(name)}]`;
}
