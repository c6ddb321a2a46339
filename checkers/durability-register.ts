// Durability of one key of the register workload: the final value must be the
// value of a write that could have been the last one. A write is certainly
// overwritten when an acknowledged write began after it completed; any other
// write (acknowledged, indefinite or unfinished) could be last. A final value
// from a certainly-overwritten write, or an empty final register after an
// acknowledged write, means the acknowledged writes that could have been last
// were lost.

import type { JsonValue } from '../core/history.js';
import type { DurabilityKeyReport, DurabilityProblem, DurabilityProblemKind } from './durability-key.js';
import type { ClientOp } from './history-ops.js';
import { finalReads, opEndIndex } from './history-ops.js';
import type { ValueId } from './value-id.js';
import { valueId } from './value-id.js';

interface RegisterWrite {
  readonly op: ClientOp;
  readonly value: JsonValue;
}

export function registerKeyCheck(
  key: string,
  keyOps: readonly ClientOp[],
  finalMarkerIndex: number | null,
): DurabilityKeyReport {
  const problems: DurabilityProblem[] = [];
  const problem = (
    kind: DurabilityProblemKind,
    value: JsonValue,
    opIndex: number | null,
    readIndex: number | null,
    message: string,
  ): void => {
    problems.push({ kind, key, value, opIndex, readIndex, message });
  };
  const writes = keyOps.flatMap(registerWrite);
  const byValue = new Map<ValueId, RegisterWrite[]>();
  for (const write of writes) {
    const same = byValue.get(valueId(write.value));
    if (same === undefined) byValue.set(valueId(write.value), [write]);
    else same.push(write);
  }
  const ackedCount = writes.filter((write) => write.op.outcome === 'ok').length;
  const reads = keyOps.filter((op) => op.f === 'read' && op.outcome === 'ok');
  for (const read of reads) readValueCheck(read, byValue, problem);

  const finals = finalReads(keyOps, finalMarkerIndex);
  const last = finals[finals.length - 1];
  if (last === undefined) return { key, finalReadIndex: null, ackedCount, infoPresentCount: 0, problems };
  const finalIndex = readIndex(last);
  for (const read of finals) {
    if (valueId(read.value) === valueId(last.value)) continue;
    const message = `final read ${readIndex(read)} saw ${JSON.stringify(read.value)}, final read ${finalIndex} saw ${JSON.stringify(last.value)}`;
    problem('final-reads-disagree', read.value, finalIndex, readIndex(read), message);
  }
  const candidates = lastCandidates(writes);
  const matching = last.value === null ? [] : (byValue.get(valueId(last.value)) ?? []);
  const survivor = matching.find((write) => candidates.has(write));
  const emptyAfterAck = last.value === null && ackedCount > 0;
  const overwrittenValue =
    last.value !== null && matching.some((write) => write.op.outcome !== 'fail') && survivor === undefined;
  if (emptyAfterAck || overwrittenValue) {
    for (const write of candidates) {
      if (write.op.outcome !== 'ok') continue;
      const ackIndex = write.op.completion?.index ?? null;
      const message = `write of ${JSON.stringify(write.value)} acknowledged at ${ackIndex} could have been last, but final read ${finalIndex} saw ${JSON.stringify(last.value)}`;
      problem('lost', write.value, ackIndex, finalIndex, message);
    }
  }
  const infoPresentCount = survivor !== undefined && survivor.op.outcome !== 'ok' ? 1 : 0;
  return { key, finalReadIndex: finalIndex, ackedCount, infoPresentCount, problems };
}

type ProblemAdd = (
  kind: DurabilityProblemKind,
  value: JsonValue,
  opIndex: number | null,
  readIndex: number | null,
  message: string,
) => void;

/** The value a write or cas would leave in the register. */
function registerWrite(op: ClientOp): RegisterWrite[] {
  if (op.f === 'write') return [{ op, value: op.invoke.value }];
  if (op.f === 'cas' && Array.isArray(op.invoke.value) && op.invoke.value.length === 2)
    return [{ op, value: (op.invoke.value as readonly JsonValue[])[1] ?? null }];
  return [];
}

/** Writes that no acknowledged write certainly followed; failed writes never happened and are not candidates. */
function lastCandidates(writes: readonly RegisterWrite[]): Set<RegisterWrite> {
  let okInvokeMax = Number.NEGATIVE_INFINITY;
  for (const write of writes) if (write.op.outcome === 'ok') okInvokeMax = Math.max(okInvokeMax, write.op.invoke.index);
  return new Set(writes.filter((write) => write.op.outcome !== 'fail' && !(okInvokeMax > opEndIndex(write.op))));
}

/** A read's value must come from some write, and not from one that definitely failed. */
function readValueCheck(
  read: ClientOp,
  byValue: ReadonlyMap<ValueId, readonly RegisterWrite[]>,
  problem: ProblemAdd,
): void {
  if (read.value === null) return;
  const index = readIndex(read);
  const matching = byValue.get(valueId(read.value)) ?? [];
  if (matching.length === 0)
    problem(
      'corrupted',
      read.value,
      null,
      index,
      `read ${index} saw ${JSON.stringify(read.value)}, which no write sent`,
    );
  else if (matching.every((write) => write.op.outcome === 'fail')) {
    problem(
      'failed-present',
      read.value,
      matching[0]?.op.invoke.index ?? null,
      index,
      `read ${index} saw ${JSON.stringify(read.value)}, whose write failed`,
    );
  }
}

function readIndex(read: ClientOp): number {
  return read.completion?.index ?? read.invoke.index;
}
