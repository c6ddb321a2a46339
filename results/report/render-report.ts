// renderReport: one run as one self-contained HTML page (chart.js and the data
// inlined, no network access, opens from a file). Pure: the run and the chart
// library's source in, the page out; report-write.ts does the reading and writing.

import { chartDataBuild, type ChartData } from './chart-data.js';
import { durabilityViewHtml } from './durability-view.js';
import { htmlEscape, jsonForScript, scriptForInline } from './html.js';
import { linearizabilityViewHtml } from './linearizability-view.js';
import { livenessViewHtml } from './liveness-view.js';
import { reportClientScript } from './report-client.js';
import type { ReportRun } from './report-run.js';
import { reportStyle } from './report-style.js';
import { summaryHtml } from './report-summary.js';
import { availabilityTableHtml, percentileTableHtml } from './report-tables.js';

export interface ReportAssets {
  /** chart.js's UMD build, inlined as is. */
  readonly chartJs: string;
}

export function renderReport(run: ReportRun, assets: ReportAssets): string {
  const data = chartDataBuild(run.history);
  const verdict = run.results?.verdict ?? 'unknown';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(`${verdict.toUpperCase()} · ${run.testName} · seed ${run.seed ?? '?'}`)}</title>
<style>${reportStyle}</style>
</head>
<body>
<main>
${summaryHtml(run)}
${linearizabilityViewHtml(run)}
${durabilityViewHtml(run)}
${livenessViewHtml(run)}
${chartsHtml(data)}
<section><h2>Latency percentiles</h2>${percentileTableHtml(run)}</section>
<section><h2>Availability per fault window</h2>${availabilityTableHtml(run)}</section>
<section><details class="config"><summary>test.json (full config)</summary><pre>${htmlEscape(JSON.stringify(run.config, null, 2))}</pre></details></section>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${scriptForInline(assets.chartJs)}</script>
<script>${scriptForInline(reportClientScript)}</script>
</body>
</html>
`;
}

function chartsHtml(data: ChartData): string {
  const { scatter } = data;
  const sampled =
    scatter.okDrawn < scatter.okTotal || scatter.failInfoDrawn < scatter.failInfoTotal
      ? `Sampled: ${scatter.okDrawn} of ${scatter.okTotal} ok operations drawn (evenly through the run, plus the slowest of each ${data.bucketS} s bucket); ${scatter.failInfoDrawn} of ${scatter.failInfoTotal} fail and info operations drawn.`
      : `Every completed operation is drawn (${scatter.okTotal} ok, ${scatter.failInfoTotal} fail or info).`;
  const windows =
    data.windows.length === 0
      ? 'No fault windows in this run.'
      : `${data.windows.length} fault window${data.windows.length === 1 ? '' : 's'} shaded in red and labelled with the fault and its targets.`;
  return `<section id="charts">
<h2>Latency of every operation</h2>
<p class="note">${htmlEscape(sampled)} Colour: outcome (ok, fail, info); shape: operation kind. ${htmlEscape(windows)} Dashed lines mark the heal and final-read phases.</p>
<div class="chart-box"><canvas data-chart="latency" aria-label="latency of every operation over time"></canvas></div>
<h2>Latency quantiles over time</h2>
<p class="note">p50, p95, p99 and max of the ok operations invoked in each ${data.bucketS} s bucket (raw samples, not corrected for coordinated omission).</p>
<div class="chart-box"><canvas data-chart="quantiles" aria-label="latency quantiles over time"></canvas></div>
<h2>Throughput over time</h2>
<p class="note">Completions per second by kind and outcome, in ${data.bucketS} s buckets; fail dashed, info dotted.</p>
<div class="chart-box"><canvas data-chart="throughput" aria-label="throughput over time"></canvas></div>
</section>`;
}
