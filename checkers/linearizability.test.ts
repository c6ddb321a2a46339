// The linearizability hook on append runs: it decides long histories by list
// order within the run's budget, says so in its summary, and keeps a failing
// key's evidence bounded.

import { describe, expect, test } from 'vitest';
import type { HistoryEvent, JsonValue } from '../core/history.js';
import { linearizabilityChecker } from './linearizability.js';
import { listHistoryGenerate } from './linearizable/list-history-generate.js';
import { contextFor } from './test-support/history-writer.js';

/** One read in four, as the append workload issues them. */
const generated = { operations: 20_000, keys: 4, processes: 16, infoProbability: 0.02, readProbability: 0.25, seed: 5 };

describe('the linearizability hook on append runs', () => {
  const history = listHistoryGenerate(generated);

  test('a long append history is linearizable, every key decided by list order', () => {
    const result = linearizabilityChecker.check(history, contextFor('append'));
    expect(result.verdict).toBe('valid');
    expect(result.summary).toMatch(/^linearizable \(model list-append\): 20000 ops in 4 keys \(4 by list order\)/);
  });

  test('a reordered read is invalid, with a bounded list of described operations', () => {
    const position = history.findLastIndex(
      (event) => event.type === 'ok' && event.f === 'read' && Array.isArray(event.value) && event.value.length > 1000,
    );
    const corrupted: HistoryEvent[] = history.map((event, i) => {
      if (i !== position) return event;
      const values = event.value as readonly JsonValue[];
      return { ...event, value: [...values.slice(0, 500), values[501]!, values[500]!, ...values.slice(502)] };
    });
    const result = linearizabilityChecker.check(corrupted, contextFor('append'));
    expect(result.verdict).toBe('invalid');
    const failure = result.details!.failures[0]!;
    expect(failure.window).toContain(failure.breakingOp);
    expect(failure.operations.map((op) => op.id)).toEqual(expect.arrayContaining([...failure.window]));
    expect(failure.operations.length).toBeLessThanOrEqual(1000);
  });
});
