// Knossos's mutex: acquire when free, release when held. A failed operation
// did not happen; an indefinite one may have, if it was legal at that point.

import type { HistoryEvent } from '../../../core/history.js';
import { HistoryShapeError } from '../history-shape-error.js';
import type { Model, OpConversion } from '../types.js';

export type MutexInput = 'acquire' | 'release';

/** true while the lock is held. */
export type MutexState = boolean;

export function mutexModel(): Model<MutexState, MutexInput, null> {
  return {
    name: 'mutex',
    init: () => false,
    step: (locked, input) => (input === 'acquire' ? (locked ? undefined : true) : locked ? false : undefined),
    equal: (a, b) => a === b,
    hash: (locked) => (locked ? 0x4c4f434b : 0x46524545),
    convert: mutexConvert,
    describeOperation: (input) => input,
    describeState: (locked) => (locked ? 'held' : 'free'),
  };
}

function mutexConvert(invoke: HistoryEvent, completion: HistoryEvent | null): OpConversion<MutexInput, null> {
  if (invoke.f !== 'acquire' && invoke.f !== 'release') {
    throw new HistoryShapeError(invoke.index, `a mutex operation is acquire or release, got f "${invoke.f}"`);
  }
  if (completion?.type === 'fail') return 'drop';
  return { input: invoke.f, output: null, key: invoke.key ?? null };
}
