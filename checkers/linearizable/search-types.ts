// The shapes of the linearizability search (search.ts): what it is asked,
// what it answers, and the handle of a search that pauses between rounds.

import type { Budget } from './budget.js';
import type { ConfigurationLog } from './configuration-log.js';
import type { Model } from './types.js';

export interface SearchOp<I, O> {
  readonly call: number;
  /** Infinity: indefinite, may be linearized after its call or never. */
  readonly ret: number;
  readonly input: I;
  readonly output: O;
}

export interface SearchRequest<S, I, O> {
  readonly model: Model<S, I, O>;
  /** Sorted by call position; results speak of operations by their index here. */
  readonly ops: readonly SearchOp<I, O>[];
  readonly init: S;
  readonly budget: Budget;
  /** When given, every configuration reached is logged (failure evidence). */
  readonly configurations?: ConfigurationLog<S>;
  /** Stop with kind 'steps' after about this many loop iterations (a round of check.ts). */
  readonly stepsMax?: number;
}

/** The longest sequence of operations the search linearized, and where it stopped. */
export interface LongestPrefix<S> {
  readonly order: readonly number[];
  /** The model state after each operation of order. */
  readonly states: readonly S[];
  /** The operation whose return the search could not get past after order. */
  readonly breaking: number;
}

export type SearchOutcome<S> =
  | { readonly kind: 'linearizable'; readonly order: readonly number[]; readonly statesExplored: number }
  | { readonly kind: 'not-linearizable'; readonly longest: LongestPrefix<S>; readonly statesExplored: number }
  | { readonly kind: 'budget'; readonly reason: string; readonly statesExplored: number }
  | { readonly kind: 'steps'; readonly statesExplored: number };

/** A search that can stop after a number of steps and go on later from where it stopped. */
export interface ResumableSearch<S> {
  /** Goes on for about stepsMax more steps; statesExplored counts the states this call added. */
  run(stepsMax: number, budget: Budget): SearchOutcome<S>;
  /** Estimated bytes the search holds while it waits to go on. */
  bytesHeld(): number;
}
