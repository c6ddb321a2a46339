// What the nemesis saw of the cluster at one moment, from outside: each
// storage node's SCLs and epoch, each writer's role and durability points, or
// why a node could not say. Aims and awaits decide from this value alone, so
// they stay pure and are tested on hand-made snapshots.

import type { Geometry } from '../../cluster/config.js';
import type { WriterHealth } from '../../cluster/protocol/client-messages.js';
import type { StorageStats } from '../../cluster/protocol/storage-messages.js';
import type { NodeId } from '../../cluster/topology.js';

/** A node as the observation found it: it answered, it is running but did not answer, or the runtime has it down. */
export type NodeSeen<H> =
  | { readonly kind: 'answered'; readonly id: NodeId; readonly az: number; readonly health: H }
  | { readonly kind: 'unreachable'; readonly id: NodeId; readonly az: number; readonly error: string }
  | { readonly kind: 'down'; readonly id: NodeId; readonly az: number; readonly state: 'stopped' | 'paused' };

export interface StorageSeen {
  /** Segment complete LSN per PG: every record at or below it is on this replica. */
  readonly scls: readonly number[];
  readonly epoch: number;
  readonly ready: boolean;
  readonly stats: StorageStats | null;
}

export type WriterSeen = WriterHealth;

export interface Snapshot {
  /** Clock time of the observation's start. */
  readonly atMs: number;
  readonly geometry: Pick<Geometry, 'writeQuorum' | 'pgCount'>;
  /** In topology order. */
  readonly storage: readonly NodeSeen<StorageSeen>[];
  readonly writers: readonly NodeSeen<WriterSeen>[];
  /** The primary as the runtime last knew it, for when no writer answers as one. */
  readonly primaryDeclared: NodeId;
  /** The highest epoch of a ready primary the observer has seen, this snapshot included (-1: none yet). */
  readonly epochPrimaryMax: number;
}

export type StorageAnswered = Extract<NodeSeen<StorageSeen>, { kind: 'answered' }>;
export type WriterAnswered = Extract<NodeSeen<WriterSeen>, { kind: 'answered' }>;

export function storageAnswered(snapshot: Snapshot): StorageAnswered[] {
  return snapshot.storage.filter((node): node is StorageAnswered => node.kind === 'answered');
}

export function writersAnswered(snapshot: Snapshot): WriterAnswered[] {
  return snapshot.writers.filter((node): node is WriterAnswered => node.kind === 'answered');
}

/** The highest SCL any answering replica reports for each PG (-1 where none answered). */
export function sclHighest(snapshot: Snapshot): number[] {
  const highest = new Array<number>(snapshot.geometry.pgCount).fill(-1);
  for (const node of storageAnswered(snapshot))
    node.health.scls.forEach((scl, pg) => {
      if (pg < highest.length) highest[pg] = Math.max(highest[pg]!, scl);
    });
  return highest;
}

/**
 * The primary: among writers answering as one, the ready one of the highest
 * epoch (a deposed writer that still believes it leads has a lower epoch);
 * else the runtime's.
 */
export function primaryOf(snapshot: Snapshot): NodeId {
  const leading = writersAnswered(snapshot)
    .filter((node) => node.health.role === 'writer')
    .sort((a, b) => Number(b.health.ready) - Number(a.health.ready) || b.health.epoch - a.health.epoch);
  return leading[0]?.id ?? snapshot.primaryDeclared;
}

/** The ready primary of the highest epoch, or null when no writer is open for clients. */
export function primaryReady(snapshot: Snapshot): WriterAnswered | null {
  const ready = writersAnswered(snapshot).filter((node) => node.health.role === 'writer' && node.health.ready);
  return ready.sort((a, b) => b.health.epoch - a.health.epoch)[0] ?? null;
}

/** One line per node, for messages and await outcomes: `s00 scl 412`, `w0 writer ready epoch 3`, `s01 down (stopped)`. */
export function snapshotSummary(snapshot: Snapshot): string {
  const storage = snapshot.storage.map((node) =>
    node.kind === 'answered' ? `${node.id} scl ${node.health.scls.join('/')}` : nodeAbsent(node),
  );
  const writers = snapshot.writers.map((node) =>
    node.kind === 'answered'
      ? `${node.id} ${node.health.role}${node.health.ready ? ' ready' : ''} epoch ${node.health.epoch}`
      : nodeAbsent(node),
  );
  return [...storage, ...writers].join(', ');
}

function nodeAbsent(node: Exclude<NodeSeen<unknown>, { kind: 'answered' }>): string {
  return node.kind === 'down' ? `${node.id} down (${node.state})` : `${node.id} unreachable`;
}
