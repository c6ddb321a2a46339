// The Docker runtime: every node of the cluster is a container on a network
// the run creates, with a fixed address in an explicit subnet. It builds (or
// finds) the offline node image, starts storage nodes then writers and waits
// for health over the real protocol, acts on single containers for the nemesis,
// and removes everything labelled with the run id when it stops.
//
// The workbench dials container addresses directly from the host rather than
// publishing ports: every node (not only the writer) must be reachable for
// health probes, standby writers work after a promotion without re-publishing,
// and packets from the client then come from the bridge's gateway address, so a
// "client cut off from writer" partition is one more iptables rule.

import { mkdirSync, writeFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { StoreClient } from '../../client.js';
import type { WriterHealth } from '../../protocol/client-messages.js';
import type { Address, NodeId, NodeSpec } from '../../topology.js';
import { writerNodeId } from '../../topology.js';
import { projectRootFind } from '../local/node-script.js';
import { storageHealthProbe, writerHealthProbe, writerPrimaryReady, writerSettled } from '../local/node-health.js';
import type { Probe } from '../local/node-health.js';
import type { ClusterSpec, NodeState, Runtime } from '../runtime.js';
import { containerLogsCollect } from './container-logs.js';
import { ContainerWatch } from './container-watch.js';
import { dockerEngineConnect, errorText } from './docker-engine.js';
import { runIdCheck } from './docker-labels.js';
import { liveDockerAdd, liveDockerRemove } from './docker-live-registry.js';
import { dockerNodeConfig, dockerNodePaths, dockerTopologyBuild } from './docker-topology.js';
import type { DockerTopology } from './docker-topology.js';
import { nodeImageEnsure } from './node-image.js';
import { NodeContainer } from './node-container.js';
import { nodeReadyWait } from './node-ready.js';
import { dockerRuntimeSettings } from './docker-runtime-options.js';
import type { DockerRuntimeOptions, DockerRuntimeSettings } from './docker-runtime-options.js';
import { runNetworkCreate } from './run-network.js';
import type { RunNetwork } from './run-network.js';
import type { Subnet } from './subnet.js';

export type { DockerRuntimeOptions } from './docker-runtime-options.js';

/** Bound on the promote request itself (recovery is waited for separately). */
export const promoteRequestTimeoutMs = 5000;

export function dockerRuntimeCreate(spec: ClusterSpec, options: DockerRuntimeOptions = {}): DockerRuntime {
  return new DockerRuntime(spec, options);
}

export class DockerRuntime implements Runtime {
  readonly name = 'docker';
  private docker: Docker | null = null;
  private network: RunNetwork | null = null;
  private topology: DockerTopology | null = null;
  private watch: ContainerWatch | null = null;
  private readonly containers = new Map<NodeId, NodeContainer>();
  private readonly startHooks: ((id: NodeId) => Promise<void>)[] = [];
  private primary: NodeId = writerNodeId(0);
  private image: string | null = null;
  private stopped = false;
  private readonly subnet: Subnet | null;
  private readonly settings: DockerRuntimeSettings;

  constructor(
    readonly spec: ClusterSpec,
    private readonly options: DockerRuntimeOptions = {},
  ) {
    const runIdError = runIdCheck(spec.runId);
    if (runIdError !== null) throw new Error(runIdError);
    const settings = dockerRuntimeSettings(options);
    if (!settings.ok) throw new Error(settings.error);
    this.subnet = settings.subnet;
    this.settings = settings.settings;
  }

  get runId(): string {
    return this.spec.runId;
  }

  async start(signal?: AbortSignal): Promise<void> {
    try {
      await this.startOnce(signal);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops and removes every container and the network, collecting logs first. Idempotent; never throws. */
  async stop(): Promise<void> {
    this.stopped = true;
    const containers = [...this.containers.values()];
    await Promise.all(
      containers.map((container) => this.quietly(`stopping ${container.name}`, () => container.stop())),
    );
    await this.quietly('collecting node logs', () => this.nodeLogsCollect());
    this.watch?.close();
    this.watch = null;
    await Promise.all(
      containers.map((container) => this.quietly(`removing ${container.name}`, () => container.remove())),
    );
    this.containers.clear();
    const network = this.network;
    this.network = null;
    if (network !== null && this.docker !== null)
      await this.quietly(`removing network ${network.name}`, () => this.docker!.getNetwork(network.id).remove());
    liveDockerRemove(this);
  }

  nodes(): readonly NodeSpec[] {
    return this.started().host.nodes;
  }

  writerAddress(): Address {
    return this.nodeAddress(this.primary);
  }

  /** Where the host dials a node: its container address. */
  nodeAddress(id: NodeId): Address {
    return this.nodeSpec(id).listen;
  }

  writerPrimary(): NodeId {
    return this.primary;
  }

  /** The run network (subnet, gateway), for the network faults. */
  runNetwork(): RunNetwork {
    if (this.network === null) throw new Error('the docker runtime has not been started');
    return this.network;
  }

  /** The image the node containers run (known once start() found or built it), for the run's record. */
  imageTag(): string | null {
    return this.image;
  }

  /** The engine connection, for the network faults. */
  engine(): Docker {
    if (this.docker === null) throw new Error('the docker runtime has not been started');
    return this.docker;
  }

  nodeState(id: NodeId): NodeState {
    return this.watched().state(id);
  }

  async nodeKill(id: NodeId): Promise<void> {
    await this.watched().act(id, 'stopped', () => this.container(id).kill());
  }

  async nodeStop(id: NodeId): Promise<void> {
    await this.watched().act(id, 'stopped', () => this.container(id).stop());
  }

  async nodeStart(id: NodeId, signal?: AbortSignal): Promise<void> {
    await this.watched().act(id, 'running', () => this.container(id).start());
    for (const hook of this.startHooks) await hook(id);
    const health = await this.readyWait(this.nodeSpec(id), signal);
    if (health !== null && writerPrimaryReady(health)) this.primary = id;
  }

  async nodePause(id: NodeId): Promise<void> {
    this.runningCheck(id, 'pause');
    await this.watched().act(id, 'paused', () => this.container(id).pause());
  }

  async nodeResume(id: NodeId): Promise<void> {
    this.runningCheck(id, 'resume');
    await this.watched().act(id, 'running', () => this.container(id).resume());
  }

  async writerPromote(id: NodeId, signal?: AbortSignal): Promise<void> {
    const spec = this.nodeSpec(id);
    if (spec.role !== 'writer') throw new Error(`writerPromote(${id}): not a writer`);
    const client = await StoreClient.connect(spec.listen, promoteRequestTimeoutMs);
    try {
      const result = await client.request({ t: 'promote' }, promoteRequestTimeoutMs);
      if (!result.ok) throw new Error(`writerPromote(${id}): ${result.code}: ${result.message}`);
    } finally {
      client.close();
    }
    await this.writerWait(spec, writerPrimaryReady, signal);
    this.primary = id;
  }

  nodeDataDir(id: NodeId): string {
    return dockerNodePaths(this.spec.baseDir, id).dataDir;
  }

  /** Written from the container's output on stop and by nodeLogsCollect(). */
  nodeLogPath(id: NodeId): string {
    return dockerNodePaths(this.spec.baseDir, id).logPath;
  }

  /** Copies the output of every container (or of the given ones) into its node's log file now. */
  async nodeLogsCollect(ids?: readonly NodeId[]): Promise<void> {
    const docker = this.docker;
    if (docker === null) return;
    const targets = ids ?? [...this.containers.keys()];
    await Promise.all(
      targets.map(async (id) => {
        const problem = await containerLogsCollect(docker, this.container(id).name, this.nodeLogPath(id));
        if (problem !== null) process.stderr.write(`docker runtime: ${problem}\n`);
      }),
    );
  }

  /** The container's main process id on the host (for nsenter), or null when it is not running. */
  async nodePid(id: NodeId): Promise<number | null> {
    const status = await this.container(id).status();
    return status !== null && status.running && status.pid > 0 ? status.pid : null;
  }

  /** Runs after a container starts again and before it is waited for (the network faults re-apply their rules). */
  nodeStartHookAdd(hook: (id: NodeId) => Promise<void>): void {
    this.startHooks.push(hook);
  }

  nodeSpec(id: NodeId): NodeSpec {
    const spec = this.started().host.nodes.find((node) => node.id === id);
    if (spec === undefined) throw new Error(`no node ${id} in this cluster`);
    return spec;
  }

  containerName(id: NodeId): string {
    return this.container(id).name;
  }

  private async startOnce(signal: AbortSignal | undefined): Promise<void> {
    const { config, standbyWriters, baseDir, runId } = this.spec;
    this.stopped = false;
    const docker = await dockerEngineConnect();
    this.docker = docker;
    const image = this.options.image ?? (await nodeImageEnsure(docker, this.options.projectRoot ?? projectRootFind()));
    this.image = image;
    this.stoppedCheck(signal);
    liveDockerAdd(this);
    this.network = await runNetworkCreate(docker, runId, this.subnet);
    const topology = dockerTopologyBuild(config, standbyWriters, baseDir, this.network.subnet, this.settings.nodePort);
    this.topology = topology;
    this.primary = writerNodeId(0);
    this.watch = await ContainerWatch.open(docker, runId, topology.host.nodes, (id) => this.container(id).status());
    for (const node of topology.inside.nodes) {
      this.stoppedCheck(signal);
      const paths = dockerNodePaths(baseDir, node.id);
      mkdirSync(paths.dataDir, { recursive: true });
      writeFileSync(paths.configPath, `${JSON.stringify(dockerNodeConfig(topology, node.id, config), null, 2)}\n`);
      const launch = {
        runId,
        node,
        paths,
        image,
        network: this.network.name,
        stopGraceMs: this.settings.stopGraceMs,
        env: this.options.env ?? {},
      };
      this.containers.set(node.id, await NodeContainer.create(docker, launch));
    }
    await this.groupStart(topology.host.storage, signal);
    await this.groupStart(topology.host.writers, signal);
  }

  private async groupStart(nodes: readonly NodeSpec[], signal: AbortSignal | undefined): Promise<void> {
    this.stoppedCheck(signal);
    await Promise.all(
      nodes.map((node) => this.watched().act(node.id, 'running', () => this.container(node.id).start())),
    );
    await Promise.all(nodes.map((node) => this.readyWait(node, signal)));
  }

  /** Storage: until ready. Writers: the primary until ready, a standby until settled. */
  private async readyWait(node: NodeSpec, signal: AbortSignal | undefined): Promise<WriterHealth | null> {
    if (node.role === 'storage') {
      const probe = (timeoutMs: number): Promise<Probe<{ readonly ready: boolean }>> =>
        storageHealthProbe(node.listen, timeoutMs);
      await nodeReadyWait(
        this.readyContext(node, signal),
        `storage node ${node.id} ready`,
        probe,
        (health) => health.ready,
        this.settings.storageReadyTimeoutMs,
      );
      return null;
    }
    return this.writerWait(node, node.id === this.primary ? writerPrimaryReady : writerSettled, signal);
  }

  private writerWait(
    node: NodeSpec,
    ready: (health: WriterHealth) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<WriterHealth> {
    const what = `writer ${node.id} ${ready === writerPrimaryReady ? 'ready as primary' : 'settled'}`;
    return nodeReadyWait(
      this.readyContext(node, signal),
      what,
      (timeoutMs) => writerHealthProbe(node.listen, timeoutMs),
      ready,
      this.settings.writerReadyTimeoutMs,
    );
  }

  private readyContext(node: NodeSpec, signal: AbortSignal | undefined): Parameters<typeof nodeReadyWait>[0] {
    const container = this.container(node.id);
    return {
      container,
      logPath: this.nodeLogPath(node.id),
      logsCollect: () => this.nodeLogsCollect([node.id]),
      signal,
    };
  }

  private runningCheck(id: NodeId, what: string): void {
    if (this.nodeState(id) === 'stopped') throw new Error(`node ${id} is not running; cannot ${what} it`);
  }

  private stoppedCheck(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (this.stopped) throw new Error('the docker runtime was stopped while starting');
  }

  private async quietly(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      process.stderr.write(`docker runtime: ${what}: ${errorText(error)}\n`);
    }
  }

  private started(): DockerTopology {
    if (this.topology === null) throw new Error('the docker runtime has not been started');
    return this.topology;
  }

  private watched(): ContainerWatch {
    if (this.watch === null) throw new Error('the docker runtime has not been started');
    return this.watch;
  }

  private container(id: NodeId): NodeContainer {
    const container = this.containers.get(id);
    if (container === undefined) throw new Error(`no node ${id} in this cluster (started: ${this.topology !== null})`);
    return container;
  }
}
