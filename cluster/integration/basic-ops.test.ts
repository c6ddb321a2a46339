// The store's operations end to end through the local runtime: what is written
// is read back, compare-and-set compares, appends keep their order, with one
// protection group and with several.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ClusterFixtures, okValue, requestTimeoutMs } from './test-support/cluster-fixture.js';
import type { TestCluster } from './test-support/cluster-fixture.js';

// One cluster per protection-group count; each test uses keys of its own.
describe.each([1, 3])('with %i protection group(s)', (pgCount) => {
  const fixtures = new ClusterFixtures();
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await fixtures.start({ pgCount });
  });
  afterAll(() => fixtures.cleanup());

  test('every value written is read back, and a key never written reads as absent', async () => {
    const client = await cluster.client();
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    for (const [i, key] of keys.entries()) await okValue(client, { t: 'write', key, value: i * 10 });
    await okValue(client, { t: 'write', key: 's', value: 'a string value' });
    for (const [i, key] of keys.entries()) expect(await okValue(client, { t: 'read', key })).toBe(i * 10);
    expect(await okValue(client, { t: 'read', key: 's' })).toBe('a string value');
    expect(await okValue(client, { t: 'read', key: 'never-written' })).toBeNull();
  });

  test('cas succeeds only from the current value, and a failed cas is definite and changes nothing', async () => {
    const client = await cluster.client();
    await okValue(client, { t: 'cas', key: 'cas-r', from: null, to: 1 });
    const mismatch = await client.request({ t: 'cas', key: 'cas-r', from: 5, to: 6 }, requestTimeoutMs);
    expect(mismatch).toMatchObject({ ok: false, definite: true, code: 'cas-mismatch' });
    expect(await okValue(client, { t: 'read', key: 'cas-r' })).toBe(1);
    await okValue(client, { t: 'cas', key: 'cas-r', from: 1, to: 2 });
    expect(await okValue(client, { t: 'read', key: 'cas-r' })).toBe(2);
    const fromAbsent = await client.request({ t: 'cas', key: 'cas-r', from: null, to: 9 }, requestTimeoutMs);
    expect(fromAbsent).toMatchObject({ ok: false, definite: true, code: 'cas-mismatch' });
  });

  test('appends are read back in the order they were acknowledged, and concurrent appends all land once', async () => {
    const client = await cluster.client();
    for (let i = 0; i < 20; i++) await okValue(client, { t: 'append', key: 'order', value: i });
    expect(await okValue(client, { t: 'read-list', key: 'order' })).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const others = await Promise.all([cluster.client(), cluster.client(), cluster.client()]);
    await Promise.all(
      others.map(async (other, c) => {
        for (let i = 0; i < 10; i++) await okValue(other, { t: 'append', key: 'shared', value: c * 100 + i });
      }),
    );
    const shared = (await okValue(client, { t: 'read-list', key: 'shared' })) as number[];
    expect([...shared].sort((a, b) => a - b)).toEqual(
      [0, 1, 2].flatMap((c) => Array.from({ length: 10 }, (_, i) => c * 100 + i)),
    );
    for (let c = 0; c < 3; c++) {
      const own = shared.filter((v) => Math.floor(v / 100) === c);
      expect(own, 'each client appended sequentially, so its elements keep their order').toEqual(
        [...own].sort((a, b) => a - b),
      );
    }
    expect([null, []], 'a list never appended to reads as absent or empty').toContainEqual(
      await okValue(client, { t: 'read-list', key: 'never-appended' }),
    );
  });

  test('a register used as a list, or the reverse, is refused with a definite wrong-type', async () => {
    const client = await cluster.client();
    await okValue(client, { t: 'write', key: 'reg', value: 1 });
    await okValue(client, { t: 'append', key: 'lst', value: 1 });
    expect(await client.request({ t: 'append', key: 'reg', value: 2 }, requestTimeoutMs)).toMatchObject({
      ok: false,
      definite: true,
      code: 'wrong-type',
    });
    expect(await client.request({ t: 'write', key: 'lst', value: 2 }, requestTimeoutMs)).toMatchObject({
      ok: false,
      definite: true,
      code: 'wrong-type',
    });
  });
});
