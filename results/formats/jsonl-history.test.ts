import { describe, expect, test } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../../core/history.js';
import { historyEventToJsonl, historyToJsonl, jsonlHistoryParse } from './jsonl-history.js';

const history: readonly HistoryEvent[] = [
  { index: 0, type: 'invoke', f: 'write', key: 'k1', value: 3, process: clientProcessOf(0), time: 1000 },
  { index: 1, type: 'invoke', f: 'start', value: { targets: ['n1', 'n2'] }, process: 'nemesis', time: 1500 },
  {
    index: 2,
    type: 'info',
    f: 'write',
    key: 'k1',
    value: 3,
    process: clientProcessOf(0),
    time: 2000,
    error: 'timeout',
  },
  { index: 3, type: 'invoke', f: 'cas', key: 'k1', value: [3, 4], process: clientProcessOf(1), time: 2500 },
  {
    index: 4,
    type: 'fail',
    f: 'cas',
    key: 'k1',
    value: [3, 4],
    process: clientProcessOf(1),
    time: 3000,
    error: 'cas-mismatch',
  },
];

function parsed(text: string): { events: readonly HistoryEvent[]; warnings: readonly string[] } {
  const result = jsonlHistoryParse(text);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return {
    events: result.events,
    warnings: result.warnings.map((warning) => `line ${warning.line}: ${warning.message}`),
  };
}

function problem(text: string): string {
  const result = jsonlHistoryParse(text);
  if (result.ok) throw new Error('expected a problem');
  return `line ${result.error.line}: ${result.error.message}`;
}

describe('history.jsonl', () => {
  test('a written history reads back as the same events', () => {
    expect(parsed(historyToJsonl(history))).toEqual({ events: history, warnings: [] });
  });

  test('one event is one line with its fields in a fixed order and no newline', () => {
    const line = historyEventToJsonl({
      time: 5,
      process: clientProcessOf(2),
      value: null,
      f: 'read',
      type: 'invoke',
      index: 7,
      key: 'a',
    });
    expect(line).toBe('{"index":7,"type":"invoke","f":"read","key":"a","value":null,"process":2,"time":5}');
  });

  test('an empty file is an empty history', () => {
    expect(parsed('')).toEqual({ events: [], warnings: [] });
  });

  test('a truncated final line is skipped with a warning and everything before it is kept', () => {
    const text = historyToJsonl(history.slice(0, 3)) + '{"index":3,"type":"inv';
    const { events, warnings } = parsed(text);
    expect(events).toEqual(history.slice(0, 3));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^line 4: truncated final line skipped/);
  });

  test('a malformed line that ends with a newline is an error, not a truncation', () => {
    expect(problem(historyToJsonl(history.slice(0, 1)) + '{"index":1,"type"\n')).toMatch(/^line 2: not a JSON object/);
  });

  test('events are numbered by position and a differing index in the file is reported once', () => {
    const lines = history.slice(0, 3).map((event, i) => historyEventToJsonl({ ...event, index: i * 10 }));
    const { events, warnings } = parsed(lines.join('\n'));
    expect(events.map((event) => event.index)).toEqual([0, 1, 2]);
    expect(warnings).toEqual([
      "line 2: the file's index 10 differs from the event's position 1; events are numbered by position (file order is authoritative)",
    ]);
  });

  test('unknown fields are reported once each as ignored', () => {
    const line = '{"index":0,"type":"invoke","f":"read","value":null,"process":0,"time":0,"node":"n1"}';
    expect(parsed(`${line}\n${line.replace('"index":0', '"index":1')}\n`).warnings).toEqual([
      'line 1: field "node" is not part of a history event and is ignored',
    ]);
  });

  const valid = { index: 0, type: 'ok', f: 'read', key: 'a', value: 1, process: 0, time: 0 };
  test.each([
    [{ ...valid, type: 'done' }, 'field "type" must be invoke, ok, fail or info, got "done"'],
    [{ ...valid, f: '' }, 'field "f" must be a non-empty string'],
    [{ ...valid, process: -1 }, 'field "process" must be a non-negative integer or nemesis, got -1'],
    [{ ...valid, process: 'p1' }, 'field "process"'],
    [{ ...valid, time: 1.5 }, 'field "time" must be a non-negative integer'],
    [{ ...valid, index: 'zero' }, 'field "index" must be a non-negative integer'],
    [{ ...valid, key: 7 }, 'field "key" must be a string'],
    [{ ...valid, error: 42 }, 'field "error" must be a non-empty string'],
    [{ index: 0, type: 'ok', f: 'read', process: 0, time: 0 }, 'field "value" is missing'],
  ])('refuses %j naming the line and the field', (record, message) => {
    const text = `${historyEventToJsonl(history[0] as HistoryEvent)}\n${JSON.stringify(record)}\n`;
    expect(problem(text)).toContain(`line 2: ${message}`);
  });

  test('a line that is JSON but not an object is an error', () => {
    expect(problem('[1,2]\n')).toBe('line 1: expected a JSON object, got [1,2]');
  });

  test('blank lines and CRLF line ends are accepted', () => {
    const text = historyToJsonl(history.slice(0, 2)).replaceAll('\n', '\r\n\r\n');
    expect(parsed(text).events).toEqual(history.slice(0, 2));
  });
});
