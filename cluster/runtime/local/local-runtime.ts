// The local runtime: every node of the cluster is a child process on this
// machine with its own port, data directory and log file. It starts the
// storage nodes, then the writers, and waits until the primary writer has
// recovered; it kills, stops, pauses and restarts single nodes for the nemesis,
// and tracks which writer is the primary across promotions.

import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreClient } from '../../client.js';
import type { WriterHealth } from '../../protocol/client-messages.js';
import type { Address, NodeId, NodeSpec } from '../../topology.js';
import { writerNodeId } from '../../topology.js';
import type { ClusterSpec, NodeState, Runtime } from '../runtime.js';
import { clientLinkEnd, linkLayerDirectCreate } from './link-address.js';
import type { LinkLayer, LinkLayerCreate } from './link-address.js';
import { liveRuntimeAdd, liveRuntimeRemove } from './live-registry.js';
import type { LiveRuntime } from './live-registry.js';
import { localTopologyBuild, localTopologyPortCount, nodeConfigBuild, nodePaths } from './local-topology.js';
import type { LocalTopology } from './local-topology.js';
import { NodeChild } from './node-child.js';
import { storageHealthProbe, writerHealthProbe, writerPrimaryReady, writerSettled } from './node-health.js';
import type { Probe, StorageHealth } from './node-health.js';
import { nodeScriptMissing, nodeScriptPath } from './node-script.js';
import { portsAllocate } from './port-allocate.js';
import { procState } from './process-marker.js';
import { NodeStartError, readyWait } from './ready-wait.js';

export interface LocalRuntimeOptions {
  /** The built project (default: <project>/dist). */
  readonly distDir?: string;
  /** Bound on a storage node becoming ready after its process starts. */
  readonly storageReadyTimeoutMs?: number;
  /** Bound on a writer finishing recovery (or settling as a standby). */
  readonly writerReadyTimeoutMs?: number;
  /** Bound between SIGTERM and SIGKILL on a graceful stop. */
  readonly stopGraceMs?: number;
  /** How links are dialled; the default dials each node directly. */
  readonly linkLayerCreate?: LinkLayerCreate;
  /** Extra environment for every node. */
  readonly env?: Readonly<Record<string, string>>;
}

export const localRuntimeDefaults = Object.freeze({
  storageReadyTimeoutMs: 15_000,
  writerReadyTimeoutMs: 30_000,
  stopGraceMs: 4000,
});

/** Bound on whole-cluster start attempts when a chosen port was taken before a node could bind it. */
export const startAttemptsMax = 3;
/** Bound on waiting for a process to vanish after SIGKILL. */
export const killExitWaitMs = 5000;
/** Interval of readiness polls. */
export const readyPollMs = 50;
/** Bound on a SIGSTOP or SIGCONT showing in the process state, and the interval of checks. */
export const signalTakeEffectWaitMs = 2000;
const signalPollMs = 2;
/** Bound on the promote request itself (recovery is waited for separately). */
export const promoteRequestTimeoutMs = 5000;

export function localRuntimeCreate(spec: ClusterSpec, options: LocalRuntimeOptions = {}): LocalRuntime {
  return new LocalRuntime(spec, options);
}

export class LocalRuntime implements Runtime, LiveRuntime {
  readonly name = 'local';
  private topology: LocalTopology | null = null;
  private links: LinkLayer | null = null;
  private readonly children = new Map<NodeId, NodeChild>();
  private primary: NodeId = writerNodeId(0);
  private readonly timeouts: {
    readonly storageReadyTimeoutMs: number;
    readonly writerReadyTimeoutMs: number;
    readonly stopGraceMs: number;
  };

  constructor(
    readonly spec: ClusterSpec,
    private readonly options: LocalRuntimeOptions = {},
  ) {
    this.timeouts = {
      storageReadyTimeoutMs: options.storageReadyTimeoutMs ?? localRuntimeDefaults.storageReadyTimeoutMs,
      writerReadyTimeoutMs: options.writerReadyTimeoutMs ?? localRuntimeDefaults.writerReadyTimeoutMs,
      stopGraceMs: options.stopGraceMs ?? localRuntimeDefaults.stopGraceMs,
    };
  }

  async start(signal?: AbortSignal): Promise<void> {
    if ([...this.children.values()].some((child) => child.state !== 'stopped'))
      throw new Error('the local runtime is already running; stop() it first');
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce(signal);
        return;
      } catch (error) {
        await this.stop();
        const retry = error instanceof NodeStartError && error.portInUse && attempt < startAttemptsMax;
        if (!retry) throw error;
      }
    }
  }

  async stop(): Promise<void> {
    const stops = [...this.children.values()].map((child) =>
      child.stop(this.timeouts.stopGraceMs, killExitWaitMs).catch((error: unknown) => {
        process.stderr.write(`local runtime: stopping ${child.launch.id}: ${String(error)}\n`);
      }),
    );
    await Promise.all(stops);
    const links = this.links;
    this.links = null;
    if (links !== null)
      await links
        .close()
        .catch((error: unknown) => process.stderr.write(`local runtime: closing links: ${String(error)}\n`));
    liveRuntimeRemove(this);
  }

  killAllNow(): void {
    for (const child of this.children.values()) {
      try {
        child.signal('SIGKILL');
      } catch (error) {
        process.stderr.write(`local runtime: SIGKILL ${child.launch.id}: ${String(error)}\n`);
      }
    }
  }

  nodes(): readonly NodeSpec[] {
    return this.started().nodes;
  }

  writerAddress(): Address {
    return this.linkAddress(clientLinkEnd, this.primary);
  }

  /** The writer currently taken to be the primary (w0 until a promotion). */
  writerPrimary(): NodeId {
    return this.primary;
  }

  nodeState(id: NodeId): NodeState {
    return this.child(id).state;
  }

  nodePid(id: NodeId): number | null {
    return this.child(id).pid;
  }

  async nodeKill(id: NodeId): Promise<void> {
    await this.child(id).kill(killExitWaitMs);
  }

  async nodeStop(id: NodeId): Promise<void> {
    await this.child(id).stop(this.timeouts.stopGraceMs, killExitWaitMs);
  }

  async nodeStart(id: NodeId, signal?: AbortSignal): Promise<void> {
    const child = this.child(id);
    child.start();
    const spec = this.nodeSpec(id);
    if (spec.role === 'storage') {
      await this.storageReadyWait(spec, child, signal);
      return;
    }
    const health = await this.writerWait(spec, child, writerSettled, signal);
    if (writerPrimaryReady(health)) this.primary = id;
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

  async writerPromote(id: NodeId, signal?: AbortSignal): Promise<void> {
    const spec = this.nodeSpec(id);
    if (spec.role !== 'writer') throw new Error(`writerPromote(${id}): not a writer`);
    const client = await StoreClient.connect(this.linkAddress(clientLinkEnd, id), promoteRequestTimeoutMs);
    try {
      const result = await client.request({ t: 'promote' }, promoteRequestTimeoutMs);
      if (!result.ok) throw new Error(`writerPromote(${id}): ${result.code}: ${result.message}`);
    } finally {
      client.close();
    }
    await this.writerWait(spec, this.child(id), writerPrimaryReady, signal);
    this.primary = id;
  }

  nodeDataDir(id: NodeId): string {
    return nodePaths(this.spec.baseDir, id).dataDir;
  }

  nodeLogPath(id: NodeId): string {
    return nodePaths(this.spec.baseDir, id).logPath;
  }

  nodeSpec(id: NodeId): NodeSpec {
    const spec = this.started().nodes.find((node) => node.id === id);
    if (spec === undefined) throw new Error(`no node ${id} in this cluster`);
    return spec;
  }

  /** The address `from` dials to reach `to`: the one place links are decided. */
  linkAddress(from: NodeId | typeof clientLinkEnd, to: NodeId): Address {
    if (this.links === null) throw new Error('the local runtime is not running (not started yet, or stopped)');
    return this.links.linkAddress(from, to);
  }

  storageHealth(id: NodeId, timeoutMs: number): Promise<Probe<StorageHealth>> {
    return storageHealthProbe(this.linkAddress(clientLinkEnd, id), timeoutMs);
  }

  writerHealth(id: NodeId, timeoutMs: number): Promise<Probe<WriterHealth>> {
    return writerHealthProbe(this.linkAddress(clientLinkEnd, id), timeoutMs);
  }

  private async startOnce(signal: AbortSignal | undefined): Promise<void> {
    const { config, standbyWriters, baseDir, runId } = this.spec;
    const ports = await portsAllocate(localTopologyPortCount(config, standbyWriters));
    const topology = localTopologyBuild(config, standbyWriters, baseDir, ports);
    this.topology = topology;
    this.primary = writerNodeId(0);
    const links = await (this.options.linkLayerCreate ?? linkLayerDirectCreate)(topology.nodes);
    this.links = links;
    this.children.clear();
    for (const node of topology.nodes) {
      const paths = nodePaths(baseDir, node.id);
      mkdirSync(paths.dataDir, { recursive: true });
      writeFileSync(
        paths.configPath,
        `${JSON.stringify(
          nodeConfigBuild(topology, node, config, (from, to) => links.linkAddress(from, to)),
          null,
          2,
        )}\n`,
      );
      const script = nodeScriptPath(node.role, this.options.distDir);
      const missing = nodeScriptMissing(script);
      if (missing !== null) throw new Error(missing);
      const launch = { id: node.id, runId, script, configPath: paths.configPath, logPath: paths.logPath };
      this.children.set(node.id, new NodeChild(this.options.env ? { ...launch, env: this.options.env } : launch));
    }
    liveRuntimeAdd(this);
    for (const node of topology.storage) this.child(node.id).start();
    await Promise.all(topology.storage.map((node) => this.storageReadyWait(node, this.child(node.id), signal)));
    for (const node of topology.writers) this.child(node.id).start();
    await Promise.all(
      topology.writers.map((node) =>
        this.writerWait(
          node,
          this.child(node.id),
          node.id === this.primary ? writerPrimaryReady : writerSettled,
          signal,
        ),
      ),
    );
  }

  private storageReadyWait(node: NodeSpec, child: NodeChild, signal: AbortSignal | undefined): Promise<StorageHealth> {
    return readyWait({
      what: `storage node ${node.id} ready`,
      probe: (timeoutMs) => this.storageHealth(node.id, timeoutMs),
      ready: (health) => health.ready,
      timeoutMs: this.timeouts.storageReadyTimeoutMs,
      pollMs: readyPollMs,
      logPath: child.launch.logPath,
      exited: () => exitDescribe(child),
      signal,
    });
  }

  private writerWait(
    node: NodeSpec,
    child: NodeChild,
    ready: (health: WriterHealth) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<WriterHealth> {
    return readyWait({
      what: `writer ${node.id} ${ready === writerPrimaryReady ? 'ready as primary' : 'settled'}`,
      probe: (timeoutMs) => this.writerHealth(node.id, timeoutMs),
      ready,
      timeoutMs: this.timeouts.writerReadyTimeoutMs,
      pollMs: readyPollMs,
      logPath: child.launch.logPath,
      exited: () => exitDescribe(child),
      signal,
    });
  }

  private signalRunning(id: NodeId, signal: 'SIGSTOP' | 'SIGCONT'): void {
    const child = this.child(id);
    if (child.state === 'stopped' || !child.signal(signal))
      throw new Error(`node ${id} is not running; cannot send ${signal}`);
  }

  /** Signals are delivered asynchronously; wait (bounded) until /proc agrees. Without /proc, trust the signal. */
  private async procStateWait(id: NodeId, stopped: boolean): Promise<void> {
    const deadline = performance.now() + signalTakeEffectWaitMs;
    for (;;) {
      const pid = this.child(id).pid;
      const state = pid === null ? null : procState(pid);
      if (state === null || (state === 'T' || state === 't') === stopped) return;
      if (performance.now() >= deadline)
        throw new Error(
          `node ${id} (pid ${pid}) is still in state ${state} ${signalTakeEffectWaitMs} ms after ${stopped ? 'SIGSTOP' : 'SIGCONT'}`,
        );
      await sleep(signalPollMs);
    }
  }

  private started(): LocalTopology {
    if (this.topology === null) throw new Error('the local runtime has not been started');
    return this.topology;
  }

  private child(id: NodeId): NodeChild {
    const child = this.children.get(id);
    if (child === undefined) throw new Error(`no node ${id} in this cluster (started: ${this.topology !== null})`);
    return child;
  }
}

function exitDescribe(child: NodeChild): string | null {
  if (child.state !== 'stopped') return null;
  const exit = child.lastExit;
  if (exit === null) return 'not started';
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}
