// Writes histories as EDN so that Jepsen and Knossos tools can read them: a
// vector with one operation map per line. Event types, functions, the nemesis
// and error codes become keywords; values keep their JSON shape (strings stay
// strings), so reading the EDN back gives the same events.

import type { HistoryEvent, JsonValue } from '../../core/history.js';

const keywordName = /^[a-zA-Z_*!?<>=][a-zA-Z0-9_*!?<>=.\-+]*$/;

/** One JSON value as EDN: null -> nil, arrays -> vectors, objects -> maps. */
export function ednWrite(value: JsonValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return ednString(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(ednWrite).join(' ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: JsonValue });
  return `{${entries.map(([key, item]) => `${mapKey(key)} ${ednWrite(item)}`).join(', ')}}`;
}

/** One event as an EDN map, fields in Jepsen's usual order. */
export function historyEventToEdn(event: HistoryEvent): string {
  const fields = [
    `:index ${event.index}`,
    `:type :${event.type}`,
    `:f ${keywordOrString(event.f)}`,
    ...(event.key === undefined ? [] : [`:key ${ednString(event.key)}`]),
    `:value ${ednWrite(event.value)}`,
    `:process ${event.process === 'nemesis' ? ':nemesis' : String(event.process)}`,
    `:time ${event.time}`,
    ...(event.error === undefined ? [] : [`:error ${keywordOrString(event.error)}`]),
  ];
  return `{${fields.join(', ')}}`;
}

/** A whole history as one EDN vector, one map per line. */
export function historyToEdn(events: readonly HistoryEvent[]): string {
  if (events.length === 0) return '[]\n';
  return `[${events.map(historyEventToEdn).join('\n ')}]\n`;
}

function keywordOrString(text: string): string {
  return keywordName.test(text) ? `:${text}` : ednString(text);
}

function mapKey(key: string): string {
  return keywordName.test(key) ? `:${key}` : ednString(key);
}

function ednString(text: string): string {
  let result = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') result += '\\"';
    else if (char === '\\') result += '\\\\';
    else if (char === '\n') result += '\\n';
    else if (char === '\t') result += '\\t';
    else if (char === '\r') result += '\\r';
    else if (code < 0x20) result += `\\u${code.toString(16).padStart(4, '0')}`;
    else result += char;
  }
  return `${result}"`;
}
