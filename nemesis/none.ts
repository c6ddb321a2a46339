// The nemesis that injects nothing: an empty schedule and an empty heal, for
// runs that measure the store undisturbed and as the base case of the loop.

import { AssertionError } from '../core/assert.js';
import { genEmpty } from '../workloads/generator.js';
import type { NemesisCreate, NemesisStep } from './nemesis.js';

export const noneNemesisCreate: NemesisCreate = () => ({
  name: 'none',
  nemesis: {
    name: 'none',
    setup: () => Promise.resolve(),
    invoke: (op) => Promise.reject(new AssertionError(`the none nemesis was asked to perform ${op.f}`)),
    teardown: () => Promise.resolve(),
  },
  generator: genEmpty<NemesisStep>(),
  finalGenerator: genEmpty<NemesisStep>(),
  faultsActive: () => [],
});
