// Small transaction patterns that each hold one anomaly, planted into a larger
// (valid) history on keys of their own, so a test can show the checker finds
// every kind of anomaly among thousands of unrelated transactions. Each names
// the consistency token under which it must make the history invalid.

import type { JsonValue } from '../../core/history.js';
import type { Prng } from '../../core/prng.js';

interface PlantedTxn {
  /** Process, offset from the pattern's first process. */
  readonly process: number;
  readonly outcome: 'ok' | 'fail' | 'info';
  /** Micro-ops as completed; the invocation has every read's list as nil. */
  readonly value: readonly (readonly JsonValue[])[];
}

export interface AnomalyPattern {
  readonly anomaly: string;
  readonly consistency: string;
  /** Sequential: each transaction completes before the next is invoked; otherwise all overlap. */
  readonly sequential: boolean;
  readonly txns: readonly PlantedTxn[];
}

const ok = (process: number, ...value: JsonValue[][]): PlantedTxn => ({ process, outcome: 'ok', value });
const failed = (process: number, ...value: JsonValue[][]): PlantedTxn => ({ process, outcome: 'fail', value });

export const anomalyPatterns: readonly AnomalyPattern[] = [
  {
    anomaly: 'G0',
    consistency: 'read-uncommitted',
    sequential: false,
    txns: [
      ok(0, ['append', 'x', 1], ['append', 'y', 1]),
      ok(1, ['append', 'x', 2], ['append', 'y', 2]),
      ok(2, ['r', 'x', [1, 2]]),
      ok(3, ['r', 'y', [2, 1]]),
    ],
  },
  {
    anomaly: 'G1a',
    consistency: 'read-committed',
    sequential: false,
    txns: [failed(0, ['append', 'x', 1]), ok(1, ['r', 'x', [1]])],
  },
  {
    anomaly: 'G1b',
    consistency: 'read-committed',
    sequential: false,
    txns: [ok(0, ['append', 'x', 1], ['append', 'x', 2]), ok(1, ['r', 'x', [1]])],
  },
  {
    anomaly: 'G1c',
    consistency: 'read-committed',
    sequential: false,
    txns: [ok(0, ['append', 'x', 1], ['r', 'y', [1]]), ok(1, ['append', 'y', 1], ['r', 'x', [1]])],
  },
  {
    anomaly: 'G-single-item',
    consistency: 'snapshot-isolation',
    sequential: false,
    txns: [ok(0, ['append', 'x', 1], ['append', 'y', 1]), ok(1, ['r', 'x', []], ['r', 'y', [1]])],
  },
  {
    anomaly: 'G-nonadjacent-item',
    consistency: 'snapshot-isolation',
    sequential: false,
    txns: [
      ok(0, ['r', 'x', []], ['r', 'z', [4]]),
      ok(1, ['append', 'x', 1], ['append', 'y', 2]),
      ok(2, ['r', 'y', [2]], ['r', 'u', []]),
      ok(3, ['append', 'u', 1], ['append', 'z', 4]),
      ok(4, ['r', 'x', [1]], ['r', 'u', [1]]),
    ],
  },
  {
    anomaly: 'G2-item',
    consistency: 'serializable',
    sequential: false,
    txns: [
      ok(0, ['r', 'x', []], ['append', 'y', 1]),
      ok(1, ['r', 'y', []], ['append', 'x', 1]),
      ok(2, ['r', 'x', [1]], ['r', 'y', [1]]),
    ],
  },
  {
    anomaly: 'lost-update',
    consistency: 'cursor-stability',
    sequential: false,
    txns: [
      ok(0, ['append', 'x', 0]),
      ok(1, ['r', 'x', [0]], ['append', 'x', 1]),
      ok(2, ['r', 'x', [0]], ['append', 'x', 2]),
      ok(3, ['r', 'x', [0, 1, 2]]),
    ],
  },
  {
    anomaly: 'internal',
    consistency: 'serializable',
    sequential: false,
    txns: [ok(0, ['append', 'x', 5], ['r', 'x', []])],
  },
  {
    anomaly: 'future-read',
    consistency: 'read-committed',
    sequential: false,
    txns: [ok(0, ['r', 'x', [7]], ['append', 'x', 7])],
  },
  {
    anomaly: 'duplicate-elements',
    consistency: 'read-uncommitted',
    sequential: false,
    txns: [ok(0, ['append', 'x', 1]), ok(1, ['r', 'x', [1, 1]])],
  },
  {
    anomaly: 'incompatible-order',
    consistency: 'read-committed',
    sequential: false,
    txns: [ok(0, ['append', 'x', 1]), ok(1, ['append', 'x', 2]), ok(2, ['r', 'x', [1, 2]]), ok(3, ['r', 'x', [2, 1]])],
  },
  {
    anomaly: 'dirty-update',
    consistency: 'anomalies=dirty-update',
    sequential: false,
    txns: [failed(0, ['append', 'x', 1]), ok(1, ['append', 'x', 2]), ok(2, ['r', 'x', [1, 2]])],
  },
  {
    anomaly: 'G-single-item-realtime',
    consistency: 'strict-serializable',
    sequential: true,
    txns: [ok(0, ['append', 'x', 1]), ok(1, ['append', 'x', 2]), ok(2, ['r', 'x', [1]]), ok(3, ['r', 'x', [1, 2]])],
  },
  {
    anomaly: 'G-single-item-process',
    consistency: 'strong-session-snapshot-isolation',
    sequential: true,
    txns: [ok(0, ['append', 'x', 1]), ok(1, ['append', 'x', 2]), ok(1, ['r', 'x', [1]]), ok(2, ['r', 'x', [1, 2]])],
  },
  {
    anomaly: 'G1c-process',
    consistency: 'strong-session-read-committed',
    sequential: true,
    txns: [ok(0, ['r', 'x', [1]], ['append', 'y', 1]), ok(1, ['r', 'y', [1]]), ok(1, ['append', 'x', 1])],
  },
];

/**
 * `records` with the pattern's operations inserted at a random point, on
 * keys named after the pattern and processes from `processBase` up; indices
 * and times are renumbered in the new order.
 */
export function anomalyPlant(
  records: readonly Record<string, JsonValue>[],
  pattern: AnomalyPattern,
  prng: Prng,
  processBase: number,
): Record<string, JsonValue>[] {
  const rename = (mop: readonly JsonValue[]): JsonValue[] => [
    mop[0]!,
    `${pattern.anomaly}-${JSON.stringify(mop[1] ?? null)}`,
    ...mop.slice(2),
  ];
  const block: Record<string, JsonValue>[] = [];
  const invoke = (txn: PlantedTxn): Record<string, JsonValue> => ({
    type: 'invoke',
    f: 'txn',
    value: txn.value.map((mop) => (mop[0] === 'r' ? [mop[0], rename(mop)[1]!, null] : rename(mop))),
    process: processBase + txn.process,
  });
  const complete = (txn: PlantedTxn): Record<string, JsonValue> => ({
    type: txn.outcome,
    f: 'txn',
    value: txn.outcome === 'ok' ? txn.value.map(rename) : (invoke(txn)['value'] ?? null),
    process: processBase + txn.process,
  });
  if (pattern.sequential) {
    for (const txn of pattern.txns) block.push(invoke(txn), complete(txn));
  } else {
    block.push(...pattern.txns.map(invoke), ...pattern.txns.map(complete));
  }
  const at = prng.int(records.length + 1);
  const merged = [...records.slice(0, at), ...block, ...records.slice(at)];
  return merged.map((record, index) => ({ ...record, index, time: index * 1000 }));
}
