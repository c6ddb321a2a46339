// Turns the store client's result into a history completion. An uncertain
// outcome is not a failure: only errors the store marks definite become `fail`;
// a timeout, a cut connection or an indefinite error is `info` for anything
// that changes state, and `fail` for a read, because a read changes nothing.

import type { ClientResult } from '../cluster/client.js';
import type { ClientOp, Completion } from './op.js';
import type { Workload } from './workload.js';

export function completionFromResult(workload: Workload, op: ClientOp, result: ClientResult): Completion {
  if (result.ok) return { type: 'ok', value: workload.okValue(op, result.value) };
  if (result.definite || op.f === 'read') return { type: 'fail', value: op.value, error: result.code };
  return { type: 'info', value: op.value, error: result.code };
}
