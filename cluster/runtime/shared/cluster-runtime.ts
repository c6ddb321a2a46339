// What every runtime does the same way, so that a runtime is only its
// mechanism: the life of a cluster (new, opening, running, stopping, stopped),
// starting storage nodes then writers and waiting for each over the real
// protocol, restarting a node, promoting a standby, the not-running guards, and
// registration with the one exit guard. To add a runtime, extend ClusterRuntime
// with the state of one run (R) and write the hooks below `protected abstract`:
// lay the nodes out and create their handles (runOpen), tear them down
// (runClose), launch one node, say how a node ended, where the host dials it,
// what to do when this process is interrupted or exits, and the single-node
// acts of the Runtime interface (kill, stop, pause, resume, state).

import { pollUntil, PollTimeoutError, type Clock } from '../../../core/clock.js';
import { StoreClient } from '../../client.js';
import type { WriterHealth } from '../../protocol/client-messages.js';
import type { Address, NodeId, NodeSpec } from '../../topology.js';
import { writerNodeId } from '../../topology.js';
import type { ClusterSpec, NodeState, Runtime } from '../runtime.js';
import { nodePaths } from './cluster-topology.js';
import type { ClusterTopology } from './cluster-topology.js';
import { exitGuardAdd, exitGuardRemove } from './exit-guard.js';
import type { ExitGuarded } from './exit-guard.js';
import { storageHealthProbe, writerHealthProbe, writerPrimaryReady, writerSettled } from './node-health.js';
import { NodeStartError } from './node-start-error.js';
import { readyWait } from './ready-wait.js';
import type { RuntimeBounds } from './runtime-options.js';

/** Bound on the promote request itself (recovery is waited for separately). */
export const promoteRequestTimeoutMs = 5000;
/** How often a cluster with standby writers looks which writer leads (a promotion that timed out may still win). */
const primaryWatchIntervalMs = 500;
/** Bound on one writer health probe of the watch. */
const primaryProbeTimeoutMs = 1000;

export interface RunOpened<R> {
  readonly run: R;
  readonly topology: ClusterTopology;
}

export type RuntimeLife<R> =
  | { readonly state: 'new' }
  | { readonly state: 'opening'; readonly opened: Promise<RunOpened<R>> }
  | { readonly state: 'running'; readonly run: R; readonly topology: ClusterTopology; readonly primary: NodeId }
  | { readonly state: 'stopping'; readonly topology: ClusterTopology | null; readonly closed: Promise<void> }
  | { readonly state: 'stopped'; readonly topology: ClusterTopology | null };

export interface MechanismTraits {
  /** Interval of readiness polls. */
  readonly readyPollMs: number;
  /** Bound on whole-cluster start attempts when a node's port was taken before it could bind it. */
  readonly startAttemptsMax: number;
}

export abstract class ClusterRuntime<R> implements Runtime {
  abstract readonly name: 'local' | 'docker';
  protected life: RuntimeLife<R> = { state: 'new' };
  private readonly guard: ExitGuarded;
  /** Ends the primary watch of the running cluster. */
  private watchStop: AbortController | null = null;

  constructor(
    readonly spec: ClusterSpec,
    protected readonly bounds: RuntimeBounds,
    protected readonly clock: Clock,
    private readonly traits: MechanismTraits,
  ) {
    this.guard = {
      what: `${spec.runId}`,
      release: () => this.exitRelease(),
      releaseNow: () => this.exitReleaseNow(),
    };
  }

  /** Lays the nodes out and creates a handle per node, none started; undoes its own work when it fails. */
  protected abstract runOpen(signal: AbortSignal | undefined): Promise<RunOpened<R>>;
  /** Stops and removes every node of the run. Never throws. */
  protected abstract runClose(run: R): Promise<void>;
  /** Starts one node's process or container (it is waited for afterwards). */
  protected abstract nodeLaunch(run: R, id: NodeId): Promise<void>;
  /** How the node ended ("exit code 1"), or null while it runs. */
  protected abstract nodeExited(run: R, id: NodeId): Promise<string | null>;
  /** Where a failed node ran, for its start error ("container ql-x-s00"), or null. */
  protected abstract nodeWhere(run: R, id: NodeId): string | null;
  /** Brings a node's log file up to date before its tail goes into an error. */
  protected abstract nodeLogRefresh(run: R, id: NodeId): Promise<void>;
  protected abstract nodeStateOf(run: R, id: NodeId): NodeState;
  /** After a signal nobody handles: release the run (bounded by the exit guard). */
  protected abstract exitRelease(): Promise<void>;
  /** At exit or an uncaught error: the synchronous last resort. */
  protected abstract exitReleaseNow(): void;
  /** Runs after a node started again by nodeStart() and before it is waited for. */
  protected nodeRestarted(_id: NodeId): Promise<void> {
    return Promise.resolve();
  }

  /** Where the host dials a node. */
  abstract nodeAddress(id: NodeId): Address;
  abstract nodeKill(id: NodeId): Promise<void>;
  abstract nodeStop(id: NodeId): Promise<void>;
  abstract nodePause(id: NodeId): Promise<void>;
  abstract nodeResume(id: NodeId): Promise<void>;

  async start(signal?: AbortSignal): Promise<void> {
    if (this.life.state === 'opening' || this.life.state === 'running')
      throw new Error(`the ${this.name} runtime is already running; stop() it first`);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce(signal);
        return;
      } catch (error) {
        await this.stop();
        const retry = error instanceof NodeStartError && error.portInUse && attempt < this.traits.startAttemptsMax;
        if (!retry) throw error;
      }
    }
  }

  /**
   * Lays the cluster out and creates every node without starting any: each is
   * then started by nodeStart(), in whatever order and subset the caller needs
   * (a test that starts the storage nodes and only a standby writer, say).
   */
  async open(signal?: AbortSignal): Promise<void> {
    if (this.life.state === 'opening' || this.life.state === 'running')
      throw new Error(`the ${this.name} runtime is already running; stop() it first`);
    try {
      await this.openOnce(signal);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops and removes every node. Idempotent; never throws. */
  async stop(): Promise<void> {
    const life = this.life;
    if (life.state === 'stopping') return life.closed;
    if (life.state === 'new' || life.state === 'stopped') return;
    const topology = life.state === 'running' ? life.topology : null;
    this.watchStop?.abort();
    this.watchStop = null;
    const closed = this.closeQuietly(life);
    this.life = { state: 'stopping', topology, closed };
    await closed;
    this.life = { state: 'stopped', topology: this.life.state === 'stopping' ? this.life.topology : topology };
    exitGuardRemove(this.guard);
  }

  nodes(): readonly NodeSpec[] {
    return this.topology().nodes;
  }

  nodeSpec(id: NodeId): NodeSpec {
    const spec = this.topology().nodes.find((node) => node.id === id);
    if (spec === undefined) throw new Error(`no node ${id} in this cluster`);
    return spec;
  }

  writerAddress(): Address {
    return this.nodeAddress(this.writerPrimary());
  }

  /** The writer currently taken to be the primary (w0 until a promotion). */
  writerPrimary(): NodeId {
    return this.life.state === 'running' ? this.life.primary : writerNodeId(0);
  }

  nodeState(id: NodeId): NodeState {
    if (this.life.state === 'running') return this.nodeStateOf(this.life.run, id);
    this.nodeSpec(id);
    return 'stopped';
  }

  /**
   * Start a stopped node again with its existing data; resolves when it answers
   * health. A writer is waited for until it settled (primary or standby), or,
   * with `settleTimeoutMs`, at most that long once it answers: a writer whose
   * recovery cannot reach a quorum yet keeps recovering in the background.
   */
  async nodeStart(id: NodeId, signal?: AbortSignal, settleTimeoutMs?: number): Promise<void> {
    const spec = this.nodeSpec(id);
    await this.nodeLaunch(this.running().run, id);
    await this.nodeRestarted(id);
    if (spec.role === 'storage') {
      await this.storageReadyWait(spec, signal);
      return;
    }
    if (settleTimeoutMs === undefined) {
      const health = await this.writerWait(spec, writerSettled, signal);
      if (writerPrimaryReady(health)) this.primarySet(id);
      return;
    }
    await this.writerWait(spec, () => true, signal);
    const settled = await this.writerSettleBounded(id, settleTimeoutMs, signal);
    if (settled !== null && writerPrimaryReady(settled)) this.primarySet(id);
  }

  /** Asks every running writer which one leads; the ready primary of the highest epoch becomes the runtime's. */
  async writerPrimaryFind(): Promise<NodeId | null> {
    const { run, topology } = this.running();
    const running = topology.writers.filter((node) => this.nodeStateOf(run, node.id) === 'running');
    const probes = await Promise.all(
      running.map(async (node) => ({
        id: node.id,
        probe: await writerHealthProbe(this.nodeAddress(node.id), primaryProbeTimeoutMs),
      })),
    );
    let best: { readonly id: NodeId; readonly epoch: number } | null = null;
    for (const { id, probe } of probes) {
      if (!probe.ok || !writerPrimaryReady(probe.health)) continue;
      if (best === null || probe.health.epoch > best.epoch) best = { id, epoch: probe.health.epoch };
    }
    if (best !== null && this.life.state === 'running') this.primarySet(best.id);
    return best?.id ?? null;
  }

  async writerPromote(id: NodeId, signal?: AbortSignal): Promise<void> {
    const spec = this.nodeSpec(id);
    if (spec.role !== 'writer') throw new Error(`writerPromote(${id}): not a writer`);
    const client = await StoreClient.connect(this.nodeAddress(id), promoteRequestTimeoutMs);
    try {
      const result = await client.request({ t: 'promote' }, promoteRequestTimeoutMs);
      if (!result.ok) throw new Error(`writerPromote(${id}): ${result.code}: ${result.message}`);
    } finally {
      client.close();
    }
    await this.writerWait(spec, writerPrimaryReady, signal);
    this.primarySet(id);
  }

  nodeDataDir(id: NodeId): string {
    return nodePaths(this.spec.baseDir, id).dataDir;
  }

  nodeLogPath(id: NodeId): string {
    return nodePaths(this.spec.baseDir, id).logPath;
  }

  /** The state of the running cluster; throws when it is not running. */
  protected running(): Extract<RuntimeLife<R>, { state: 'running' }> {
    if (this.life.state !== 'running') throw new Error(`the ${this.name} runtime is not running (${this.lifeText()})`);
    return this.life;
  }

  private topology(): ClusterTopology {
    const life = this.life;
    const topology = life.state === 'new' || life.state === 'opening' ? null : life.topology;
    if (topology === null) throw new Error(`the ${this.name} runtime has not been started`);
    return topology;
  }

  private lifeText(): string {
    switch (this.life.state) {
      case 'new':
        return 'not started yet';
      case 'opening':
        return 'still starting';
      default:
        return 'stopped';
    }
  }

  private async startOnce(signal: AbortSignal | undefined): Promise<void> {
    const topology = await this.openOnce(signal);
    await this.groupStart(topology.storage, signal);
    await this.groupStart(topology.writers, signal);
    if (topology.writers.length > 1) this.primaryWatch();
  }

  /** Opens the run: every node laid out and created, none started. */
  private async openOnce(signal: AbortSignal | undefined): Promise<ClusterTopology> {
    const opened = this.runOpen(signal);
    this.life = { state: 'opening', opened };
    exitGuardAdd(this.guard);
    const { run, topology } = await opened;
    // A stop() while opening has waited for this run and closed it.
    if (this.life.state !== 'opening') throw new Error(`the ${this.name} runtime was stopped while starting`);
    this.life = { state: 'running', run, topology, primary: writerNodeId(0) };
    return topology;
  }

  /** While running with standbys, follows the lead: clients and the recovery wait dial whoever leads now. */
  private primaryWatch(): void {
    const stop = new AbortController();
    this.watchStop = stop;
    const loop = async (): Promise<void> => {
      while (!stop.signal.aborted && this.life.state === 'running') {
        await this.clock.sleep(primaryWatchIntervalMs, stop.signal);
        if (stop.signal.aborted || this.life.state !== 'running') return;
        await this.writerPrimaryFind();
      }
    };
    void loop().catch((error: unknown) => {
      if (!stop.signal.aborted) process.stderr.write(`${this.name} runtime: primary watch: ${String(error)}\n`);
    });
  }

  private async writerSettleBounded(
    id: NodeId,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<WriterHealth | null> {
    try {
      return await pollUntil(this.clock, {
        what: `writer ${id} settled`,
        timeoutMs,
        intervalMs: this.traits.readyPollMs,
        ...(signal === undefined ? {} : { signal }),
        probe: async () => {
          const probe = await writerHealthProbe(this.nodeAddress(id), primaryProbeTimeoutMs);
          return probe.ok && writerSettled(probe.health) ? probe.health : null;
        },
      });
    } catch (error) {
      if (error instanceof PollTimeoutError) return null;
      throw error;
    }
  }

  private async groupStart(nodes: readonly NodeSpec[], signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    const run = this.running().run;
    await Promise.all(nodes.map((node) => this.nodeLaunch(run, node.id)));
    await Promise.all(
      nodes.map((node) =>
        node.role === 'storage'
          ? this.storageReadyWait(node, signal)
          : this.writerWait(node, node.id === this.writerPrimary() ? writerPrimaryReady : writerSettled, signal),
      ),
    );
  }

  private async closeQuietly(life: Extract<RuntimeLife<R>, { state: 'opening' | 'running' }>): Promise<void> {
    try {
      const run = life.state === 'running' ? life.run : (await life.opened.catch(() => null))?.run;
      if (run !== undefined) await this.runClose(run);
    } catch (error) {
      process.stderr.write(`${this.name} runtime: stopping: ${String(error)}\n`);
    }
  }

  private primarySet(id: NodeId): void {
    const life = this.running();
    this.life = { ...life, primary: id };
  }

  private async storageReadyWait(node: NodeSpec, signal: AbortSignal | undefined): Promise<void> {
    await this.nodeReadyWait(node, `storage node ${node.id} ready`, this.bounds.storageReadyTimeoutMs, signal, {
      probe: (timeoutMs) => storageHealthProbe(this.nodeAddress(node.id), timeoutMs),
      ready: (health) => health.ready,
    });
  }

  private writerWait(
    node: NodeSpec,
    ready: (health: WriterHealth) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<WriterHealth> {
    const what = `writer ${node.id} ${ready === writerPrimaryReady ? 'ready as primary' : 'settled'}`;
    return this.nodeReadyWait(node, what, this.bounds.writerReadyTimeoutMs, signal, {
      probe: (timeoutMs) => writerHealthProbe(this.nodeAddress(node.id), timeoutMs),
      ready,
    });
  }

  private nodeReadyWait<T>(
    node: NodeSpec,
    what: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    health: Pick<Parameters<typeof readyWait<T>>[1], 'probe' | 'ready'>,
  ): Promise<T> {
    const run = this.running().run;
    return readyWait(this.clock, {
      nodeId: node.id,
      what,
      ...health,
      timeoutMs,
      pollMs: this.traits.readyPollMs,
      logPath: this.nodeLogPath(node.id),
      where: this.nodeWhere(run, node.id),
      exited: () => this.nodeExited(run, node.id),
      logRefresh: () => this.nodeLogRefresh(run, node.id),
      signal,
    });
  }
}
