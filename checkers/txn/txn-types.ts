// The shapes every part of the transactional (list-append) checker shares: a
// transaction as its micro-operations over interned keys and elements, and the
// dependency relations between transactions as bits of one mask.

/** What became of a transaction: committed, certainly not committed, or unknown. */
export type TxnOutcome = 'ok' | 'fail' | 'info';

/** An append of element `element` (an id local to the key) to the list under key `key`. */
export interface AppendMop {
  readonly f: 'append';
  readonly key: number;
  readonly element: number;
}

/** A read of the whole list under `key`: element ids in order, or null for nil (never written, or unknown). */
export interface ReadMop {
  readonly f: 'r';
  readonly key: number;
  readonly list: readonly number[] | null;
}

export type Mop = AppendMop | ReadMop;

/** One transaction: an invocation and its completion, paired by process. */
export interface Txn {
  /** Dense id, 0-based, in completion order. */
  readonly id: number;
  readonly outcome: TxnOutcome;
  readonly process: number;
  /** The history's :index of the invocation and of the completion (file position when it has none). */
  readonly invokeIndex: number;
  readonly completeIndex: number;
  /** Positions in the file, for realtime order (file order is authoritative). */
  readonly invokePosition: number;
  readonly completePosition: number;
  readonly mops: readonly Mop[];
}

/** The keys and elements of a history, interned; `keyNames` and `elementNames` are for people. */
export interface TxnHistory {
  readonly txns: readonly Txn[];
  readonly keyNames: readonly string[];
  /** Per key, the printed form of each element id. */
  readonly elementNames: readonly (readonly string[])[];
  /** Events read, and events left out because their process was not an integer. */
  readonly events: number;
  readonly eventsDropped: number;
}

/** Dependency relations, one bit each, so an edge can carry several. */
export const rel = {
  ww: 1,
  wr: 2,
  rw: 4,
  process: 8,
  realtime: 16,
} as const;

export type RelName = keyof typeof rel;

export const relNames: readonly RelName[] = ['ww', 'wr', 'rw', 'process', 'realtime'];

export const relData = rel.ww | rel.wr | rel.rw;

/** The one relation a person is told about for an edge: data dependencies first, ww before wr before rw. */
export function relExplained(mask: number): RelName | null {
  for (const name of relNames) if ((mask & rel[name]) !== 0) return name;
  return null;
}

/** The printed name of a transaction in explanations: its completion's index. */
export function txnName(txn: Txn): string {
  return `T${txn.completeIndex}`;
}
