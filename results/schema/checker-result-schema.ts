// The schema of one checker's result in results.json: a tagged union on
// `checker`, each member with its own details (null when the checker crashed or
// had nothing to look at). Each decoder is typed with the type the checker
// builds, so a field added to a checker's details must be added here too.

import type {
  AvailabilityDetails,
  DurabilityDetails,
  LatencyDetails,
  LinearizableDetails,
  NodeLogsDetails,
  OkFraction,
  SetDetails,
} from '../../checkers/checker-details.js';
import type { CheckerName, CheckerResult, CheckerResultOf } from '../../checkers/checker.js';
import { durabilityProblemKinds } from '../../checkers/durability-key.js';
import { setCategories } from '../../checkers/set.js';
import type { Verdict } from '../../core/verdict.js';
import type { Decoder } from './decode.js';
import { livenessDetailsD, repairDetailsD } from './liveness-schema.js';
import {
  arrayD,
  booleanD,
  eitherD,
  jsonD,
  literalD,
  nullableD,
  numberD,
  objectD,
  recordD,
  stringD,
  taggedD,
} from './decode.js';

export const verdictD: Decoder<Verdict> = literalD('valid', 'invalid', 'unknown');
const finalPhaseD = literalD('marker', 'inferred');
const numbersD = arrayD(numberD);
const stringsD = arrayD(stringD);
const indexD = nullableD(numberD);

/** Fields of these names, each a number. */
function numberFields<K extends string>(keys: readonly K[]): { readonly [P in K]: Decoder<number> } {
  return Object.fromEntries(keys.map((key) => [key, numberD])) as { readonly [P in K]: Decoder<number> };
}

/** A record with every one of these keys, each a count. */
function countsD<K extends string>(keys: readonly K[]): Decoder<Readonly<Record<K, number>>> {
  return objectD(numberFields(keys));
}

const linearizableDetailsD: Decoder<LinearizableDetails> = objectD(
  {
    model: stringD,
    operations: numberD,
    partitions: numberD,
    elapsedMs: numberD,
    statesExplored: numberD,
    failures: arrayD(
      objectD({
        key: nullableD(stringD),
        prefixLength: numberD,
        prefixTailStart: numberD,
        prefixTail: numbersD,
        prefixTailStates: stringsD,
        breakingOp: indexD,
        window: numbersD,
        windowStartStates: stringsD,
        windowMinimal: nullableD(booleanD),
        operations: arrayD(
          objectD({
            id: numberD,
            process: numberD,
            key: nullableD(stringD),
            invokeIndex: numberD,
            completeIndex: indexD,
            text: stringD,
          }),
        ),
      }),
    ),
    search: jsonD,
  },
  { verdictMs: numberD, evidenceMs: numberD },
);

const durabilityDetailsD: Decoder<DurabilityDetails> = objectD({
  workload: literalD('register', 'append'),
  finalPhase: finalPhaseD,
  keys: numberD,
  keysUnknown: stringsD,
  acked: numberD,
  infoPresent: numberD,
  counts: countsD(durabilityProblemKinds),
  problems: arrayD(
    objectD({
      kind: literalD(...durabilityProblemKinds),
      key: stringD,
      value: jsonD,
      opIndex: indexD,
      readIndex: indexD,
      message: stringD,
    }),
  ),
  perKey: arrayD(
    objectD({
      key: stringD,
      status: verdictD,
      finalReadIndex: indexD,
      acked: numberD,
      lost: numberD,
      infoPresent: numberD,
      problems: numberD,
    }),
  ),
});

const setEvidenceD = objectD({
  key: stringD,
  element: jsonD,
  category: literalD(...setCategories),
  opIndex: indexD,
  readIndex: indexD,
});

const setDetailsD: Decoder<SetDetails> = objectD({
  finalPhase: finalPhaseD,
  elements: numberD,
  counts: countsD(setCategories),
  neverReadAcked: numberD,
  evidence: recordD(arrayD(setEvidenceD), literalD(...setCategories)),
});

const okFractionFields = { ops: numberD, ok: numberD, okFraction: nullableD(numberD) };
const okFractionD: Decoder<OkFraction> = objectD(okFractionFields);

const availabilityDetailsD: Decoder<AvailabilityDetails> = objectD({
  overall: okFractionD,
  outside: okFractionD,
  windows: arrayD(
    objectD({
      ...okFractionFields,
      fault: stringD,
      targets: stringsD,
      startNs: numberD,
      endNs: nullableD(numberD),
      healToFirstOkMs: nullableD(numberD),
    }),
  ),
});

const latencyOutcomeD = literalD('ok', 'fail', 'info');
const quantilesUs = ['p50Us', 'p90Us', 'p95Us', 'p99Us', 'p999Us', 'maxUs', 'meanUs'] as const;
const nullableNumbersD = arrayD(nullableD(numberD));

const latencyDetailsD: Decoder<LatencyDetails> = objectD({
  unit: literalD('us'),
  settings: objectD({ lowestUs: numberD, highestUs: numberD, significantDigits: numberD }),
  openLoop: booleanD,
  intervalUs: nullableD(numberD),
  opsOpen: numberD,
  series: arrayD(
    objectD({
      f: stringD,
      outcome: latencyOutcomeD,
      count: numberD,
      countRecorded: numberD,
      ...numberFields(quantilesUs),
      correction: eitherD(
        objectD({ corrected: literalD(true), steps: numberD }),
        objectD({ corrected: literalD(false), reason: stringD }),
      ),
      histogram: stringD,
    }),
  ),
  timeline: objectD({
    bucketMs: numberD,
    buckets: numberD,
    series: arrayD(
      objectD({
        f: stringD,
        outcome: latencyOutcomeD,
        opsPerSec: numbersD,
        p50Us: nullableNumbersD,
        p95Us: nullableNumbersD,
        p99Us: nullableNumbersD,
        maxUs: nullableNumbersD,
      }),
    ),
  }),
});

const logEvidenceD = arrayD(objectD({ node: stringD, line: numberD, text: stringD }));

const nodeLogsDetailsD: Decoder<NodeLogsDetails> = objectD({
  perNode: arrayD(
    objectD({
      node: stringD,
      lines: numberD,
      error: numberD,
      warn: numberD,
      fatal: numberD,
      dataLoss: numberD,
      crashLines: numberD,
    }),
  ),
  fatal: logEvidenceD,
  dataLoss: logEvidenceD,
  crash: logEvidenceD,
});

function resultD<Name extends string, Details>(
  name: Name,
  details: Decoder<Details>,
): Decoder<CheckerResultOf<Name, Details>> {
  return objectD(
    { checker: literalD(name), verdict: verdictD, summary: stringD, details: nullableD(details) },
    { reason: stringD },
  );
}

const members: { readonly [Name in CheckerName]: Decoder<Extract<CheckerResult, { checker: Name }>> } = {
  linearizable: resultD('linearizable', linearizableDetailsD),
  durability: resultD('durability', durabilityDetailsD),
  set: resultD('set', setDetailsD),
  availability: resultD('availability', availabilityDetailsD),
  latency: resultD('latency', latencyDetailsD),
  'node-logs': resultD('node-logs', nodeLogsDetailsD),
  liveness: resultD('liveness', livenessDetailsD),
  repair: resultD('repair', repairDetailsD),
};

export const checkerResultD: Decoder<CheckerResult> = taggedD<CheckerResult>('checker', members);

/** Every checker's name, from the schema's members (one per member of CheckerResult). */
export const checkerNames: readonly CheckerName[] = Object.freeze(Object.keys(members) as CheckerName[]);
