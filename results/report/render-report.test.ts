import { describe, expect, it } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../../core/history.js';
import { chartDataBuild, okPointsMax } from './chart-data.js';
import { renderReport } from './render-report.js';
import { reportRunFrom } from './report-run.js';
import { fixtureRun, invalidRunFixture } from './test-support/run-fixture.js';

const assets = { chartJs: '/* chart.js stand-in */ window.Chart = function () {};' };

function render(fixture: ReturnType<typeof invalidRunFixture>): string {
  return renderReport(reportRunFrom(fixture.test, fixture.results, fixture.history), assets);
}

function dataOf(html: string): ReturnType<typeof chartDataBuild> {
  const match = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as ReturnType<typeof chartDataBuild>;
}

/** n sequential ok writes and reads on one key, every tenth read failing, 1 ms apart. */
function plainHistory(ops: number): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (let i = 0; i < ops; i++) {
    const f = i % 2 === 0 ? 'write' : 'read';
    const type = i % 20 === 19 ? 'fail' : 'ok';
    events.push({
      index: events.length,
      type: 'invoke',
      f,
      key: 'k',
      value: f === 'write' ? i : null,
      process: clientProcessOf(0),
      time: i * 1e6,
    });
    events.push({
      index: events.length,
      type,
      f,
      key: 'k',
      value: f === 'write' ? i : i - 1,
      process: clientProcessOf(0),
      time: i * 1e6 + 4e5,
      ...(type === 'fail' ? { error: 'unavailable' } : {}),
    });
  }
  return events;
}

describe('renderReport', () => {
  it('puts the overall verdict, each checker with its key figure, the seed and the reproducing command on the first screen', () => {
    const html = render(invalidRunFixture());
    const firstScreen = html.slice(0, html.indexOf('</header>'));
    expect(firstScreen).toContain('data-verdict="invalid"');
    expect(firstScreen).toMatch(/data-checker="linearizable"[\s\S]*?invalid[\s\S]*?failing key r1/);
    expect(firstScreen).toMatch(/data-checker="durability"[\s\S]*?1 lost of \d+ acknowledged/);
    expect(firstScreen).toMatch(/data-checker="availability"[\s\S]*?worst fault window 85.0%/);
    expect(firstScreen).toContain(
      'quorumlab test --workload register --nemesis partition --time-limit 20s --bug ack-before-quorum --seed 4242',
    );
    expect(firstScreen).toContain('register-partition');
  });

  it('draws the failing key as lanes with the prefix, the breaking operation and the states before and after', () => {
    const html = render(invalidRunFixture());
    const view = html.slice(
      html.indexOf('id="linearizability-failure"'),
      html.indexOf('</section>', html.indexOf('id="linearizability-failure"')),
    );
    expect(view).toContain('data-key="r1"');
    expect(view).toMatch(/class="lin-op role-breaking[^"]*"[^>]*data-tip="read 1[^"]*state before: 2/);
    expect(view).toContain('role-prefix');
    expect(view).toContain('>p0<');
    expect(view).toContain('>p1<');
  });

  it('lists the lost write with the write that acknowledged it and the final read that missed it', () => {
    const html = render(invalidRunFixture());
    const view = html.slice(html.indexOf('id="durability-failure"'));
    expect(view).toMatch(
      /<tr class="problem-lost"><td>lost<\/td><td><code>r1<\/code><\/td><td><code>2<\/code><\/td><td>ok write by process 0[^<]*<\/td><td>ok read by process 1[^<]*<\/td><td><code>1<\/code>/,
    );
  });

  it('inlines the chart data with the fault window and every operation of a small run', () => {
    const fixture = invalidRunFixture();
    const data = dataOf(render(fixture));
    expect(data.windows).toEqual([
      expect.objectContaining({ fault: 'partition', targets: ['s00', 's01'], healed: true }),
    ]);
    expect(data.phases.map((phase) => phase.name)).toEqual(['heal', 'final']);
    const completed = fixture.history.filter(
      (event) => typeof event.process === 'number' && event.type !== 'invoke',
    ).length;
    expect(data.scatter.series.reduce((sum, series) => sum + series.t.length, 0)).toBe(completed);
    expect(data.throughput.map((series) => `${series.f} ${series.outcome}`)).toEqual(
      expect.arrayContaining(['write ok', 'write fail', 'write info', 'read ok']),
    );
  });

  it('shows no failure view for a valid run', () => {
    const fixture = fixtureRun(plainHistory(200), 'plain', 1);
    const html = renderReport(
      reportRunFrom(
        fixture.test,
        {
          ...fixture.results,
          checkers: fixture.results.checkers.filter((c) => c.checker !== 'durability'),
        },
        fixture.history,
      ),
      assets,
    );
    expect(html).not.toContain('id="linearizability-failure"');
    expect(html).not.toContain('id="durability-failure"');
    expect(html).toContain('Every completed operation is drawn');
  });

  it('keeps every fail and samples ok points in a big run, and says so', () => {
    const history = plainHistory(200_000);
    const data = chartDataBuild(history);
    const fails = data.scatter.series
      .filter((series) => series.outcome === 'fail')
      .reduce((sum, series) => sum + series.t.length, 0);
    expect(fails).toBe(10_000);
    expect(data.scatter.okTotal).toBe(190_000);
    expect(data.scatter.okDrawn).toBeLessThanOrEqual(okPointsMax + 2 * 300);
    expect(data.scatter.okDrawn).toBeGreaterThan(okPointsMax * 0.9);
    const fixture = fixtureRun(history.slice(0, 2000), 'big', 1);
    expect(renderReport(reportRunFrom(fixture.test, fixture.results, history), assets)).toContain(
      `Sampled: ${data.scatter.okDrawn} of 190000 ok operations drawn`,
    );
  });

  it('escapes run values so a key cannot close the data script or inject markup', () => {
    const hostile = '</script><img src=x onerror=alert(1)>';
    const history: HistoryEvent[] = [
      { index: 0, type: 'invoke', f: 'write', key: hostile, value: 1, process: clientProcessOf(0), time: 0 },
      { index: 1, type: 'ok', f: 'write', key: hostile, value: 1, process: clientProcessOf(0), time: 1e6 },
    ];
    const fixture = fixtureRun(history, 'hostile', 1);
    const html = renderReport(reportRunFrom({ ...fixture.test, name: hostile }, fixture.results, history), assets);
    expect(html).not.toContain('<img src=x');
    expect(html.match(/<\/script>/g)?.length).toBe(3);
  });

  it('renders a run that never wrote results.json, saying so', () => {
    const fixture = invalidRunFixture();
    const html = renderReport(reportRunFrom(fixture.test, null, fixture.history), assets);
    expect(html).toContain('no results.json: the run stopped before its checkers ran');
    expect(html).toContain('data-verdict="unknown"');
  });

  it('loads nothing from the network', () => {
    const html = render(invalidRunFixture());
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(http/);
  });
});
