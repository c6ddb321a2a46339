// The evidence view of what the store failed to do after the faults stopped:
// heals that did not take effect, replicas that never caught up, keys that took
// no write or read, and blocks left unrepaired or repaired again and again.
// Drawn only when the liveness or repair checker found the run invalid.

import type { LivenessDetails, RepairDetails } from '../../checkers/checker-details.js';
import { htmlEscape } from './html.js';
import { checkerResultOf, type ReportRun } from './report-run.js';

export function livenessViewHtml(run: ReportRun): string {
  const liveness = checkerResultOf(run, 'liveness');
  const repair = checkerResultOf(run, 'repair');
  const parts = [
    liveness?.verdict === 'invalid' && liveness.details !== null ? livenessParts(liveness.details) : [],
    repair?.verdict === 'invalid' && repair.details !== null ? repairParts(repair.details) : [],
  ].flat();
  if (parts.length === 0) return '';
  return `<section id="liveness-failure" class="failure-view">
<h2>After the heal</h2>
<p>What the store still owed once every fault was stopped, as the runner observed it from outside.</p>
${parts.join('\n')}
</section>`;
}

function livenessParts(details: LivenessDetails): string[] {
  const parts: string[] = [];
  if (details.healFailures.length > 0)
    parts.push(
      table(
        'Heals that did not take effect',
        ['fault', 'targets', 'error', 'event'],
        details.healFailures.map((f) => [f.fault, f.targets.join(', ') || '–', f.error, String(f.index)]),
      ),
    );
  if (details.behind.length > 0)
    parts.push(
      table(
        'Replicas behind at the last look',
        ['node', 'PG', 'SCL', "PG's highest SCL", 'watched', 'error'],
        details.behind.map((b) => [
          b.node,
          b.pg === null ? 'all' : String(b.pg),
          b.scl === null ? '–' : String(b.scl),
          b.pgHighest === null ? '–' : String(b.pgHighest),
          `${b.watchedMs} ms`,
          b.error ?? '',
        ]),
      ),
    );
  const keys = details.keys;
  if (keys !== null && keys.unwritten.length + keys.unread.length > 0)
    parts.push(
      table(
        'Keys the clients could not use after the heal',
        ['missing', 'keys'],
        [
          ['an ok write', keys.unwritten.join(', ') || '–'],
          ['an ok read', keys.unread.join(', ') || '–'],
        ],
      ),
    );
  return parts;
}

function repairParts(details: RepairDetails): string[] {
  const rows = [
    ...details.unrepaired.map((u) => [u.node, 'blocks still unrepaired', `${u.blocks} after ${u.watchedMs} ms`]),
    ...details.corruptAfter.map((c) => [c.node, 'corrupt blocks found by the second scrub', String(c.blocks)]),
    ...details.repairedTooOften.map((r) => [
      r.node,
      'one block repaired again and again',
      `${r.blockRepairsMax} times (at most ${r.allowed} expected)`,
    ]),
  ];
  return rows.length === 0 ? [] : [table('Blocks not repaired for good', ['node', 'problem', 'figure'], rows)];
}

function table(title: string, head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = (row: readonly string[], tag: 'td' | 'th'): string =>
    row.map((cell) => `<${tag}>${htmlEscape(cell)}</${tag}>`).join('');
  return `<h3>${htmlEscape(title)}</h3>
<div class="table-wrap"><table class="evidence"><thead><tr>${cells(head, 'th')}</tr></thead>
<tbody>${rows.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('\n')}</tbody></table></div>`;
}
