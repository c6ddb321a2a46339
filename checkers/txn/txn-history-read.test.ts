// The list-append history reader on both formats and on the shapes Elle's
// test histories use: streams of maps, two-element reads, nil against [],
// non-integer processes, keys that are keywords, integers or vectors.

import { describe, expect, test } from 'vitest';
import { txnHistoryRead } from './txn-history-read.js';

function read(text: string, format: 'edn' | 'jsonl') {
  const result = txnHistoryRead(text, format);
  if (!result.ok) throw new Error(result.error);
  return result.history;
}

describe('txnHistoryRead', () => {
  test('pairs invocations with completions by process and keeps file indices', () => {
    const history = read(
      `[{:type :invoke, :f :txn, :value [[:append :x 1] [:r :y nil]], :process 0, :index 20}
        {:type :invoke, :value [[:r :x]], :process 1, :index 21}
        {:type :ok, :value [[:r :x [1]]], :process 1, :index 22}
        {:type :ok, :f :txn, :value [[:append :x 1] [:r :y [1 2]]], :process 0, :index 23}]`,
      'edn',
    );
    expect(history.txns.map((t) => [t.process, t.invokeIndex, t.completeIndex, t.outcome])).toEqual([
      [1, 21, 22, 'ok'],
      [0, 20, 23, 'ok'],
    ]);
    expect(history.keyNames).toEqual(['x', 'y']);
    expect(history.txns[1]?.mops).toEqual([
      { f: 'append', key: 0, element: 0 },
      { f: 'r', key: 1, list: [0, 1] },
    ]);
  });

  test('reads a stream of maps with comments, drops non-integer processes, and tells nil from []', () => {
    const history = read(
      `; a comment
       {:type :invoke, :value [[:r 5 nil] [:r [:anti 5] nil]], :process 0}
       {:type :info, :f :start, :value nil, :process :nemesis}
       {:type :ok, :value [[:r 5 []] [:r [:anti 5] nil]], :process 0}`,
      'edn',
    );
    expect(history.eventsDropped).toBe(1);
    expect(history.keyNames).toEqual(['5', '["anti",5]']);
    expect(history.txns[0]?.mops).toEqual([
      { f: 'r', key: 0, list: [] },
      { f: 'r', key: 1, list: null },
    ]);
  });

  test('reads a failed transaction, and an invocation that never completed as info', () => {
    const history = read(
      [
        '{"type":"invoke","f":"txn","value":[["append","x",1]],"process":0,"index":0}',
        '{"type":"fail","f":"txn","value":[["append","x",1]],"process":0,"index":1}',
        '{"type":"invoke","f":"txn","value":[["append","x",2]],"process":1,"index":2}',
        '',
      ].join('\n'),
      'jsonl',
    );
    expect(history.txns.map((t) => [t.outcome, t.invokeIndex, t.completePosition])).toEqual([
      ['fail', 0, 1],
      ['info', 2, Number.POSITIVE_INFINITY],
    ]);
  });

  test.each([
    ['[{:type :ok, :value [[:w :x 1]], :process 0}]', 'only append and r'],
    ['[{:type :ok, :value [[:r :x 3]], :process 0}]', 'a list or nil'],
    ['[{:type :done, :value [], :process 0}]', ':type must be'],
    ['[{:type :ok, :value 3, :process 0}]', 'list of micro-ops'],
  ])('refuses %s, naming the problem', (text, message) => {
    const result = txnHistoryRead(text, 'edn');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});
