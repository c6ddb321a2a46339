// The Docker runtime: every node of the cluster is a container on a network
// the run creates, with a fixed address in an explicit subnet. This file is
// only the mechanism (engine, image, network, containers and their labels and
// logs); starting in order, readiness, promotion and the exit guard are shared.
//
// The workbench dials container addresses directly from the host rather than
// publishing ports: every node (not only the writer) must be reachable for
// health probes, standby writers work after a promotion without re-publishing,
// and packets from the client then come from the bridge's gateway address, so a
// "client cut off from writer" partition is one more iptables rule.

import { mkdirSync, writeFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { clockCreate } from '../../../core/clock.js';
import type { Address, NodeId } from '../../topology.js';
import type { ClusterSpec, NodeState } from '../runtime.js';
import { ClusterRuntime } from '../shared/cluster-runtime.js';
import type { RunOpened } from '../shared/cluster-runtime.js';
import { projectRootFind } from '../shared/project-root.js';
import { dockerCleanupDetached } from './cleanup-detached.js';
import { containerLogsCollect } from './container-logs.js';
import { ContainerWatch } from './container-watch.js';
import { dockerEngineConnect, errorText } from './docker-engine.js';
import { runIdCheck } from './docker-labels.js';
import { dockerNodeConfig, dockerNodePaths, dockerTopologyBuild } from './docker-topology.js';
import type { DockerTopology } from './docker-topology.js';
import { nodeImageEnsure } from './node-image.js';
import { NodeContainer } from './node-container.js';
import { dockerRuntimeSettings } from './docker-runtime-options.js';
import type { DockerRuntimeOptions, DockerRuntimeSettings } from './docker-runtime-options.js';
import { runNetworkCreate } from './run-network.js';
import type { RunNetwork } from './run-network.js';
import type { Subnet } from './subnet.js';

export type { DockerRuntimeOptions } from './docker-runtime-options.js';
export { promoteRequestTimeoutMs } from '../shared/cluster-runtime.js';

/** Interval of readiness polls. */
const readyPollMs = 100;

interface DockerRun {
  readonly docker: Docker;
  readonly network: RunNetwork;
  readonly watch: ContainerWatch;
  readonly containers: ReadonlyMap<NodeId, NodeContainer>;
}

/** What a run holds while it is being opened, torn down in reverse if opening fails. */
interface DockerRunPartial {
  readonly docker: Docker;
  network: RunNetwork | null;
  watch: ContainerWatch | null;
  readonly containers: Map<NodeId, NodeContainer>;
}

export function dockerRuntimeCreate(spec: ClusterSpec, options: DockerRuntimeOptions = {}): DockerRuntime {
  return new DockerRuntime(spec, options);
}

export class DockerRuntime extends ClusterRuntime<DockerRun> {
  readonly name = 'docker';
  private readonly startHooks: ((id: NodeId) => Promise<void>)[] = [];
  /** Known once start() found or built it, and kept for the run's record. */
  private image: string | null = null;
  private readonly subnet: Subnet | null;
  private readonly settings: DockerRuntimeSettings;

  constructor(
    spec: ClusterSpec,
    private readonly options: DockerRuntimeOptions = {},
  ) {
    const runIdError = runIdCheck(spec.runId);
    if (runIdError !== null) throw new Error(runIdError);
    const settings = dockerRuntimeSettings(options);
    if (!settings.ok) throw new Error(settings.error);
    super(spec, settings.settings, options.clock ?? clockCreate(), { readyPollMs, startAttemptsMax: 1 });
    this.subnet = settings.subnet;
    this.settings = settings.settings;
  }

  get runId(): string {
    return this.spec.runId;
  }

  /** Where the host dials a node: its container address. */
  nodeAddress(id: NodeId): Address {
    return this.nodeSpec(id).listen;
  }

  /** The run network (subnet, gateway), for the network faults. */
  runNetwork(): RunNetwork {
    return this.running().run.network;
  }

  /** The image the node containers run (known once start() found or built it), for the run's record. */
  imageTag(): string | null {
    return this.image;
  }

  /** The engine connection, for the network faults. */
  engine(): Docker {
    return this.running().run.docker;
  }

  async nodeKill(id: NodeId): Promise<void> {
    await this.running().run.watch.act(id, 'stopped', () => this.container(id).kill());
  }

  async nodeStop(id: NodeId): Promise<void> {
    await this.running().run.watch.act(id, 'stopped', () => this.container(id).stop());
  }

  async nodePause(id: NodeId): Promise<void> {
    this.runningCheck(id, 'pause');
    await this.running().run.watch.act(id, 'paused', () => this.container(id).pause());
  }

  async nodeResume(id: NodeId): Promise<void> {
    this.runningCheck(id, 'resume');
    await this.running().run.watch.act(id, 'running', () => this.container(id).resume());
  }

  /** Copies the output of every container (or of the given ones) into its node's log file now. */
  async nodeLogsCollect(ids?: readonly NodeId[]): Promise<void> {
    if (this.life.state !== 'running') return;
    await this.logsCollect(this.life.run.docker, this.life.run.containers, ids);
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

  containerName(id: NodeId): string {
    return this.container(id).name;
  }

  protected async runOpen(signal: AbortSignal | undefined): Promise<RunOpened<DockerRun>> {
    const docker = await dockerEngineConnect();
    const image = this.options.image ?? (await nodeImageEnsure(docker, this.options.projectRoot ?? projectRootFind()));
    this.image = image;
    const partial: DockerRunPartial = { docker, network: null, watch: null, containers: new Map() };
    try {
      this.openingCheck(signal);
      const network = await runNetworkCreate(docker, this.runId, this.subnet);
      partial.network = network;
      const { config, standbyWriters, baseDir } = this.spec;
      const topology = dockerTopologyBuild(config, standbyWriters, baseDir, network.subnet, this.settings.nodePort);
      const containers = partial.containers;
      const status = (id: NodeId) => containerOf(containers, id).status();
      const watch = await ContainerWatch.open(docker, this.runId, topology.host.nodes, status);
      partial.watch = watch;
      for (const node of topology.inside.nodes)
        containers.set(node.id, await this.containerCreate(docker, topology, node.id, image, network, signal));
      return { run: { docker, network, watch, containers }, topology: topology.host };
    } catch (error) {
      await this.teardown(partial);
      throw error;
    }
  }

  /** Stops and removes every container and the network, collecting logs first. Never throws. */
  protected runClose(run: DockerRun): Promise<void> {
    return this.teardown({ ...run, containers: new Map(run.containers) });
  }

  protected async nodeLaunch(run: DockerRun, id: NodeId): Promise<void> {
    await run.watch.act(id, 'running', () => containerOf(run.containers, id).start());
  }

  protected override async nodeRestarted(id: NodeId): Promise<void> {
    for (const hook of this.startHooks) await hook(id);
  }

  protected async nodeExited(run: DockerRun, id: NodeId): Promise<string | null> {
    const status = await containerOf(run.containers, id).status();
    if (status === null) return 'the container is gone';
    return status.running ? null : status.exit;
  }

  protected nodeWhere(run: DockerRun, id: NodeId): string | null {
    return `container ${containerOf(run.containers, id).name}`;
  }

  protected nodeLogRefresh(run: DockerRun, id: NodeId): Promise<void> {
    return this.logsCollect(run.docker, run.containers, [id]);
  }

  protected nodeStateOf(run: DockerRun, id: NodeId): NodeState {
    return run.watch.state(id);
  }

  protected exitRelease(): Promise<void> {
    return this.stop();
  }

  protected exitReleaseNow(): void {
    dockerCleanupDetached([this.runId]);
  }

  private async containerCreate(
    docker: Docker,
    topology: DockerTopology,
    id: NodeId,
    image: string,
    network: RunNetwork,
    signal: AbortSignal | undefined,
  ): Promise<NodeContainer> {
    this.openingCheck(signal);
    const { config, baseDir, runId } = this.spec;
    const node = topology.inside.nodes.find((candidate) => candidate.id === id)!;
    const paths = dockerNodePaths(baseDir, id);
    mkdirSync(paths.dataDir, { recursive: true });
    writeFileSync(paths.configPath, `${JSON.stringify(dockerNodeConfig(topology, id, config), null, 2)}\n`);
    const launch = {
      runId,
      node,
      paths,
      image,
      network: network.name,
      stopGraceMs: this.settings.stopGraceMs,
      env: this.options.env ?? {},
    };
    return NodeContainer.create(docker, launch);
  }

  private async teardown(partial: DockerRunPartial): Promise<void> {
    const containers = [...partial.containers.values()];
    await Promise.all(containers.map((c) => this.quietly(`stopping ${c.name}`, () => c.stop())));
    await this.quietly('collecting node logs', () => this.logsCollect(partial.docker, partial.containers));
    partial.watch?.close();
    await Promise.all(containers.map((c) => this.quietly(`removing ${c.name}`, () => c.remove())));
    const network = partial.network;
    if (network !== null)
      await this.quietly(`removing network ${network.name}`, () => partial.docker.getNetwork(network.id).remove());
  }

  private async logsCollect(
    docker: Docker,
    containers: ReadonlyMap<NodeId, NodeContainer>,
    ids?: readonly NodeId[],
  ): Promise<void> {
    const targets = ids ?? [...containers.keys()];
    await Promise.all(
      targets.map(async (id) => {
        const problem = await containerLogsCollect(docker, containerOf(containers, id).name, this.nodeLogPath(id));
        if (problem !== null) process.stderr.write(`docker runtime: ${problem}\n`);
      }),
    );
  }

  private runningCheck(id: NodeId, what: string): void {
    if (this.nodeState(id) === 'stopped') throw new Error(`node ${id} is not running; cannot ${what} it`);
  }

  /** Between the steps of opening a run: give up when aborted or stopped meanwhile. */
  private openingCheck(signal: AbortSignal | undefined): void {
    signal?.throwIfAborted();
    if (this.life.state !== 'opening') throw new Error('the docker runtime was stopped while starting');
  }

  private async quietly(what: string, run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      process.stderr.write(`docker runtime: ${what}: ${errorText(error)}\n`);
    }
  }

  private container(id: NodeId): NodeContainer {
    return containerOf(this.running().run.containers, id);
  }
}

function containerOf(containers: ReadonlyMap<NodeId, NodeContainer>, id: NodeId): NodeContainer {
  const container = containers.get(id);
  if (container === undefined) throw new Error(`no node ${id} in this cluster`);
  return container;
}
