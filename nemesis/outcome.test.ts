import { describe, expect, it } from 'vitest';
import type { HistoryEvent, JsonValue } from '../core/history.js';
import { nemesisError } from './errors.js';
import type { NemesisOutcome } from './nemesis.js';
import { nemesisErrorRead, nemesisErrorText, outcomeError, outcomeEventFields, outcomeOk } from './outcome.js';

function completion(fields: { readonly value: JsonValue; readonly error?: string }): HistoryEvent {
  return { index: 1, type: 'info', f: 'start-kill-node', process: 'nemesis', time: 1000, ...fields };
}

describe('nemesis outcomes in the history', () => {
  it('records a success as its value and no error', () => {
    const fields = outcomeEventFields(outcomeOk(['s00'], { states: { s00: 'stopped' } }));
    expect(fields).toEqual({ value: { targets: ['s00'], states: { s00: 'stopped' } } });
    expect(nemesisErrorRead(completion(fields))).toBeNull();
  });

  it.each<{ name: string; outcome: NemesisOutcome; value: JsonValue }>([
    {
      name: 'a fault failure, its message beside the targets',
      outcome: outcomeError('unknown-target', 's09 is not a node of the cluster', ['s09']),
      value: { targets: ['s09'], message: 's09 is not a node of the cluster' },
    },
    {
      name: 'a timeout of an operation whose value was null',
      outcome: { ok: false, value: null, error: nemesisError('nemesis-timeout', 'no outcome within 60000 ms') },
      value: { message: 'no outcome within 60000 ms' },
    },
  ])('records $name as the code, and reads back code and message', ({ outcome, value }) => {
    const fields = outcomeEventFields(outcome);
    expect(fields.value).toEqual(value);
    const read = nemesisErrorRead(completion(fields));
    expect(read).toEqual(outcome.ok ? null : { code: outcome.error.code, message: outcome.error.message });
  });

  it('reads a failure recorded before codes: the free text is the code, there is no message', () => {
    const read = nemesisErrorRead(completion({ value: { targets: [] }, error: 'unknown-target s09' }));
    expect(read).toEqual({ code: 'unknown-target s09', message: null });
    expect(nemesisErrorText(read!)).toBe('unknown-target s09');
  });

  it('defaults the message to the meaning of the code', () => {
    const outcome = outcomeError('already-active');
    expect(outcome.ok ? null : outcome.error.message).toMatch(/active already/);
  });
});
