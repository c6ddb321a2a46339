// index.html of a campaign: the overall result, every test's verdict next to
// the expected one with its duration, key figures and a link to its report,
// and charts of availability, p99 latency and throughput across seeds for each
// configuration; for a hunt, the seed that caught it and the shrunk schedule.
// Pure: the summary and chart.js's source in, the page out.

import { htmlEscape, jsonForScript, scriptForInline, verdictClass } from '../../results/report/html.js';
import { reportStyle } from '../../results/report/report-style.js';
import { clockText } from './campaign-progress.js';
import { huntLine, type CampaignSummary, type HuntSummary, type TestRecord } from './campaign-summary.js';

interface SeedCharts {
  readonly configs: readonly string[];
  readonly seeds: readonly number[];
  /** metric -> seed -> value per config (null: no figure). */
  readonly values: Readonly<Record<'okPercent' | 'p99OkMs' | 'okPerSec', readonly (readonly (number | null)[])[]>>;
}

export function campaignIndexRender(summary: CampaignSummary, chartJs: string): string {
  const asExpected =
    summary.hunt === undefined ? summary.mismatched === 0 : summary.hunt.caught === (summary.hunt.expect === 'caught');
  const verdict = summary.status !== 'finished' ? summary.status : asExpected ? 'valid' : 'invalid';
  const badge =
    summary.status !== 'finished'
      ? summary.status
      : summary.hunt !== undefined
        ? `hunt ${summary.hunt.caught ? 'caught' : 'not caught'}${asExpected ? ', as expected' : ''}`
        : asExpected
          ? 'all as expected'
          : 'mismatches';
  const headline = `${summary.matched} of ${summary.total} as expected, ${summary.mismatched} not${summary.done < summary.total ? `, ${summary.total - summary.done} not run` : ''}`;
  const charts = seedCharts(summary.tests);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(`${summary.campaign}: ${headline}`)}</title><style>${reportStyle}</style></head>
<body><main>
<header class="summary"><div class="title-row"><h1>campaign ${htmlEscape(summary.campaign)}</h1><span class="verdict-badge ${verdictClass(verdict)}">${htmlEscape(badge)}</span></div>
<p>${htmlEscape(headline)}. ${htmlEscape(summary.description)}</p>
<dl class="facts"><div><dt>file</dt><dd>${htmlEscape(summary.file)}</dd></div><div><dt>started</dt><dd>${htmlEscape(summary.startedAt)}</dd></div><div><dt>updated</dt><dd>${htmlEscape(summary.updatedAt)}</dd></div>${shardFact(summary)}</dl></header>
${summary.hunt === undefined ? '' : huntHtml(summary.hunt)}
<section><h2>Tests</h2><div class="table-wrap"><table class="runs"><thead><tr><th>test</th><th>expected</th><th>verdict</th><th>match</th><th>duration</th><th>key figures</th><th>report</th></tr></thead>
<tbody>${summary.tests.map(rowHtml).join('\n')}</tbody></table></div></section>
${charts.configs.length === 0 ? '' : chartsHtml(charts)}
</main>
<script type="application/json" id="campaign-data">${jsonForScript(charts)}</script>
<script>${scriptForInline(chartJs)}</script>
<script>${scriptForInline(indexScript)}</script>
</body></html>
`;
}

/** A shard's share, or what each merged shard gave. */
function shardFact(summary: CampaignSummary): string {
  const shard = summary.shard;
  if (shard === undefined) return '';
  const text =
    shard.index !== null
      ? `${shard.index}/${shard.count}`
      : shard.shards.map((one) => `${one.index}/${shard.count} ${one.status} (${one.done} of ${one.tests})`).join(', ');
  return `<div><dt>${shard.index === null ? 'merged shards' : 'shard'}</dt><dd>${htmlEscape(text)}</dd></div>`;
}

/** The hunt's outcome: the seed that caught it, and the shrunk schedule with the command that reproduces it. */
function huntHtml(hunt: HuntSummary): string {
  const asExpected = hunt.caught === (hunt.expect === 'caught');
  const shrink = hunt.shrink;
  const facts = (rows: readonly (readonly [string, string])[]): string =>
    `<dl class="facts">${rows.map(([term, value]) => `<div><dt>${htmlEscape(term)}</dt><dd>${value}</dd></div>`).join('')}</dl>`;
  const link = (file: string | null): string =>
    file === null
      ? '–'
      : `<a href="${htmlEscape(file.split('/').map(encodeURIComponent).join('/'))}">${htmlEscape(file)}</a>`;
  const shrinkHtml =
    shrink === null
      ? '<p class="note">The caught run was not shrunk.</p>'
      : `${facts([
          ['shrink', htmlEscape(`${shrink.status}: ${shrink.message}`)],
          ['faults kept', htmlEscape(shrink.faults.length === 0 ? '–' : shrink.faults.join(', '))],
          ['clients', htmlEscape(shrink.concurrency === null ? '–' : String(shrink.concurrency))],
          ['time limit', htmlEscape(shrink.timeLimitMs === null ? '–' : `${shrink.timeLimitMs / 1000} s`)],
          ['schedule', link(shrink.schedule)],
          ['attempts', link(shrink.record)],
        ])}${shrink.command === null ? '' : `<pre class="command">${htmlEscape(shrink.command)}</pre>`}`;
  return `<section id="hunt"><h2>Hunt</h2><p><span class="checker-verdict ${verdictClass(asExpected ? 'valid' : 'invalid')}">${htmlEscape(asExpected ? 'as expected' : `expected ${hunt.expect}`)}</span> ${htmlEscape(huntLine(hunt))}</p>
${hunt.caught ? shrinkHtml : ''}</section>`;
}

function rowHtml(test: TestRecord): string {
  const verdict = test.verdict ?? 'pending';
  const match = test.matches === null ? '–' : test.matches ? '✓' : '✗ mismatch';
  const figures = test.checkers
    .map(
      (checker) =>
        `<div class="${verdictClass(checker.verdict)}"><b>${htmlEscape(checker.checker)}</b> ${htmlEscape(checker.figure)}</div>`,
    )
    .join('');
  const crash = test.verdict === 'crashed' ? `<div class="note">${htmlEscape(test.message.slice(0, 300))}</div>` : '';
  const link =
    test.report === null
      ? '–'
      : `<a href="${htmlEscape(test.report.split('/').map(encodeURIComponent).join('/'))}">report</a>`;
  return `<tr data-test="${htmlEscape(test.id)}" class="${test.matches === false ? 'mismatch' : ''}"><td>${htmlEscape(test.id)}</td><td>${htmlEscape(test.expect)}</td><td><span class="checker-verdict ${verdictClass(verdict)}">${htmlEscape(verdict)}</span></td><td>${match}</td><td>${test.durationMs === null ? '–' : clockText(test.durationMs)}</td><td class="figures">${figures}${crash}</td><td>${link}</td></tr>`;
}

/** Tests grouped by everything but the seed: one bar per seed in each configuration. */
function seedCharts(tests: readonly TestRecord[]): SeedCharts {
  const done = tests.filter((test) => test.status === 'done' && test.verdict !== 'crashed');
  const configOf = (test: TestRecord): string => test.id.replace(/-s\d+$/, '');
  const configs = [...new Set(done.map(configOf))];
  const seeds = [...new Set(done.map((test) => test.seed))].sort((a, b) => a - b);
  const table = (pick: (test: TestRecord) => number | null) =>
    seeds.map((seed) =>
      configs.map((config) => {
        const test = done.find((candidate) => candidate.seed === seed && configOf(candidate) === config);
        return test === undefined ? null : pick(test);
      }),
    );
  return {
    configs,
    seeds,
    values: {
      okPercent: table((test) =>
        test.metrics.okFraction === null ? null : Number((test.metrics.okFraction * 100).toFixed(2)),
      ),
      p99OkMs: table((test) => (test.metrics.p99OkMs === null ? null : Number(test.metrics.p99OkMs.toPrecision(3)))),
      okPerSec: table((test) => (test.metrics.okPerSec === null ? null : Math.round(test.metrics.okPerSec))),
    },
  };
}

function chartsHtml(charts: SeedCharts): string {
  const height = Math.max(200, charts.configs.length * 26 + 90);
  const box = (metric: string, label: string) =>
    `<h3>${htmlEscape(label)}</h3><div class="chart-box" style="height:${height}px"><canvas data-metric="${metric}" aria-label="${htmlEscape(label)}"></canvas></div>`;
  return `<section id="seed-charts"><h2>Across seeds</h2><p class="note">One bar per seed for each configuration (crashed tests left out).</p>
${box('okPercent', 'ok operations (%)')}${box('p99OkMs', 'p99 latency of ok operations (ms)')}${box('okPerSec', 'ok operations per second')}</section>`;
}

const indexScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('campaign-data').textContent);
  var colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  Chart.defaults.animation = false;
  document.querySelectorAll('canvas[data-metric]').forEach(function (canvas) {
    var rows = data.values[canvas.getAttribute('data-metric')];
    var datasets = data.seeds.map(function (seed, i) {
      return { label: 'seed ' + seed, data: rows[i], backgroundColor: colors[i % colors.length] };
    });
    new Chart(canvas, { type: 'bar', data: { labels: data.configs, datasets: datasets }, options: { indexAxis: 'y', responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } } });
  });
  window.reportReady = true;
})();
`;
