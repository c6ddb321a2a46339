// An in-process store that answers at once, with the store's semantics
// (registers, cas, lists): the benchmark of history recording runs against it,
// and so do the interpreter's tests. It can be made flaky: some answers become
// indefinite, with the operation applied or not, as a real store's may be.

import type { ClientResult } from '../cluster/client.js';
import type { StoreValue } from '../cluster/protocol/client-messages.js';
import type { Prng } from '../core/prng.js';
import type { WorkloadClientOpen } from './client.js';
import { completionFromResult } from './outcome.js';
import type { StoreRequest, Workload } from './workload.js';

export interface MemoryStoreOptions {
  /** When set, this fraction of answers is indefinite ('timeout'), the op applied or not by a coin flip. */
  readonly indefiniteProbability?: number;
  readonly prng?: Prng;
}

export function memoryClientOpen(workload: Workload, options: MemoryStoreOptions = {}): WorkloadClientOpen {
  const registers = new Map<string, StoreValue>();
  const lists = new Map<string, StoreValue[]>();
  const flaky = options.indefiniteProbability ?? 0;
  const prng = options.prng;
  const answer = (request: StoreRequest): ClientResult => {
    if (flaky > 0 && prng !== undefined && prng.chance(flaky)) {
      if (prng.chance(0.5)) memoryApply(request, registers, lists);
      return { ok: false, definite: false, code: 'timeout', message: 'simulated timeout' };
    }
    return memoryApply(request, registers, lists);
  };
  return () => ({
    invoke: (op) => Promise.resolve(completionFromResult(workload, op, answer(workload.request(op)))),
    close: () => undefined,
  });
}

function memoryApply(
  request: StoreRequest,
  registers: Map<string, StoreValue>,
  lists: Map<string, StoreValue[]>,
): ClientResult {
  switch (request.t) {
    case 'read':
      return { ok: true, value: registers.get(request.key) ?? null };
    case 'write':
      registers.set(request.key, request.value);
      return { ok: true, value: null };
    case 'cas': {
      const current = registers.get(request.key) ?? null;
      if (current !== request.from)
        return { ok: false, definite: true, code: 'cas-mismatch', message: `current value is ${current}` };
      registers.set(request.key, request.to);
      return { ok: true, value: null };
    }
    case 'append': {
      const list = lists.get(request.key);
      if (list === undefined) lists.set(request.key, [request.value]);
      else list.push(request.value);
      return { ok: true, value: null };
    }
    case 'read-list': {
      const list = lists.get(request.key);
      return { ok: true, value: list === undefined ? null : list.slice() };
    }
    default:
      // Health, promotion and whatever else the protocol grows are not part of a workload.
      return {
        ok: false,
        definite: true,
        code: 'bad-request',
        message: `the in-process store does not serve ${request.t}`,
      };
  }
}
