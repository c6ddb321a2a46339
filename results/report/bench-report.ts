// The bench report: one self-contained page (chart.js and the data inlined) with
// the latency-throughput curve of every target (p50, p99, p99.9 against
// achieved goodput, the sweep's saturation point marked), a table of every
// point with CPU per operation for each role, per-operation percentiles,
// throughput and latency over time with fault windows shaded, goodput inside
// and outside the fault windows, and the baseline's deltas. Pure.

import type { BenchFile, BenchPointRecord, BenchTargetRecord } from '../../bench/mode/bench-file.js';
import { benchReportScript } from './bench-report-client.js';
import { htmlEscape, jsonForScript, msText, percentText, scriptForInline, shellWord } from './html.js';
import { reportStyle } from './report-style.js';

export interface BenchReportAssets {
  /** chart.js's UMD build, inlined as is. */
  readonly chartJs: string;
}

export function benchReportHtml(file: BenchFile, assets: BenchReportAssets): string {
  const title = `bench ${file.name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(title)}</title><style>${reportStyle}</style></head>
<body><main>
<header class="summary"><h1>${htmlEscape(title)}</h1>
<p class="note">${htmlEscape(file.note)}</p>
<dl class="facts">${facts(file)}</dl>
<div class="repro"><span>command</span><code>${htmlEscape(file.commandLine.slice(1).map(shellWord).join(' '))}</code></div>
</header>
<section><h2>Latency against achieved goodput</h2>
<p class="note">Latency from ${htmlEscape(file.histogram.latencyFrom)}. HDR histograms of ${file.histogram.lowestUs} us to ${file.histogram.highestUs / 1e6} s, ${file.histogram.significantDigits} significant digits. A star marks a sweep's saturation point.</p>
<div class="chart-box"><canvas data-chart="curve" aria-label="latency against achieved goodput"></canvas></div>
</section>
${file.targets.map(targetHtml).join('\n')}
${baselineHtml(file)}
</main>
<script type="application/json" id="bench-data">${jsonForScript(chartData(file))}</script>
<script>${scriptForInline(assets.chartJs)}</script>
<script>${scriptForInline(benchReportScript)}</script>
</body></html>
`;
}

function facts(file: BenchFile): string {
  const s = file.settings;
  const rows: [string, string][] = [
    ['mix', `${s.mix} (${s.mixText})`],
    ['keys', `${s.distribution}, ${s.keyCount} keys, ${s.recordCount} records, ${s.valueSize} B values`],
    ['targets', file.targets.map((t) => `${t.target} (${t.runtime})`).join(', ')],
    ['each point', `${s.pointMs / 1000} s x ${s.repeat}`],
    ['nemesis', s.nemesis.join(', ')],
    ['host', `${file.host.cpus} cores, ${file.host.platform}/${file.host.arch}, node ${file.versions.node}`],
    ['started', file.startedAt],
    ['seed', String(s.seed)],
  ];
  return rows.map(([k, v]) => `<div><dt>${htmlEscape(k)}</dt><dd>${htmlEscape(v)}</dd></div>`).join('');
}

function targetHtml(target: BenchTargetRecord, index: number): string {
  const sweep =
    target.sweep === null
      ? ''
      : `<p>Sweep stopped: ${htmlEscape(target.sweep.stopReason)}. Saturation: ${
          target.sweep.saturation === null
            ? 'no step within the p99 bound'
            : htmlEscape(saturationText(target.points[target.sweep.saturation]!))
        }.</p>`;
  return `<section><h2>${htmlEscape(target.target)} on the ${htmlEscape(target.runtime)} runtime</h2>${sweep}
<div class="table-wrap"><table><thead><tr><th>point</th><th>goodput/s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>p99 uncorrected ms</th><th>spread goodput / p99</th><th>fail</th><th>info</th><th>late</th><th>CPU us/op writer</th><th>storage</th><th>bench</th></tr></thead>
<tbody>${target.points.map(pointRow).join('')}</tbody></table></div>
<h3>Per-operation percentiles (last repeat of each point)</h3>
<div class="table-wrap"><table><thead><tr><th>point</th><th>op</th><th>count</th><th>ok</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr></thead>
<tbody>${target.points.map(perOpRows).join('')}</tbody></table></div>
${faultsHtml(target)}
<h3>Throughput and latency over time</h3>
${target.points.map((point, p) => `<div class="chart-box"><canvas data-chart="timeline" data-target="${index}" data-point="${p}" aria-label="${htmlEscape(point.label)} over time"></canvas></div>`).join('\n')}
</section>`;
}

function saturationText(point: BenchPointRecord): string {
  return `${point.summary.goodputPerSec.toFixed(0)} ok/s at ${point.label}, p99 ${msText(point.summary.p99Us)} ms`;
}

function pointRow(point: BenchPointRecord): string {
  const last = point.repeats[point.repeats.length - 1];
  const sum = (pick: (r: (typeof point.repeats)[number]) => number): number =>
    point.repeats.reduce((t, r) => t + pick(r), 0);
  const cpu = point.cpuUsPerOp;
  const cells = [
    point.label,
    point.summary.goodputPerSec.toFixed(0),
    msText(point.summary.p50Us),
    msText(point.summary.p99Us),
    msText(point.summary.p999Us),
    msText(last?.p99UncorrectedUs),
    `${percentText(point.summary.goodputSpread)} / ${percentText(point.summary.p99Spread)}`,
    String(sum((r) => r.fail)),
    String(sum((r) => r.info)),
    String(sum((r) => r.late)),
    cpu === null ? 'n/a' : cpu.writer.toFixed(0),
    cpu === null ? 'n/a' : cpu.storage.toFixed(0),
    cpu === null ? 'n/a' : cpu.bench.toFixed(0),
  ];
  return `<tr>${cells.map((c) => `<td>${htmlEscape(c)}</td>`).join('')}</tr>`;
}

function perOpRows(point: BenchPointRecord): string {
  const last = point.repeats[point.repeats.length - 1];
  if (last === undefined) return '';
  return Object.entries(last.perOp)
    .map(([op, figures]) => {
      const q = figures.latency;
      const cells = [
        point.label,
        op,
        String(figures.count),
        String(figures.ok),
        msText(q?.p50Us),
        msText(q?.p90Us),
        msText(q?.p99Us),
        msText(q?.p999Us),
        msText(q?.maxUs),
      ];
      return `<tr>${cells.map((c) => `<td>${htmlEscape(c)}</td>`).join('')}</tr>`;
    })
    .join('');
}

function faultsHtml(target: BenchTargetRecord): string {
  const rows = target.points.flatMap((point) =>
    point.repeats.flatMap((repeat, r) => {
      const faults = repeat.faults;
      if (faults === null) return [];
      const cells = [
        `${point.label} #${r + 1}`,
        faults.windows.map((w) => `${w.fault} ${w.startS.toFixed(1)}-${w.endS.toFixed(1)} s`).join(', ') ||
          'none took effect',
        faults.inside.seconds.toFixed(1),
        faults.inside.goodputPerSec.toFixed(0),
        msText(faults.inside.p50Us),
        msText(faults.inside.p99Us),
        faults.outside.goodputPerSec.toFixed(0),
        msText(faults.outside.p50Us),
        msText(faults.outside.p99Us),
      ];
      return [`<tr>${cells.map((c) => `<td>${htmlEscape(c)}</td>`).join('')}</tr>`];
    }),
  );
  if (rows.length === 0) return '';
  return `<h3>Inside and outside fault windows</h3>
<div class="table-wrap"><table><thead><tr><th>point</th><th>windows</th><th>inside s</th><th>goodput/s inside</th><th>p50 ms</th><th>p99 ms</th><th>goodput/s outside</th><th>p50 ms</th><th>p99 ms</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div>`;
}

function baselineHtml(file: BenchFile): string {
  const b = file.baseline;
  if (b === null) return '';
  const rows = b.deltas.map((d) => {
    const value = (v: number): string => (d.figure === 'goodput' ? v.toFixed(0) : msText(v));
    const cells = [
      d.target,
      d.point,
      d.figure,
      value(d.baseline),
      value(d.current),
      `${d.delta >= 0 ? '+' : ''}${(d.delta * 100).toFixed(1)}%`,
      d.regression ? 'REGRESSION' : 'ok',
    ];
    return `<tr>${cells.map((c) => `<td>${htmlEscape(c)}</td>`).join('')}</tr>`;
  });
  return `<section><h2>Against the baseline ${htmlEscape(b.baselineDir)}</h2><p>${htmlEscape(b.verdict)}</p>
<div class="table-wrap"><table><thead><tr><th>target</th><th>point</th><th>figure</th><th>baseline</th><th>now</th><th>delta</th><th></th></tr></thead>
<tbody>${rows.join('')}</tbody></table></div></section>`;
}

/** What the page's script draws: the curves, and each point's last-repeat timeline with its fault windows. */
function chartData(file: BenchFile): unknown {
  return {
    curves: file.targets.map((target) => ({
      target: target.target,
      saturation: target.sweep?.saturation ?? null,
      points: target.points.map((point) => ({
        label: point.label,
        goodput: point.summary.goodputPerSec,
        p50Us: point.summary.p50Us,
        p99Us: point.summary.p99Us,
        p999Us: point.summary.p999Us,
      })),
    })),
    timelines: file.targets.map((target) =>
      target.points.map((point) => {
        const last = point.repeats[point.repeats.length - 1];
        return {
          label: `${target.target} ${point.label}`,
          timeline: last?.timeline ?? null,
          windows: last?.faults?.windows ?? [],
        };
      }),
    ),
  };
}
