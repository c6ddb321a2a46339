// A small, strict EDN reader for Jepsen and Knossos histories. It maps EDN onto
// JSON values: keywords and symbols become strings without the colon, nil
// becomes null, vectors, lists and sets become arrays, maps become objects.
// Errors name the line and column; the reader never guesses at broken input.

import type { JsonValue } from '../../core/history.js';
import { ednAtom } from './edn-atom.js';
import { problemAt, type FormatProblem } from './format-problem.js';
import { LineIndex, type EdnPosition } from './line-index.js';

export type { EdnPosition } from './line-index.js';

/** One top-level form, and for a top-level collection where each element starts. */
export interface EdnForm {
  readonly value: JsonValue;
  readonly position: EdnPosition;
  readonly elementPositions: readonly EdnPosition[] | null;
}

export type EdnRead =
  { readonly ok: true; readonly forms: readonly EdnForm[] } | { readonly ok: false; readonly error: FormatProblem };

/** Deeper nesting than this is refused instead of overflowing the stack. */
export const ednDepthMax = 512;

/** Reads every top-level form of `text`. */
export function ednRead(text: string): EdnRead {
  const reader = new EdnReader(text);
  try {
    return { ok: true, forms: reader.readAll() };
  } catch (error) {
    if (error instanceof EdnSyntaxError) return { ok: false, error: reader.problem(error) };
    throw error;
  }
}

/** Reads exactly one form (a field of a log line, say); anything after it is an error. */
export function ednReadOne(
  text: string,
): { readonly ok: true; readonly value: JsonValue } | { readonly ok: false; readonly error: FormatProblem } {
  const read = ednRead(text);
  if (!read.ok) return read;
  const [first, second] = read.forms;
  if (first === undefined) return { ok: false, error: problemAt(1, 1, 'expected an EDN value, found nothing') };
  if (second !== undefined) {
    return {
      ok: false,
      error: problemAt(second.position.line, second.position.column, 'expected one EDN value, found more'),
    };
  }
  return { ok: true, value: first.value };
}

class EdnSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const closers: Readonly<Record<string, string>> = { '[': ']', '(': ')', '{': '}' };
const delimiters = new Set([' ', '\t', '\n', '\r', ',', '\f', '[', ']', '(', ')', '{', '}', '"', ';']);
const namedCharacters: Readonly<Record<string, string>> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  backspace: '\b',
  formfeed: '\f',
};
const stringEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
};

class EdnReader {
  private offset = 0;
  private readonly lines: LineIndex;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  readAll(): EdnForm[] {
    const forms: EdnForm[] = [];
    for (;;) {
      this.skipWhitespace();
      if (this.offset >= this.text.length) return forms;
      const start = this.offset;
      const opener = this.text[start] ?? '';
      if (opener === '[' || opener === '(') {
        const elementPositions: EdnPosition[] = [];
        const value = this.readSequence(0, elementPositions);
        forms.push({ value, position: this.position(start), elementPositions });
      } else {
        const value = this.readForm(0);
        if (value !== discarded) forms.push({ value, position: this.position(start), elementPositions: null });
      }
    }
  }

  problem(error: EdnSyntaxError): FormatProblem {
    const position = this.position(error.offset);
    return problemAt(position.line, position.column, error.message);
  }

  position(offset: number): EdnPosition {
    return this.lines.position(offset);
  }

  private fail(offset: number, message: string): never {
    throw new EdnSyntaxError(offset, message);
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.offset < text.length) {
      const char = text[this.offset];
      if (char === ';') {
        const end = text.indexOf('\n', this.offset);
        this.offset = end === -1 ? text.length : end + 1;
      } else if (char === ' ' || char === '\n' || char === '\t' || char === '\r' || char === ',' || char === '\f') {
        this.offset++;
      } else {
        return;
      }
    }
  }

  /** One form, or `discarded` for `#_ form`. */
  private readForm(depth: number): JsonValue | typeof discarded {
    if (depth > ednDepthMax) this.fail(this.offset, `nested deeper than ${ednDepthMax} levels`);
    this.skipWhitespace();
    const start = this.offset;
    const char = this.text[start];
    if (char === undefined) this.fail(start, 'unexpected end of input');
    switch (char) {
      case '[':
      case '(':
        return this.readSequence(depth, null);
      case '{':
        return this.readMap(depth);
      case '"':
        return this.readString();
      case '#':
        return this.readDispatch(depth);
      case '\\':
        return this.readCharacter();
      case ']':
      case ')':
      case '}':
        return this.fail(start, `unexpected "${char}" with no matching opening bracket`);
      default:
        return this.readAtom();
    }
  }

  /** A vector or list; with `positions`, records where each element starts. */
  private readSequence(depth: number, positions: EdnPosition[] | null): JsonValue[] {
    const start = this.offset;
    const closer = closers[this.text[start] ?? ''] ?? ']';
    this.offset++;
    const items: JsonValue[] = [];
    for (;;) {
      this.skipWhitespace();
      const char = this.text[this.offset];
      if (char === undefined) this.fail(start, `"${this.text[start] ?? ''}" is never closed (expected "${closer}")`);
      if (char === closer) {
        this.offset++;
        return items;
      }
      if (char === ']' || char === ')' || char === '}') this.fail(this.offset, `expected "${closer}", found "${char}"`);
      const elementStart = this.offset;
      const value = this.readForm(depth + 1);
      if (value === discarded) continue;
      items.push(value);
      positions?.push(this.position(elementStart));
    }
  }

  private readMap(depth: number): JsonValue {
    const start = this.offset;
    this.offset++;
    const entries: [string, JsonValue][] = [];
    const seen = new Set<string>();
    for (;;) {
      this.skipWhitespace();
      const char = this.text[this.offset];
      if (char === undefined) this.fail(start, '"{" is never closed (expected "}")');
      if (char === '}') {
        this.offset++;
        return Object.fromEntries(entries);
      }
      const keyStart = this.offset;
      const key = this.readForm(depth + 1);
      if (key === discarded) continue;
      const name = mapKeyName(key);
      if (name === null) this.mapKeyFail(start, keyStart);
      if (seen.has(name)) this.fail(keyStart, `duplicate map key "${name}"`);
      seen.add(name);
      this.skipWhitespace();
      if (this.text[this.offset] === '}') this.fail(keyStart, `map key "${name}" has no value`);
      const value = this.readMapValue(depth, keyStart, name);
      entries.push([name, value]);
    }
  }

  /** A map as a key on a later line is most often the next line's event after a missing "}": the opener is blamed. */
  private mapKeyFail(start: number, keyStart: number): never {
    const keyLine = this.position(keyStart).line;
    if (this.text[keyStart] === '{' && keyLine > this.position(start).line)
      this.fail(start, `"{" is not closed before the "{" on line ${keyLine} (a missing "}"?)`);
    this.fail(keyStart, 'a map key must be a keyword, string, number or boolean');
  }

  private readMapValue(depth: number, keyStart: number, name: string): JsonValue {
    for (;;) {
      const value = this.readForm(depth + 1);
      if (value !== discarded) return value;
      this.skipWhitespace();
      if (this.text[this.offset] === '}') this.fail(keyStart, `map key "${name}" has no value`);
    }
  }

  private readString(): string {
    const start = this.offset;
    const text = this.text;
    let result = '';
    let chunkStart = start + 1;
    for (let i = start + 1; i < text.length; i++) {
      const char = text[i];
      if (char === '"') {
        this.offset = i + 1;
        return result + text.slice(chunkStart, i);
      }
      if (char !== '\\') continue;
      result += text.slice(chunkStart, i);
      const escape = text[i + 1] ?? '';
      if (escape === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(i, `bad unicode escape "\\u${hex}"`);
        result += String.fromCharCode(parseInt(hex, 16));
        i += 5;
      } else {
        const decoded = stringEscapes[escape];
        if (decoded === undefined) this.fail(i, `unknown string escape "\\${escape}"`);
        result += decoded;
        i += 1;
      }
      chunkStart = i + 1;
    }
    return this.fail(start, 'string is never closed (missing ")');
  }

  private readDispatch(depth: number): JsonValue | typeof discarded {
    const start = this.offset;
    const next = this.text[start + 1];
    if (next === '{') {
      this.offset++;
      return this.readSet(depth);
    }
    if (next === '_') {
      this.offset += 2;
      this.readForm(depth + 1);
      return discarded;
    }
    this.offset++;
    const tag = this.readToken();
    if (!/^[a-zA-Z][\w.\-/*+!?$%&=<>]*$/.test(tag)) this.fail(start, `unsupported dispatch "#${tag}"`);
    // Tagged values (#inst, #uuid, records such as #jepsen.history.Op{...}) keep their plain form.
    const value = this.readForm(depth + 1);
    if (value === discarded) this.fail(start, `tag "#${tag}" has no value`);
    return value;
  }

  private readSet(depth: number): JsonValue[] {
    const start = this.offset;
    this.offset++;
    const items: JsonValue[] = [];
    for (;;) {
      this.skipWhitespace();
      const char = this.text[this.offset];
      if (char === undefined) this.fail(start - 1, '"#{" is never closed (expected "}")');
      if (char === '}') {
        this.offset++;
        return items;
      }
      const value = this.readForm(depth + 1);
      if (value !== discarded) items.push(value);
    }
  }

  private readCharacter(): string {
    const start = this.offset;
    this.offset++;
    const token = this.readToken();
    // A character token may itself be a delimiter, as in \( or \space after a bracket.
    if (token === '') {
      const char = this.text[this.offset];
      if (char === undefined) this.fail(start, 'character literal "\\" has no character');
      this.offset++;
      return char;
    }
    if (token.length === 1) return token;
    const named = namedCharacters[token];
    if (named !== undefined) return named;
    if (/^u[0-9a-fA-F]{4}$/.test(token)) return String.fromCharCode(parseInt(token.slice(1), 16));
    return this.fail(start, `unknown character literal "\\${token}"`);
  }

  private readAtom(): JsonValue {
    const start = this.offset;
    const token = this.readToken();
    if (token === '') this.fail(start, `unexpected "${this.text[start] ?? ''}"`);
    const atom = ednAtom(token);
    if (!atom.ok) this.fail(start, atom.message);
    return atom.value;
  }

  private readToken(): string {
    const start = this.offset;
    const text = this.text;
    let end = start;
    while (end < text.length && !delimiters.has(text[end] ?? '')) end++;
    this.offset = end;
    return text.slice(start, end);
  }
}

const discarded: unique symbol = Symbol('discarded');

function mapKeyName(key: JsonValue): string | null {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  return null;
}
