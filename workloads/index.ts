// The workload registry: a workload by name, with its defaults.

import { assertNever } from '../core/assert.js';
import { appendWorkload } from './append.js';
import { registerWorkload } from './register.js';
import { setWorkload } from './set.js';
import type { Workload, WorkloadName, WorkloadOptions } from './workload.js';

/** Keys per workload when --keys is not given: a few registers or lists keep contention high; one set, as Jepsen's set-full. */
export const workloadKeyCountDefault: Readonly<Record<WorkloadName, number>> = { register: 5, append: 5, set: 1 };

export function workloadCreate(name: WorkloadName, options: WorkloadOptions): Workload {
  switch (name) {
    case 'register':
      return registerWorkload(options);
    case 'append':
      return appendWorkload(options);
    case 'set':
      return setWorkload(options);
    default:
      return assertNever(name, 'workload');
  }
}
