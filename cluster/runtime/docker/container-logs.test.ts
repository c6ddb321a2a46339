// Container output as the engine frames it (no TTY), turned back into the
// node's log text.

import { expect, test } from 'vitest';
import { logDemux } from './container-logs.js';

test('container output framed by stream is joined back in order, and unframed output is kept as it is', () => {
  const frame = (stream: number, text: string): Buffer => {
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(Buffer.byteLength(text), 4);
    return Buffer.concat([header, Buffer.from(text)]);
  };
  expect(
    logDemux(Buffer.concat([frame(1, 'INFO one\n'), frame(2, 'FATAL two\n'), frame(1, 'INFO three\n')])).toString(),
  ).toBe('INFO one\nFATAL two\nINFO three\n');
  expect(logDemux(Buffer.from('plain text from a tty\n')).toString()).toBe('plain text from a tty\n');
});
