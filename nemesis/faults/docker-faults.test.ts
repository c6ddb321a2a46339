// The chaos nemesis on the Docker runtime, with the fault names of the local
// runtime: a partition is real packet drops whose heal reports the rule
// counters, a client cut off from the writer gets no write through, faults the
// kernel cannot do say why, and kills, failover, power loss, pauses and
// corruption act on containers and their bind-mounted data directories.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netnsExec } from '../../cluster/runtime/docker/netns-exec.js';
import { dockerTestsOff, testRunId } from '../../cluster/runtime/docker/test-support/docker-gate.js';
import type { NodeId } from '../../cluster/topology.js';
import { dockerChaosClusterStart, type DockerChaosCluster } from '../test-support/docker-chaos-cluster.js';
import { fieldOf, targetsOf } from '../test-support/chaos-cluster.js';

const faults = [
  'partition-node',
  'partition-client-writer',
  'slow-links',
  'kill-writer',
  'power-loss',
  'pause-node',
  'corrupt-helix',
];
/** Bound on the retries of a write that must eventually be acknowledged. */
const writeAttemptsMax = 20;
const writeRetryDelayMs = 250;

describe.skipIf(dockerTestsOff)('the chaos nemesis on docker', () => {
  let cluster: DockerChaosCluster | undefined;
  let written = 0;

  beforeAll(async () => {
    cluster = await dockerChaosClusterStart(testRunId('nemesis'), faults);
    // Records for the corruption fault to find: each write is its own batch and block.
    for (let i = 0; i < 120; i++) if (await cluster.write(`k${i % 10}`, `${i}-${'x'.repeat(200)}`)) written++;
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  function started(): DockerChaosCluster {
    if (cluster === undefined) throw new Error('the docker cluster did not start');
    return cluster;
  }

  async function writeSucceeds(key: string): Promise<void> {
    for (let attempt = 0; attempt < writeAttemptsMax; attempt++) {
      if (await started().write(key, attempt)) return;
      await sleep(writeRetryDelayMs);
    }
    throw new Error(`no write of ${key} was acknowledged`);
  }

  /** The iptables rules of this run in a node's namespace. */
  async function runRules(id: NodeId): Promise<string[]> {
    const pid = await started().runtime.nodePid(id);
    if (pid === null) throw new Error(`${id} is not running`);
    const listed = await netnsExec(pid, ['iptables', '-S']);
    if (!listed.ok) throw new Error(listed.error);
    return listed.stdout.split('\n').filter((line) => line.includes(`quorumlab:${started().runtime.runId}:`));
  }

  it('partition-node drops real packets; its heal reports the rule counters and removes the rules', async () => {
    const c = started();
    const start = await c.op('start-partition-node');
    expect(start.ok, JSON.stringify(start)).toBe(true);
    const [victim] = targetsOf(start) as NodeId[];
    expect((await runRules(victim!)).length).toBeGreaterThan(0);
    // A write quorum survives one isolated node; gossip and the writer keep knocking on the cut links.
    await writeSucceeds('during-partition');
    await sleep(1000);
    const stop = await c.op('stop-partition-node');
    expect(stop.ok, JSON.stringify(stop)).toBe(true);
    expect(fieldOf(stop, 'dropped')).toMatchObject({ backend: 'iptables', unit: 'packet' });
    const dropped = fieldOf(stop, 'dropped') as { count: number; bytes: number; linksDropping: number };
    expect(dropped.count).toBeGreaterThan(0);
    expect(dropped.bytes).toBeGreaterThan(0);
    expect(await runRules(victim!)).toEqual([]);
    expect(c.links.links().every((link) => c.links.linkMode(link).kind === 'pass')).toBe(true);
  });

  it('partition-client-writer: no write gets through while it holds, and writes flow again after the heal', async () => {
    const c = started();
    expect((await c.op('start-partition-client-writer')).ok).toBe(true);
    expect(await c.write('cut-off', 1)).toBe(false);
    const stop = await c.op('stop-partition-client-writer');
    expect((fieldOf(stop, 'dropped') as { count: number }).count).toBeGreaterThan(0);
    await writeSucceeds('after-cut-off');
  });

  it('slow-links needs tc netem: where the kernel lacks it, the start says so and nothing changes', async () => {
    const c = started();
    const support = await c.links.linksModeSet([], { kind: 'delay', baseMs: 1, jitterMs: 0 });
    const start = await c.op('start-slow-links');
    if (support.ok) {
      expect(start.ok, JSON.stringify(start)).toBe(true);
      expect((await c.op('stop-slow-links')).ok).toBe(true);
    } else {
      expect(start).toMatchObject({
        ok: false,
        error: {
          code: 'unavailable',
          message: expect.stringMatching(/^not available on this kernel: tc netem missing/) as unknown,
        },
      });
      expect(c.links.links().every((link) => c.links.linkMode(link).kind === 'pass')).toBe(true);
    }
  });

  it('kill-writer kills the primary container, promotes the standby, and brings the old primary back at the heal', async () => {
    const c = started();
    const start = await c.op('start-kill-writer');
    expect(start.ok, JSON.stringify(start)).toBe(true);
    expect(fieldOf(start, 'promoted')).toBe('w1');
    expect(c.runtime.writerPrimary()).toBe('w1');
    await writeSucceeds('after-failover');
    expect((await c.op('stop-kill-writer')).ok).toBe(true);
    expect(c.runtime.nodeState('w0' as NodeId)).toBe('running');
    await writeSucceeds('after-failback');
  });

  it('power-loss and pause-node act on containers: stopped or paused while active, running after the heal', async () => {
    const c = started();
    for (const [fault, state] of [
      ['power-loss', 'stopped'],
      ['pause-node', 'paused'],
    ] as const) {
      const start = await c.op(`start-${fault}`);
      expect(start.ok, JSON.stringify(start)).toBe(true);
      const victims = targetsOf(start) as NodeId[];
      for (const id of victims) expect(c.runtime.nodeState(id)).toBe(state);
      expect((await c.op(`stop-${fault}`)).ok).toBe(true);
      for (const id of victims) expect(c.runtime.nodeState(id)).toBe('running');
      await writeSucceeds(`after-${fault}`);
    }
  });

  it('corrupt-helix damages blocks in the bind-mounted data directories, and the heal waits until they are repaired', async () => {
    const c = started();
    expect(written).toBeGreaterThan(100);
    const start = await c.op('start-corrupt-helix');
    expect(start.ok, JSON.stringify(start)).toBe(true);
    expect(targetsOf(start).length).toBeGreaterThanOrEqual(2);
    const stop = await c.op('stop-corrupt-helix');
    expect(stop.ok, JSON.stringify(stop)).toBe(true);
    await writeSucceeds('after-helix');
  });
});
