import { describe, expect, it } from 'vitest';
import { loggerCreate } from '../cluster/log.js';
import type { NodeLogsDetails } from './checker-details.js';
import { checkNodeLogs } from './node-logs.js';

/** A node log written by the store's own logger, so the test follows the real format. */
function nodeLog(
  node: string,
  write: (log: ReturnType<typeof loggerCreate>) => void,
  extra = '',
): { node: string; text: string } {
  let text = '';
  const log = loggerCreate(node, (line) => {
    text += line;
  });
  write(log);
  return { node, text: text + extra };
}

type LogDetails = NodeLogsDetails;

describe('node-log checker', () => {
  it('passes quiet logs and counts their ERROR and WARN lines', () => {
    const result = checkNodeLogs([
      nodeLog('n1', (log) => {
        log.info('started');
        log.warn('peer slow');
        log.error('connection reset');
      }),
      nodeLog('n2', (log) => log.info('started')),
    ]);
    expect(result.verdict).toBe('valid');
    expect((result.details as LogDetails).perNode).toEqual([
      expect.objectContaining({ node: 'n1', error: 1, warn: 1 }),
      expect.objectContaining({ node: 'n2', error: 0, warn: 0 }),
    ]);
    expect(result.summary).toContain('1 ERROR, 1 WARN');
  });

  it('fails a run whose node logged FATAL', () => {
    const result = checkNodeLogs([nodeLog('n3', (log) => log.fatal('assertion failed: lsn monotonic'))]);
    expect(result.verdict).toBe('invalid');
    expect(result.reason).toContain('assertion failed');
  });

  it('fails a run whose node logged data loss, and keeps the lines', () => {
    const result = checkNodeLogs([
      nodeLog('n4', (log) => {
        log.info('recovering');
        log.dataLoss('segment 3 block 17 has no intact copy');
      }),
    ]);
    expect(result.verdict).toBe('invalid');
    expect((result.details as LogDetails).dataLoss).toEqual([
      expect.objectContaining({ node: 'n4', line: 2, text: expect.stringContaining('segment 3 block 17') as unknown }),
    ]);
  });

  it('fails a run whose node printed a crash trace outside the log format', () => {
    const trace =
      'TypeError: Cannot read properties of undefined\n    at segmentRead (file:///app/cluster/storage/segment.js:10:5)\n';
    const result = checkNodeLogs([nodeLog('n5', (log) => log.info('started'), trace)]);
    expect(result.verdict).toBe('invalid');
    expect((result.details as LogDetails).crash.map((line) => line.line)).toEqual([2, 3]);
  });

  it('is unknown when no logs were given', () => {
    expect(checkNodeLogs([]).verdict).toBe('unknown');
  });
});
