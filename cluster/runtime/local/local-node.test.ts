import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { clusterConfigDefault, type ClusterConfig } from '../../config.js';
import { storageNodeId, type NodeConfig } from '../../topology.js';
import { storageHealthProbe } from '../shared/node-health.js';
import { NodeStartError } from '../shared/node-start-error.js';
import { LocalNode } from './local-node.js';
import { portsAllocate } from './port-allocate.js';

const dirs: string[] = [];
const nodes: LocalNode[] = [];

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.kill()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A one-node volume: the node is its own write and read quorum. */
async function soloConfig(dataDir?: string): Promise<{ dir: string; config: NodeConfig }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-local-node-'));
  dirs.push(dir);
  const [port] = await portsAllocate(1);
  const cluster: ClusterConfig = {
    ...clusterConfigDefault,
    geometry: { azCount: 1, nodesPerAz: 1, writeQuorum: 1, readQuorum: 1, pgCount: 3 },
  };
  const node = {
    id: storageNodeId(0, 0),
    role: 'storage' as const,
    az: 0,
    listen: { host: '127.0.0.1', port: port! },
    dataDir: dataDir ?? path.join(dir, 'data'),
  };
  return { dir, config: { node, cluster, peers: [] } };
}

describe('a storage node started on its own', () => {
  test('runs the given config on its port with the extra environment, and exits 0 on SIGTERM', async () => {
    const { dir, config } = await soloConfig();
    const node = await LocalNode.start({ config, dir, runId: 'local-node-test', env: { QUORUMLAB_TEST_MARK: 'yes' } });
    nodes.push(node);
    const health = await storageHealthProbe(config.node.listen, 1000);
    expect(health.ok && health.health).toMatchObject({ node: 's00', ready: true, scls: [0, 0, 0] });
    const environ = readFileSync(`/proc/${node.pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('QUORUMLAB_TEST_MARK=yes');
    expect(await node.signalExit('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(node.pid).toBeNull();
  });

  test('that cannot start is a start error carrying how it ended and its log', async () => {
    const { dir, config } = await soloConfig();
    const blocker = path.join(dir, 'not-a-directory');
    writeFileSync(blocker, 'x');
    const broken = { ...config, node: { ...config.node, dataDir: path.join(blocker, 'data') } };
    const error: unknown = await LocalNode.start({ config: broken, dir, runId: 'local-node-test' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NodeStartError);
    expect((error as NodeStartError).code).toBe('node-exited');
    expect((error as NodeStartError).message).toMatch(/exit code [1-9]/);
    expect((error as NodeStartError).failure.log?.tail).toMatch(/not-a-directory/);
  });
});
