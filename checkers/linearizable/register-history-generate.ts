// Synthetic register histories for benchmarks and tests: concurrent processes
// run read / write / cas against a simulated linearizable store (each
// operation takes effect at one instant between its invoke and completion), so
// every generated history is linearizable by construction.

import { clientProcessOf, type HistoryEvent, type JsonValue, type OpType } from '../../core/history.js';
import { prngCreate, type Prng } from '../../core/prng.js';

export interface RegisterHistoryOptions {
  readonly operations: number;
  readonly keys: number;
  readonly processes: number;
  /** Probability that an operation ends `info` (half of those took effect, half did not). */
  readonly infoProbability: number;
  readonly seed: number;
  /** Values written and compared are drawn from 0..valuesMax-1. */
  readonly valuesMax?: number;
}

interface Pending {
  readonly key: string;
  readonly f: 'read' | 'write' | 'cas';
  readonly value: JsonValue;
  /** Set when the operation took effect: its completion type and value. */
  outcome: { readonly type: OpType; readonly value: JsonValue } | null;
}

/** Nanoseconds between two consecutive events of a generated history. */
const eventSpacingNs = 1000;

export function registerHistoryGenerate(options: RegisterHistoryOptions): HistoryEvent[] {
  const prng = prngCreate(options.seed);
  const valuesMax = options.valuesMax ?? 5;
  const registers = new Map<string, JsonValue>();
  const processIds = Array.from({ length: options.processes }, (_, i) => i);
  const pending: (Pending | null)[] = processIds.map(() => null);
  const events: HistoryEvent[] = [];
  const emit = (type: OpType, f: string, key: string, value: JsonValue, process: number, error?: string): void => {
    const index = events.length;
    events.push({
      index,
      type,
      f,
      key,
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
      const invoke = operationChoose(prng, options.keys, valuesMax, registers);
      pending[slot] = { ...invoke, outcome: null };
      emit('invoke', invoke.f, invoke.key, invoke.value, process);
      invoked++;
      open++;
    } else if (op.outcome === null && !prng.chance(options.infoProbability / 2)) {
      op.outcome = operationApply(op, registers);
    } else {
      if (op.outcome !== null && !prng.chance(options.infoProbability / 2)) {
        emit(op.outcome.type, op.f, op.key, op.outcome.value, process);
      } else {
        // Either it never took effect, or it did and its answer was lost: the client cannot tell.
        emit('info', op.f, op.key, op.value, process, 'timeout');
        processIds[slot] = process + options.processes;
      }
      pending[slot] = null;
      open--;
    }
  }
  return events;
}

function operationChoose(
  prng: Prng,
  keys: number,
  valuesMax: number,
  registers: Map<string, JsonValue>,
): Omit<Pending, 'outcome'> {
  const key = String(prng.int(keys));
  const roll = prng.next();
  if (roll < 0.5) return { key, f: 'read', value: null };
  if (roll < 0.8) return { key, f: 'write', value: prng.int(valuesMax) };
  const from = prng.chance(0.5) ? (registers.get(key) ?? null) : prng.int(valuesMax);
  return { key, f: 'cas', value: [from, prng.int(valuesMax)] };
}

function operationApply(op: Pending, registers: Map<string, JsonValue>): { type: OpType; value: JsonValue } {
  const current = registers.get(op.key) ?? null;
  switch (op.f) {
    case 'read':
      return { type: 'ok', value: current };
    case 'write':
      registers.set(op.key, op.value);
      return { type: 'ok', value: op.value };
    case 'cas': {
      const [from, to] = op.value as readonly JsonValue[];
      if (current !== from) return { type: 'fail', value: op.value };
      registers.set(op.key, to ?? null);
      return { type: 'ok', value: op.value };
    }
  }
}
