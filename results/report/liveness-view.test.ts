import { describe, expect, it } from 'vitest';
import { historyWrite } from '../../checkers/test-support/history-writer.js';
import { observeF, type RepairSeen, type ReplicaSeen, type ScrubSeen } from '../../checkers/liveness-events.js';
import type { HistoryEvent } from '../../core/history.js';
import { runResultsD } from '../schema/results-file.js';
import { storedTextParse } from '../schema/stored-file.js';
import { renderReport } from './render-report.js';
import { reportRunFrom } from './report-run.js';
import { fixtureRun } from './test-support/run-fixture.js';

const assets = { chartJs: '/* chart.js stand-in */ window.Chart = function () {};' };
const nodes = ['s00', 's01', 's10'];

/**
 * A register run healed after a kill of s10, whose liveness phase wrote and read
 * r0; `s10Down` leaves s10 silent after the heal with one block unrepaired on s01.
 */
function afterHealHistory(s10Down: boolean): HistoryEvent[] {
  const h = historyWrite()
    .op(0, 'write', 'r0', 1, 'ok')
    .nemesis('info', 'start-kill-node', { targets: ['s10'] })
    .op(1, 'write', 'r0', 2, 'ok')
    .phase('heal')
    .nemesis('info', 'stop-kill-node', { targets: ['s10'] })
    .nemesis('info', 'phase', 'liveness')
    .op(2, 'write', 'r0', -1, 'ok')
    .phase('final')
    .op(3, 'read', 'r0', null, 'ok', -1);
  const down = (node: string): boolean => s10Down && node === 's10';
  const replicas: ReplicaSeen[] = nodes.map((node) =>
    down(node) ? { node, scls: null, error: 'connect ECONNREFUSED 127.0.0.1:4102' } : { node, scls: [9], error: null },
  );
  const figures = { blocksChecked: 20, blocksCorrupt: 0, blocksUnrepaired: 0, complete: true };
  const scrubbed: ScrubSeen[] = nodes.map((node) =>
    down(node) ? { node, figures: null, error: 'connect ECONNREFUSED' } : { node, figures, error: null },
  );
  const stats: RepairSeen[] = nodes.map((node) =>
    down(node)
      ? { node, blocksUnrepaired: null, blockRepairsMax: null, error: 'connect ECONNREFUSED' }
      : { node, blocksUnrepaired: s10Down && node === 's01' ? 1 : 0, blockRepairsMax: 1, error: null },
  );
  return h
    .nemesis('info', observeF.replicas, { round: 1, watchedMs: 3000, timeoutMs: 3000, nodes: replicas })
    .nemesis('info', observeF.scrub, { pass: 1, nodes: scrubbed })
    .nemesis('info', observeF.repair, { round: 1, watchedMs: 3000, timeoutMs: 3000, nodes: stats })
    .nemesis('info', observeF.scrub, { pass: 2, nodes: scrubbed }).events;
}

function render(history: readonly HistoryEvent[]): string {
  const fixture = fixtureRun(history, 'register-kill-node', 11);
  return renderReport(reportRunFrom(fixture.test, fixture.results, fixture.history), assets);
}

describe('the report of the liveness phase', () => {
  it('shows a live, repaired run as one line each on the first screen, and no evidence section', () => {
    const html = render(afterHealHistory(false));
    const firstScreen = html.slice(0, html.indexOf('</header>'));
    expect(firstScreen).toMatch(/data-checker="liveness"[\s\S]*?valid[\s\S]*?3 replicas caught up in 3000 ms/);
    expect(firstScreen).toMatch(/data-checker="repair"[\s\S]*?valid[\s\S]*?0 corrupt found, 0 unrepaired/);
    expect(html).not.toContain('id="liveness-failure"');
  });

  it('names the replica that never came back and the block left unrepaired, with the figures', () => {
    const html = render(afterHealHistory(true));
    const firstScreen = html.slice(0, html.indexOf('</header>'));
    expect(firstScreen).toMatch(/data-checker="liveness"[\s\S]*?invalid[\s\S]*?1 replica behind: s10/);
    expect(firstScreen).toMatch(/data-checker="repair"[\s\S]*?invalid[\s\S]*?1 unrepaired/);
    const view = html.slice(html.indexOf('id="liveness-failure"'));
    expect(view).toContain('Replicas behind at the last look');
    expect(view).toMatch(/<td>s10<\/td><td>all<\/td><td>–<\/td><td>–<\/td><td>3000 ms<\/td><td>connect ECONNREFUSED/);
    expect(view).toMatch(/<td>s01<\/td><td>blocks still unrepaired<\/td><td>1 after 3000 ms<\/td>/);
  });

  it('stores both results in results.json in a shape its reader accepts', () => {
    const fixture = fixtureRun(afterHealHistory(true), 'register-kill-node', 11);
    const read = storedTextParse('results.json', JSON.stringify(fixture.results), runResultsD);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const byName = new Map(read.value.checkers.map((result) => [result.checker, result]));
    expect(byName.get('liveness')).toMatchObject({ verdict: 'invalid', details: { behind: [{ node: 's10' }] } });
    expect(byName.get('repair')).toMatchObject({ verdict: 'invalid', details: { unrepaired: [{ node: 's01' }] } });
  });
});
