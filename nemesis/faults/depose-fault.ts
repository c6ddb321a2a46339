// depose-writer: the primary writer is paused (SIGSTOP), a running standby is
// promoted and the start waits until it is ready; the stop resumes the old
// primary, which still believes it leads, holds a read lease and a cache, and
// must find out from storage's epoch fence that it does not. The targets are
// the fault's own: the primary and a standby of the moment, from an observation.

import type { NodeId } from '../../cluster/topology.js';
import { aimOrder } from '../observe/aims.js';
import { primaryOf } from '../observe/snapshot.js';
import type { NemesisOutcome } from '../nemesis.js';
import { outcomeError, outcomeOk } from '../outcome.js';
import { errorText, type Fault, type FaultEnv } from './fault.js';

export function deposeFaultCreate(name: string, env: FaultEnv): Fault {
  return new DeposeFault(name, env);
}

class DeposeFault implements Fault {
  /** The paused old primary, while it is paused. */
  #deposed: NodeId | null = null;

  constructor(
    readonly name: string,
    private readonly env: FaultEnv,
  ) {}

  get active(): boolean {
    return this.#deposed !== null;
  }

  get targets(): readonly string[] {
    return this.#deposed === null ? [] : [this.#deposed];
  }

  async start(): Promise<NemesisOutcome> {
    const { runtime, observer, prng } = this.env;
    if (this.#deposed !== null) return outcomeError('already-active', undefined, [this.#deposed]);
    const snapshot = await observer.observe();
    const primary = primaryOf(snapshot);
    const standby = aimOrder('standby', snapshot, prng).find((id) => runtime.nodeState(id) === 'running');
    if (standby === undefined)
      return outcomeError('no-standby', `no running standby writer to promote over ${primary}`, [primary]);
    if (runtime.nodeState(primary) !== 'running')
      return outcomeError('no-running-target', `the primary ${primary} is ${runtime.nodeState(primary)}`, [primary]);
    try {
      await runtime.nodePause(primary);
    } catch (error) {
      return outcomeError('runtime-error', `pausing ${primary}: ${errorText(error)}`, [primary]);
    }
    this.#deposed = primary;
    try {
      await runtime.writerPromote(standby);
    } catch (error) {
      // The old primary stays paused and the fault active: the stop resumes it.
      return outcomeError('runtime-error', `promoting ${standby}: ${errorText(error)}`, [primary], { standby });
    }
    return outcomeOk([primary], { promoted: standby, states: this.states([primary, standby]) });
  }

  async stop(): Promise<NemesisOutcome> {
    const deposed = this.#deposed;
    if (deposed === null) return outcomeOk([]);
    const { runtime } = this.env;
    if (runtime.nodeState(deposed) === 'paused') {
      try {
        await runtime.nodeResume(deposed);
      } catch (error) {
        return outcomeError('resume-failed', `${deposed}: ${errorText(error)}`, [deposed]);
      }
    }
    this.#deposed = null;
    return outcomeOk([deposed], { resumed: deposed, states: this.states([deposed]) });
  }

  private states(ids: readonly NodeId[]): Record<string, string> {
    return Object.fromEntries(ids.map((id) => [id, this.env.runtime.nodeState(id)]));
  }
}
