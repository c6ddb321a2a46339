import { describe, expect, test } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../../core/history.js';
import { ednHistoryParse } from './edn-history.js';
import { historyToEdn } from './edn-writer.js';
import { historyToJsonl, jsonlHistoryParse } from './jsonl-history.js';

function eventsOf(text: string): readonly HistoryEvent[] {
  const result = ednHistoryParse(text);
  if (!result.ok) throw new Error(`${result.error.line}:${result.error.column}: ${result.error.message}`);
  return result.events;
}

function problemOf(text: string): string {
  const result = ednHistoryParse(text);
  if (result.ok) throw new Error('expected a problem');
  return `${result.error.line}:${result.error.column}: ${result.error.message}`;
}

const knossosHistory = `; a register
[{:process 0, :type :invoke, :f :write, :value 0}
 {:process 0, :type :ok,     :f :write, :value 0}
 ; comment lines are allowed
 {:process 1, :type :invoke, :f :read,  :value nil}
 {:process 2, :type :invoke, :f :cas,   :value [0 4]}
 {:process 1,
  :type :ok,
  :f :read,
  :value 3}
 {:process 2, :type :fail,   :f :cas,   :value [0 4], :error :timeout}
 {:process :nemesis, :type :info, :f :start, :value nil}]
`;

describe('EDN histories', () => {
  test('a Knossos vector of maps becomes events in file order, keywords as names', () => {
    const events = eventsOf(knossosHistory);
    expect(events).toHaveLength(7);
    expect(events[0]).toEqual({ index: 0, type: 'invoke', f: 'write', value: 0, process: 0, time: 0 });
    expect(events[4]).toEqual({ index: 4, type: 'ok', f: 'read', value: 3, process: 1, time: 0 });
    expect(events[5]).toEqual({
      index: 5,
      type: 'fail',
      f: 'cas',
      value: [0, 4],
      process: 2,
      time: 0,
      error: 'timeout',
    });
    expect(events[6]).toEqual({ index: 6, type: 'info', f: 'start', value: null, process: 'nemesis', time: 0 });
  });

  test('each event knows the line it starts on, for messages about it later', () => {
    const result = ednHistoryParse(knossosHistory);
    expect(result.ok && result.lines).toEqual([2, 3, 5, 6, 7, 11, 12]);
  });

  test('a list works like a vector, and times are kept as given even when not monotone', () => {
    const events = eventsOf(
      '({:process 0, :type :invoke, :f :read, :time 900}\n {:process 0, :type :ok, :f :read, :value 1, :time 100})',
    );
    expect(events.map((event) => [event.index, event.time, event.value])).toEqual([
      [0, 900, null],
      [1, 100, 1],
    ]);
  });

  test('Porcupine kv files, one map per line, keep string keys and values', () => {
    const text =
      '{:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}\n{:process 9, :type :ok, :f :append, :key "0", :value "x 9 0 y"}\n';
    expect(eventsOf(text)).toEqual([
      { index: 0, type: 'invoke', f: 'append', key: '0', value: 'x 9 0 y', process: 9, time: 0 },
      { index: 1, type: 'ok', f: 'append', key: '0', value: 'x 9 0 y', process: 9, time: 0 },
    ]);
  });

  test('multi-register transactions arrive as nested arrays of names and values', () => {
    const [event] = eventsOf('[{:type :invoke, :f :txn, :value [[:read :x nil] [:write :y 2]], :process 3, :time 7}]');
    expect(event?.value).toEqual([
      ['read', 'x', null],
      ['write', 'y', 2],
    ]);
  });

  test('integer keys become strings and structured errors are written out as EDN', () => {
    const [event] = eventsOf('[{:type :fail, :f :write, :key 3, :value 1, :process 0, :error [:timeout "slow"]}]');
    expect(event).toEqual({
      index: 0,
      type: 'fail',
      f: 'write',
      key: '3',
      value: 1,
      process: 0,
      time: 0,
      error: '["timeout" "slow"]',
    });
  });

  test('empty files, empty vectors and comment-only files are empty histories', () => {
    expect(eventsOf('')).toEqual([]);
    expect(eventsOf('[]')).toEqual([]);
    expect(eventsOf('; nothing here\n')).toEqual([]);
  });

  test.each([
    ['[{:process 0, :type :invoke, :f :read}\n 42]', '2:2: expected an operation map, got 42'],
    [
      '[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :done, :f :read}]',
      '2:2: field "type" must be invoke, ok, fail or info, got "done"',
    ],
    [
      '{:process :client, :type :ok, :f :read}',
      '1:1: field "process" must be a non-negative integer or nemesis, got "client"',
    ],
    ['[{:process 0, :type :ok}]', '1:2: field "f" must be a non-empty string, got nothing'],
    ['{:process 0, :type :ok, :f :read}\n[1 2]', '2:1: a history is one vector or list of maps'],
    ['[{:process 0, :type :ok, :f :read, :value [1 2}]', '1:47: expected "]", found "}"'],
  ])('refuses %j naming line, column and field', (text, message) => {
    expect(problemOf(text)).toContain(message);
  });
});

describe('converting between jsonl and EDN', () => {
  const history: readonly HistoryEvent[] = [
    { index: 0, type: 'invoke', f: 'cas', key: 'k 1', value: [1, 2], process: clientProcessOf(0), time: 10 },
    {
      index: 1,
      type: 'invoke',
      f: 'partition-start',
      value: { targets: ['n1'], 'odd key': 'a"b\\c\n' },
      process: 'nemesis',
      time: 20,
    },
    { index: 2, type: 'ok', f: 'cas', key: 'k 1', value: [1, 2], process: clientProcessOf(0), time: 30 },
    { index: 3, type: 'invoke', f: 'read', key: 'k 1', value: null, process: clientProcessOf(1), time: 40 },
    {
      index: 4,
      type: 'info',
      f: 'read',
      key: 'k 1',
      value: null,
      process: clientProcessOf(1),
      time: 50,
      error: 'connection cut',
    },
    { index: 5, type: 'invoke', f: 'write', key: 'k2', value: -1.5e-7, process: clientProcessOf(2), time: 60 },
    {
      index: 6,
      type: 'fail',
      f: 'write',
      key: 'k2',
      value: true,
      process: clientProcessOf(2),
      time: 70,
      error: 'not-leader',
    },
  ];

  test('jsonl -> EDN -> events gives back the same events', () => {
    const jsonl = jsonlHistoryParse(historyToJsonl(history));
    if (!jsonl.ok) throw new Error(jsonl.error.message);
    expect(eventsOf(historyToEdn(jsonl.events))).toEqual(history);
  });

  test('EDN output uses keywords for types, functions, the nemesis and error codes', () => {
    const edn = historyToEdn(history);
    expect(edn).toContain(
      '{:index 1, :type :invoke, :f :partition-start, :value {:targets ["n1"], "odd key" "a\\"b\\\\c\\n"}, :process :nemesis, :time 20}',
    );
    expect(edn).toContain(':error "connection cut"');
    expect(edn).toContain(':error :not-leader');
  });

  test('a Knossos history survives EDN -> jsonl -> events unchanged', () => {
    const events = eventsOf(knossosHistory);
    const back = jsonlHistoryParse(historyToJsonl(events));
    expect(back.ok && back.events).toEqual(events);
  });

  test('an empty history is written as an empty vector', () => {
    expect(historyToEdn([])).toBe('[]\n');
  });
});
