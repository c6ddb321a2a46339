// The three verdicts every checker returns, and how they combine: the worst
// wins, with invalid worse than unknown worse than valid.

export type Verdict = 'valid' | 'invalid' | 'unknown';

const rank: Readonly<Record<Verdict, number>> = { valid: 0, unknown: 1, invalid: 2 };

export function verdictWorst(verdicts: readonly Verdict[]): Verdict {
  let worst: Verdict = 'valid';
  for (const verdict of verdicts) if (rank[verdict] > rank[worst]) worst = verdict;
  return worst;
}

/** Exit codes of the command line (workbench spec, "Command line"). */
export const exitCode = {
  valid: 0,
  invalid: 1,
  unknown: 2,
  usage: 3,
  crashed: 4,
} as const;

export function verdictExitCode(verdict: Verdict): number {
  return exitCode[verdict];
}
