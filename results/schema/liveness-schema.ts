// The schemas of the liveness and repair checkers' details in results.json,
// each typed with the details its checker builds, so a field added there must
// be added here too.

import type { LivenessDetails, RepairDetails } from '../../checkers/checker-details.js';
import type { Decoder } from './decode.js';
import { arrayD, booleanD, nullableD, numberD, objectD, stringD } from './decode.js';

const stringsD = arrayD(stringD);

export const livenessDetailsD: Decoder<LivenessDetails> = objectD({
  keys: nullableD(
    objectD({
      keys: numberD,
      unwritten: stringsD,
      unread: stringsD,
      writeOkMsMax: nullableD(numberD),
      readOkMsMax: nullableD(numberD),
    }),
  ),
  replicas: nullableD(
    objectD({
      nodes: numberD,
      pgs: numberD,
      rounds: numberD,
      watchedMs: numberD,
      timeoutMs: numberD,
      caughtUp: booleanD,
    }),
  ),
  behind: arrayD(
    objectD({
      node: stringD,
      pg: nullableD(numberD),
      scl: nullableD(numberD),
      pgHighest: nullableD(numberD),
      watchedMs: numberD,
      error: nullableD(stringD),
    }),
  ),
  healFailures: arrayD(objectD({ index: numberD, fault: stringD, targets: stringsD, error: stringD })),
});

export const repairDetailsD: Decoder<RepairDetails> = objectD({
  nodes: numberD,
  blocksChecked: numberD,
  blocksCorruptFound: numberD,
  blocksCorruptAfter: numberD,
  blocksUnrepaired: numberD,
  blockRepairsMax: nullableD(numberD),
  repairRounds: numberD,
  repairWatchedMs: nullableD(numberD),
  unrepaired: arrayD(objectD({ node: stringD, blocks: numberD, watchedMs: numberD })),
  corruptAfter: arrayD(objectD({ node: stringD, blocks: numberD })),
  repairedTooOften: arrayD(objectD({ node: stringD, blockRepairsMax: numberD, allowed: numberD })),
  missing: arrayD(objectD({ node: stringD, what: stringD, error: stringD })),
  secondPassIncomplete: stringsD,
});
