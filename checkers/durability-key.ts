// What the durability checker finds about one key: the problems that prove a
// violation, each pointing at the operations that prove it, and the figures.
// The append and register analyses both produce this shape.

import type { JsonValue } from '../core/history.js';

export type DurabilityProblemKind =
  /** An acknowledged write or append is missing from the final state. */
  | 'lost'
  /** A read returned a value no operation ever sent. */
  | 'corrupted'
  /** A read returned a value whose write definitely failed. */
  | 'failed-present'
  /** One read of a list holds the same unique element twice. */
  | 'duplicated'
  /** The final reads of one key disagree (not prefixes of one list, or different register values). */
  | 'final-reads-disagree'
  /** An earlier read of a list is not a prefix of the final list: the order changed or an element vanished. */
  | 'read-not-prefix';

export const durabilityProblemKinds: readonly DurabilityProblemKind[] = [
  'lost',
  'corrupted',
  'failed-present',
  'duplicated',
  'final-reads-disagree',
  'read-not-prefix',
];

export type DurabilityProblem = {
  readonly kind: DurabilityProblemKind;
  readonly key: string;
  readonly value: JsonValue;
  /** History index of the completion that acknowledged the value (or of the invocation that sent it), when one exists. */
  readonly opIndex: number | null;
  /** History index of the read completion that proves the problem. */
  readonly readIndex: number | null;
  readonly message: string;
};

export type DurabilityKeyReport = {
  readonly key: string;
  /** History index of the final read used; null when the key has no final read (unknown). */
  readonly finalReadIndex: number | null;
  /** Acknowledged (ok) writes or appends. */
  readonly ackedCount: number;
  /** Values from `info` or unfinished operations present in the final state: fine, they may have happened. */
  readonly infoPresentCount: number;
  readonly problems: readonly DurabilityProblem[];
};
