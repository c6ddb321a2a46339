// Which operations the search tries in its walk, which it lifts as soon as
// they are legal, and which it never lifts (the prunings described in search.ts).

import type { SearchRequest } from './search-types.js';

/** Per operation: tried in the walk, lifted as soon as legal, or never lifted. */
export const liftWalk = 0;
export const liftForced = 1;
const liftNever = 2;

/** Each operation's liftKind; without pruning, every one is tried in the walk. */
export function liftKinds<S, I, O>(request: SearchRequest<S, I, O>, prune: boolean): Uint8Array {
  const kinds = new Uint8Array(request.ops.length);
  const model = request.model;
  if (!prune || model.readOnly === undefined) return kinds;
  request.ops.forEach((op, i) => {
    if (model.readOnly?.(op.input, op.output) === true) kinds[i] = op.ret === Infinity ? liftNever : liftForced;
  });
  return kinds;
}
