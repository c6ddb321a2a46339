// Admission and read deadlines for the connections of a server (storage node,
// writer): idle connections must never lock out the writer, its peers or a
// health probe. A connection is unidentified until it sends a valid message;
// at a bound (total, or per remote address) the oldest unidentified one that
// is idle makes room, so only connections that said nothing are ever closed
// for room. A partial frame that stops arriving is closed after a bound.

import type net from 'node:net';
import type { Logger } from '../log.js';

export interface ConnectionBounds {
  /** Bound on open connections in all. */
  readonly connectionsMax: number;
  /** Bound on open connections from one remote address. */
  readonly connectionsPerRemoteMax: number;
  /** A connection with part of a frame buffered that sends nothing more for this long is closed. */
  readonly frameStallMs: number;
}

interface Entry {
  readonly socket: net.Socket;
  readonly remoteHost: string;
  identified: boolean;
}

/** What the server tells the guard about one connection as it reads. */
export interface GuardedConnection {
  /** A valid message arrived: the connection is no longer a candidate for eviction. */
  identified(): void;
  /** Bytes the decoder holds of a frame not yet complete (0 when between frames). */
  buffered(bytes: number): void;
}

export class ConnectionGuard {
  /** In order of arrival, so the first unidentified entry found is the oldest. */
  private readonly entries = new Map<net.Socket, Entry>();

  constructor(
    private readonly bounds: ConnectionBounds,
    private readonly log: Logger,
    /** Names the server in log lines ("storage node", "writer client"). */
    private readonly what: string,
  ) {}

  /** Admits a new connection, evicting an idle unidentified one if a bound is reached; null when refused. */
  admit(socket: net.Socket): GuardedConnection | null {
    const remoteHost = socket.remoteAddress ?? '?';
    const remote = `${remoteHost}:${socket.remotePort ?? '?'}`;
    const fromRemote = [...this.entries.values()].filter((entry) => entry.remoteHost === remoteHost);
    const { connectionsMax, connectionsPerRemoteMax } = this.bounds;
    if (
      fromRemote.length >= connectionsPerRemoteMax &&
      !this.evict(fromRemote, `${remoteHost} has ${fromRemote.length}`)
    )
      return this.refuse(socket, remote, `${connectionsPerRemoteMax} connections from ${remoteHost} already open`);
    if (this.entries.size >= connectionsMax && !this.evict([...this.entries.values()], `${this.entries.size} open`))
      return this.refuse(socket, remote, `${connectionsMax} connections already open`);
    const entry: Entry = { socket, remoteHost, identified: false };
    this.entries.set(socket, entry);
    socket.on('close', () => this.entries.delete(socket));
    socket.on('timeout', () => this.stalled(entry, remote));
    return {
      identified: () => {
        entry.identified = true;
      },
      buffered: (bytes) => socket.setTimeout(bytes > 0 ? this.bounds.frameStallMs : 0),
    };
  }

  private evict(candidates: readonly Entry[], why: string): boolean {
    const idle = candidates.find((entry) => !entry.identified && !entry.socket.destroyed);
    if (idle === undefined) return false;
    this.log.warn(
      `closing connection from ${idle.remoteHost}:${idle.socket.remotePort ?? '?'} to the ${this.what}: it sent no valid message, and room is needed (${why})`,
    );
    idle.socket.destroy();
    this.entries.delete(idle.socket);
    return true;
  }

  private refuse(socket: net.Socket, remote: string, why: string): null {
    this.log.warn(`refusing connection from ${remote} to the ${this.what}: ${why}`);
    socket.destroy();
    return null;
  }

  /**
   * The stall timer may fire ahead of bytes already waiting to be read (after
   * the process was paused, say): the verdict waits one turn of the event loop,
   * whose I/O phase reads them, and a connection that got any is kept.
   */
  private stalled(entry: Entry, remote: string): void {
    const bytesBefore = entry.socket.bytesRead;
    setImmediate(() => {
      if (entry.socket.destroyed || entry.socket.bytesRead !== bytesBefore) return;
      this.log.warn(
        `closing connection from ${remote} to the ${this.what}: a partial frame got no more bytes for ${this.bounds.frameStallMs} ms`,
      );
      entry.socket.destroy();
    });
  }
}
