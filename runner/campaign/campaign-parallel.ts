// --parallel K: which campaigns may run K tests at once on one machine. Each
// test is its own `quorumlab test` with its own run id, so what two tests
// could share is what the runtime takes from the machine: the local runtime
// draws its nodes' ports (each running test gets its own band of the port
// range, so two starting at the same moment cannot draw the same port) and
// keeps its data in the run's directory; the Docker runtime makes a network
// and a /24 subnet per run (a taken subnet is skipped and the next one tried);
// the memory runtime shares nothing. A hunt is refused: it runs seeds in order
// and stops at the first invalid one, which tests running beside it would pass.

import type { RuntimeName } from '../test-options.js';
import type { Campaign } from './campaign-parse.js';

/** Bound on K: each test runs a cluster of 7 or more processes, and every K shares the machine's cores. */
export const parallelMax = 16;

/** The environment variable that gives a test child its band of node ports: "SLOT/SLOTS", 1-based. */
export const portSlotEnv = 'QUORUMLAB_PORT_SLOT';

/** Why a runtime cannot run two tests at once on one machine; null: it can. */
const runtimeParallelRefusal: Readonly<Record<RuntimeName, string | null>> = Object.freeze({
  memory: null,
  local: null,
  docker: null,
});

export type ParallelCheck = { readonly ok: true } | { readonly ok: false; readonly error: string };

export function parallelParse(
  text: string,
): { readonly ok: true; readonly parallel: number } | { readonly ok: false; readonly error: string } {
  if (!/^\d{1,3}$/.test(text.trim()))
    return {
      ok: false,
      error: `--parallel: expected an integer from 1 to ${parallelMax}, got ${JSON.stringify(text)}`,
    };
  const parallel = Number(text);
  if (parallel < 1 || parallel > parallelMax)
    return { ok: false, error: `--parallel: expected an integer from 1 to ${parallelMax}, got ${parallel}` };
  return { ok: true, parallel };
}

export function campaignParallelCheck(campaign: Campaign, parallel: number): ParallelCheck {
  if (parallel === 1) return { ok: true };
  if (campaign.hunt !== null)
    return {
      ok: false,
      error: `--parallel ${parallel}: campaign ${campaign.name} is a hunt, which runs its seeds in order and stops at the first invalid one; run it without --parallel`,
    };
  for (const test of campaign.tests) {
    const refusal = runtimeParallelRefusal[test.runtime as RuntimeName];
    if (refusal !== null)
      return { ok: false, error: `--parallel ${parallel}: test ${test.id} runs on ${test.runtime}: ${refusal}` };
  }
  return { ok: true };
}
