// The last lines of a node's log, for error messages: when a node fails to
// start or to become ready, the reason is almost always at the end of its log.

import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Bytes read from the end of the file; enough for a stack trace. */
export const logTailBytesMax = 8192;
export const logTailLinesDefault = 20;

export function logTail(logPath: string, lines = logTailLinesDefault): string {
  let fd: number;
  try {
    fd = openSync(logPath, 'r');
  } catch (error) {
    return `(no log at ${logPath}: ${(error as Error).message})`;
  }
  try {
    const size = statSync(logPath).size;
    const length = Math.min(size, logTailBytesMax);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').trimEnd();
    if (text === '') return `(log ${logPath} is empty)`;
    return text.split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}
