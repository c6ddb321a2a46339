// One node's container and what the engine does to it: create (fixed address,
// bind-mounted node directory, labels), start, kill, graceful stop, pause,
// resume, inspect. Each call is bounded, and an engine answer that means "it is
// already in that state" is not an error.

import type Docker from 'dockerode';
import type { NodeSpec } from '../../topology.js';
import { errorStatus, errorText, withTimeout } from './docker-engine.js';
import { containerName, nodeLabels } from './docker-labels.js';
import { containerConfigPath, containerNodeDir } from './docker-topology.js';
import type { DockerNodePaths } from './docker-topology.js';
import { imageAppDir } from './image-inputs.js';

/** Bound on one engine call about a container (a graceful stop adds its grace period). */
export const containerCallTimeoutMs = 15_000;
/** Bound on a killed container being reported as not running. */
export const containerExitWaitMs = 10_000;

export interface ContainerLaunch {
  readonly runId: string;
  /** The node as its container sees it (container address). */
  readonly node: NodeSpec;
  readonly paths: DockerNodePaths;
  readonly image: string;
  readonly network: string;
  readonly stopGraceMs: number;
  readonly env: Readonly<Record<string, string>>;
}

export type ContainerStatus = {
  readonly running: boolean;
  readonly paused: boolean;
  readonly pid: number;
  readonly exit: string;
};

export class NodeContainer {
  readonly name: string;

  private constructor(
    private readonly docker: Docker,
    readonly launch: ContainerLaunch,
  ) {
    this.name = containerName(launch.runId, launch.node.id);
  }

  static async create(docker: Docker, launch: ContainerLaunch): Promise<NodeContainer> {
    const container = new NodeContainer(docker, launch);
    const { node, paths, network } = launch;
    const env = { QUORUMLAB_DETACHED: '1', ...launch.env };
    await container.call('create', () =>
      docker.createContainer({
        name: container.name,
        Image: launch.image,
        Cmd: [`dist/cluster/${node.role}/main.js`, containerConfigPath],
        WorkingDir: imageAppDir,
        Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
        // The node writes its data as the user who runs the workbench, so the host can read, corrupt and delete it.
        User: `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`,
        Labels: nodeLabels(launch.runId, node.id, node.role, node.az),
        StopTimeout: Math.ceil(launch.stopGraceMs / 1000),
        HostConfig: {
          Binds: [`${paths.nodeDir}:${containerNodeDir}`],
          NetworkMode: network,
          LogConfig: { Type: 'json-file', Config: {} },
          RestartPolicy: { Name: 'no' },
        },
        NetworkingConfig: { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: node.listen.host } } } },
      }),
    );
    return container;
  }

  async start(): Promise<void> {
    await this.call('start', () => this.container().start(), [304]);
  }

  /** SIGKILL, then wait until the engine reports it not running. */
  async kill(): Promise<void> {
    await this.call('kill', () => this.container().kill({ signal: 'SIGKILL' }), [409]);
    await this.exitWait();
  }

  /** SIGTERM, SIGKILL after the grace period (the engine enforces it). */
  async stop(): Promise<void> {
    const status = await this.status();
    if (status !== null && status.paused) await this.resume();
    await this.call(
      'stop',
      () => this.container().stop({ t: Math.ceil(this.launch.stopGraceMs / 1000) }),
      [304],
      this.launch.stopGraceMs,
    );
  }

  async pause(): Promise<void> {
    await this.call('pause', () => this.container().pause());
  }

  async resume(): Promise<void> {
    await this.call('unpause', () => this.container().unpause());
  }

  async remove(): Promise<void> {
    await this.call('remove', () => this.container().remove({ force: true, v: true }), [404]);
  }

  /** The engine's view, or null when the container does not exist. */
  async status(): Promise<ContainerStatus | null> {
    try {
      const info = await withTimeout(this.container().inspect(), containerCallTimeoutMs, `inspect ${this.name}`);
      const state = info.State;
      const exit = state.OOMKilled
        ? 'killed: out of memory'
        : `exit code ${state.ExitCode}${state.Error ? ` (${state.Error})` : ''}`;
      return { running: state.Running, paused: state.Paused, pid: state.Pid, exit };
    } catch (error) {
      if (errorStatus(error) === 404) return null;
      throw new Error(`inspect ${this.name}: ${errorText(error)}`);
    }
  }

  private async exitWait(): Promise<void> {
    await this.call('wait', () => this.container().wait({ condition: 'not-running' }), [404], containerExitWaitMs);
  }

  private container(): Docker.Container {
    return this.docker.getContainer(this.name);
  }

  /** One bounded engine call; statuses in `fine` mean it is already done. */
  private async call<T>(
    what: string,
    run: () => Promise<T>,
    fine: readonly number[] = [],
    extraMs = 0,
  ): Promise<T | null> {
    try {
      return await withTimeout(run(), containerCallTimeoutMs + extraMs, `${what} ${this.name}`);
    } catch (error) {
      const status = errorStatus(error);
      if (status !== null && fine.includes(status)) return null;
      throw new Error(`${what} ${this.name}: ${errorText(error)}`);
    }
  }
}
