// The report's first screen: the overall verdict, each checker's verdict with
// the figure that matters for it (lost writes, the failing key, availability),
// what was run (test, seed, runtime, duration, counts) and the exact command
// that reproduces it.

import type { CheckerResult } from '../../checkers/checker.js';
import { arrayOr, numberOr, objectOr, stringOr, type ReportRun } from './report-run.js';
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
  const details = objectOr(result.details);
  switch (result.checker) {
    case 'linearizable': {
      const keys = arrayOr(details['failures']).map(
        (failure) => stringOr(objectOr(failure)['key']) ?? '(whole history)',
      );
      if (keys.length > 0) return `failing key ${keys.join(', ')}`;
      const ops = numberOr(details['operations']);
      return ops === null ? result.verdict : `${ops} ops in ${numberOr(details['partitions']) ?? '?'} keys`;
    }
    case 'durability': {
      const counts = objectOr(details['counts']);
      return `${numberOr(counts['lost']) ?? 0} lost of ${numberOr(details['acked']) ?? 0} acknowledged`;
    }
    case 'set': {
      const counts = objectOr(details['counts']);
      return `${numberOr(counts['lost']) ?? 0} lost, ${numberOr(counts['stale']) ?? 0} stale of ${numberOr(details['elements']) ?? 0} elements`;
    }
    case 'availability': {
      const overall = percentText(numberOr(objectOr(details['overall'])['okFraction']));
      const inside = arrayOr(details['windows'])
        .map((window) => numberOr(objectOr(window)['okFraction']))
        .filter((fraction): fraction is number => fraction !== null);
      return inside.length === 0
        ? `${overall} ok`
        : `${overall} ok; worst fault window ${percentText(Math.min(...inside))}`;
    }
    case 'latency': {
      const okP99 = arrayOr(details['series'])
        .map(objectOr)
        .filter((row) => row['outcome'] === 'ok')
        .map((row) => numberOr(row['p99Us']) ?? 0);
      return okP99.length === 0 ? 'no ok operations' : `p99 of ok ops ≤ ${msText(Math.max(...okP99))} ms`;
    }
    default: {
      // The summary's first clause; the card shows the whole line under it.
      const clause = result.summary.split(';')[0] ?? '';
      return clause.length > 80 ? `${clause.slice(0, 79)}…` : clause;
    }
  }
}

function factsHtml(run: ReportRun): string {
  const counts = run.results?.counts ?? {};
  const endNs = run.history[run.history.length - 1]?.time ?? 0;
  const facts: [string, string][] = [
    ['run', run.runId],
    ['seed', run.seed === null ? '–' : String(run.seed)],
    ['workload', run.workload ?? '–'],
    ['nemesis', run.nemesis.join(', ') || 'none'],
    ['runtime', run.runtime ?? '–'],
    ['bugs', run.bugs.join(', ') || 'none'],
    ['duration', durationText(endNs / 1e6)],
    ['time limit', run.timeLimitMs === null ? '–' : durationText(run.timeLimitMs)],
    ['load', run.rate === null ? `closed loop, ${run.concurrency ?? '?'} processes` : `open loop, ${run.rate} ops/s`],
    ['started', run.startedAt ?? '–'],
    ['operations', countsText(counts)],
    ['events', String(run.history.length)],
  ];
  return `<dl class="facts">${facts.map(([name, value]) => `<div><dt>${htmlEscape(name)}</dt><dd>${htmlEscape(value)}</dd></div>`).join('')}</dl>`;
}

function countsText(counts: Readonly<Record<string, number>>): string {
  if (counts['invoked'] === undefined) return '–';
  const late = (counts['late'] ?? 0) > 0 ? `, ${counts['late']} late` : '';
  return `${counts['invoked']} invoked: ${counts['ok'] ?? 0} ok, ${counts['fail'] ?? 0} fail, ${counts['info'] ?? 0} info${late}`;
}

/**
 * The command that replays the run: the recorded arguments after the script,
 * with the seed made explicit (a run without --seed drew one from the clock).
 */
export function reproduceCommand(run: ReportRun): string {
  const args =
    run.commandLine === null
      ? ['test', ...(run.workload === null ? [] : ['--workload', run.workload])]
      : [...run.commandLine.slice(2)];
  const seedAt = args.findIndex((arg) => arg === '--seed' || arg.startsWith('--seed='));
  if (seedAt < 0 && run.seed !== null) args.push('--seed', String(run.seed));
  return ['quorumlab', ...args].map(shellWord).join(' ');
}
