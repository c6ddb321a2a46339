// Knossos's compare-and-set register: read, write and cas on one value. A read
// of nil is an unknown read (always legal), a failed operation did not happen,
// and an indefinite one uses its invocation's value.

import type { HistoryEvent, JsonValue } from '../../../core/history.js';
import { jsonDescribe, jsonEqual, jsonHash } from '../json-value.js';
import type { Model, OpConversion } from '../types.js';
import {
  outputUnknown,
  registerInputRead,
  registerOperationDescribe,
  type RegisterInput,
  type RegisterOutput,
} from './register-op.js';

export interface CasRegisterOptions {
  /** The register's value before any operation; Knossos's examples use 0. */
  readonly initial?: JsonValue;
}

export function casRegisterModel(options: CasRegisterOptions = {}): Model<JsonValue, RegisterInput, RegisterOutput> {
  const initial = options.initial === undefined ? 0 : options.initial;
  return {
    name: 'cas-register',
    init: () => initial,
    step: casRegisterStep,
    equal: jsonEqual,
    hash: jsonHash,
    convert: casRegisterConvert,
    describeOperation: registerOperationDescribe,
    describeState: jsonDescribe,
    readOnly: (input) => input.f === 'read',
  };
}

function casRegisterStep(state: JsonValue, input: RegisterInput, output: RegisterOutput): JsonValue | undefined {
  switch (input.f) {
    case 'read':
      if (output.outcome !== 'ok' || output.value === null) return state;
      return jsonEqual(state, output.value) ? state : undefined;
    case 'write':
      return input.value;
    case 'cas':
      return jsonEqual(state, input.from) ? input.to : undefined;
  }
}

function casRegisterConvert(
  invoke: HistoryEvent,
  completion: HistoryEvent | null,
): OpConversion<RegisterInput, RegisterOutput> {
  const key = invoke.key ?? null;
  if (completion === null || completion.type === 'info') {
    return { input: registerInputRead(invoke), output: outputUnknown, key };
  }
  if (completion.type === 'fail') return 'drop';
  // Knossos takes an ok operation's value from its completion (a read's observation).
  const input = registerInputRead({ ...invoke, value: completion.value });
  const output: RegisterOutput =
    input.f === 'read' ? { outcome: 'ok', value: completion.value } : { outcome: 'ok', value: null };
  return { input, output, key };
}
