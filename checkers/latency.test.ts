import { HistogramLogReader, decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { clientProcessOf, type HistoryEvent } from '../core/history.js';
import type { LatencyDetails } from './checker-details.js';
import { latencyChecker, latencyHdrFile } from './latency.js';
import { contextFor, historyWrite } from './test-support/history-writer.js';

/** Reads that take 2 ms each, a 30 ms write, a failed write and an unfinished one, over about 2.5 s. */
function sampleHistory(): HistoryEvent[] {
  const writer = historyWrite();
  for (let i = 0; i < 10; i++)
    writer
      .at(i * 250)
      .invoke(0, 'read', 'r', null)
      .at(i * 250 + 2)
      .complete(0, 'ok', null);
  writer.at(2_400).invoke(1, 'write', 'r', 1).at(2_430).complete(1, 'ok');
  writer.invoke(2, 'write', 'r', 2).complete(2, 'fail', 2, 'not-leader');
  writer.invoke(3, 'write', 'r', 3);
  return writer.events;
}

function details(history: readonly HistoryEvent[], context = contextFor('register')): LatencyDetails {
  return latencyChecker.check(history, context).details as LatencyDetails;
}

describe('latency checker', () => {
  it('keeps one histogram per operation kind and outcome', () => {
    const rows = details(sampleHistory()).series;
    expect(rows.map((row) => [row.f, row.outcome, row.count])).toEqual([
      ['read', 'ok', 10],
      ['write', 'ok', 1],
      ['write', 'fail', 1],
    ]);
  });

  it('measures latency in microseconds from invocation to completion', () => {
    const read = details(sampleHistory()).series[0];
    expect(read?.p50Us).toBe(2_000);
    expect(read?.maxUs).toBe(2_000);
    expect(details(sampleHistory()).series[1]?.maxUs).toBeGreaterThanOrEqual(30_000);
  });

  it('counts unfinished operations without giving them a latency', () => {
    expect(details(sampleHistory()).opsOpen).toBe(1);
  });

  it('encodes histograms that decode to the recorded counts', () => {
    const read = details(sampleHistory()).series[0];
    expect(decodeFromCompressedBase64(read?.histogram ?? '').totalCount).toBe(10);
  });

  it('gives throughput and quantiles per one-second bucket', () => {
    const timeline = details(sampleHistory()).timeline;
    expect(timeline.buckets).toBe(3);
    const reads = timeline.series.find((row) => row.f === 'read' && row.outcome === 'ok');
    expect(reads?.opsPerSec).toEqual([4, 4, 2]);
    expect(reads?.p50Us).toEqual([2_000, 2_000, 2_000]);
    const writes = timeline.series.find((row) => row.f === 'write' && row.outcome === 'ok');
    expect(writes?.maxUs).toEqual([null, null, 30_000]);
  });

  it('corrects for coordinated omission in an open-loop run with a known interval', () => {
    const writer = historyWrite();
    for (let i = 0; i < 9; i++)
      writer
        .at(i * 10)
        .invoke(0, 'read', 'r', null)
        .at(i * 10 + 1)
        .complete(0, 'ok', null);
    writer.at(100).invoke(0, 'read', 'r', null).at(200).complete(0, 'ok', null);
    const closed = details(writer.events).series[0];
    const open = details(writer.events, contextFor('register', { openLoop: true, intervalNs: 10e6 })).series[0];
    expect(closed?.countRecorded).toBe(10);
    expect(open?.correction.corrected).toBe(true);
    expect(open?.countRecorded).toBe(10 + 9);
    expect(open?.p50Us).toBeGreaterThan(closed?.p50Us ?? 0);
  });

  it('does not correct an open-loop run whose interval is unknown, and says so', () => {
    const result = latencyChecker.check(sampleHistory(), contextFor('register', { openLoop: true, intervalNs: null }));
    expect(result.summary).toContain('uncorrected');
  });

  it('is valid for any readable history and unknown for an unreadable one', () => {
    expect(latencyChecker.check(sampleHistory(), contextFor('register')).verdict).toBe('valid');
    expect(latencyChecker.check([], contextFor('register')).verdict).toBe('valid');
    const unreadable: HistoryEvent[] = [
      { index: 0, type: 'ok', f: 'read', key: 'r', value: null, process: clientProcessOf(0), time: 0 },
    ];
    expect(latencyChecker.check(unreadable, contextFor('register')).verdict).toBe('unknown');
  });
});

describe('latency.hdr', () => {
  it('is an HdrHistogram log with one tagged histogram per kind and outcome', () => {
    const text = latencyHdrFile(sampleHistory(), contextFor('register'));
    const reader = new HistogramLogReader(text);
    const found: [string, number][] = [];
    for (let histogram = reader.nextIntervalHistogram(); histogram !== null; histogram = reader.nextIntervalHistogram())
      found.push([histogram.tag, histogram.totalCount]);
    expect(found).toEqual([
      ['read:ok', 10],
      ['write:ok', 1],
      ['write:fail', 1],
    ]);
  });

  it('says in a comment when the history cannot be read', () => {
    const unreadable: HistoryEvent[] = [
      { index: 0, type: 'ok', f: 'read', key: 'r', value: null, process: clientProcessOf(0), time: 0 },
    ];
    expect(latencyHdrFile(unreadable, contextFor('register'))).toMatch(/^#\[history unreadable/m);
  });
});
