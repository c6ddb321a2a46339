import { describe, expect, test } from 'vitest';
import type { HistoryEvent } from '../../core/history.js';
import { jepsenLogParse } from './jepsen-log.js';

function eventsOf(text: string): readonly HistoryEvent[] {
  const result = jepsenLogParse(text);
  if (!result.ok) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return result.events;
}

const tabbed = [
  'INFO  jepsen.util - 2\t:invoke\t:cas\t[3 0]',
  'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
  'INFO  jepsen.util - 2\t:ok\t:cas\t[3 0]',
  'INFO  jepsen.util - 0\t:ok\t:read\tnil',
  'INFO  jepsen.util - 4\t:invoke\t:write\t7',
  'INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]',
  'INFO  jepsen.util - 4\t:info\t:write\t:timed-out',
  'INFO  jepsen.util - 1\t:fail\t:cas\t[1 2]',
].join('\n');

describe('Jepsen log lines', () => {
  test('each line becomes one event in line order, with no clock', () => {
    expect(eventsOf(tabbed)).toEqual([
      { index: 0, type: 'invoke', f: 'cas', value: [3, 0], process: 2, time: 0 },
      { index: 1, type: 'invoke', f: 'read', value: null, process: 0, time: 0 },
      { index: 2, type: 'ok', f: 'cas', value: [3, 0], process: 2, time: 0 },
      { index: 3, type: 'ok', f: 'read', value: null, process: 0, time: 0 },
      { index: 4, type: 'invoke', f: 'write', value: 7, process: 4, time: 0 },
      { index: 5, type: 'invoke', f: 'cas', value: [1, 2], process: 1, time: 0 },
      { index: 6, type: 'info', f: 'write', value: 7, process: 4, time: 0, error: 'timed-out' },
      { index: 7, type: 'fail', f: 'cas', value: [1, 2], process: 1, time: 0 },
    ]);
  });

  test('runs of spaces separate fields as tabs do, and a timed-out failed read keeps its invoked nil', () => {
    const text = 'INFO  jepsen.util - 3   :invoke :read   nil\nINFO  jepsen.util - 3   :fail   :read   :timed-out\n';
    expect(eventsOf(text)).toEqual([
      { index: 0, type: 'invoke', f: 'read', value: null, process: 3, time: 0 },
      { index: 1, type: 'fail', f: 'read', value: null, process: 3, time: 0, error: 'timed-out' },
    ]);
  });

  test('an empty file and blank lines give no events', () => {
    expect(eventsOf('')).toEqual([]);
    expect(eventsOf('\n\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\n\n')).toHaveLength(1);
  });

  test.each([
    ['WARN something else entirely', 'expected a line "INFO  jepsen.util - <process> <type> <f> <value>"'],
    ['INFO  jepsen.util - x\t:invoke\t:read\tnil', 'process must be a non-negative integer, got "x"'],
    ['INFO  jepsen.util - 1\t:done\t:read\tnil', 'type must be :invoke, :ok, :fail or :info, got ":done"'],
    ['INFO  jepsen.util - 1\tinvoke\t:read\tnil', 'type must be :invoke'],
    ['INFO  jepsen.util - 1\t:invoke\tread\tnil', 'f must be a keyword such as :read, got "read"'],
    ['INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2', 'bad value "[1 2"'],
    ['INFO  jepsen.util - 1\t:invoke\t:read', 'expected a line'],
  ])('refuses %j with the line number', (line, message) => {
    const result = jepsenLogParse(`INFO  jepsen.util - 0\t:invoke\t:read\tnil\n${line}\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.line).toBe(2);
      expect(result.error.message).toContain(message);
    }
  });
});
