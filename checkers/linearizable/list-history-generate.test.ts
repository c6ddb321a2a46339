// A generated append history of 100k operations with long lists is decided
// by the list-order check, where the general search would run out of budget:
// linearizable as generated, and invalid once one read is reordered or one
// acknowledged append is lost.

import { beforeAll, describe, expect, test } from 'vitest';
import type { HistoryEvent, JsonValue } from '../../core/history.js';
import { checkLinearizable, modelByName } from './index.js';
import { listHistoryGenerate } from './list-history-generate.js';

const options = { timeoutMs: 30_000, memoryBytesMax: 512 * 1024 * 1024 };
const generated = {
  operations: 100_000,
  keys: 10,
  processes: 16,
  infoProbability: 0.02,
  readProbability: 0.05,
  seed: 1,
};

describe('a generated append history of 100k operations', () => {
  let history: HistoryEvent[] = [];
  beforeAll(() => {
    history = listHistoryGenerate(generated);
  });

  test('has info operations and lists thousands of values long, and checks as linearizable', () => {
    expect(history.some((event) => event.type === 'info')).toBe(true);
    const longest = history.reduce(
      (most, event) => (event.type === 'ok' && Array.isArray(event.value) ? Math.max(most, event.value.length) : most),
      0,
    );
    expect(longest).toBeGreaterThan(5000);
    const result = checkLinearizable(modelByName('list-append')!, history, options);
    expect(result).toMatchObject({ verdict: 'valid', operations: 100_000, partitions: 10 });
    expect(result.details).toMatchObject({ partitions: Array.from({ length: 10 }, () => ({ method: 'list-order' })) });
  });

  test('one read with two values swapped makes its key invalid, and that read breaks it', () => {
    const reads = readPositions(history, '3');
    const position = reads[Math.floor(reads.length / 2)]!;
    const corrupted = eventsReplaced(history, [position], (values) => [values[1]!, values[0]!, ...values.slice(2)]);
    const result = checkLinearizable(modelByName('list-append')!, corrupted, options);
    expect(result.verdict).toBe('invalid');
    const [failure] = result.failures;
    expect(failure?.key).toBe('3');
    expect(failure?.operations.find((op) => op.id === failure.breakingOp)?.completeIndex).toBe(position);
  });

  test('an acknowledged append that no later read shows makes its key invalid, and that append breaks it', () => {
    const append = history.findIndex(
      (event, i) => i > history.length / 4 && event.type === 'ok' && event.f === 'append' && event.key === '5',
    );
    const lost = history[append]!.value;
    const corrupted = eventsReplaced(history, readPositions(history, '5'), (values) =>
      values.filter((value) => value !== lost),
    );
    const result = checkLinearizable(modelByName('list-append')!, corrupted, options);
    expect(result.verdict).toBe('invalid');
    const [failure] = result.failures;
    expect(failure?.key).toBe('5');
    expect(failure?.operations.find((op) => op.id === failure.breakingOp)?.completeIndex).toBe(append);
  });
});

/** Positions of the ok reads of a key that saw at least two values. */
function readPositions(history: readonly HistoryEvent[], key: string): number[] {
  return history.flatMap((event, i) =>
    event.type === 'ok' &&
    event.f === 'read' &&
    event.key === key &&
    Array.isArray(event.value) &&
    event.value.length >= 2
      ? [i]
      : [],
  );
}

function eventsReplaced(
  history: readonly HistoryEvent[],
  positions: readonly number[],
  change: (values: readonly JsonValue[]) => JsonValue[],
): HistoryEvent[] {
  const changed = new Set(positions);
  return history.map((event, i) =>
    changed.has(i) ? { ...event, value: change(event.value as readonly JsonValue[]) } : event,
  );
}
