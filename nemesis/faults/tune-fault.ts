// Faults that turn the store's own controls (cluster/admin-client.ts), sent
// to each node's own address: slow-fsync makes every fdatasync of the target
// storage nodes take slowFsyncDelayMs, so acknowledgements wait on the disk
// and a power loss catches more unsynced writes; storage-reads makes the
// writers answer reads from storage, spread round-robin over every eligible
// replica, so a replica that serves a wrong read is seen even with the cache on.
//
// A setting lives in the node's process: a node restarted meanwhile comes
// back without it. slow-fsync applies its delay at the start only (a restarted
// node stays fast until the next start); storage-reads renews its window
// before it runs out, which also reaches a writer restarted since.

import { storageTune, writerTune } from '../../cluster/admin-client.js';
import { writerStorageReadsMsMax } from '../../cluster/protocol/client-messages.js';
import type { NodeId, NodeSpec } from '../../cluster/topology.js';
import type { NemesisOutcome } from '../nemesis.js';
import { outcomeError, outcomeOk } from '../outcome.js';
import { writerNodes, type Fault, type FaultEnv, type TargetsRequest } from './fault.js';
import { targetsOfRole, targetsResolve } from './targets-resolve.js';

/** What every fdatasync of a slowed node takes. */
export const slowFsyncDelayMs = 200;
/** Bound on one control round trip. */
export const tuneRequestTimeoutMs = 2000;
/** The storage-reads window asked for: the longest the writer allows. */
export const storageReadsWindowMs = writerStorageReadsMsMax;
/** Renewed well before the window closes, so a slow round trip cannot leave a gap. */
export const storageReadsRenewMs = storageReadsWindowMs / 2;
/** Bound on renewals of one start (hours of run time at the renewal interval). */
export const storageReadsRenewalsMax = 1000;

export type TuneKind = 'slow-fsync' | 'storage-reads';

export function tuneFaultCreate(name: string, kind: TuneKind, env: FaultEnv): Fault {
  return new TuneFault(name, kind, env);
}

type Setting = 'on' | 'off';

class TuneFault implements Fault {
  #targets: readonly NodeId[] = [];
  #renewal: { readonly abort: AbortController; readonly done: Promise<string | null> } | null = null;

  constructor(
    readonly name: string,
    private readonly kind: TuneKind,
    private readonly env: FaultEnv,
  ) {}

  get active(): boolean {
    return this.#targets.length > 0;
  }

  get targets(): readonly string[] {
    return this.#targets;
  }

  async start(requested: TargetsRequest): Promise<NemesisOutcome> {
    if (this.active) return outcomeError('already-active', undefined, this.#targets);
    const role = this.kind === 'slow-fsync' ? 'storage' : 'writer';
    const resolved = await targetsResolve(this.env, requested ?? this.defaultRequest(), 'nodes');
    if (!resolved.ok) return resolved.outcome;
    const chosen = resolved.targets ?? writerNodes(this.env.runtime).map((node) => node.id);
    const roleOk = targetsOfRole(this.env, chosen, role);
    if (!roleOk.ok) return roleOk.outcome;
    const running = chosen.filter((id) => this.env.runtime.nodeState(id) === 'running');
    if (running.length === 0) return outcomeError('no-running-target', undefined, chosen, resolved.details);
    const failures = await this.applyAll(running, 'on');
    this.#targets = running.filter((id) => !failures.has(id));
    if (this.kind === 'storage-reads' && this.active) this.#renewal = this.renewalStart();
    const details = { ...resolved.details, ...this.settingDetails('on') };
    if (failures.size > 0) return outcomeError('tune-failed', failuresText(failures), this.#targets, details);
    return outcomeOk(this.#targets, details);
  }

  /** Ends the renewals, then sets the default back on every target still running; a paused one keeps the fault active. */
  async stop(): Promise<NemesisOutcome> {
    const targets = this.#targets;
    if (targets.length === 0) return outcomeOk([]);
    const renewal = this.#renewal;
    this.#renewal = null;
    renewal?.abort.abort();
    const renewalError = renewal === null ? null : await renewal.done;
    const running = targets.filter((id) => this.env.runtime.nodeState(id) !== 'stopped');
    const failures = await this.applyAll(running, 'off');
    this.#targets = targets.filter((id) => failures.has(id));
    const details = { restarted: targets.filter((id) => !running.includes(id)), renewalError };
    if (failures.size > 0) return outcomeError('tune-failed', failuresText(failures), targets, details);
    return outcomeOk(targets, details);
  }

  private defaultRequest(): TargetsRequest {
    return this.kind === 'slow-fsync' ? { aim: 'all-storage' } : null;
  }

  private settingDetails(setting: Setting): Record<string, number | string> {
    if (this.kind === 'slow-fsync') return { syncDelayMs: setting === 'on' ? slowFsyncDelayMs : 0 };
    return setting === 'on'
      ? { storageReadsMs: storageReadsWindowMs, readSpread: 'round-robin' }
      : { storageReadsMs: 0, readSpread: 'default' };
  }

  /** Each node's failure by id; nodes that took the setting are absent. */
  private async applyAll(ids: readonly NodeId[], setting: Setting): Promise<Map<NodeId, string>> {
    const specs = new Map(this.env.runtime.nodes().map((node) => [node.id, node]));
    const results = await Promise.all(ids.map(async (id) => [id, await this.apply(specs.get(id)!, setting)] as const));
    return new Map(results.filter((entry): entry is readonly [NodeId, string] => entry[1] !== null));
  }

  private async apply(node: NodeSpec, setting: Setting): Promise<string | null> {
    // A paused process cannot answer: say so at once instead of spending the round trip's bound.
    if (this.env.runtime.nodeState(node.id) === 'paused') return 'paused';
    if (this.kind === 'slow-fsync') {
      const result = await storageTune(node.listen, setting === 'on' ? slowFsyncDelayMs : 0, tuneRequestTimeoutMs);
      return result.ok ? null : result.error;
    }
    const change =
      setting === 'on'
        ? ({ storageReadsMs: storageReadsWindowMs, readSpread: 'round-robin' } as const)
        : ({ storageReadsMs: 0, readSpread: 'default' } as const);
    const result = await writerTune(node.listen, change, tuneRequestTimeoutMs);
    return result.ok ? null : result.error;
  }

  /** Renews the storage-reads window on the targets that run, until the stop aborts; resolves with the last failure. */
  private renewalStart(): { readonly abort: AbortController; readonly done: Promise<string | null> } {
    const abort = new AbortController();
    const renew = async (): Promise<string | null> => {
      let lastError: string | null = null;
      for (let round = 0; round < storageReadsRenewalsMax; round++) {
        await this.env.clock.sleep(storageReadsRenewMs, abort.signal);
        if (abort.signal.aborted) break;
        const running = this.#targets.filter((id) => this.env.runtime.nodeState(id) === 'running');
        const failures = await this.applyAll(running, 'on');
        if (failures.size > 0) lastError = failuresText(failures);
      }
      return lastError;
    };
    return { abort, done: renew() };
  }
}

function failuresText(failures: ReadonlyMap<NodeId, string>): string {
  return [...failures].map(([id, error]) => `${id}: ${error}`).join('; ');
}
