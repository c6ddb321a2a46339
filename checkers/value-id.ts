// The identity of a history value for maps and sets: values are JSON, so a
// number is itself (the common case, and cheap) and anything else is its JSON
// text; a Map never confuses the number 5 with the text "5".

import type { JsonValue } from '../core/history.js';

export type ValueId = number | string;

export function valueId(value: JsonValue): ValueId {
  return typeof value === 'number' ? value : JSON.stringify(value);
}
