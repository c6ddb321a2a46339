// The linearizability search over one partition: Wing & Gong's algorithm with
// Lowe's just-in-time linearization, as Porcupine runs it. Walk the entry list
// from the head; a call whose step is legal and leads to an unseen (linearized
// set, state) configuration is lifted; reaching a return means the operations
// lifted so far cannot be extended, so undo the last lift and try the next call.
//
// Two prunings keep the verdict and cut the configurations explored:
// - A read-only operation (Model.readOnly) that can go next and is legal is
//   lifted at once, as the only choice: any linearization from here can be
//   reordered to start with it (nothing that must precede it is left, and it
//   changes no state). When it leads nowhere, neither does the configuration
//   below it, so backtracking passes over it.
// - An indefinite operation that would leave the state as it is (a read-only
//   one, or a write of the value already held) is never lifted: a
//   linearization that uses it works without it.
// The evidence's logging search (configurations given) prunes neither, so it
// reaches every configuration.

import { assert } from '../../core/assert.js';
import { budgetExpired, budgetMemoryReason, budgetTimeReason, type Budget } from './budget.js';
import type { ConfigurationLog } from './configuration-log.js';
import { EntryList } from './entry-list.js';
import { hashMix } from './json-value.js';
import { liftForced, liftKinds, liftWalk } from './search-pruning.js';
import type { ResumableSearch, SearchOutcome, SearchRequest, LongestPrefix } from './search-types.js';
import { StateCache } from './state-cache.js';
import type { Model } from './types.js';

export type { LongestPrefix, ResumableSearch, SearchOp, SearchOutcome, SearchRequest } from './search-types.js';

/** Loop iterations between two looks at the clock and the memory estimate. */
const budgetCheckEvery = 1024;
/** Walk positions past the entries (negative): the search's end. */
const entryDone = -1;
const entryFailed = -2;
const entryFull = -3;
const entryUnstarted = -4;

export function searchRun<S, I, O>(request: SearchRequest<S, I, O>): SearchOutcome<S> {
  return new PartitionSearch(request).run(request.stepsMax ?? Infinity, request.budget);
}

export function searchCreate<S, I, O>(request: SearchRequest<S, I, O>): ResumableSearch<S> {
  return new PartitionSearch(request);
}

const stepIllegal = 0;
const stepLifted = 1;
const stepFull = 2;
/** A lift would reach a configuration already explored (read-only ops: the one below fails too). */
const stepPresent = 3;

class PartitionSearch<S, I, O> implements ResumableSearch<S> {
  private readonly model: Model<S, I, O>;
  private readonly n: number;
  private readonly inputs: I[];
  private readonly outputs: O[];
  private readonly list: EntryList;
  private readonly cache: StateCache<S>;
  private budget: Budget;
  private readonly configurations: ConfigurationLog<S> | undefined;
  /** Where the walk stands between two calls of run (-4: not started). */
  private entry = entryUnstarted;
  /** cache.size when the current call of run began. */
  private statesBefore = 0;
  /** 1 for an operation that must be linearized (it returned), 0 for an indefinite one. */
  private readonly definite: Uint8Array;
  /** liftWalk, liftForced or liftNever per operation (all liftWalk when configurations are logged). */
  private readonly liftKind: Uint8Array;
  private readonly prune: boolean;
  private readonly definiteTotal: number;
  /** definitePrefix[k]: definite operations among 0..k-1. */
  private readonly definitePrefix: Int32Array;
  /** nextDefinite[k]: the first definite operation at index >= k, or n. */
  private readonly nextDefinite: Int32Array;
  /** Random 32-bit words whose XOR over the linearized set hashes it incrementally (Zobrist). */
  private readonly zobrist: Uint32Array;
  private readonly bits: Uint32Array;
  private zob = 0;
  private state: S;
  private depth = 0;
  private linearizedDefinite = 0;
  private readonly stackOp: Int32Array;
  /** 1 where the lift at that depth was forced (a read-only operation). */
  private readonly stackForced: Uint8Array;
  private readonly stackState: S[] = [];
  /** stackMax[d]: 1 + the highest operation index among the first d lifted, 0 for none. */
  private readonly stackMax: Int32Array;
  private readonly bestOrder: number[] = [];
  private readonly bestStates: S[] = [];
  private bestLength = -1;
  private bestBreaking = -1;
  /** Stack positions below this still hold what bestOrder holds (only the rest is copied on a new best). */
  private lowWater = 0;

  constructor(request: SearchRequest<S, I, O>) {
    const n = request.ops.length;
    this.model = request.model;
    this.n = n;
    this.inputs = request.ops.map((op) => op.input);
    this.outputs = request.ops.map((op) => op.output);
    this.list = new EntryList(request.ops);
    this.cache = new StateCache(request.model, request.budget.memoryBytesMax, n);
    this.budget = request.budget;
    this.configurations = request.configurations;
    this.state = request.init;
    this.definite = new Uint8Array(n);
    this.prune = request.configurations === undefined;
    this.liftKind = liftKinds(request, this.prune);
    this.definitePrefix = new Int32Array(n + 1);
    this.nextDefinite = new Int32Array(n + 1);
    this.zobrist = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      this.definite[i] = request.ops[i]!.ret === Infinity ? 0 : 1;
      this.definitePrefix[i + 1] = this.definitePrefix[i]! + this.definite[i]!;
      this.zobrist[i] = hashMix((Math.imul(i + 1, 0x9e3779b9) ^ 0x7f4a7c15) >>> 0);
    }
    this.nextDefinite[n] = n;
    for (let i = n - 1; i >= 0; i--) this.nextDefinite[i] = this.definite[i] === 1 ? i : this.nextDefinite[i + 1]!;
    this.definiteTotal = this.definitePrefix[n]!;
    this.bits = new Uint32Array(Math.max(1, Math.ceil(n / 32)));
    this.stackOp = new Int32Array(n);
    this.stackForced = new Uint8Array(n);
    this.stackMax = new Int32Array(n + 1);
  }

  run(stepsMax: number, budget: Budget): SearchOutcome<S> {
    this.budget = budget;
    this.statesBefore = this.cache.size;
    if (this.entry === entryUnstarted) {
      this.configurations?.record(0, this.nextDefinite[0]!, this.state);
      if (this.definiteTotal === 0) return this.linearizable();
      this.entry = this.arrive();
    }
    const next = this.list.next;
    const n = this.n;
    const liftKind = this.liftKind;
    let entry = this.entry;
    let steps = 0;
    for (;;) {
      if (++steps % budgetCheckEvery === 0) {
        this.entry = entry;
        if (steps >= stepsMax) return { kind: 'steps', statesExplored: this.statesNew() };
        const stop = this.budgetStop();
        if (stop !== null) return stop;
      }
      if (entry === entryDone) return this.linearizable();
      if (entry === entryFull) return this.memoryStop();
      if (entry === entryFailed) return this.notLinearizable();
      if (entry < n) {
        const step = liftKind[entry] === liftWalk ? this.tryLift(entry, 0) : stepIllegal;
        if (step === stepLifted) entry = this.arrive();
        else if (step === stepFull) return this.memoryStop();
        else entry = next[entry]!;
      } else {
        // Every definite return precedes every indefinite one, so this is a
        // definite operation that the lifted ones leave no room for.
        assert(entry !== this.list.tail, 'the search walked past every return');
        this.recordLongest(entry - n);
        entry = this.backtrack();
      }
    }
  }

  /**
   * After a lift: the entry the walk goes on from, or entryDone, entryFull, or
   * entryFailed (no linearization). Lifts the forced operations first; one that
   * reaches an explored configuration means this one fails too.
   */
  private arrive(): number {
    for (;;) {
      if (this.linearizedDefinite === this.definiteTotal) return entryDone;
      const step = this.prune ? this.liftForcedNext() : stepIllegal;
      if (step === stepFull) return entryFull;
      if (step === stepPresent) return this.backtrack();
      if (step === stepIllegal) return this.list.next[this.list.head]!;
    }
  }

  /** Lifts the first read-only operation that can go next and is legal. */
  private liftForcedNext(): number {
    const next = this.list.next;
    const n = this.n;
    for (let entry = next[this.list.head]!; entry < n; entry = next[entry]!) {
      if (this.liftKind[entry] !== liftForced) continue;
      const step = this.tryLift(entry, 1);
      if (step !== stepIllegal) return step;
    }
    return stepIllegal;
  }

  /** forced: 1 for a read-only operation, whose explored configuration is reported as stepPresent. */
  private tryLift(op: number, forced: number): number {
    const stateNext = this.model.step(this.state, this.inputs[op]!, this.outputs[op]!);
    if (stateNext === undefined) return stepIllegal;
    if (this.prune && this.definite[op] === 0 && this.model.equal(stateNext, this.state)) return stepIllegal;
    const word = op >>> 5;
    const bit = 1 << (op & 31);
    this.bits[word] = this.bits[word]! | bit;
    this.zob = (this.zob ^ this.zobrist[op]!) >>> 0;
    const hash = (this.zob ^ hashMix((this.model.hash(stateNext) ^ 0x9e3779b9) >>> 0)) >>> 0;
    const added = this.cache.add(hash, this.bits, stateNext);
    if (added !== 'added') {
      this.bits[word] = this.bits[word] & ~bit;
      this.zob = (this.zob ^ this.zobrist[op]!) >>> 0;
      if (added === 'full') return stepFull;
      return forced === 1 ? stepPresent : stepIllegal;
    }
    const depth = this.depth;
    this.stackOp[depth] = op;
    this.stackForced[depth] = forced;
    this.stackState[depth] = this.state;
    this.stackMax[depth + 1] = Math.max(this.stackMax[depth]!, op + 1);
    this.depth = depth + 1;
    this.state = stateNext;
    this.list.lift(op);
    this.linearizedDefinite += this.definite[op]!;
    if (this.configurations !== undefined) this.logConfiguration(this.configurations);
    return stepLifted;
  }

  /** Undoes lifts up to the last one not forced; the entry after it, or entryFailed below the root. */
  private backtrack(): number {
    for (;;) {
      if (this.depth === 0) return entryFailed;
      const depth = this.depth - 1;
      const op = this.stackOp[depth]!;
      this.depth = depth;
      this.state = this.stackState[depth]!;
      this.bits[op >>> 5] = this.bits[op >>> 5]! & ~(1 << (op & 31));
      this.zob = (this.zob ^ this.zobrist[op]!) >>> 0;
      this.list.unlift(op);
      this.linearizedDefinite -= this.definite[op]!;
      if (depth < this.lowWater) this.lowWater = depth;
      if (this.stackForced[depth] === 0) return this.list.next[op]!;
    }
  }

  private recordLongest(breaking: number): void {
    const depth = this.depth;
    if (depth <= this.bestLength) return;
    for (let k = this.lowWater; k < depth; k++) {
      this.bestOrder[k] = this.stackOp[k]!;
      this.bestStates[k] = k + 1 < depth ? this.stackState[k + 1]! : this.state;
    }
    this.bestLength = depth;
    this.bestBreaking = breaking;
    this.lowWater = depth;
  }

  /** A configuration precedes window starts lo..hi when all definite ops below lo are linearized. */
  private logConfiguration(log: ConfigurationLog<S>): void {
    const lo = this.stackMax[this.depth]!;
    if (this.linearizedDefinite === this.definitePrefix[lo]) log.record(lo, this.nextDefinite[lo]!, this.state);
  }

  private statesNew(): number {
    return this.cache.size - this.statesBefore;
  }

  bytesHeld(): number {
    return this.cache.bytes() + (this.configurations?.bytes() ?? 0) + this.n * 48;
  }

  private budgetStop(): SearchOutcome<S> | null {
    if (budgetExpired(this.budget)) {
      return {
        kind: 'budget',
        reason: budgetTimeReason(this.budget, this.cache.size),
        statesExplored: this.statesNew(),
      };
    }
    if (this.bytesHeld() > this.budget.memoryBytesMax) return this.memoryStop();
    return null;
  }

  private memoryStop(): SearchOutcome<S> {
    const reason = budgetMemoryReason(this.budget, this.bytesHeld(), this.cache.size);
    return { kind: 'budget', reason, statesExplored: this.statesNew() };
  }

  private linearizable(): SearchOutcome<S> {
    return {
      kind: 'linearizable',
      order: Array.from(this.stackOp.subarray(0, this.depth)),
      statesExplored: this.statesNew(),
    };
  }

  private notLinearizable(): SearchOutcome<S> {
    const longest: LongestPrefix<S> = {
      order: this.bestOrder.slice(0, this.bestLength),
      states: this.bestStates.slice(0, this.bestLength),
      breaking: this.bestBreaking,
    };
    return { kind: 'not-linearizable', longest, statesExplored: this.statesNew() };
  }
}
