// Faults on node processes: kill (SIGKILL) and restart, power loss (a kill of
// nodes whose volatile write cache is on, so unsynced writes vanish), and pause
// (SIGSTOP) and resume. A kill that takes the primary writer promotes a running
// standby when the cluster has one; the stop restarts storage before writers.

import type { NodeId } from '../../cluster/topology.js';
import type { NemesisOutcome } from '../nemesis.js';
import { outcomeError, outcomeOk } from '../outcome.js';
import type { AimShape } from '../observe/aims.js';
import { errorText, writerNodes, type Fault, type FaultEnv, type TargetsRequest } from './fault.js';
import { nodesChoose, type NodeChoice } from './node-targets.js';
import { isAimRequest, targetsResolve } from './targets-resolve.js';

/** A restart that fails (a port taken, a slow recovery) is tried this many times in all. */
export const restartAttemptsMax = 2;
/**
 * How long a restarted writer is waited for to settle (primary or standby). A writer whose storage is still down
 * keeps recovering in the background; the fault goes on rather than holding its lane for the runtime's whole bound.
 */
export const writerSettleWaitMs = 10_000;
/** How long a promotion is waited for before the fault goes on (it usually takes well under a second). */
export const promoteWaitMs = 3000;

export type ProcessFaultKind = 'kill' | 'power-loss' | 'pause';

export function processFaultCreate(name: string, kind: ProcessFaultKind, choice: NodeChoice, env: FaultEnv): Fault {
  return new ProcessFault(name, kind, choice, env);
}

class ProcessFault implements Fault {
  #targets: NodeId[] = [];

  constructor(
    readonly name: string,
    private readonly kind: ProcessFaultKind,
    private readonly choice: NodeChoice,
    private readonly env: FaultEnv,
  ) {}

  get active(): boolean {
    return this.#targets.length > 0;
  }

  get targets(): readonly string[] {
    return this.#targets;
  }

  async start(requested: TargetsRequest): Promise<NemesisOutcome> {
    const { runtime } = this.env;
    if (this.active) return outcomeError('already-active', undefined, this.#targets);
    if (this.kind === 'power-loss' && !this.env.config.storage.volatileWriteCache)
      return outcomeError('volatile-write-cache-off');
    const resolved = await targetsResolve(this.env, requested, this.aimShape(requested));
    if (!resolved.ok) return resolved.outcome;
    const primary = this.env.writerPrimary();
    const chosen =
      resolved.targets ?? nodesChoose(this.choice, { nodes: runtime.nodes(), primary, prng: this.env.prng });
    const targets = chosen.filter((id) => runtime.nodeState(id) !== 'stopped');
    const details = resolved.details;
    if (targets.length === 0)
      return outcomeError('no-running-target', `stopped already: ${chosen.join(' ') || 'no target'}`, chosen, details);
    this.#targets = targets;
    try {
      if (this.kind === 'pause') {
        await Promise.all(targets.map((id) => runtime.nodePause(id)));
        return outcomeOk(targets, { ...details, states: this.states() });
      }
      await Promise.all(targets.map((id) => runtime.nodeKill(id)));
      const promoted = targets.includes(primary) ? await this.standbyPromote(targets) : null;
      return outcomeOk(targets, { ...details, states: this.states(), ...(promoted === null ? {} : { promoted }) });
    } catch (error) {
      return outcomeError('runtime-error', errorText(error), targets, { ...details, states: this.states() });
    }
  }

  /**
   * An aim strikes the nodes it names, or for a fault of one AZ the AZ of its
   * first node; power loss with a count cuts exactly that many nodes of the
   * aim instead. all-storage is every storage node whatever the shape (a total
   * power loss).
   */
  private aimShape(requested: TargetsRequest): AimShape {
    switch (this.choice) {
      case 'storage-node':
      case 'writer':
        return 'nodes';
      case 'az':
        return 'az';
      case 'az-plus-one':
        return 'az-plus-one';
      case 'az-storage':
        return isAimRequest(requested) && requested.count !== undefined ? 'nodes' : 'az-storage';
    }
  }

  async stop(): Promise<NemesisOutcome> {
    const targets = this.#targets;
    if (targets.length === 0) return outcomeOk([]);
    const failures = this.kind === 'pause' ? await this.resumeAll(targets) : await this.restartAll(targets);
    const states = this.states();
    // The fault stays active while a node is still down, so the final heal tries again.
    if (failures.length > 0) {
      const code = this.kind === 'pause' ? 'resume-failed' : 'restart-failed';
      return outcomeError(code, failures.join('; '), targets, { states });
    }
    this.#targets = [];
    return outcomeOk(targets, { states });
  }

  /** Promotes the first running standby; a cluster without one waits for the stop to restart the writer. */
  private async standbyPromote(killed: readonly NodeId[]): Promise<NodeId | null> {
    const { runtime } = this.env;
    const standby = writerNodes(runtime).find(
      (node) => !killed.includes(node.id) && runtime.nodeState(node.id) === 'running',
    );
    if (standby === undefined) return null;
    // A standby whose storage is down cannot finish its recovery: it goes on in the background and the runtime's
    // primary watch takes it as the primary once it is ready, while the fault returns.
    try {
      await runtime.writerPromote(standby.id, AbortSignal.timeout(promoteWaitMs));
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'TimeoutError')) throw error;
    }
    return standby.id;
  }

  private async resumeAll(targets: readonly NodeId[]): Promise<string[]> {
    const { runtime } = this.env;
    const results = await Promise.all(
      targets.map(async (id) => {
        if (runtime.nodeState(id) !== 'paused') return null;
        return runtime.nodeResume(id).then(
          () => null,
          (error: unknown) => `${id}: ${errorText(error)}`,
        );
      }),
    );
    return results.filter((failure): failure is string => failure !== null);
  }

  /** Storage nodes together, then writers one by one: a writer's recovery needs its storage up. */
  private async restartAll(targets: readonly NodeId[]): Promise<string[]> {
    const { runtime } = this.env;
    const storage = targets.filter((id) => runtime.nodes().find((node) => node.id === id)?.role === 'storage');
    const writers = targets.filter((id) => !storage.includes(id));
    const failures = (await Promise.all(storage.map((id) => this.restart(id)))).filter((f): f is string => f !== null);
    for (const id of writers) {
      const failure = await this.restart(id);
      if (failure !== null) failures.push(failure);
    }
    return failures;
  }

  private async restart(id: NodeId): Promise<string | null> {
    const { runtime } = this.env;
    let last = '';
    for (let attempt = 1; attempt <= restartAttemptsMax; attempt++) {
      if (runtime.nodeState(id) !== 'stopped') return null;
      try {
        await runtime.nodeStart(id, undefined, writerSettleWaitMs);
        return null;
      } catch (error) {
        last = errorText(error);
        // A start that timed out may have left the process running; stop it before trying again.
        await runtime.nodeKill(id).catch((killError: unknown) => {
          last += `; kill after failed start: ${errorText(killError)}`;
        });
      }
    }
    return `${id}: ${last}`;
  }

  private states(): Record<string, string> {
    return Object.fromEntries(this.#targets.map((id) => [id, this.env.runtime.nodeState(id)]));
  }
}
