// Hand-made snapshots for the tests of aims and awaits: the default geometry
// (three AZs of two storage nodes, a write quorum of four), SCLs and writer
// roles given per node, every other node marked down or unreachable as asked.

import type { NodeId } from '../../cluster/topology.js';
import type { NodeSeen, Snapshot, StorageSeen, WriterSeen } from '../observe/snapshot.js';
import { epochOf, lsnOf } from '../../cluster/protocol/ids.js';

export const storageIds = ['s00', 's01', 's10', 's11', 's20', 's21'] as NodeId[];

export type StorageFixture = readonly number[] | 'down' | 'unreachable';
/** A writer as seen, its epoch given as a plain number. */
export type WriterFixture = WriterGiven | 'down' | 'unreachable';
type WriterGiven = Partial<Omit<WriterSeen, 'epoch'>> & { readonly epoch?: number };

export interface SnapshotFixture {
  /** Per storage node: its SCLs per PG, or why it did not answer; nodes not named are down. */
  readonly storage: Readonly<Record<string, StorageFixture>>;
  /** Per writer (w0 in AZ 0, w1 in AZ 1): its health; writers not named are down. */
  readonly writers?: Readonly<Record<string, WriterFixture>>;
  readonly pgCount?: number;
  readonly epochPrimaryMax?: number;
  readonly primaryDeclared?: string;
}

export function snapshotMake(fixture: SnapshotFixture): Snapshot {
  const storage = storageIds.map((id) => nodeSeen<StorageSeen>(id, Number(id[1]), fixture.storage[id], storageHealth));
  const writers = (['w0', 'w1'] as NodeId[]).map((id) =>
    nodeSeen<WriterSeen>(id, Number(id[1]), fixture.writers?.[id], writerHealth),
  );
  return {
    atMs: 0,
    geometry: { writeQuorum: 4, pgCount: fixture.pgCount ?? 1 },
    storage,
    writers,
    primaryDeclared: (fixture.primaryDeclared ?? 'w0') as NodeId,
    epochPrimaryMax: fixture.epochPrimaryMax ?? -1,
  };
}

function nodeSeen<H>(
  id: NodeId,
  az: number,
  given: readonly number[] | WriterGiven | 'down' | 'unreachable' | undefined,
  health: (given: never) => H,
): NodeSeen<H> {
  if (given === undefined || given === 'down') return { kind: 'down', id, az, state: 'stopped' };
  if (given === 'unreachable') return { kind: 'unreachable', id, az, error: 'no reply to health within 1000 ms' };
  return { kind: 'answered', id, az, health: health(given as never) };
}

function storageHealth(scls: readonly number[]): StorageSeen {
  return { scls, epoch: 1, ready: true, stats: null };
}

function writerHealth(given: WriterGiven): WriterSeen {
  const defaults = { role: 'writer', ready: true, vdl: lsnOf(0), vcl: lsnOf(0), lsnNext: lsnOf(0) } as const;
  return { ...defaults, ...given, epoch: epochOf(given.epoch ?? 1) };
}
