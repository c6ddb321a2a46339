import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkersRun } from '../../checkers/index.js';
import { contextFor, historyWrite } from '../../checkers/test-support/history-writer.js';
import { fixtureRun, invalidRunFixture } from '../report/test-support/run-fixture.js';
import { runResultsD } from './results-file.js';
import { storedTextParse } from './stored-file.js';
import { jsonEdited, type JsonPath } from './test-support/json-edit.js';
import { testFileD } from './test-file.js';

/** A run directory written by the runner before test.json and results.json had a format field. */
const beforeFormat = path.resolve(import.meta.dirname, '../report/test-support/stored-before-format');

function storedText(file: string): string {
  return readFileSync(path.join(beforeFormat, file), 'utf8');
}

describe('stored results.json and test.json', () => {
  it('reads files written before the format field as format 1, every checker typed', () => {
    const results = storedTextParse('results.json', storedText('results.json'), runResultsD);
    expect(results.ok).toBe(true);
    if (!results.ok) return;
    expect(results.value.format).toBe(1);
    expect(results.value.checkers.map((result) => result.checker)).toEqual([
      'linearizable',
      'durability',
      'availability',
      'latency',
    ]);
    const test = storedTextParse('test.json', storedText('test.json'), testFileD);
    expect(test.ok).toBe(true);
    if (test.ok) expect(test.value.options.workload).toBe('register');
  });

  it("reads what the runner writes now, format 1, with an invalid run's evidence", () => {
    const fixture = invalidRunFixture();
    const results = storedTextParse('results.json', JSON.stringify(fixture.results), runResultsD);
    expect(results.ok && results.value.verdict).toBe('invalid');
    expect(storedTextParse('test.json', JSON.stringify(fixture.test), testFileD).ok).toBe(true);
  });

  it('reads a set run with lost elements and node logs with a FATAL line, every detail typed', () => {
    const history = historyWrite()
      .op(0, 'add', 's', 1, 'ok')
      .op(1, 'add', 's', 2, 'ok')
      .phase('final')
      .op(2, 'read', 's', null, 'ok', [1]).events;
    const logs = [{ node: 's00', text: '2026-01-01T00:00:00.000Z FATAL s00 assertion failed: lsn order\n' }];
    const checks = checkersRun(history, contextFor('set'), { nodeLogs: logs });
    const { results } = fixtureRun(history, 'set-lost', 1);
    const read = storedTextParse('results.json', JSON.stringify({ ...results, checkers: checks.results }), runResultsD);
    expect(read.ok && read.value.checkers).toEqual(checks.results);
    expect(checks.results.map((result) => `${result.checker} ${result.verdict}`)).toEqual([
      'set invalid',
      'availability valid',
      'latency valid',
      'node-logs invalid',
    ]);
  });

  it('keeps a field the schema does not name in the raw file, and out of the typed value', () => {
    const { test } = fixtureRun([], 'plain', 1);
    const read = storedTextParse('test.json', JSON.stringify({ ...test, extra: 5 }), testFileD);
    expect(read.ok && 'extra' in read.value).toBe(false);
    expect(read.ok && read.raw).toMatchObject({ extra: 5 });
  });

  const cases: [string, JsonPath, unknown, string][] = [
    [
      "a wrong type deep in a checker's details",
      ['checkers', 1, 'details', 'problems'],
      'none',
      'checkers[1].details.problems: expected array, got string',
    ],
    [
      'a count that is not a number',
      ['checkers', 1, 'details', 'counts', 'lost'],
      '0',
      'checkers[1].details.counts.lost: expected number, got string',
    ],
    [
      'a missing count',
      ['checkers', 1, 'details', 'counts', 'read-not-prefix'],
      undefined,
      'checkers[1].details.counts.read-not-prefix: missing',
    ],
    [
      'a latency row with an unknown outcome',
      ['checkers', 3, 'details', 'series', 0, 'outcome'],
      'maybe',
      'checkers[3].details.series[0].outcome: expected one of "ok", "fail", "info", got "maybe"',
    ],
    [
      'a checker this build does not know',
      ['checkers', 2, 'checker'],
      'throughput',
      'checkers[2].checker: expected one of "linearizable", "durability", "set", "availability", "latency", "node-logs", got "throughput"',
    ],
    ['a missing verdict', ['verdict'], undefined, 'verdict: missing'],
    ['counts that are not an object', ['counts'], [1, 2], 'counts: expected object, got array'],
    ['an unknown format', ['format'], 2, 'format 2 is not one this build reads (it reads format 1)'],
  ];

  it.each(cases)('names the file and the field for %s', (_name, at, value, message) => {
    const read = storedTextParse(
      'store/x/results.json',
      jsonEdited(storedText('results.json'), at, value),
      runResultsD,
    );
    expect(read.ok ? '' : read.error).toContain(`store/x/results.json: ${message}`);
  });

  it('names the file for text that is not JSON', () => {
    const read = storedTextParse('store/x/results.json', '{"verdict": ', runResultsD);
    expect(read.ok ? '' : read.error).toMatch(/^store\/x\/results\.json: not JSON: /);
  });
});
