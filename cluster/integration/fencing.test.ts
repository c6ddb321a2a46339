// Epoch fencing: a standby promoted while the primary is paused takes the
// volume's epoch; when the old primary resumes, nothing it is asked to write is
// ever acknowledged, and none of it becomes visible through the new primary.

import { afterEach, expect, test } from 'vitest';
import type { ClientResult } from '../client.js';
import type { WriterHealth } from '../protocol/client-messages.js';
import { writerNodeId } from '../topology.js';
import { ClusterFixtures, eventually, okValue, requestTimeoutMs } from './test-support/cluster-fixture.js';

const fixtures = new ClusterFixtures();
afterEach(() => fixtures.cleanup());

/** Writes sent to the old primary while it is paused, and more after it resumes. */
const writesWhilePaused = 4;
const writesAfterResume = 4;

test('an old writer that lost its epoch gets no write acknowledged', async () => {
  const cluster = await fixtures.start({ standbyWriters: 1 });
  const { runtime } = cluster;
  const [oldId, newId] = [writerNodeId(0), writerNodeId(1)];
  const toOld = await cluster.clientTo(oldId);
  await okValue(toOld, { t: 'write', key: 'before', value: 1 });
  const epochBefore = ((await okValue(toOld, { t: 'health' })) as WriterHealth).epoch;

  await runtime.nodePause(oldId);
  // Queued in the paused writer's socket: it sees them only once it runs again.
  const pending: Promise<ClientResult>[] = [];
  for (let i = 0; i < writesWhilePaused; i++)
    pending.push(toOld.request({ t: 'write', key: `stale-${i}`, value: 100 + i }, requestTimeoutMs * 2));
  await runtime.writerPromote(newId);
  expect(runtime.writerPrimary()).toBe(newId);
  const toNew = await cluster.client();
  const health = (await okValue(toNew, { t: 'health' })) as WriterHealth;
  expect(health.epoch).toBeGreaterThan(epochBefore);
  await okValue(toNew, { t: 'write', key: 'after-promotion', value: 2 });

  await runtime.nodeResume(oldId);
  const results = await Promise.all(pending);
  for (let i = 0; i < writesAfterResume; i++) {
    results.push(
      await toOld.request({ t: 'write', key: `stale-${writesWhilePaused + i}`, value: 200 + i }, requestTimeoutMs),
    );
  }
  for (const result of results) expect(result.ok, `old writer acknowledged: ${JSON.stringify(result)}`).toBe(false);

  await eventually('the old writer reporting itself a standby', 10_000, async () => {
    const probe = await runtime.writerHealth(oldId, 1000);
    return probe.ok && probe.health.role === 'standby' ? probe.health : null;
  });
  expect(await okValue(toNew, { t: 'read', key: 'before' })).toBe(1);
  expect(await okValue(toNew, { t: 'read', key: 'after-promotion' })).toBe(2);
  for (let i = 0; i < writesWhilePaused + writesAfterResume; i++)
    expect(await okValue(toNew, { t: 'read', key: `stale-${i}` })).toBeNull();
});
