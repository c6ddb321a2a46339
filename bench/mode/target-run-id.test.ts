import { describe, expect, test } from 'vitest';
import { targetRunId } from './target-bench.js';

describe("a target's run id", () => {
  test('takes only the characters container and network names allow', () => {
    expect(targetRunId('bench-A-2026-12-02T07-54-10.326Z', 'quorumlab')).toBe(
      'bench-A-2026-12-02T07-54-10.326Z-quorumlab',
    );
    expect(targetRunId('bench+x', 'etcd')).toBe('bench_x-etcd');
  });

  test('a long one is cut to 63 characters and stays unique', () => {
    const a = targetRunId(`${'n'.repeat(80)}-a`, 'quorumlab');
    const b = targetRunId(`${'n'.repeat(80)}-b`, 'quorumlab');
    expect(a).toHaveLength(63);
    expect(a).not.toBe(b);
  });
});
