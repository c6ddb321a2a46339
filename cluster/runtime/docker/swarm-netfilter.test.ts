// On a one-node swarm (made here when the engine is in none, and left again at
// the end, whatever happens): an attachable overlay network of a run, two
// containers on it, and a partition between them as an iptables DROP rule run
// through the engine API by a netfilter sidecar in the receiver's namespace,
// with the rule's counters above zero after packets were dropped, and nothing
// of the run left on the engine. A plain container on a bridge network,
// running before the swarm is made, keeps running and answering through it.

import net from 'node:net';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dockerCleanup } from './docker-cleanup.js';
import { networkName, runLabels } from './docker-labels.js';
import { imageNodePath } from './image-inputs.js';
import { dropRuleCounters, dropRuleEnsure, dropRulesRemove, ruleTag } from './packet-filter.js';
import { containerExec, NetfilterSidecar } from './swarm-netfilter.js';
import { netfilterImageEnsure } from './swarm-netfilter-image.js';
import { overlayNetworkCreate, swarmManagerCheck } from './swarm-overlay.js';
import { dockerForTests, dockerTestsOff, labelledLeft, testRunId } from './test-support/docker-gate.js';

const runId = testRunId('swarm');
const bridgeRunId = testRunId('swarm-bridge');
const port = 7000;
/** Bound on one connection attempt; a dropped SYN is retried by the kernel well past it. */
const connectTimeoutMs = 3000;
/** Bound on the image build (the node binary goes to the engine) and the swarm's own start. */
const setupTimeoutMs = 300_000;
const gwbridge = 'docker_gwbridge';
const serverScript = `require('net').createServer((s) => s.end('hi')).listen(${port}, '0.0.0.0')`;

let docker: Docker;
let image: string;
let swarmMadeHere = false;
let gwbridgeBefore = true;
const ips = new Map<string, string>();

async function started(name: string, network: string, run: string): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name,
    Image: image,
    Entrypoint: [imageNodePath],
    Cmd: ['-e', serverScript],
    Labels: runLabels(run),
    HostConfig: { NetworkMode: network },
  });
  await container.start();
  const info = await container.inspect();
  ips.set(name, info.NetworkSettings.Networks[network]!.IPAddress);
  return container;
}

/** Connects from inside `from` to `to`'s server: "hi" when it answered, "timeout" when nothing came back. */
async function connectFrom(from: Docker.Container, to: string): Promise<string> {
  const script = `const s = require('net').connect(${port}, '${ips.get(to)}'); s.on('data', (d) => { console.log(String(d)); process.exit(0); }); setTimeout(() => { console.log('timeout'); process.exit(1); }, ${connectTimeoutMs});`;
  return (await containerExec(from, [imageNodePath, '-e', script])).stdout.trim();
}

/** From the host to a container on a bridge network. */
function connectHost(address: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, address);
    const timer = setTimeout(() => (socket.destroy(), resolve('timeout')), connectTimeoutMs);
    socket.on('data', (data) => (clearTimeout(timer), socket.destroy(), resolve(String(data))));
    socket.on('error', (error) => (clearTimeout(timer), resolve(error.message)));
  });
}

describe.skipIf(dockerTestsOff)('a partition on a one-node swarm, through the engine API', () => {
  let bridgeServer: Docker.Container;
  let sender: Docker.Container;
  let sidecar: NetfilterSidecar;

  beforeAll(async () => {
    docker = await dockerForTests();
    image = await netfilterImageEnsure(docker);
    const bridge = await docker.createNetwork({
      Name: networkName(bridgeRunId),
      Driver: 'bridge',
      Labels: runLabels(bridgeRunId),
    });
    bridgeServer = await started(`ql-${bridgeRunId}-plain`, networkName(bridgeRunId), bridgeRunId);
    expect(bridge.id).not.toBe('');
    gwbridgeBefore = (await docker.listNetworks()).some((network) => network.Name === gwbridge);
    if ((await swarmManagerCheck(docker)) !== null) {
      await docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
      swarmMadeHere = true;
    }
    const overlay = await overlayNetworkCreate(docker, runId);
    sender = await started(`ql-${runId}-a`, overlay.name, runId);
    await started(`ql-${runId}-b`, overlay.name, runId);
    sidecar = await NetfilterSidecar.attach(docker, image, runId, `ql-${runId}-b`);
  }, setupTimeoutMs);

  afterAll(async () => {
    await dockerCleanup({ runId, docker });
    if (swarmMadeHere) await docker.swarmLeave({ force: true });
    if (!gwbridgeBefore && swarmMadeHere)
      await docker
        .getNetwork(gwbridge)
        .remove()
        .catch(() => undefined);
    await dockerCleanup({ runId: bridgeRunId, docker });
    expect(await labelledLeft(docker, runId)).toEqual([]);
    expect(await labelledLeft(docker, bridgeRunId)).toEqual([]);
  }, setupTimeoutMs);

  test('containers on the attachable overlay network reach each other', async () => {
    expect(await connectFrom(sender, `ql-${runId}-b`)).toBe('hi');
  });

  test('a DROP rule run in the sidecar cuts the link, counts the dropped packets, and its removal heals it', async () => {
    const rule = { chain: 'INPUT' as const, address: ips.get(`ql-${runId}-a`)!, tag: ruleTag(runId, 'a', 'b') };
    const run = sidecar.toolRun();
    expect(await dropRuleEnsure(run, rule)).toMatchObject({ ok: true });
    expect(await connectFrom(sender, `ql-${runId}-b`)).toBe('timeout');
    const counted = await dropRuleCounters(run, 'INPUT', rule.tag);
    expect(counted.ok && counted.counters.packets).toBeGreaterThan(0);
    expect(await dropRulesRemove(run, rule.tag)).toMatchObject({ ok: true });
    expect(await connectFrom(sender, `ql-${runId}-b`)).toBe('hi');
  });

  test('the sidecar refuses any tool but iptables, and a bad rule is an error value naming it', async () => {
    expect(await sidecar.exec(['tc', 'qdisc', 'show'])).toEqual({
      ok: false,
      error: 'the netfilter sidecar runs iptables only, not tc',
    });
    const bad = await sidecar.exec(['iptables', '-A', 'NOCHAIN', '-j', 'DROP']);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/-nf: \/usr\/sbin\/iptables -A NOCHAIN -j DROP: exit \d+/);
  });

  test('a plain container on a bridge network, started before the swarm, still runs and answers', async () => {
    expect((await bridgeServer.inspect()).State.Running).toBe(true);
    expect(await connectHost(ips.get(`ql-${bridgeRunId}-plain`)!)).toBe('hi');
  });
});
