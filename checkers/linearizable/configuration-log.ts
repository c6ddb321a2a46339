// The log of configurations an exhaustive search reached, kept only while the
// failure evidence is computed: for each, the range of window starts it can
// precede and its model state (see window.ts for the definition).

/** Assumed bytes of one record besides its (shared) state, for the memory budget. */
const recordBytes = 32;

export class ConfigurationLog<S> {
  /** Smallest window start w: every linearized operation has an index below lo. */
  readonly lo: number[] = [];
  /** Largest window start w: every definite operation below hi is linearized. */
  readonly hi: number[] = [];
  readonly states: S[] = [];

  record(lo: number, hi: number, state: S): void {
    this.lo.push(lo);
    this.hi.push(hi);
    this.states.push(state);
  }

  get size(): number {
    return this.states.length;
  }

  bytes(): number {
    return this.states.length * recordBytes;
  }
}
