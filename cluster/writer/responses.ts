// Building client responses: the definite flag always comes from the one
// error registry, so no call site can get it wrong.

import type { ClientResponse, StoreValue, WriterHealth, WriterReadSettings } from '../protocol/client-messages.js';
import { type StoreErrorCode, storeErrors } from '../protocol/errors.js';

export function responseOk(
  id: number,
  value?: StoreValue | readonly StoreValue[] | null | WriterHealth | WriterReadSettings,
): ClientResponse {
  return value === undefined ? { t: 'ok', id } : { t: 'ok', id, value };
}

export function responseError(id: number, code: StoreErrorCode, message: string): ClientResponse {
  return { t: 'error', id, code, definite: storeErrors[code].definite, message };
}
