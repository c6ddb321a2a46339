// The operations of a single register (read, write, compare-and-set) as the
// register models see them, read from history events. Shared by cas-register
// (Knossos semantics) and etcd-register (Porcupine's etcd semantics).

import type { HistoryEvent, JsonValue } from '../../../core/history.js';
import { HistoryShapeError } from '../history-shape-error.js';
import { jsonDescribe } from '../json-value.js';

export type RegisterInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: JsonValue }
  | { readonly f: 'cas'; readonly from: JsonValue; readonly to: JsonValue };

/** What the completion said: ok with a value, a definite failure, or nothing known. */
export type RegisterOutput =
  | { readonly outcome: 'ok'; readonly value: JsonValue }
  | { readonly outcome: 'fail' }
  | { readonly outcome: 'unknown' };

export const outputUnknown: RegisterOutput = Object.freeze({ outcome: 'unknown' });
export const outputFail: RegisterOutput = Object.freeze({ outcome: 'fail' });

/** The register input an event describes; its value must fit its f. */
export function registerInputRead(event: HistoryEvent): RegisterInput {
  switch (event.f) {
    case 'read':
      return { f: 'read' };
    case 'write':
      return { f: 'write', value: event.value };
    case 'cas': {
      const value = event.value;
      if (!Array.isArray(value) || value.length !== 2) {
        throw new HistoryShapeError(event.index, `cas value must be [from, to], got ${JSON.stringify(value)}`);
      }
      const pair = value as readonly JsonValue[];
      return { f: 'cas', from: pair[0]!, to: pair[1]! };
    }
    default:
      throw new HistoryShapeError(event.index, `a register operation is read, write or cas, got f "${event.f}"`);
  }
}

/** "read 3", "write 4 ?", "cas 1→2 failed": a trailing ? marks an outcome nobody saw. */
export function registerOperationDescribe(input: RegisterInput, output: RegisterOutput): string {
  const outcome = output.outcome === 'ok' ? '' : output.outcome === 'fail' ? ' failed' : ' ?';
  switch (input.f) {
    case 'read':
      return output.outcome === 'ok' ? `read ${jsonDescribe(output.value)}` : 'read ?';
    case 'write':
      return `write ${jsonDescribe(input.value)}${outcome}`;
    case 'cas':
      return `cas ${jsonDescribe(input.from)}→${jsonDescribe(input.to)}${outcome}`;
  }
}
