// One anomaly the checker found, as it reports it: the anomaly's name (Elle's
// names), the operations involved by their history indices, and a sentence a
// person can check against the history by hand.

import type { RelName, TxnHistory } from './txn-types.js';

export interface AnomalyCase {
  readonly type: string;
  /** History indices of the completions involved, in the order the explanation names them. */
  readonly ops: readonly number[];
  readonly explanation: string;
  /** For a cycle: the relation of each step, ops[i] to ops[i + 1], the last step back to ops[0]. */
  readonly rels?: readonly RelName[];
  /** For a `<model>-cycle-exists` proof: the model it rules out. */
  readonly model?: string;
}

/** Prints keys, elements and read lists the way the history wrote them. */
export class HistoryNames {
  constructor(private readonly history: TxnHistory) {}

  key(key: number): string {
    return this.history.keyNames[key] ?? `key#${key}`;
  }

  element(key: number, element: number): string {
    return this.history.elementNames[key]?.[element] ?? `element#${element}`;
  }

  list(key: number, list: readonly number[] | null): string {
    if (list === null) return 'nil';
    return `[${list.map((element) => this.element(key, element)).join(' ')}]`;
  }

  /** "x = [1 2]" */
  read(key: number, list: readonly number[] | null): string {
    return `${this.key(key)} = ${this.list(key, list)}`;
  }
}
