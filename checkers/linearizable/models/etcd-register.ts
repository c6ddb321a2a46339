// Porcupine's etcd register: like the cas register, but the value starts nil, a
// read of nil means "no value yet", and a failed cas is an operation that saw a
// different value. A failed (timed-out) read is a read whose result is unknown.

import type { HistoryEvent, JsonValue } from '../../../core/history.js';
import { jsonDescribe, jsonEqual, jsonHash } from '../json-value.js';
import type { Model, OpConversion } from '../types.js';
import {
  outputFail,
  outputUnknown,
  registerInputRead,
  registerOperationDescribe,
  type RegisterInput,
  type RegisterOutput,
} from './register-op.js';

/** The store's error code for a cas whose comparison failed (cluster/protocol/errors.ts). */
const casMismatch = 'cas-mismatch';

export interface EtcdRegisterOptions {
  /** The value before any operation; nil (no key) unless given. */
  readonly initial?: JsonValue;
}

export function etcdRegisterModel(options: EtcdRegisterOptions = {}): Model<JsonValue, RegisterInput, RegisterOutput> {
  const initial = options.initial === undefined ? null : options.initial;
  return {
    name: 'etcd-register',
    init: () => initial,
    step: etcdRegisterStep,
    equal: jsonEqual,
    hash: jsonHash,
    convert: etcdRegisterConvert,
    describeOperation: registerOperationDescribe,
    describeState: jsonDescribe,
    // A failed cas saw a different value and changed nothing.
    readOnly: (input, output) => input.f === 'read' || (input.f === 'cas' && output.outcome === 'fail'),
  };
}

function etcdRegisterStep(state: JsonValue, input: RegisterInput, output: RegisterOutput): JsonValue | undefined {
  switch (input.f) {
    case 'read':
      if (output.outcome !== 'ok') return state;
      return jsonEqual(state, output.value) ? state : undefined;
    case 'write':
      return input.value;
    case 'cas': {
      const matches = jsonEqual(state, input.from);
      switch (output.outcome) {
        case 'ok':
          return matches ? input.to : undefined;
        case 'fail':
          return matches ? undefined : state;
        case 'unknown':
          return matches ? input.to : state;
      }
    }
  }
}

function etcdRegisterConvert(
  invoke: HistoryEvent,
  completion: HistoryEvent | null,
): OpConversion<RegisterInput, RegisterOutput> {
  const key = invoke.key ?? null;
  const input = registerInputRead(invoke);
  if (completion === null || completion.type === 'info') return { input, output: outputUnknown, key };
  if (completion.type === 'fail') {
    switch (input.f) {
      case 'read':
        return { input, output: outputUnknown, key };
      case 'cas':
        // A failed cas is information only when the comparison failed (Porcupine's
        // logs carry no error; our store says cas-mismatch). Any other definite
        // error means the cas was never attempted.
        return completion.error === undefined || completion.error === casMismatch
          ? { input, output: outputFail, key }
          : 'drop';
      case 'write':
        return 'drop';
    }
  }
  const output: RegisterOutput = { outcome: 'ok', value: input.f === 'read' ? completion.value : null };
  return { input, output, key };
}
