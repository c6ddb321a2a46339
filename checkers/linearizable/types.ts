// The types of the linearizability checker: operations with call and return
// positions, models as plain objects a user can add, and the result with the
// evidence a report needs.

import type { Clock } from '../../core/clock.js';
import type { HistoryEvent, JsonValue } from '../../core/history.js';

/** One operation as the search sees it. Positions are event indices in the source history. */
export interface LinOp<I = unknown, O = unknown> {
  readonly id: number;
  readonly process: number;
  readonly call: number;
  /** Infinity for an indefinite operation: it may take effect any time after call, or never. */
  readonly ret: number;
  readonly input: I;
  readonly output: O;
  /** Partition key (P-compositionality); null when the model does not partition. */
  readonly key: string | null;
  readonly invokeIndex: number;
  /** null for an operation that never completed (info, or open at the end). */
  readonly completeIndex: number | null;
}

/** How a model turns one invoke and its completion into an operation, or drops it. */
export type OpConversion<I, O> = { readonly input: I; readonly output: O; readonly key: string | null } | 'drop';

export interface Model<S = unknown, I = unknown, O = unknown> {
  readonly name: string;
  init(): S;
  /** The state after applying (input, output) to state, or undefined when that is illegal. */
  step(state: S, input: I, output: O): S | undefined;
  equal(a: S, b: S): boolean;
  /** A 32-bit hash consistent with equal(). */
  hash(state: S): number;
  /**
   * Build the operation from its invoke and completion (null: never completed,
   * so indefinite). Fail completions come here too: the model says whether a
   * fail carries information (etcd's failed cas) or means "did not happen".
   */
  convert(invoke: HistoryEvent, completion: HistoryEvent | null): OpConversion<I, O>;
  describeOperation(input: I, output: O): string;
  describeState(state: S): string;
  /** How a worker thread builds this model again (set by the model registry); absent: this thread only. */
  readonly origin?: ModelOrigin;
  /** Rough bytes one state holds, for the memory budget; a small constant is assumed when absent. */
  stateBytes?(state: S): number;
  /**
   * True when the operation changes no state: wherever step() allows it, it
   * returns an equal state (a read). The search then linearizes such an
   * operation as soon as it is legal and never tries it later (search.ts).
   * Absent: no operation is taken to be read-only.
   */
  readOnly?(input: I, output: O): boolean;
}

/** A model's name in the registry and the options it was built with. */
export interface ModelOrigin {
  readonly name: string;
  readonly options: { readonly initial?: JsonValue };
}

export interface LinearizabilityOptions {
  readonly timeoutMs: number;
  readonly memoryBytesMax: number;
  /** Check every partition even after one is invalid (default: stop at the first invalid). */
  readonly partitionsAll?: boolean;
  /** Search for the failure's window (the longest prefix comes with the verdict); default true. */
  readonly evidence?: boolean;
  /** Time budget of the evidence phase, which starts when every verdict is in; default timeoutMs. */
  readonly evidenceTimeoutMs?: number;
  /**
   * Worker threads checkLinearizableParallel may use; default: the cores
   * (os.availableParallelism), at most partition-pool.ts's bound. 1: this thread only.
   */
  readonly threads?: number;
  /** The clock the time budget is measured with; a fresh monotonic clock when absent. */
  readonly clock?: Clock;
}

/** Evidence for one key (partition) that cannot be linearized. */
export interface PartitionFailure {
  readonly key: string | null;
  /** Ids of the longest linearizable prefix found, in linearization order. */
  readonly longestPrefix: readonly number[];
  /** Model state after each step of longestPrefix (described). */
  readonly prefixStates: readonly string[];
  /** The operation that could not be linearized after the longest prefix. */
  readonly breakingOp: number | null;
  /** A smallest window of operations (ids) that on its own cannot be linearized. */
  readonly window: readonly number[];
  readonly operations: readonly LinOp[];
  /** The states (described) the window may start from; it fails from each of them. */
  readonly windowStartStates?: readonly string[];
  /** false when the budget ran out before the window could be made minimal (it is then larger). */
  readonly windowMinimal?: boolean;
  /** The op whose completion first makes the partition non-linearizable (the window's last return). */
  readonly windowEndOp?: number;
}

export interface LinearizabilityResult {
  readonly verdict: 'valid' | 'invalid' | 'unknown';
  readonly reason?: string;
  readonly operations: number;
  readonly partitions: number;
  readonly failures: readonly PartitionFailure[];
  /** verdictMs + evidenceMs. */
  readonly elapsedMs: number;
  /** From the start to the last partition's verdict. */
  readonly verdictMs: number;
  /** Building the failures' evidence after the verdict (0 when nothing failed). */
  readonly evidenceMs: number;
  /** Threads the search ran on: 1, or the worker threads of checkLinearizableParallel. */
  readonly threads: number;
  readonly statesExplored: number;
  readonly details?: JsonValue;
}
