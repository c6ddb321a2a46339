// What a person (or a script, with --json) reads when a test ends: each
// checker's verdict and summary line, the operation counts, the seed and where
// the run was stored. Pure: the command writes it.

import { faultEffects, faultEffectsText } from './fault-effects.js';
import type { FaultUnavailable } from './test-options.js';
import type { TestRunOutcome } from './test-run.js';

export function summaryText(outcome: TestRunOutcome): string {
  const { execution, checks, run } = outcome;
  const c = execution.counts;
  const lines = [
    `run ${run.path}  seed ${outcome.seed}`,
    `ops: ${c.invoked} invoked, ${c.ok} ok, ${c.fail} fail, ${c.info} info${c.late > 0 ? `, ${c.late} late (open loop)` : ''}`,
  ];
  const effects = faultEffectsText(faultEffects(outcome.history));
  if (effects !== '') lines.push(`faults: ${effects}`);
  const unavailable = nemesisUnavailableText(outcome.nemesisUnavailable);
  if (unavailable !== null) lines.push(unavailable);
  if (execution.recovery !== null && !execution.recovery.ready) {
    lines.push(
      `recovery: writer not ready after ${Math.round(execution.recovery.waitedMs)} ms (${execution.recovery.last})`,
    );
  }
  if (execution.finalReadsMissing.length > 0 && execution.crash === null && !execution.aborted) {
    lines.push(
      `final reads missing for ${execution.finalReadsMissing.length} key(s): ${execution.finalReadsMissing.slice(0, 10).join(', ')}`,
    );
  }
  const width = Math.max(0, ...(checks?.results ?? []).map((result) => result.checker.length));
  for (const result of checks?.results ?? [])
    lines.push(`  ${result.verdict.padEnd(8)} ${result.checker.padEnd(width)}  ${result.summary}`);
  if (execution.aborted) lines.push('interrupted: the run was stopped early; the history holds what was recorded');
  if (execution.crash !== null) lines.push(`crashed: ${execution.crash.split('\n')[0] ?? ''}`);
  lines.push(`verdict: ${verdictWord(outcome)} (exit ${outcome.exitCode})`);
  return `${lines.join('\n')}\n`;
}

export function summaryJson(outcome: TestRunOutcome): string {
  const { execution, checks } = outcome;
  return `${JSON.stringify({
    verdict: verdictWord(outcome),
    exitCode: outcome.exitCode,
    run: outcome.run.path,
    seed: outcome.seed,
    counts: execution.counts,
    events: outcome.events,
    aborted: execution.aborted,
    crash: execution.crash,
    recovery: execution.recovery,
    finalReadsMissing: execution.finalReadsMissing,
    faults: faultEffects(outcome.history),
    nemesisUnavailable: outcome.nemesisUnavailable,
    checkers: (checks?.results ?? []).map((result) => ({
      checker: result.checker,
      verdict: result.verdict,
      summary: result.summary,
      ...(result.reason === undefined ? {} : { reason: result.reason }),
    })),
  })}\n`;
}

/** "not injected on this runtime: slow-links, lossy-links (not available on this kernel: tc netem missing)"; null when none. */
export function nemesisUnavailableText(unavailable: readonly FaultUnavailable[]): string | null {
  if (unavailable.length === 0) return null;
  const reasons = new Map<string, string[]>();
  for (const entry of unavailable) reasons.set(entry.reason, [...(reasons.get(entry.reason) ?? []), entry.fault]);
  return `not injected on this runtime: ${[...reasons].map(([reason, faults]) => `${faults.join(', ')} (${reason})`).join('; ')}`;
}

function verdictWord(outcome: TestRunOutcome): string {
  if (outcome.execution.aborted) return 'interrupted';
  if (outcome.execution.crash !== null) return 'crashed';
  return outcome.checks?.verdict ?? 'unknown';
}
