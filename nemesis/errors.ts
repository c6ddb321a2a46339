// The one registry of error codes a nemesis operation fails with. `definite`
// says whether the operation certainly changed nothing: a definite failure left
// the cluster as it was, any other may have injected or healed part of a fault
// (some nodes killed, some links set), so a checker must not assume either.

export const nemesisErrors = {
  'unknown-fault': { definite: true, meaning: 'the operation names no fault of this run' },
  'already-active': { definite: true, meaning: 'the fault is active already; a start waits for its stop' },
  'unknown-target': {
    definite: true,
    meaning: 'a requested target is not a node of the cluster (or not of that role)',
  },
  'no-running-target': { definite: true, meaning: 'every chosen target is stopped already' },
  'plan-impossible': {
    definite: true,
    meaning: 'the cluster or the requested targets do not allow this fault (too few nodes or AZs, no writer)',
  },
  unavailable: { definite: true, meaning: 'this runtime cannot inject the fault (a kernel without tc netem)' },
  'no-link-backend': { definite: true, meaning: 'this runtime has no way to act on links' },
  'volatile-write-cache-off': {
    definite: true,
    meaning: 'power loss needs storage.volatileWriteCache on, or a kill loses nothing the OS holds',
  },
  'replicas-not-running': { definite: true, meaning: 'corruption needs every storage replica running' },
  'scl-unknown': { definite: true, meaning: 'the replicas could not say what they hold; nothing was damaged' },
  'no-blocks': { definite: true, meaning: 'no stripe every replica holds is old enough to damage yet' },
  'runtime-error': {
    definite: false,
    meaning: 'the runtime failed while the fault acted on nodes (a kill, start, promotion or file change)',
  },
  'links-not-set': { definite: false, meaning: 'the link backend did not take the mode on every link' },
  'links-not-released': { definite: false, meaning: 'the link backend did not give every link back' },
  'damage-not-taken': { definite: false, meaning: 'some damaged blocks still validate; the rest were damaged' },
  'restart-failed': { definite: false, meaning: 'a stopped node would not start again; the fault stays active' },
  'resume-failed': { definite: false, meaning: 'a paused node would not resume; the fault stays active' },
  unrepaired: { definite: false, meaning: 'damaged blocks were not repaired within the wait; the fault stays active' },
  'not-caught-up': {
    definite: false,
    meaning: 'a restarted replica did not catch up with its peers within the wait; the fault stays active',
  },
  'nemesis-timeout': {
    definite: false,
    meaning: 'the operation did not complete within the nemesis deadline; it may still take effect',
  },
  'nemesis-error': { definite: false, meaning: 'the nemesis threw (a bug in it); what it did is unknown' },
} as const satisfies Record<string, { definite: boolean; meaning: string }>;

export type NemesisErrorCode = keyof typeof nemesisErrors;

/** A failed operation: a stable code for checkers and summaries, and a message for people. */
export interface NemesisError {
  readonly code: NemesisErrorCode;
  readonly message: string;
}

export function isNemesisErrorCode(code: string): code is NemesisErrorCode {
  return Object.hasOwn(nemesisErrors, code);
}

export function nemesisError(code: NemesisErrorCode, message: string = nemesisErrors[code].meaning): NemesisError {
  return Object.freeze({ code, message });
}
