// The evidence for one partition that cannot be linearized, in the shape the
// report draws: the longest linearizable prefix the search found (with the
// state after each step), the operation it could not get past, and the window.

import type { Budget } from './budget.js';
import { textCut } from './json-value.js';
import type { LongestPrefix } from './search.js';
import type { LinOp, Model, PartitionFailure } from './types.js';
import { windowFind } from './window.js';

export interface EvidenceRequest<S, I, O> {
  readonly model: Model<S, I, O>;
  readonly key: string | null;
  /** The partition's operations sorted by call; the search's indices point here. */
  readonly ops: readonly LinOp<I, O>[];
  readonly longest: LongestPrefix<S>;
  readonly budget: Budget;
  /** false: only the longest prefix, no window search. */
  readonly window: boolean;
}

export function partitionFailureBuild<S, I, O>(request: EvidenceRequest<S, I, O>): PartitionFailure {
  const { model, ops, longest } = request;
  const base = {
    key: request.key,
    longestPrefix: longest.order.map((index) => ops[index]!.id),
    prefixStates: longest.states.map((state) => textCut(model.describeState(state))),
    breakingOp: ops[longest.breaking]?.id ?? null,
    operations: ops,
  };
  if (!request.window) return { ...base, window: [], windowMinimal: false };
  const found = windowFind(model, ops, request.budget);
  return {
    ...base,
    window: found.indices.map((index) => ops[index]!.id),
    windowStartStates: found.startStates.map((state) => textCut(model.describeState(state))),
    windowMinimal: found.minimal,
    ...(found.endOp === null ? {} : { windowEndOp: ops[found.endOp]!.id }),
  };
}
