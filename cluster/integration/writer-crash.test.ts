// Killing the writer under load: after it restarts and recovers, every
// acknowledged write and append is there, and a write that was sent but never
// acknowledged is either there whole or absent — never torn, never a value
// nobody sent.

import { afterEach, expect, test } from 'vitest';
import { clockCreate, pollUntil } from '../../core/clock.js';
import type { StoreClient } from '../client.js';
import { writerNodeId } from '../topology.js';
import { ClusterFixtures, okValue, requestTimeoutMs } from './test-support/cluster-fixture.js';

const fixtures = new ClusterFixtures();
afterEach(() => fixtures.cleanup());
const clock = clockCreate();

/** Concurrent clients of the load; even ones write registers, odd ones append to a list. */
const workerCount = 8;
/** The writer is killed once the load has had this many writes and appends acknowledged, all workers together. */
const ackedBeforeKill = 40;
/** Bound on waiting for those acknowledgements. */
const ackedWaitMs = 4000;
/** Bounds on each worker: it stops at the first uncertain outcome, or at these. */
const workerOpsMax = 20_000;
const workerDurationMs = 5000;
const registersPerWorker = 3;

/** What one worker did: values per key in the order sent, how each ended. */
interface WorkerLog {
  readonly acked: Map<string, number[]>;
  /** Acknowledged operations so far, watched while the load runs. */
  ackedCount: number;
  /** The one operation whose outcome is unknown (the worker stopped there), if any. */
  maybe: { key: string; value: number } | null;
}

test('a writer killed under load loses no acknowledged write and shows no partial one after restart', async () => {
  const cluster = await fixtures.start();
  const clients = await Promise.all(Array.from({ length: workerCount }, () => cluster.client()));
  const deadlineMs = clock.nowMs() + workerDurationMs;
  const workerLogs: WorkerLog[] = clients.map(() => ({ acked: new Map(), ackedCount: 0, maybe: null }));
  const load = Promise.all(clients.map((client, w) => worker(client, w, workerLogs[w]!, deadlineMs)));
  const ackedTotal = (): number => workerLogs.reduce((sum, log) => sum + log.ackedCount, 0);
  await pollUntil(clock, {
    what: `${ackedBeforeKill} acknowledged writes and appends`,
    timeoutMs: ackedWaitMs,
    intervalMs: 10,
    probe: () => (ackedTotal() >= ackedBeforeKill ? true : null),
    detail: () => `acknowledged so far: ${ackedTotal()}`,
  });
  await cluster.runtime.nodeKill(writerNodeId(0));
  const logs = await load;
  expect(
    logs.some((log) => [...log.acked.values()].some((values) => values.length > 0)),
    'some writes were acknowledged before the kill',
  ).toBe(true);

  await cluster.runtime.nodeStart(writerNodeId(0));
  const reader = await cluster.client();
  for (const [w, log] of logs.entries()) {
    for (const key of workerKeys(w)) {
      const acked = log.acked.get(key) ?? [];
      const maybe = log.maybe?.key === key ? log.maybe.value : undefined;
      if (w % 2 === 0) {
        const allowed = [acked.at(-1) ?? null, ...(maybe === undefined ? [] : [maybe])];
        expect(allowed, `register ${key}`).toContain(await okValue(reader, { t: 'read', key }));
      } else {
        const list = await okValue(reader, { t: 'read-list', key });
        const allowed = [
          ...(acked.length === 0 ? [null] : []),
          acked,
          ...(maybe === undefined ? [] : [[...acked, maybe]]),
        ];
        expect(allowed, `list ${key}`).toContainEqual(list);
      }
    }
  }
  await okValue(reader, { t: 'write', key: 'after-recovery', value: 1 });
});

function workerKeys(w: number): string[] {
  return w % 2 === 0 ? Array.from({ length: registersPerWorker }, (_, j) => `reg-${w}-${j}`) : [`list-${w}`];
}

async function worker(client: StoreClient, w: number, log: WorkerLog, deadlineMs: number): Promise<WorkerLog> {
  const keys = workerKeys(w);
  for (let n = 0; n < workerOpsMax && clock.nowMs() < deadlineMs; n++) {
    const key = keys[n % keys.length]!;
    const value = w * 1_000_000 + n;
    const result = await client.request(
      w % 2 === 0 ? { t: 'write', key, value } : { t: 'append', key, value },
      requestTimeoutMs,
    );
    if (result.ok) {
      const values = log.acked.get(key) ?? [];
      values.push(value);
      log.acked.set(key, values);
      log.ackedCount++;
      continue;
    }
    if (!result.definite) log.maybe = { key, value };
    // Uncertain or refused: this worker's history ends here, as a retired Jepsen process would.
    break;
  }
  return log;
}
