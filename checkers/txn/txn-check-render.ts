// The transactional check's result for a person (a few lines per anomaly) and
// for a program (JSON with `verdict` and `anomalyTypes` in Elle's names).
// Pure: the command line writes what these return.

import type { TxnCheckResult } from './txn-check.js';

/** Cases printed per anomaly type in the text form; the JSON form has them all. */
const casesShownPerType = 3;

export interface TxnCheckReport {
  readonly file: string;
  readonly consistency: string;
  readonly result: TxnCheckResult;
  readonly eventsDropped: number;
}

export function txnCheckRender(report: TxnCheckReport): string {
  const { result } = report;
  const lines = [
    `${report.file}: ${result.verdict} under ${report.consistency}` +
      (result.anomalyTypes.length > 0 ? ` (${result.anomalyTypes.join(', ')})` : ''),
  ];
  if (result.reason !== null) lines.push(`  reason: ${result.reason}`);
  if (result.not.length > 0) lines.push(`  rules out: ${result.not.join(', ')} (and every stronger model)`);
  for (const type of result.anomalyTypes) {
    const cases = result.anomalies.filter((c) => c.type === type);
    lines.push(`  ${type}: ${cases.length} found`);
    for (const c of cases.slice(0, casesShownPerType)) lines.push(`    - ${c.explanation}`);
    if (cases.length > casesShownPerType)
      lines.push(`    ... ${cases.length - casesShownPerType} more (--json lists all)`);
  }
  const f = result.figures;
  lines.push(
    `  ${f.txns} transactions, ${f.edges} dependency edges, ${f.sccs} cyclic components (largest ${f.sccLargest}), ` +
      `${f.elapsedMs.toFixed(0)} ms` +
      (report.eventsDropped > 0 ? `; ${report.eventsDropped} events without an integer process left out` : ''),
  );
  return `${lines.join('\n')}\n`;
}

export function txnCheckJson(report: TxnCheckReport): Record<string, unknown> {
  const { result } = report;
  return {
    file: report.file,
    consistency: report.consistency,
    verdict: result.verdict,
    anomalyTypes: result.anomalyTypes,
    not: result.not,
    reason: result.reason,
    anomalies: result.anomalies,
    figures: { ...result.figures, eventsDropped: report.eventsDropped },
  };
}
