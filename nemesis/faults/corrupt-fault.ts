// The corruption faults. helix: damaged blocks under running replicas, each
// record left intact on a write quorum; the stop waits until scrub and gossip
// have repaired every damaged block. truncate and rollback: a killed replica's
// newest hot file cut mid-block, or its hot files rolled back to a snapshot
// taken moments earlier (lost writes), then restarted; the stop waits until it
// has caught up with its peers. over-limit: one stripe damaged on every replica
// while all are down, beyond what any quorum survives; nothing can undo it.

import type { NodeId, NodeSpec } from '../../cluster/topology.js';
import { pollUntil, PollTimeoutError } from '../../core/clock.js';
import type { JsonValue } from '../../core/history.js';
import { nemesisError, type NemesisError } from '../errors.js';
import type { NemesisOutcome } from '../nemesis.js';
import { outcomeError, outcomeOk } from '../outcome.js';
import {
  blockDamage,
  blockDamageDescribe,
  blockValidNow,
  hotBlocksList,
  hotFilesRestore,
  hotFilesSnapshot,
  hotFileTruncate,
  type HotBlock,
} from './corrupt-blocks.js';
import { helixPlan, overLimitPlan, type CorruptPlan, type ReplicaBlocks } from './corrupt-plan.js';
import { errorText, storageNodes, type Fault, type FaultEnv, type TargetsRequest } from './fault.js';
import { catchUpWait, sclFloor, sclsRead } from './replica-scl.js';

export type CorruptKind = 'helix' | 'truncate' | 'rollback' | 'over-limit';

/** Bound on a stop's wait for repair or catch-up (well inside the nemesis's operation deadline). */
export const repairWaitMs = 20_000;
const repairPollMs = 200;
/** Whole blocks a truncation cuts at most (plus half a block). */
export const truncateBlocksMax = 4;
/** How long writes go on between a rollback's snapshot and its restore, at most. */
export const rollbackLagMsMax = 2000;

interface Damage {
  readonly targets: readonly NodeId[];
  /** Blocks damaged under running nodes (helix), waited on by the stop. */
  readonly blocks: readonly HotBlock[];
  /** A restarted replica the stop waits on to catch up (truncate, rollback). */
  readonly restarted: NodeId | null;
}

export function corruptFaultCreate(name: string, kind: CorruptKind, env: FaultEnv): Fault {
  return new CorruptFault(name, kind, env);
}

class CorruptFault implements Fault {
  #damage: Damage | null = null;

  constructor(
    readonly name: string,
    private readonly kind: CorruptKind,
    private readonly env: FaultEnv,
  ) {}

  get active(): boolean {
    return this.#damage !== null;
  }

  async start(requested: TargetsRequest): Promise<NemesisOutcome> {
    if (this.active) return outcomeError('already-active', undefined, this.#damage?.targets ?? []);
    const storage = storageNodes(this.env.runtime);
    const down = storage.filter((node) => this.env.runtime.nodeState(node.id) !== 'running');
    if (down.length > 0) return outcomeError('replicas-not-running', down.map((node) => node.id).join(' '));
    try {
      switch (this.kind) {
        case 'helix':
        case 'over-limit':
          return await this.stripesDamage(storage);
        case 'truncate':
        case 'rollback': {
          const victim = this.victim(storage, requested);
          if (victim === null)
            return outcomeError('unknown-target', `${requested?.[0]} is not a storage node`, requested ?? []);
          return await this.replicaDamage(victim);
        }
      }
    } catch (error) {
      return outcomeError('runtime-error', errorText(error), this.#damage?.targets ?? []);
    }
  }

  async stop(): Promise<NemesisOutcome> {
    const damage = this.#damage;
    if (damage === null) return outcomeOk([]);
    if (this.kind === 'over-limit') {
      this.#damage = null;
      return outcomeOk(damage.targets, { note: 'records lost on every replica cannot be repaired' });
    }
    const problem =
      damage.restarted !== null ? await this.catchUp(damage.restarted) : await this.repairWait(damage.blocks);
    if (problem !== null) return outcomeError(problem.code, problem.message, damage.targets);
    this.#damage = null;
    return outcomeOk(
      damage.targets,
      damage.restarted !== null ? { caughtUp: damage.restarted } : { repaired: damage.blocks.length },
    );
  }

  /** The replica a script names, else one drawn with the seed; null when the named one is not a storage node. */
  private victim(storage: readonly NodeSpec[], requested: TargetsRequest): NodeSpec | null {
    const named = requested?.[0];
    return (named === undefined ? this.env.prng.pick(storage) : storage.find((spec) => spec.id === named)) ?? null;
  }

  /** helix under running replicas; over-limit with every replica down, so no peer's memory can refill it. */
  private async stripesDamage(storage: readonly NodeSpec[]): Promise<NemesisOutcome> {
    const { runtime, config, prng } = this.env;
    const read = await this.replicasBlocks(storage);
    if (!read.ok) return outcomeError('scl-unknown', read.error);
    const replicas = read.replicas;
    const tolerated = storage.length - config.geometry.writeQuorum;
    const plan = this.kind === 'helix' ? helixPlan(replicas, tolerated, prng) : overLimitPlan(replicas, prng);
    if (plan === null || plan.perNode.size === 0) return outcomeError('no-blocks');
    const targets = [...plan.perNode.keys()].sort();
    if (this.kind === 'over-limit') await Promise.all(storage.map((node) => runtime.nodeKill(node.id)));
    const applied = await this.planApply(plan);
    this.#damage = { targets, blocks: [...plan.perNode.values()].flat(), restarted: null };
    if (this.kind === 'over-limit') await Promise.all(storage.map((node) => runtime.nodeStart(node.id)));
    if (applied.stillValid.length > 0) return outcomeError('damage-not-taken', applied.stillValid.join('; '), targets);
    return outcomeOk(targets, { stripes: [...plan.stripes], blocks: applied.lines });
  }

  /** Each replica's damageable blocks: records at or below the SCL every replica has reached. */
  private async replicasBlocks(
    storage: readonly NodeSpec[],
  ): Promise<
    { readonly ok: true; readonly replicas: ReplicaBlocks[] } | { readonly ok: false; readonly error: string }
  > {
    const read = await sclsRead(storage);
    if (!read.ok) return read;
    const floor = sclFloor(read.scls);
    const blockBytes = this.env.config.storage.blockBytes;
    const sorted = [...storage].sort((a, b) => (a.id < b.id ? -1 : 1));
    const replicas = await Promise.all(
      sorted.map(async (node) => {
        const blocks = await hotBlocksList(this.env.runtime.nodeDataDir(node.id), blockBytes);
        return { node: node.id, blocks: blocks.filter((block) => block.lsnLast <= (floor[block.pg] ?? -1)) };
      }),
    );
    return { ok: true, replicas };
  }

  /**
   * Damages every block of the plan; one line per block: node, file, block,
   * why it now fails. The lines of blocks that still validate are also kept apart.
   */
  private async planApply(plan: CorruptPlan): Promise<{ readonly lines: string[]; readonly stillValid: string[] }> {
    const { config, prng } = this.env;
    const lines: string[] = [];
    const stillValid: string[] = [];
    for (const [node, blocks] of plan.perNode) {
      for (const block of blocks) {
        const damage = prng.chance(0.25) ? 'misdirect' : 'bitflip';
        const result = await blockDamage(block, damage, config.storage.blockBytes, prng);
        const line = `${node} ${block.path.split('/').pop()} block ${block.blockNo} ${damage}: ${blockDamageDescribe(result)}`;
        lines.push(line);
        if (result.kind === 'still-valid') stillValid.push(line);
      }
    }
    return { lines, stillValid };
  }

  /** truncate or rollback: the replica is killed, its files damaged, and started again. */
  private async replicaDamage(node: NodeSpec): Promise<NemesisOutcome> {
    const { runtime, config, prng } = this.env;
    const dataDir = runtime.nodeDataDir(node.id);
    const blockBytes = config.storage.blockBytes;
    const snapshot = this.kind === 'rollback' ? await hotFilesSnapshot(dataDir, blockBytes) : null;
    if (snapshot !== null) await this.env.clock.sleep(Math.min(rollbackLagMsMax, this.env.intervalMs / 2));
    await runtime.nodeKill(node.id);
    this.#damage = { targets: [node.id], blocks: [], restarted: node.id };
    let details: Record<string, JsonValue>;
    if (snapshot !== null) {
      details = { bytesLost: await hotFilesRestore(dataDir, snapshot) };
    } else {
      const cut = await hotFileTruncate(dataDir, 1 + prng.int(truncateBlocksMax), blockBytes);
      details = cut === null ? { note: 'the hot file was too short to cut' } : { ...cut };
    }
    await runtime.nodeStart(node.id);
    return outcomeOk([node.id], details);
  }

  private async catchUp(id: NodeId): Promise<NemesisError | null> {
    const storage = storageNodes(this.env.runtime);
    const node = storage.find((spec) => spec.id === id);
    if (node === undefined) return nemesisError('unknown-target', `${id} is not a storage node`);
    if (this.env.runtime.nodeState(id) === 'stopped') {
      try {
        await this.env.runtime.nodeStart(id);
      } catch (error) {
        return nemesisError('restart-failed', `${id} would not restart: ${errorText(error)}`);
      }
    }
    const peers = storage.filter((spec) => spec.id !== id && this.env.runtime.nodeState(spec.id) === 'running');
    const behind = await catchUpWait(this.env.clock, node, peers, repairWaitMs);
    return behind === null ? null : nemesisError('not-caught-up', behind);
  }

  private async repairWait(blocks: readonly HotBlock[]): Promise<NemesisError | null> {
    const blockBytes = this.env.config.storage.blockBytes;
    let bad = [...blocks];
    try {
      await pollUntil(this.env.clock, {
        what: 'scrub and gossip to repair the damaged blocks',
        timeoutMs: repairWaitMs,
        intervalMs: repairPollMs,
        probe: async () => {
          const valid = await Promise.all(bad.map((block) => blockValidNow(block, blockBytes)));
          bad = bad.filter((_, i) => !valid[i]);
          return bad.length === 0 ? true : null;
        },
      });
      return null;
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      const names = bad.map((b) => `${b.path.split('/').pop()}:${b.blockNo}`).join(' ');
      return nemesisError('unrepaired', `unrepaired after ${repairWaitMs} ms: ${names}`);
    }
  }
}
