// The report's first screen: the overall verdict, each checker's verdict with
// the figure that matters for it (lost writes, the failing key, availability),
// what was run (test, seed, runtime, duration, counts) and the exact command
// that reproduces it.

import type { CheckerResult } from '../../checkers/checker.js';
import { assertNever } from '../../core/assert.js';
import type { ReportRun } from './report-run.js';
import type { OpCounts } from '../../workloads/phase.js';
import { durationText, htmlEscape, msText, percentText, shellWord, verdictClass } from './html.js';

export function summaryHtml(run: ReportRun): string {
  const verdict = run.results?.verdict ?? 'unknown';
  const verdictNote =
    run.results === null
      ? 'no results.json: the run stopped before its checkers ran'
      : run.results.aborted
        ? 'interrupted: the history holds what was recorded'
        : '';
  return `<header class="summary">
  <div class="title-row">
    <h1>${htmlEscape(run.testName)}</h1>
    <span class="verdict-badge ${verdictClass(verdict)}" data-verdict="${htmlEscape(verdict)}">${htmlEscape(verdict)}</span>
  </div>
  ${verdictNote === '' ? '' : `<p class="note">${htmlEscape(verdictNote)}</p>`}
  ${run.results?.crash ? `<pre class="crash">${htmlEscape(run.results.crash)}</pre>` : ''}
  <div class="checkers">${(run.results?.checkers ?? []).map(checkerCard).join('\n')}</div>
  ${factsHtml(run)}
  <div class="repro"><span>Reproduce</span><code id="repro-command">${htmlEscape(reproduceCommand(run))}</code></div>
</header>`;
}

function checkerCard(result: CheckerResult): string {
  return `<div class="checker ${verdictClass(result.verdict)}" data-checker="${htmlEscape(result.checker)}">
  <div class="checker-head"><span class="checker-name">${htmlEscape(result.checker)}</span><span class="checker-verdict">${htmlEscape(result.verdict)}</span></div>
  <div class="checker-figure">${htmlEscape(keyFigure(result))}</div>
  <div class="checker-summary">${htmlEscape(result.summary)}</div>
</div>`;
}

/** The one figure a person looks for first in each checker's result; the summary line says the rest. */
export function keyFigure(result: CheckerResult): string {
  switch (result.checker) {
    case 'linearizable': {
      const keys = (result.details?.failures ?? []).map((failure) => failure.key ?? '(whole history)');
      if (keys.length > 0) return `failing key ${keys.join(', ')}`;
      return result.details === null
        ? result.verdict
        : `${result.details.operations} ops in ${result.details.partitions} keys`;
    }
    case 'durability':
      return `${result.details?.counts.lost ?? 0} lost of ${result.details?.acked ?? 0} acknowledged`;
    case 'set': {
      const counts = result.details?.counts;
      return `${counts?.lost ?? 0} lost, ${counts?.stale ?? 0} stale of ${result.details?.elements ?? 0} elements`;
    }
    case 'availability': {
      const overall = percentText(result.details?.overall.okFraction ?? null);
      const inside = (result.details?.windows ?? [])
        .map((window) => window.okFraction)
        .filter((fraction): fraction is number => fraction !== null);
      return inside.length === 0
        ? `${overall} ok`
        : `${overall} ok; worst fault window ${percentText(Math.min(...inside))}`;
    }
    case 'latency': {
      const okP99 = (result.details?.series ?? []).filter((row) => row.outcome === 'ok').map((row) => row.p99Us);
      return okP99.length === 0 ? 'no ok operations' : `p99 of ok ops ≤ ${msText(Math.max(...okP99))} ms`;
    }
    case 'node-logs': {
      // The summary's first clause; the card shows the whole line under it.
      const clause = result.summary.split(';')[0] ?? '';
      return clause.length > 80 ? `${clause.slice(0, 79)}…` : clause;
    }
    default:
      return assertNever(result, 'checker result');
  }
}

function factsHtml(run: ReportRun): string {
  const counts = run.results?.counts ?? null;
  const endNs = run.history[run.history.length - 1]?.time ?? 0;
  const facts: [string, string][] = [
    ['run', run.runId],
    ['seed', String(run.seed)],
    ['workload', run.workload],
    ['nemesis', run.nemesis.join(', ') || 'none'],
    ['runtime', run.runtime],
    ['bugs', run.bugs.join(', ') || 'none'],
    ['duration', durationText(endNs / 1e6)],
    ['time limit', durationText(run.timeLimitMs)],
    ['load', run.rate === null ? `closed loop, ${run.concurrency} processes` : `open loop, ${run.rate} ops/s`],
    ['started', run.startedAt],
    ['operations', countsText(counts)],
    ['events', String(run.history.length)],
  ];
  return `<dl class="facts">${facts.map(([name, value]) => `<div><dt>${htmlEscape(name)}</dt><dd>${htmlEscape(value)}</dd></div>`).join('')}</dl>`;
}

function countsText(counts: Readonly<OpCounts> | null): string {
  if (counts === null) return '–';
  const late = counts.late > 0 ? `, ${counts.late} late` : '';
  return `${counts.invoked} invoked: ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info${late}`;
}

/**
 * The command that replays the run: the recorded arguments after the script,
 * with the seed made explicit (a run without --seed drew one from the clock).
 */
export function reproduceCommand(run: ReportRun): string {
  const args = run.commandLine.slice(2);
  const seedAt = args.findIndex((arg) => arg === '--seed' || arg.startsWith('--seed='));
  if (seedAt < 0) args.push('--seed', String(run.seed));
  return ['quorumlab', ...args].map(shellWord).join(' ');
}
