// Reads a list-append transactional history: Jepsen EDN (a vector of op maps,
// or a stream of maps) or our history.jsonl, where each op's value is a list
// of micro-ops [append k e] / [r k list] (a read may leave the list out). Ops
// whose process is not an integer are dropped first, as Elle does; each
// invocation is paired with the next completion of its process.

import type { JsonValue } from '../../core/history.js';
import { ednRead } from '../../results/formats/edn-reader.js';
import type { Mop, Txn, TxnHistory, TxnOutcome } from './txn-types.js';

export type TxnHistoryFormat = 'edn' | 'jsonl';

export type TxnHistoryRead =
  { readonly ok: true; readonly history: TxnHistory } | { readonly ok: false; readonly error: string };

type RawRecord = Readonly<Record<string, JsonValue>>;

export function txnHistoryRead(text: string, format: TxnHistoryFormat): TxnHistoryRead {
  if (format === 'jsonl') {
    try {
      return txnHistoryFromRecords(jsonlRecords(text));
    } catch (error) {
      if (error instanceof RecordError) return { ok: false, error: error.message };
      throw error;
    }
  }
  const read = ednRead(text);
  if (!read.ok) return { ok: false, error: `line ${read.error.line}: ${read.error.message}` };
  const [first] = read.forms;
  if (read.forms.length === 1 && first !== undefined && Array.isArray(first.value)) {
    return txnHistoryFromRecords(first.value as readonly JsonValue[]);
  }
  return txnHistoryFromRecords(read.forms.map((form) => form.value));
}

/** A line of history.jsonl that is not JSON. */
class RecordError extends Error {}

/**
 * The lines of history.jsonl, parsed one at a time as they are consumed, so a
 * long history never holds all its raw records at once.
 */
function* jsonlRecords(text: string): Generator<JsonValue> {
  let start = 0;
  for (let lineNumber = 1; start < text.length; lineNumber++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let value: JsonValue;
    try {
      value = JSON.parse(line) as JsonValue;
    } catch (error) {
      // A crash mid-write leaves a partial last line; everything before it stands.
      if (newline === -1) return;
      throw new RecordError(`line ${lineNumber}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    yield value;
  }
}

/** Interns keys and elements by value, so [:anti 5], 5 and :x are all told apart. */
class Interner {
  readonly keyNames: string[] = [];
  readonly elementNames: string[][] = [];
  private readonly keyIds = new Map<string | number, number>();
  private readonly elementIds: Map<string | number, number>[] = [];

  key(value: JsonValue): number {
    const canonical = canonicalOf(value);
    let id = this.keyIds.get(canonical);
    if (id === undefined) {
      id = this.keyNames.length;
      this.keyIds.set(canonical, id);
      this.keyNames.push(valueShow(value));
      this.elementNames.push([]);
      this.elementIds.push(new Map());
    }
    return id;
  }

  element(key: number, value: JsonValue): number {
    const ids = this.elementIds[key];
    const names = this.elementNames[key];
    if (ids === undefined || names === undefined) throw new Error(`key ${key} was never interned`);
    const canonical = canonicalOf(value);
    let id = ids.get(canonical);
    if (id === undefined) {
      id = names.length;
      ids.set(canonical, id);
      names.push(valueShow(value));
    }
    return id;
  }
}

function canonicalOf(value: JsonValue): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  return `\u0000${JSON.stringify(value)}`;
}

/** A key or element as a person reads it: strings bare (they were keywords in EDN), the rest as JSON. */
export function valueShow(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

interface Pending {
  readonly record: RawRecord;
  readonly index: number;
  readonly position: number;
}

export function txnHistoryFromRecords(records: Iterable<JsonValue>): TxnHistoryRead {
  const interner = new Interner();
  const txns: Txn[] = [];
  const pending = new Map<number, Pending[]>();
  let dropped = 0;
  let position = -1;
  for (const raw of records) {
    position++;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { ok: false, error: `record ${position + 1}: expected an operation map, got ${JSON.stringify(raw)}` };
    }
    const record = raw as RawRecord;
    const process = record['process'];
    if (typeof process !== 'number' || !Number.isInteger(process)) {
      dropped++;
      continue;
    }
    const fileIndex = record['index'];
    const index = typeof fileIndex === 'number' && Number.isInteger(fileIndex) ? fileIndex : position;
    const type = record['type'];
    if (type === 'invoke') {
      const queue = pending.get(process) ?? [];
      queue.push({ record, index, position });
      pending.set(process, queue);
      continue;
    }
    if (type !== 'ok' && type !== 'fail' && type !== 'info') {
      return {
        ok: false,
        error: `record ${position + 1}: :type must be invoke, ok, fail or info, got ${JSON.stringify(type)}`,
      };
    }
    const invocation = pending.get(process)?.shift() ?? null;
    const built = txnBuild(interner, txns.length, type, process, invocation, { record, index, position });
    if (!built.ok) return built;
    txns.push(built.txn);
  }
  // An invocation that never completed may or may not have taken effect.
  const open = [...pending.values()].flat().sort((a, b) => a.position - b.position);
  for (const invocation of open) {
    const process = invocation.record['process'] as number;
    const built = txnBuild(interner, txns.length, 'info', process, invocation, null);
    if (!built.ok) return built;
    txns.push(built.txn);
  }
  const history: TxnHistory = {
    txns,
    keyNames: interner.keyNames,
    elementNames: interner.elementNames,
    events: position + 1,
    eventsDropped: dropped,
  };
  return { ok: true, history };
}

type TxnBuilt = { readonly ok: true; readonly txn: Txn } | { readonly ok: false; readonly error: string };

function txnBuild(
  interner: Interner,
  id: number,
  outcome: TxnOutcome,
  process: number,
  invocation: Pending | null,
  completion: Pending | null,
): TxnBuilt {
  // The completion is the truth for ok; fail and info carry what was invoked, which their completion repeats.
  // Taking the completion's whenever it has one keeps each value right even where a process overlaps itself.
  const source = Array.isArray(completion?.record['value']) ? completion : (invocation ?? completion);
  if (source === null) throw new Error('a transaction needs an invocation or a completion');
  const mops = mopsParse(interner, source.record['value']);
  if (!mops.ok) return { ok: false, error: `record ${source.position + 1}: ${mops.error}` };
  const start = invocation ?? completion;
  if (start === null) throw new Error('a transaction needs an invocation or a completion');
  return {
    ok: true,
    txn: {
      id,
      outcome,
      process,
      invokeIndex: start.index,
      completeIndex: completion?.index ?? start.index,
      invokePosition: start.position,
      completePosition: completion?.position ?? Number.POSITIVE_INFINITY,
      mops: mops.mops,
    },
  };
}

type MopsParse = { readonly ok: true; readonly mops: readonly Mop[] } | { readonly ok: false; readonly error: string };

function mopsParse(interner: Interner, value: JsonValue | undefined): MopsParse {
  if (!Array.isArray(value))
    return { ok: false, error: `:value must be a list of micro-ops, got ${JSON.stringify(value)}` };
  const mops: Mop[] = [];
  for (const raw of value as readonly JsonValue[]) {
    if (!Array.isArray(raw)) return { ok: false, error: `a micro-op must be [f k v], got ${JSON.stringify(raw)}` };
    const [f, k, v] = raw as readonly JsonValue[];
    if (k === undefined) return { ok: false, error: `micro-op ${JSON.stringify(raw)} has no key` };
    if (f === 'append') {
      if (v === undefined) return { ok: false, error: `append ${JSON.stringify(raw)} has no element` };
      const key = interner.key(k);
      mops.push({ f: 'append', key, element: interner.element(key, v) });
    } else if (f === 'r') {
      // A two-element read [r k] is a read of nil.
      if (v !== undefined && v !== null && !Array.isArray(v)) {
        return { ok: false, error: `read ${JSON.stringify(raw)} must carry a list or nil` };
      }
      const key = interner.key(k);
      const list =
        v === undefined || v === null ? null : (v as readonly JsonValue[]).map((e) => interner.element(key, e));
      mops.push({ f: 'r', key, list });
    } else {
      return {
        ok: false,
        error: `micro-op ${JSON.stringify(raw)}: a list-append history has only append and r micro-ops`,
      };
    }
  }
  return { ok: true, mops };
}
