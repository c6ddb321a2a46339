// Streams history events to history.jsonl while a run goes on: one JSON object
// per line, buffered in memory and written whole lines at a time, at the latest
// every flush interval, so a crash of the runner loses at most that much and
// leaves a readable prefix. No sync per line: recording must stay cheap.

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { HistoryEvent } from '../core/history.js';

/** Buffered bytes that trigger a write, whatever the time. */
export const historyBufferBytesMax = 64 * 1024;
/** The longest an event stays only in memory. */
export const historyFlushIntervalMs = 500;

export class HistoryFileWriter {
  private lines: string[] = [];
  private bytesBuffered = 0;
  private lastFlushNs = 0;
  private failure: Error | null = null;
  private fd: number | null;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
    this.timer = setInterval(() => this.flushQuietly(), historyFlushIntervalMs);
    this.timer.unref();
  }

  /** Creates (or truncates) the file. Throws when it cannot be opened: a run without a history must not start. */
  static open(path: string): HistoryFileWriter {
    return new HistoryFileWriter(path, openSync(path, 'w'));
  }

  write(event: HistoryEvent): void {
    const line = historyLine(event);
    this.lines.push(line);
    this.bytesBuffered += line.length;
    if (this.bytesBuffered >= historyBufferBytesMax || event.time - this.lastFlushNs >= historyFlushIntervalMs * 1e6) {
      this.lastFlushNs = event.time;
      this.flush();
    }
  }

  /** Writes every buffered line. Throws the first write error (a full disk, say). */
  flush(): void {
    if (this.failure !== null) throw this.failure;
    if (this.fd === null || this.lines.length === 0) return;
    const text = this.lines.join('');
    this.lines = [];
    this.bytesBuffered = 0;
    try {
      writeSync(this.fd, text);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    }
  }

  /** Flushes, syncs once, closes. Idempotent. */
  close(): void {
    clearInterval(this.timer);
    if (this.fd === null) return;
    const fd = this.fd;
    try {
      this.flush();
      fsyncSync(fd);
    } finally {
      this.fd = null;
      closeSync(fd);
    }
  }

  /** The timer's flush: an error is kept and thrown by the next write, flush or close. */
  private flushQuietly(): void {
    try {
      this.flush();
    } catch (error) {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    }
  }
}

/**
 * One event as a JSON line, byte for byte what JSON.stringify gives for an
 * event built in the Jepsen field order, but about twice as fast: only the
 * free-form fields go through JSON.stringify.
 */
export function historyLine(event: HistoryEvent): string {
  let line = `{"index":${event.index},"type":"${event.type}","f":${JSON.stringify(event.f)}`;
  if (event.key !== undefined) line += `,"key":${JSON.stringify(event.key)}`;
  line += `,"value":${valueJson(event.value)},"process":${typeof event.process === 'number' ? numberJson(event.process) : JSON.stringify(event.process)},"time":${numberJson(event.time)}`;
  if (event.error !== undefined) line += `,"error":${JSON.stringify(event.error)}`;
  return `${line}}\n`;
}

function valueJson(value: HistoryEvent['value']): string {
  if (typeof value === 'number') return numberJson(value);
  return value === null ? 'null' : JSON.stringify(value);
}

function numberJson(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
