// A container's output copied into the node's log file on the host. The engine
// keeps a container's output across restarts of the same container, so each
// collection rewrites the file with everything the node has printed so far.

import { writeFileSync } from 'node:fs';
import type Docker from 'dockerode';
import { errorStatus, errorText, withTimeout } from './docker-engine.js';

/** Bound on one log fetch. */
export const logFetchTimeoutMs = 10_000;
/** Bound on the bytes kept of one node's log (the end is kept). */
export const logBytesMax = 64 * 1024 * 1024;

/** Writes the container's whole output to logPath; a failure is returned as a message. */
export async function containerLogsCollect(
  docker: Docker,
  containerName: string,
  logPath: string,
): Promise<string | null> {
  let raw: Buffer;
  try {
    raw = await withTimeout(
      docker.getContainer(containerName).logs({ stdout: true, stderr: true, follow: false }),
      logFetchTimeoutMs,
    );
  } catch (error) {
    if (errorStatus(error) === 404) return `container ${containerName} no longer exists; its log is as last collected`;
    return `collecting the log of ${containerName}: ${errorText(error)}`;
  }
  const text = logDemux(raw);
  writeFileSync(logPath, text.length > logBytesMax ? text.subarray(text.length - logBytesMax) : text);
  return null;
}

/**
 * Without a TTY the engine frames output as [stream, 0, 0, 0, size (4 bytes,
 * big-endian)] + payload; stdout and stderr are interleaved as written.
 */
export function logDemux(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const stream = raw[offset]!;
    const size = raw.readUInt32BE(offset + 4);
    if (stream > 2 || raw[offset + 1] !== 0 || offset + 8 + size > raw.length) break;
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  // Anything that is not framed (a TTY container) is taken as it is.
  if (offset < raw.length) parts.push(raw.subarray(offset));
  return Buffer.concat(parts);
}
