// Synthetic list-append histories for benchmarks and tests: concurrent
// processes append unique values to per-key lists and read whole lists from a
// simulated linearizable store (each operation takes effect at one instant
// between its invoke and completion), so every generated history is
// linearizable by construction, with lists as long as the history allows.

import { clientProcessOf, type HistoryEvent, type JsonValue, type OpType } from '../../core/history.js';
import { prngCreate, type Prng } from '../../core/prng.js';

export interface ListHistoryOptions {
  readonly operations: number;
  readonly keys: number;
  readonly processes: number;
  /** Probability that an operation ends `info` (half of those took effect, half did not). */
  readonly infoProbability: number;
  /** Probability that an operation is a read of a whole list (the rest append). */
  readonly readProbability: number;
  readonly seed: number;
}

interface Pending {
  readonly key: string;
  readonly f: 'read' | 'append';
  readonly value: JsonValue;
  /** Set when the operation took effect: its ok value. */
  outcome: { readonly value: JsonValue } | null;
}

/** Nanoseconds between two consecutive events of a generated history. */
const eventSpacingNs = 1000;

export function listHistoryGenerate(options: ListHistoryOptions): HistoryEvent[] {
  const prng = prngCreate(options.seed);
  const lists = new Map<string, number[]>();
  const processIds = Array.from({ length: options.processes }, (_, i) => i);
  const pending: (Pending | null)[] = processIds.map(() => null);
  const events: HistoryEvent[] = [];
  const emit = (type: OpType, op: Pending, value: JsonValue, process: number, error?: string): void => {
    const index = events.length;
    events.push({
      index,
      type,
      f: op.f,
      key: op.key,
      value,
      process: clientProcessOf(process),
      time: index * eventSpacingNs,
      ...(error === undefined ? {} : { error }),
    });
  };
  let invoked = 0;
  let open = 0;
  while (invoked < options.operations || open > 0) {
    const slot = prng.int(options.processes);
    const op = pending[slot];
    const process = processIds[slot]!;
    if (op === null || op === undefined) {
      if (invoked >= options.operations) continue;
      const started = operationChoose(prng, options, invoked);
      pending[slot] = started;
      emit('invoke', started, started.value, process);
      invoked++;
      open++;
    } else if (op.outcome === null && !prng.chance(options.infoProbability / 2)) {
      op.outcome = operationApply(op, lists);
    } else {
      if (op.outcome !== null && !prng.chance(options.infoProbability / 2)) {
        emit('ok', op, op.outcome.value, process);
      } else {
        // Either it never took effect, or it did and its answer was lost: the client cannot tell.
        emit('info', op, op.value, process, 'timeout');
        processIds[slot] = process + options.processes;
      }
      pending[slot] = null;
      open--;
    }
  }
  return events;
}

/** Appended values are the operation's serial number, so they are unique in the whole history. */
function operationChoose(prng: Prng, options: ListHistoryOptions, serial: number): Pending {
  const key = String(prng.int(options.keys));
  if (prng.chance(options.readProbability)) return { key, f: 'read', value: null, outcome: null };
  return { key, f: 'append', value: serial, outcome: null };
}

/** A read of a key never written answers nil, as the store does. */
function operationApply(op: Pending, lists: Map<string, number[]>): { value: JsonValue } {
  const list = lists.get(op.key);
  if (op.f === 'read') return { value: list === undefined ? null : list.slice() };
  if (list === undefined) lists.set(op.key, [op.value as number]);
  else list.push(op.value as number);
  return { value: op.value };
}
