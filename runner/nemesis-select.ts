// The nemeses a test can name, and how the parsed choice becomes one package:
// `none`, or the chaos nemesis over the chosen faults and schedule. The fault
// catalog (names, families, `all`) lives with the faults in nemesis/.

import { chaosNemesisCreate } from '../nemesis/chaos.js';
import { faultNamesKnown } from '../nemesis/faults/fault-catalog.js';
import type { NemesisCreate } from '../nemesis/nemesis.js';
import { noneNemesisCreate } from '../nemesis/none.js';
import type { ScheduleSpec } from '../nemesis/schedule/schedule.js';

export const nemesisNoneName = 'none';

/** Every name --nemesis accepts: none, all, the families and the single faults. */
export function nemesisNames(): readonly string[] {
  return [nemesisNoneName, ...faultNamesKnown()];
}

/** The package for validated fault names (['none'] for none) and a schedule; `unavailable` faults only record why. */
export function nemesisSelect(
  faults: readonly string[],
  schedule: ScheduleSpec,
  unavailable: ReadonlyMap<string, string> = new Map(),
): NemesisCreate {
  const real = faults.filter((name) => name !== nemesisNoneName);
  if (real.length === 0 && schedule.kind !== 'script') return noneNemesisCreate;
  return chaosNemesisCreate({ faults: real, schedule, unavailable });
}
