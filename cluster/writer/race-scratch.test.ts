import { it } from 'vitest';
import { TestCluster } from './test-support/cluster.js';
it('race', async () => {
  const c = await TestCluster.create({ standbys: 2 });
  try {
    await Promise.all(c.storageIds.map((id) => c.nodeStart(id)));
    await c.nodeStart('w1'); await c.nodeStart('w2');
    const [a, b] = [await c.client('w1'), await c.client('w2')];
    console.log(JSON.stringify(await Promise.all([a.request({ t: 'promote' }, 5000), b.request({ t: 'promote' }, 5000)])));
    console.log(await c.logOf('w1')); console.log(await c.logOf('w2'));
  } finally { await c.cleanup(); }
});
