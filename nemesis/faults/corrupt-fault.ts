// The corruption faults. helix: damaged blocks under running replicas, each
// record left intact on a write quorum; the stop waits until scrub and gossip
// have repaired every damaged block. truncate and rollback: a killed replica's
// newest hot file cut mid-block, or its hot files rolled back to a snapshot
// taken moments earlier (lost writes), then restarted; the stop waits until it
// has caught up with its peers. over-limit: one stripe damaged on every replica
// while all are down, beyond what any quorum survives; nothing can undo it.

import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeId, NodeSpec } from '../../cluster/topology.js';
import type { JsonValue } from '../../core/history.js';
import {
  blockDamage,
  blockValidNow,
  hotBlocksList,
  hotFilesRestore,
  hotFilesSnapshot,
  hotFileTruncate,
  type HotBlock,
} from './corrupt-blocks.js';
import { helixPlan, overLimitPlan, type CorruptPlan, type ReplicaBlocks } from './corrupt-plan.js';
import {
  errorText,
  outcomeError,
  outcomeOk,
  storageNodes,
  type Fault,
  type FaultEnv,
  type TargetsRequest,
} from './fault.js';
import type { NemesisOutcome } from '../nemesis.js';
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
    if (this.active) return outcomeError('already-active', this.#damage?.targets ?? []);
    const storage = storageNodes(this.env.runtime);
    const down = storage.filter((node) => this.env.runtime.nodeState(node.id) !== 'running');
    if (down.length > 0) return outcomeError(`replicas not running: ${down.map((node) => node.id).join(' ')}`);
    try {
      switch (this.kind) {
        case 'helix':
        case 'over-limit':
          return await this.stripesDamage(storage);
        case 'truncate':
        case 'rollback':
          return await this.replicaDamage(this.victim(storage, requested));
      }
    } catch (error) {
      return outcomeError(errorText(error), this.#damage?.targets ?? []);
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
    if (problem !== null) return outcomeError(problem, damage.targets);
    this.#damage = null;
    return outcomeOk(
      damage.targets,
      damage.restarted !== null ? { caughtUp: damage.restarted } : { repaired: damage.blocks.length },
    );
  }

  private victim(storage: readonly NodeSpec[], requested: TargetsRequest): NodeSpec {
    const named = requested?.[0];
    const node = named === undefined ? this.env.prng.pick(storage) : storage.find((spec) => spec.id === named);
    if (node === undefined) throw new Error(`unknown-target ${named}: not a storage node`);
    return node;
  }

  /** helix under running replicas; over-limit with every replica down, so no peer's memory can refill it. */
  private async stripesDamage(storage: readonly NodeSpec[]): Promise<NemesisOutcome> {
    const { runtime, config, prng } = this.env;
    const replicas = await this.replicasBlocks(storage);
    const tolerated = storage.length - config.geometry.writeQuorum;
    const plan = this.kind === 'helix' ? helixPlan(replicas, tolerated, prng) : overLimitPlan(replicas, prng);
    if (plan === null || plan.perNode.size === 0) return outcomeError('no-blocks: no stripe to damage yet');
    const targets = [...plan.perNode.keys()].sort();
    if (this.kind === 'over-limit') await Promise.all(storage.map((node) => runtime.nodeKill(node.id)));
    const reasons = await this.planApply(plan);
    this.#damage = { targets, blocks: [...plan.perNode.values()].flat(), restarted: null };
    if (this.kind === 'over-limit') await Promise.all(storage.map((node) => runtime.nodeStart(node.id)));
    const still = reasons.filter((reason) => reason.endsWith('still valid'));
    if (still.length > 0) return outcomeError(`damage did not take: ${still.join('; ')}`, targets);
    return outcomeOk(targets, { stripes: [...plan.stripes], blocks: reasons });
  }

  /** Each replica's damageable blocks: records at or below the SCL every replica has reached. */
  private async replicasBlocks(storage: readonly NodeSpec[]): Promise<ReplicaBlocks[]> {
    const read = await sclsRead(storage);
    if (!read.ok) throw new Error(`scl-unknown: ${read.error}`);
    const floor = sclFloor(read.scls);
    const blockBytes = this.env.config.storage.blockBytes;
    const sorted = [...storage].sort((a, b) => (a.id < b.id ? -1 : 1));
    return Promise.all(
      sorted.map(async (node) => {
        const blocks = await hotBlocksList(this.env.runtime.nodeDataDir(node.id), blockBytes);
        return { node: node.id, blocks: blocks.filter((block) => block.lsnLast <= (floor[block.pg] ?? -1)) };
      }),
    );
  }

  /** Damages every block of the plan; one line per block: node, file, block, why it now fails. */
  private async planApply(plan: CorruptPlan): Promise<string[]> {
    const { config, prng } = this.env;
    const lines: string[] = [];
    for (const [node, blocks] of plan.perNode) {
      for (const block of blocks) {
        const damage = prng.chance(0.25) ? 'misdirect' : 'bitflip';
        const reason = await blockDamage(block, damage, config.storage.blockBytes, prng);
        lines.push(`${node} ${block.path.split('/').pop()} block ${block.blockNo} ${damage}: ${reason}`);
      }
    }
    return lines;
  }

  /** truncate or rollback: the replica is killed, its files damaged, and started again. */
  private async replicaDamage(node: NodeSpec): Promise<NemesisOutcome> {
    const { runtime, config, prng } = this.env;
    const dataDir = runtime.nodeDataDir(node.id);
    const blockBytes = config.storage.blockBytes;
    const snapshot = this.kind === 'rollback' ? await hotFilesSnapshot(dataDir, blockBytes) : null;
    if (snapshot !== null) await sleep(Math.min(rollbackLagMsMax, this.env.intervalMs / 2));
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

  private async catchUp(id: NodeId): Promise<string | null> {
    const storage = storageNodes(this.env.runtime);
    const node = storage.find((spec) => spec.id === id);
    if (node === undefined) return `no storage node ${id}`;
    if (this.env.runtime.nodeState(id) === 'stopped') {
      try {
        await this.env.runtime.nodeStart(id);
      } catch (error) {
        return `${id} would not restart: ${errorText(error)}`;
      }
    }
    const peers = storage.filter((spec) => spec.id !== id && this.env.runtime.nodeState(spec.id) === 'running');
    return catchUpWait(node, peers, repairWaitMs);
  }

  private async repairWait(blocks: readonly HotBlock[]): Promise<string | null> {
    const blockBytes = this.env.config.storage.blockBytes;
    const deadline = performance.now() + repairWaitMs;
    let bad = [...blocks];
    for (;;) {
      const valid = await Promise.all(bad.map((block) => blockValidNow(block, blockBytes)));
      bad = bad.filter((_, i) => !valid[i]);
      if (bad.length === 0) return null;
      if (performance.now() >= deadline)
        return `unrepaired after ${repairWaitMs} ms: ${bad.map((b) => `${b.path.split('/').pop()}:${b.blockNo}`).join(' ')}`;
      await sleep(repairPollMs);
    }
  }
}
