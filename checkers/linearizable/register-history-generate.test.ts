// Generated register histories are linearizable by construction, the checker
// agrees, and it catches a single read changed to a value never written.

import { describe, expect, test } from 'vitest';
import type { HistoryEvent } from '../../core/history.js';
import { checkLinearizable, modelByName } from './index.js';
import { registerHistoryGenerate } from './register-history-generate.js';

const options = { timeoutMs: 30_000, memoryBytesMax: 512 * 1024 * 1024 };
const generated = { operations: 5000, keys: 10, processes: 16, infoProbability: 0.02 };

describe('generated register histories', () => {
  test.each([1, 2, 3])('seed %i: 5000 operations on 10 keys by 16 processes check as linearizable', (seed) => {
    const history = registerHistoryGenerate({ ...generated, seed });
    expect(history.some((event) => event.type === 'info')).toBe(true);
    const result = checkLinearizable(modelByName('etcd-register')!, history, options);
    expect(result).toMatchObject({ verdict: 'valid', operations: 5000, partitions: 10 });
  });

  test('one read of a value never written makes its key invalid', () => {
    const history = registerHistoryGenerate({ ...generated, seed: 4 });
    const position = history.findLastIndex((event) => event.type === 'ok' && event.f === 'read' && event.key === '3');
    const corrupted: HistoryEvent[] = history.map((event, i) => (i === position ? { ...event, value: 99 } : event));
    const result = checkLinearizable(modelByName('etcd-register')!, corrupted, options);
    expect(result.verdict).toBe('invalid');
    expect(result.failures[0]).toMatchObject({ key: '3', windowMinimal: true });
    const breaking = result.failures[0]!.operations.find((op) => op.id === result.failures[0]!.breakingOp);
    expect(breaking?.completeIndex).toBe(position);
  });
});
