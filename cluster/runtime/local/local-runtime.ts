// The local runtime: every node of the cluster is a child process on this
// machine with its own port, data directory and log file. This file is only
// the mechanism (ports, links, config files, processes, signals and /proc);
// starting in order, readiness, promotion and the exit guard are shared.

import { mkdirSync, writeFileSync } from 'node:fs';
import { clockCreate, pollUntil } from '../../../core/clock.js';
import type { WriterHealth } from '../../protocol/client-messages.js';
import type { Address, NodeId } from '../../topology.js';
import type { NodeState } from '../runtime.js';
import type { ClusterSpec } from '../runtime.js';
import { ClusterRuntime } from '../shared/cluster-runtime.js';
import type { RunOpened } from '../shared/cluster-runtime.js';
import { clusterNodeCount, clusterTopologyBuild, nodeConfigBuild, nodePaths } from '../shared/cluster-topology.js';
import type { ClusterTopology } from '../shared/cluster-topology.js';
import { storageHealthProbe, writerHealthProbe } from '../shared/node-health.js';
import type { Probe, StorageHealth } from '../shared/node-health.js';
import { runtimeBoundsParse } from '../shared/runtime-options.js';
import type { RuntimeBounds, RuntimeOptions } from '../shared/runtime-options.js';
import { clientLinkEnd, linkLayerDirectCreate } from './link-address.js';
import type { LinkEnd, LinkLayer, LinkLayerCreate } from './link-address.js';
import { exitDescribe, NodeChild } from './node-child.js';
import { nodeScriptFor } from './node-script.js';
import { portsAllocate } from './port-allocate.js';
import { procState } from './process-marker.js';

export interface LocalRuntimeOptions extends RuntimeOptions {
  /** The built project (default: <project>/dist). */
  readonly distDir?: string;
  /** How links are dialled; the default dials each node directly. */
  readonly linkLayerCreate?: LinkLayerCreate;
}

export const localRuntimeDefaults: RuntimeBounds = Object.freeze({
  storageReadyTimeoutMs: 15_000,
  writerReadyTimeoutMs: 30_000,
  stopGraceMs: 4000,
});

/** Bound on whole-cluster start attempts when a chosen port was taken before a node could bind it. */
const startAttemptsMax = 3;
/** Bound on waiting for a process to vanish after SIGKILL. */
export const killExitWaitMs = 5000;
/** Interval of readiness polls. */
const readyPollMs = 50;
/** Bound on a SIGSTOP or SIGCONT showing in the process state, and the interval of checks. */
export const signalTakeEffectWaitMs = 2000;
const signalPollMs = 2;

interface LocalRun {
  readonly links: LinkLayer;
  readonly children: ReadonlyMap<NodeId, NodeChild>;
}

export function localRuntimeCreate(spec: ClusterSpec, options: LocalRuntimeOptions = {}): LocalRuntime {
  return new LocalRuntime(spec, options);
}

export class LocalRuntime extends ClusterRuntime<LocalRun> {
  readonly name = 'local';

  constructor(
    spec: ClusterSpec,
    private readonly options: LocalRuntimeOptions = {},
  ) {
    const bounds = runtimeBoundsParse('local', options, localRuntimeDefaults);
    if (!bounds.ok) throw new Error(bounds.error);
    super(spec, bounds.bounds, options.clock ?? clockCreate(), { readyPollMs, startAttemptsMax });
  }

  /** SIGKILL every node process now, without waiting. */
  killAllNow(): void {
    if (this.life.state !== 'running') return;
    for (const child of this.life.run.children.values()) {
      try {
        child.signal('SIGKILL');
      } catch (error) {
        process.stderr.write(`local runtime: SIGKILL ${child.launch.id}: ${String(error)}\n`);
      }
    }
  }

  nodeAddress(id: NodeId): Address {
    return this.linkAddress(clientLinkEnd, id);
  }

  nodePid(id: NodeId): number | null {
    return this.child(id).pid;
  }

  async nodeKill(id: NodeId): Promise<void> {
    await this.child(id).kill(killExitWaitMs);
  }

  async nodeStop(id: NodeId): Promise<void> {
    await this.child(id).stop(this.bounds.stopGraceMs, killExitWaitMs);
  }

  /** Resolves once the kernel shows the process stopped, so the pause is in force when the caller goes on. */
  async nodePause(id: NodeId): Promise<void> {
    this.signalRunning(id, 'SIGSTOP');
    await this.procStateWait(id, true);
  }

  async nodeResume(id: NodeId): Promise<void> {
    this.signalRunning(id, 'SIGCONT');
    await this.procStateWait(id, false);
  }

  /** The address `from` dials to reach `to`: the one place links are decided. */
  linkAddress(from: LinkEnd, to: NodeId): Address {
    return this.running().run.links.linkAddress(from, to);
  }

  storageHealth(id: NodeId, timeoutMs: number): Promise<Probe<StorageHealth>> {
    return storageHealthProbe(this.nodeAddress(id), timeoutMs);
  }

  writerHealth(id: NodeId, timeoutMs: number): Promise<Probe<WriterHealth>> {
    return writerHealthProbe(this.nodeAddress(id), timeoutMs);
  }

  protected async runOpen(): Promise<RunOpened<LocalRun>> {
    const { config, standbyWriters, baseDir } = this.spec;
    const ports = await portsAllocate(clusterNodeCount(config, standbyWriters));
    const topology = clusterTopologyBuild(config, standbyWriters, baseDir, ports);
    const links = await (this.options.linkLayerCreate ?? linkLayerDirectCreate)(topology.nodes);
    try {
      return { run: { links, children: this.childrenCreate(topology, links) }, topology };
    } catch (error) {
      await links.close();
      throw error;
    }
  }

  protected async runClose(run: LocalRun): Promise<void> {
    const stops = [...run.children.values()].map((child) =>
      child.stop(this.bounds.stopGraceMs, killExitWaitMs).catch((error: unknown) => {
        process.stderr.write(`local runtime: stopping ${child.launch.id}: ${String(error)}\n`);
      }),
    );
    await Promise.all(stops);
    await run.links
      .close()
      .catch((error: unknown) => process.stderr.write(`local runtime: closing links: ${String(error)}\n`));
  }

  protected nodeLaunch(run: LocalRun, id: NodeId): Promise<void> {
    this.childOf(run, id).start();
    return Promise.resolve();
  }

  protected nodeExited(run: LocalRun, id: NodeId): Promise<string | null> {
    return Promise.resolve(exitDescribe(this.childOf(run, id)));
  }

  protected nodeWhere(): string | null {
    return null;
  }

  protected nodeLogRefresh(): Promise<void> {
    // Node processes append to their log file themselves.
    return Promise.resolve();
  }

  protected nodeStateOf(run: LocalRun, id: NodeId): NodeState {
    return this.childOf(run, id).state;
  }

  /** Node processes are killed outright, synchronously: nothing else is sure to run after a signal. */
  protected exitRelease(): Promise<void> {
    this.killAllNow();
    return Promise.resolve();
  }

  protected exitReleaseNow(): void {
    this.killAllNow();
  }

  private childrenCreate(topology: ClusterTopology, links: LinkLayer): Map<NodeId, NodeChild> {
    const { config, baseDir, runId } = this.spec;
    const children = new Map<NodeId, NodeChild>();
    for (const node of topology.nodes) {
      const paths = nodePaths(baseDir, node.id);
      mkdirSync(paths.dataDir, { recursive: true });
      const nodeConfig = nodeConfigBuild(topology, node, config, (from, to) => links.linkAddress(from, to));
      writeFileSync(paths.configPath, `${JSON.stringify(nodeConfig, null, 2)}\n`);
      const script = nodeScriptFor(node.id, node.role, this.options.distDir);
      const launch = { id: node.id, runId, script, configPath: paths.configPath, logPath: paths.logPath };
      children.set(node.id, new NodeChild(this.options.env ? { ...launch, env: this.options.env } : launch));
    }
    return children;
  }

  private signalRunning(id: NodeId, signal: 'SIGSTOP' | 'SIGCONT'): void {
    const child = this.child(id);
    if (child.state === 'stopped' || !child.signal(signal))
      throw new Error(`node ${id} is not running; cannot send ${signal}`);
  }

  /** Signals are delivered asynchronously; wait (bounded) until /proc agrees. Without /proc, trust the signal. */
  private async procStateWait(id: NodeId, stopped: boolean): Promise<void> {
    const sent = stopped ? 'SIGSTOP' : 'SIGCONT';
    let seen = '';
    await pollUntil(this.clock, {
      what: `node ${id} to show the effect of ${sent}`,
      timeoutMs: signalTakeEffectWaitMs,
      intervalMs: signalPollMs,
      probe: () => {
        const pid = this.child(id).pid;
        const state = pid === null ? null : procState(pid);
        seen = `pid ${pid}, state ${state}`;
        return state === null || (state === 'T' || state === 't') === stopped ? true : null;
      },
      detail: () => `still ${seen}`,
    });
  }

  private child(id: NodeId): NodeChild {
    return this.childOf(this.running().run, id);
  }

  private childOf(run: LocalRun, id: NodeId): NodeChild {
    const child = run.children.get(id);
    if (child === undefined) throw new Error(`no node ${id} in this cluster`);
    return child;
  }
}
