// A fault this run's runtime cannot inject (slow links on a kernel without tc
// netem). A scripted schedule may still name it: each start is recorded with
// the reason and changes nothing, so the rest of the script runs as written.

import type { NemesisOutcome } from '../nemesis.js';
import { outcomeError } from '../outcome.js';
import type { Fault } from './fault.js';

export function unavailableFaultCreate(name: string, reason: string): Fault {
  return {
    name,
    active: false,
    start: (): Promise<NemesisOutcome> => Promise.resolve(outcomeError('unavailable', reason)),
    stop: (): Promise<NemesisOutcome> => Promise.resolve(outcomeError('unavailable', reason)),
  };
}
