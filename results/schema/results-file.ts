// results.json, the schema: what a run ended with (its verdict and exit code,
// what the nemesis did, the operation counts, every checker's result). The
// runner writes this type; `quorumlab report` and the campaign read it back
// through runResultsD, once, where the file is read.

import type { CheckerResult } from '../../checkers/checker.js';
import type { Verdict } from '../../core/verdict.js';
import type { FaultEffect } from '../../runner/fault-effects.js';
import type { RecoveryWait } from '../../runner/recovery-poll.js';
import type { FaultUnavailable } from '../../runner/test-options.js';
import type { OpCounts } from '../../workloads/phase.js';
import { workloadNames, type WorkloadName } from '../../workloads/workload.js';
import { checkerResultD, verdictD } from './checker-result-schema.js';
import type { Decoder } from './decode.js';
import { arrayD, booleanD, eitherD, literalD, nullableD, numberD, objectD, stringD } from './decode.js';
import type { storedFormat } from './stored-file.js';

export type RunVerdict = Verdict | 'crashed';

export interface RunResults {
  readonly format: typeof storedFormat;
  /** The checkers' verdict, or crashed when the run crashed or was interrupted. */
  readonly verdict: RunVerdict;
  readonly checkersVerdict: Verdict;
  readonly exitCode: number;
  readonly seed: number;
  readonly workload: WorkloadName;
  readonly nemesis: readonly string[];
  readonly nemesisUnavailable: readonly FaultUnavailable[];
  readonly faults: readonly FaultEffect[];
  readonly crash: string | null;
  readonly aborted: boolean;
  readonly counts: Readonly<OpCounts>;
  readonly events: number;
  readonly recovery: RecoveryWait | null;
  readonly finalReadsMissing: readonly string[];
  readonly nodeLogs: { readonly copied: readonly string[]; readonly missing: readonly string[] };
  readonly checkers: readonly CheckerResult[];
}

const stringsD = arrayD(stringD);

const faultEffectD: Decoder<FaultEffect> = objectD({
  fault: stringD,
  started: numberD,
  startErrors: numberD,
  errors: stringsD,
  healed: numberD,
  dropped: nullableD(objectD({ backend: stringD, unit: stringD, bytes: numberD, count: numberD })),
});

const recoveryD: Decoder<RecoveryWait> = eitherD(
  objectD({ ready: literalD(true), waitedMs: numberD }),
  objectD({ ready: literalD(false), waitedMs: numberD, last: stringD }),
);

export const runResultsD: Decoder<RunResults> = objectD({
  format: literalD(1),
  verdict: literalD('valid', 'invalid', 'unknown', 'crashed'),
  checkersVerdict: verdictD,
  exitCode: numberD,
  seed: numberD,
  workload: literalD(...workloadNames),
  nemesis: stringsD,
  nemesisUnavailable: arrayD(objectD({ fault: stringD, reason: stringD })),
  faults: arrayD(faultEffectD),
  crash: nullableD(stringD),
  aborted: booleanD,
  counts: objectD({ invoked: numberD, ok: numberD, fail: numberD, info: numberD, late: numberD }),
  events: numberD,
  recovery: nullableD(recoveryD),
  finalReadsMissing: stringsD,
  nodeLogs: objectD({ copied: stringsD, missing: stringsD }),
  checkers: arrayD(checkerResultD),
});
