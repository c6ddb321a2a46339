// The report's tables: latency percentiles per operation kind and outcome (from
// the latency checker's HdrHistograms) and availability in each fault window
// and outside them (from the availability checker).

import { arrayOr, numberOr, objectOr, stringOr, type ReportRun } from './report-run.js';
import { htmlEscape, msText, percentText, secondsText } from './html.js';

export function percentileTableHtml(run: ReportRun): string {
  const latency = run.results?.checkers.find((result) => result.checker === 'latency');
  const details = objectOr(latency?.details);
  const rows = arrayOr(details['series']).map(objectOr);
  if (rows.length === 0)
    return '<p class="note">No latency figures: the latency checker did not run or measured nothing.</p>';
  const correction = details['openLoop'] === true ? 'open loop, corrected for coordinated omission' : 'closed loop';
  const body = rows
    .map((row) => {
      const cells = ['p50Us', 'p90Us', 'p95Us', 'p99Us', 'p999Us', 'maxUs', 'meanUs']
        .map((field) => `<td>${msText(numberOr(row[field]))}</td>`)
        .join('');
      const outcome = stringOr(row['outcome']) ?? '?';
      return `<tr><td>${htmlEscape(stringOr(row['f']) ?? '?')}</td><td class="outcome-${htmlEscape(outcome)}">${htmlEscape(outcome)}</td><td>${numberOr(row['count']) ?? 0}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<p class="note">HdrHistogram, ms (${htmlEscape(correction)}); the encoded histograms are in latency.hdr.</p>
<div class="table-wrap"><table class="percentiles"><thead><tr><th>kind</th><th>outcome</th><th>count</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th></tr></thead>
<tbody>${body}</tbody></table></div>`;
}

export function availabilityTableHtml(run: ReportRun): string {
  const availability = run.results?.checkers.find((result) => result.checker === 'availability');
  const details = objectOr(availability?.details);
  if (availability === undefined || Object.keys(details).length === 0)
    return '<p class="note">No availability figures: the availability checker did not run.</p>';
  const windows = arrayOr(details['windows']).map(objectOr);
  const rows = windows.map((window) => {
    const targets = arrayOr(window['targets']).map(String).join(', ');
    const heal = numberOr(window['healToFirstOkMs']);
    return row(
      `${stringOr(window['fault']) ?? '?'}${targets === '' ? '' : ` (${targets})`}`,
      `${secondsText(numberOr(window['startNs']))} – ${window['endNs'] === null ? 'not healed' : secondsText(numberOr(window['endNs']))}`,
      window,
      heal === null ? '–' : `${heal.toFixed(0)} ms`,
    );
  });
  const outside = row('outside fault windows', '', objectOr(details['outside']), '');
  const overall = row('whole run', '', objectOr(details['overall']), '');
  return `<div class="table-wrap"><table class="availability"><thead><tr><th>window</th><th>time</th><th>ops</th><th>ok</th><th>ok fraction</th><th>heal to first ok</th></tr></thead>
<tbody>${[...rows, outside, overall].join('\n')}</tbody></table></div>
${windows.length === 0 ? '<p class="note">The history has no fault windows.</p>' : ''}`;
}

function row(label: string, time: string, figures: ReturnType<typeof objectOr>, heal: string): string {
  return `<tr><td>${htmlEscape(label)}</td><td>${htmlEscape(time)}</td><td>${numberOr(figures['ops']) ?? 0}</td><td>${numberOr(figures['ok']) ?? 0}</td><td>${percentText(numberOr(figures['okFraction']))}</td><td>${htmlEscape(heal)}</td></tr>`;
}
