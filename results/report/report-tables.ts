// The report's tables: latency percentiles per operation kind and outcome (from
// the latency checker's HdrHistograms) and availability in each fault window
// and outside them (from the availability checker).

import type { OkFraction } from '../../checkers/checker-details.js';
import { checkerResultOf, type ReportRun } from './report-run.js';
import { htmlEscape, msText, percentText, secondsText } from './html.js';

const quantileFields = ['p50Us', 'p90Us', 'p95Us', 'p99Us', 'p999Us', 'maxUs', 'meanUs'] as const;

export function percentileTableHtml(run: ReportRun): string {
  const details = checkerResultOf(run, 'latency')?.details ?? null;
  const rows = details?.series ?? [];
  if (details === null || rows.length === 0)
    return '<p class="note">No latency figures: the latency checker did not run or measured nothing.</p>';
  const correction = details.openLoop ? 'open loop, corrected for coordinated omission' : 'closed loop';
  const body = rows
    .map((row) => {
      const cells = quantileFields.map((field) => `<td>${msText(row[field])}</td>`).join('');
      return `<tr><td>${htmlEscape(row.f)}</td><td class="outcome-${htmlEscape(row.outcome)}">${htmlEscape(row.outcome)}</td><td>${row.count}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<p class="note">HdrHistogram, ms (${htmlEscape(correction)}); the encoded histograms are in latency.hdr.</p>
<div class="table-wrap"><table class="percentiles"><thead><tr><th>kind</th><th>outcome</th><th>count</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr></thead>
<tbody>${body}</tbody></table></div>`;
}

export function availabilityTableHtml(run: ReportRun): string {
  const details = checkerResultOf(run, 'availability')?.details ?? null;
  if (details === null) return '<p class="note">No availability figures: the availability checker did not run.</p>';
  const rows = details.windows.map((window) => {
    const targets = window.targets.join(', ');
    const heal = window.healToFirstOkMs;
    return row(
      `${window.fault}${targets === '' ? '' : ` (${targets})`}`,
      `${secondsText(window.startNs)} – ${window.endNs === null ? 'not healed' : secondsText(window.endNs)}`,
      window,
      heal === null ? '–' : `${heal.toFixed(0)} ms`,
    );
  });
  const outside = row('outside fault windows', '', details.outside, '');
  const overall = row('whole run', '', details.overall, '');
  return `<div class="table-wrap"><table class="availability"><thead><tr><th>window</th><th>time</th><th>ops</th><th>ok</th><th>ok fraction</th><th>heal to first ok</th></tr></thead>
<tbody>${[...rows, outside, overall].join('\n')}</tbody></table></div>
${details.windows.length === 0 ? '<p class="note">The history has no fault windows.</p>' : ''}`;
}

function row(label: string, time: string, figures: OkFraction, heal: string): string {
  return `<tr><td>${htmlEscape(label)}</td><td>${htmlEscape(time)}</td><td>${figures.ops}</td><td>${figures.ok}</td><td>${percentText(figures.okFraction)}</td><td>${htmlEscape(heal)}</td></tr>`;
}
