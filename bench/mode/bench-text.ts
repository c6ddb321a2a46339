// What the terminal shows after a bench run: the run directory, that the
// results were not checked, a table per target (one row per point, medians of
// the repeats and their spread), the sweep's stop and saturation, the ratios of
// two targets, and the baseline's verdict with its regressions.

import os from 'node:os';
import type { BenchFile, BenchPointRecord, BenchTargetRecord } from './bench-file.js';

const columns = ['point', 'goodput/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'spread', 'fail', 'info', 'CPU us/op w+s+b'];

export function benchText(file: BenchFile, runPath: string): string {
  const lines = [
    `bench ${file.runId}  seed ${file.settings.seed}  ${os.cpus().length} CPU cores`,
    `mix ${file.settings.mix} (${file.settings.mixText}), ${file.settings.distribution} over ${file.settings.keyCount} keys, ${file.settings.valueSize} B values`,
    file.note,
  ];
  for (const target of file.targets) lines.push('', ...targetLines(target));
  const ratios = file.ratios as {
    of: string;
    points: { point: string; goodput: number | null; p99: number | null }[];
  } | null;
  if (ratios !== null) {
    lines.push('', `ratios ${ratios.of}:`);
    for (const r of ratios.points)
      lines.push(`  ${r.point}: goodput x${r.goodput?.toFixed(2) ?? 'n/a'}, p99 x${r.p99?.toFixed(2) ?? 'n/a'}`);
  }
  if (file.baseline !== null) {
    lines.push('', `baseline ${file.baseline.baselineDir}: ${file.baseline.verdict}`);
    for (const d of file.baseline.deltas.filter((delta) => delta.regression))
      lines.push(
        `  REGRESSION ${d.target} ${d.point} ${d.figure}: ${figureText(d.figure, d.baseline)} -> ${figureText(d.figure, d.current)} (${d.delta >= 0 ? '+' : ''}${(d.delta * 100).toFixed(1)}%)`,
      );
    if (file.baseline.unmatched.length > 0) lines.push(`  not in the baseline: ${file.baseline.unmatched.join(', ')}`);
  }
  lines.push('', `run directory ${runPath} (bench.json, latency.hdr, report.html)`);
  return `${lines.join('\n')}\n`;
}

function targetLines(target: BenchTargetRecord): string[] {
  const rows = target.points.map(pointCells);
  const widths = columns.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const render = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [
    `${target.target} on the ${target.runtime} runtime`,
    `  ${render(columns)}`,
    ...rows.map((row) => `  ${render(row)}`),
  ];
  if (target.sweep !== null) {
    const saturation = target.sweep.saturation === null ? null : target.points[target.sweep.saturation];
    out.push(`  sweep stopped: ${target.sweep.stopReason}`);
    out.push(
      saturation === null || saturation === undefined
        ? '  saturation: no step within the p99 bound'
        : `  saturation: ${saturation.summary.goodputPerSec.toFixed(0)} ok/s at ${saturation.label} (p99 ${ms(saturation.summary.p99Us)} ms)`,
    );
  }
  const faulted = target.points.flatMap((point) => point.repeats.map((repeat) => ({ point, faults: repeat.faults })));
  for (const { point, faults } of faulted) {
    if (faults === null) continue;
    out.push(
      `  ${point.label} faults: inside ${faults.inside.seconds.toFixed(1)} s goodput ${faults.inside.goodputPerSec.toFixed(0)}/s p99 ${ms(faults.inside.p99Us)} ms; outside goodput ${faults.outside.goodputPerSec.toFixed(0)}/s p99 ${ms(faults.outside.p99Us)} ms`,
    );
  }
  return out;
}

function pointCells(point: BenchPointRecord): string[] {
  const sum = (pick: (r: (typeof point.repeats)[number]) => number): number =>
    point.repeats.reduce((t, r) => t + pick(r), 0);
  const cpu = point.cpuUsPerOp;
  const spread =
    point.repeats.length < 2
      ? '-'
      : `${(point.summary.goodputSpread * 100).toFixed(0)}%/${(point.summary.p99Spread * 100).toFixed(0)}%`;
  return [
    point.label,
    point.summary.goodputPerSec.toFixed(0),
    ms(point.summary.p50Us),
    ms(point.summary.p99Us),
    ms(point.summary.p999Us),
    spread,
    String(sum((r) => r.fail)),
    String(sum((r) => r.info)),
    cpu === null ? 'n/a' : `${cpu.writer.toFixed(0)}+${cpu.storage.toFixed(0)}+${cpu.bench.toFixed(0)}`,
  ];
}

function ms(us: number | null): string {
  return us === null ? '-' : (us / 1000).toFixed(2);
}

/** Goodput in operations per second, latencies in milliseconds. */
function figureText(figure: 'goodput' | 'p50' | 'p99', value: number): string {
  return figure === 'goodput' ? `${value.toFixed(0)}/s` : `${ms(value)} ms`;
}
