// How a nemesis operation went, built by the faults and recorded by the loop.
// In the history a failure keeps `error` a plain string, the code alone (as a
// client's error is a store code), and carries the message in the value's
// `message` field; histories from before codes hold free text in `error` and
// no message, and nemesisErrorRead is the one place that reads both.

import type { HistoryEvent, JsonValue } from '../core/history.js';
import { nemesisError, type NemesisErrorCode } from './errors.js';
import type { NemesisOutcome } from './nemesis.js';

export function outcomeOk(
  targets: readonly string[],
  details: Readonly<Record<string, JsonValue>> = {},
): NemesisOutcome {
  return { ok: true, value: { targets: [...targets], ...details } };
}

/** A failure; the message defaults to the code's meaning in the registry. */
export function outcomeError(
  code: NemesisErrorCode,
  message?: string,
  targets: readonly string[] = [],
  details: Readonly<Record<string, JsonValue>> = {},
): NemesisOutcome {
  return { ok: false, value: { targets: [...targets], ...details }, error: nemesisError(code, message) };
}

/** The fields of the history's completion event for an outcome. */
export function outcomeEventFields(outcome: NemesisOutcome): { readonly value: JsonValue; readonly error?: string } {
  if (outcome.ok) return { value: outcome.value };
  const { code, message } = outcome.error;
  const value = outcome.value;
  if (value === null) return { value: { message }, error: code };
  const isRecord = typeof value === 'object' && !Array.isArray(value);
  return {
    value: isRecord ? { ...(value as Readonly<Record<string, JsonValue>>), message } : { requested: value, message },
    error: code,
  };
}

/** A nemesis failure as read back from a history; `code` is free text in histories from before codes. */
export interface NemesisErrorRecorded {
  readonly code: string;
  readonly message: string | null;
}

/** The failure of a nemesis completion event, or null when it took effect. */
export function nemesisErrorRead(event: HistoryEvent): NemesisErrorRecorded | null {
  if (event.error === undefined) return null;
  const value = event.value;
  const message =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Readonly<Record<string, JsonValue>>)['message']
      : undefined;
  return { code: event.error, message: typeof message === 'string' ? message : null };
}

/** One line for summaries: "code: message", or the old free text as it was recorded. */
export function nemesisErrorText(error: NemesisErrorRecorded): string {
  return error.message === null ? error.code : `${error.code}: ${error.message}`;
}
