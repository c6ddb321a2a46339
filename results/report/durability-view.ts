// The evidence view of a durability or set failure: each lost (or otherwise
// wrong) value with the operation that acknowledged it and the final read that
// missed it, looked up in the history so a reader sees times, processes and
// what the read returned.

import type { HistoryEvent, JsonValue } from '../../core/history.js';
import { checkerResultOf, type ReportRun } from './report-run.js';
import { htmlEscape, secondsText, valueText } from './html.js';

/** Rows drawn; the checkers keep a bounded list of evidence already, and the counts cover every value. */
const rowsMax = 200;

interface Evidence {
  readonly checker: string;
  readonly kind: string;
  readonly key: string;
  readonly value: JsonValue;
  readonly opIndex: number | null;
  readonly readIndex: number | null;
}

export function durabilityViewHtml(run: ReportRun): string {
  const evidence = [...durabilityEvidence(run), ...setEvidence(run)];
  if (evidence.length === 0) return '';
  const rows = evidence.slice(0, rowsMax).map((entry) => rowHtml(entry, run.history));
  const lost = evidence.filter((entry) => entry.kind === 'lost').length;
  return `<section id="durability-failure" class="failure-view">
<h2>Lost and wrong values</h2>
<p>${lost} lost value${lost === 1 ? '' : 's'} among ${evidence.length} problem${evidence.length === 1 ? '' : 's'} with evidence${evidence.length > rowsMax ? ` (the first ${rowsMax} drawn)` : ''}: each with the operation that acknowledged (or sent) it and the read that proves the problem.</p>
<div class="table-wrap"><table class="evidence"><thead><tr><th>problem</th><th>key</th><th>value</th><th>acknowledged by</th><th>proven by read</th><th>the read returned</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>
</section>`;
}

function durabilityEvidence(run: ReportRun): Evidence[] {
  const problems = checkerResultOf(run, 'durability')?.details?.problems ?? [];
  return problems.map((problem) => ({
    checker: 'durability',
    kind: problem.kind,
    key: problem.key,
    value: problem.value,
    opIndex: problem.opIndex,
    readIndex: problem.readIndex,
  }));
}

function setEvidence(run: ReportRun): Evidence[] {
  const lists = checkerResultOf(run, 'set')?.details?.evidence ?? {};
  return Object.entries(lists)
    .filter(([category]) => category !== 'never-read')
    .flatMap(([category, list]) =>
      (list ?? []).map((entry) => ({
        checker: 'set',
        kind: category,
        key: entry.key,
        value: entry.element,
        opIndex: entry.opIndex,
        readIndex: entry.readIndex,
      })),
    );
}

function rowHtml(entry: Evidence, history: readonly HistoryEvent[]): string {
  const op = eventAt(history, entry.opIndex);
  const read = eventAt(history, entry.readIndex);
  const opText =
    op === null
      ? '–'
      : `${op.type} ${op.f} by process ${String(op.process)} at ${secondsText(op.time)} (event ${op.index})`;
  const readText =
    read === null
      ? '–'
      : `${read.type} ${read.f} by process ${String(read.process)} at ${secondsText(read.time)} (event ${read.index})`;
  return `<tr class="problem-${htmlEscape(entry.kind)}"><td>${htmlEscape(entry.kind)}</td><td><code>${htmlEscape(entry.key)}</code></td><td><code>${htmlEscape(valueText(entry.value))}</code></td><td>${htmlEscape(opText)}</td><td>${htmlEscape(readText)}</td><td><code>${htmlEscape(read === null ? '–' : valueText(read.value, 200))}</code></td></tr>`;
}

function eventAt(history: readonly HistoryEvent[], index: number | null): HistoryEvent | null {
  if (index === null) return null;
  const event =
    history[index]?.index === index ? history[index] : history.find((candidate) => candidate.index === index);
  return event ?? null;
}
