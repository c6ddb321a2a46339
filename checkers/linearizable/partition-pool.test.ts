// The verdict phase on several threads (partition-pool.ts) against the same
// check on one thread: the same verdict, partitions and failures in the same
// order, on random and generated multi-key histories; and the evidence phase
// after the verdict, with its own budget, or skipped. Needs the built
// dist/ (the worker threads run dist/checkers/linearizable/partition-worker.js).

import { describe, expect, test } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../../core/history.js';
import { prngCreate } from '../../core/prng.js';
import { clockCreate } from '../../core/clock.js';
import { budgetCreate } from './budget.js';
import { checkLinearizable, checkLinearizableParallel, historyToOperations, modelByName } from './index.js';
import { searchCreate, searchRun } from './search.js';
import { registerHistoryGenerate } from './register-history-generate.js';
import { randomHistory, registerVocabulary, kvVocabulary, type Vocabulary } from './test-support/random-history.js';

const options = { timeoutMs: 20_000, memoryBytesMax: 256 * 1024 * 1024 };
const historiesPerModel = 20;
const keysPerHistory = 5;

/** Random histories of one key each, given keys k0..k(n-1) and their own processes, one after another. */
function multiKeyHistory(seed: number, vocabulary: Vocabulary): HistoryEvent[] {
  const prng = prngCreate(seed);
  const events: HistoryEvent[] = [];
  for (let k = 0; k < keysPerHistory; k++) {
    const part = randomHistory(prng, vocabulary, {
      operations: 8,
      processes: 3,
      failProbability: 0.1,
      infoProbability: 0.1,
    });
    for (const event of part) {
      const process = typeof event.process === 'number' ? clientProcessOf(event.process + k * 1000) : event.process;
      events.push({ ...event, index: events.length, time: events.length, key: `k${k}`, process });
    }
  }
  return events;
}

/** What must not depend on the threads: verdicts, and which keys fail, key by key in order. */
function verdictsOf(result: Awaited<ReturnType<typeof checkLinearizableParallel>>): unknown {
  const partitions = (result.details as { partitions: { key: string; verdict: string }[] }).partitions;
  return {
    verdict: result.verdict,
    partitions: partitions.map((partition) => [partition.key, partition.verdict]),
    failures: result.failures.map((failure) => [failure.key, failure.breakingOp, failure.window]),
  };
}

describe('partitions on worker threads', () => {
  test.each([
    ['etcd-register', registerVocabulary],
    ['kv-append', kvVocabulary],
  ] as const)(
    '%s: random multi-key histories get the same verdicts on 2 threads as on one',
    async (name, vocabulary) => {
      const model = modelByName(name)!;
      const seen = new Set<string>();
      for (let seed = 1; seed <= historiesPerModel; seed++) {
        const events = multiKeyHistory(seed, vocabulary);
        const all = { ...options, partitionsAll: true };
        const one = checkLinearizable(model, events, all);
        const two = await checkLinearizableParallel(model, events, { ...all, threads: 2 });
        expect(two.threads, `seed ${seed}`).toBe(2);
        expect(verdictsOf(two), `seed ${seed}`).toEqual(verdictsOf(one));
        for (const partition of (one.details as { partitions: { verdict: string }[] }).partitions)
          seen.add(partition.verdict);
      }
      // The keys must be of both kinds for the comparison to mean anything.
      expect([...seen].sort()).toEqual(['invalid', 'valid']);
    },
  );

  test('a generated 20,000-operation history on 10 keys is valid on 2 threads, each key searched', async () => {
    const events = registerHistoryGenerate({
      operations: 20_000,
      keys: 10,
      processes: 16,
      infoProbability: 0.02,
      seed: 7,
    });
    const model = modelByName('etcd-register')!;
    const result = await checkLinearizableParallel(model, events, { ...options, threads: 2 });
    expect(result).toMatchObject({ verdict: 'valid', partitions: 10, threads: 2 });
    expect(verdictsOf(result)).toEqual(verdictsOf(checkLinearizable(model, events, options)));
  });

  test('one read of a value never written fails its key on 2 threads as on one', async () => {
    const events = registerHistoryGenerate({
      operations: 5000,
      keys: 10,
      processes: 16,
      infoProbability: 0.02,
      seed: 3,
    });
    const at = events.findIndex((event) => event.type === 'ok' && event.f === 'read' && event.key === '4');
    const broken = events.map((event, index) => (index === at ? { ...event, value: 999_999 } : event));
    const model = modelByName('etcd-register')!;
    const two = await checkLinearizableParallel(model, broken, { ...options, threads: 2 });
    expect(two.verdict).toBe('invalid');
    expect(two.failures.map((failure) => failure.key)).toEqual(['4']);
    expect(checkLinearizable(model, broken, options).failures.map((failure) => failure.key)).toEqual(['4']);
  });

  test('a single-key or small history stays on this thread unless threads are asked for', async () => {
    const model = modelByName('etcd-register')!;
    const small = multiKeyHistory(5, registerVocabulary);
    expect((await checkLinearizableParallel(model, small, options)).threads).toBe(1);
    const oneKey = registerHistoryGenerate({ operations: 5000, keys: 1, processes: 8, infoProbability: 0, seed: 2 });
    expect((await checkLinearizableParallel(model, oneKey, { ...options, threads: 2 })).threads).toBe(1);
  });
});

describe('a search resumed round after round', () => {
  test('reaches the verdict of one uninterrupted run, on 100 random kv-append histories', () => {
    const prng = prngCreate(99);
    const model = modelByName('kv-append')!;
    const budget = budgetCreate(clockCreate(), 10_000, 64 * 1024 * 1024);
    let resumed = 0;
    for (let i = 0; i < 100; i++) {
      const events = randomHistory(prng, kvVocabulary, {
        operations: 14,
        processes: 6,
        failProbability: 0,
        infoProbability: 0.1,
      });
      const ops = historyToOperations(model, events);
      const whole = searchRun({ model, ops, init: model.init(), budget }).kind;
      const search = searchCreate({ model, ops, init: model.init(), budget });
      let outcome = search.run(1024, budget);
      if (outcome.kind === 'steps') resumed++;
      for (let round = 0; outcome.kind === 'steps' && round < 10_000; round++) outcome = search.run(1024, budget);
      expect(outcome.kind, JSON.stringify(events)).toBe(whole);
    }
    expect(resumed).toBeGreaterThan(0);
  });
});

describe('the evidence phase', () => {
  const model = modelByName('cas-register')!;
  // The first random history that fails: its verdict is quick, its window needs searches of its own.
  const seed = Array.from({ length: 100 }, (_, i) => i + 1).find(
    (s) => checkLinearizable(model, multiKeyHistory(s, registerVocabulary), options).verdict === 'invalid',
  );
  const events = multiKeyHistory(seed ?? 0, registerVocabulary);
  const failing = checkLinearizable(model, events, options);

  test('comes after the verdict, and the result says how long each took', () => {
    expect(failing.verdict).toBe('invalid');
    expect(failing.failures[0]!.window.length).toBeGreaterThan(0);
    expect(failing.verdictMs).toBeGreaterThan(0);
    expect(failing.evidenceMs).toBeGreaterThan(0);
    expect(failing.verdictMs + failing.evidenceMs).toBeLessThanOrEqual(failing.elapsedMs + 0.001);
  });

  test('is skipped with evidence: false, keeping the verdict and the longest prefix', () => {
    const result = checkLinearizable(model, events, { ...options, evidence: false });
    expect(result.verdict).toBe('invalid');
    expect(result.failures[0]).toMatchObject({
      window: [],
      windowMinimal: false,
      longestPrefix: failing.failures[0]!.longestPrefix,
    });
  });

  test('has a budget of its own: spent, the window is not minimal, the verdict stands', () => {
    const result = checkLinearizable(model, events, { ...options, evidenceTimeoutMs: 0 });
    expect(result.verdict).toBe('invalid');
    expect(result.failures[0]!.windowMinimal).toBe(false);
    expect(result.failures[0]!.breakingOp).toBe(failing.failures[0]!.breakingOp);
  });
});
