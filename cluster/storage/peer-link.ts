// One outgoing connection from this storage node to a peer, for gossip.
// Requests are multiplexed by rid, each with a timeout; a failed connection is
// redialled lazily, at most once per redial interval. Replies are validated
// like any other input; an invalid one closes the connection.

import net from 'node:net';
import type { Logger } from '../log.js';
import type { Address } from '../topology.js';
import { FrameDecoder, frameEncode, frameWrite } from '../protocol/frame.js';
import type { StorageReply, StorageRequest } from '../protocol/storage-messages.js';
import { gossipReplyParse, type ParseLimits } from './message-parse.js';

/** Bound on requests outstanding to one peer. */
export const peerPendingMax = 64;
/** Minimum time between two dials of the same peer. */
export const peerRedialMs = 200;
/** Snapshot transfers can exceed the default frame bound. */
export const peerFrameBytesMax = 64 * 1024 * 1024;

export type PeerResult =
  { readonly ok: true; readonly reply: StorageReply } | { readonly ok: false; readonly error: string };

interface Pending {
  readonly resolve: (result: PeerResult) => void;
  readonly timer: NodeJS.Timeout;
}

type RequestBody = StorageRequest extends infer R ? (R extends { rid: number } ? Omit<R, 'rid'> : never) : never;

export class PeerLink {
  private socket: net.Socket | null = null;
  private dialedAtMs = -Infinity;
  private ridNext = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(
    readonly peerId: string,
    private readonly dial: Address,
    private readonly limits: ParseLimits,
    private readonly log: Logger,
  ) {}

  request(body: RequestBody, timeoutMs: number): Promise<PeerResult> {
    if (this.closed) return Promise.resolve({ ok: false, error: 'link closed' });
    if (this.pending.size >= peerPendingMax)
      return Promise.resolve({ ok: false, error: `more than ${peerPendingMax} requests outstanding` });
    const socket = this.connected();
    if (socket === null) return Promise.resolve({ ok: false, error: 'not connected' });
    const rid = this.ridNext++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        resolve({ ok: false, error: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending.set(rid, { resolve, timer });
      frameWrite(socket, frameEncode({ ...body, rid }));
    });
  }

  close(): void {
    this.closed = true;
    this.pendingFail('link closed');
    this.socket?.destroy();
    this.socket = null;
  }

  /** The live socket, or null while (re)dialling; dialling starts at most once per peerRedialMs. */
  private connected(): net.Socket | null {
    if (this.socket !== null) return this.socket.connecting ? null : this.socket;
    const now = performance.now();
    if (now - this.dialedAtMs < peerRedialMs) return null;
    this.dialedAtMs = now;
    const socket = net.connect({ host: this.dial.host, port: this.dial.port, noDelay: true });
    this.socket = socket;
    const decoder = new FrameDecoder(peerFrameBytesMax);
    socket.on('data', (chunk: Buffer) => {
      const { messages, error } = decoder.push(chunk);
      for (const raw of messages) {
        const parsed = gossipReplyParse(raw, this.limits);
        if (!parsed.ok) {
          this.log.warn(
            `closing gossip connection to ${this.peerId} (${this.dial.host}:${this.dial.port}): invalid reply: ${parsed.reason}`,
          );
          socket.destroy();
          return;
        }
        this.settle(parsed.value);
      }
      if (error) {
        this.log.warn(
          `closing gossip connection to ${this.peerId} (${this.dial.host}:${this.dial.port}): ${error.code}: ${error.message}`,
        );
        socket.destroy();
      }
    });
    socket.on('error', (error) => this.log.debug(`gossip connection to ${this.peerId}: ${error.message}`));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.pendingFail('connection closed');
    });
    return null;
  }

  private settle(reply: StorageReply): void {
    const entry = this.pending.get(reply.rid);
    if (entry === undefined) return;
    this.pending.delete(reply.rid);
    clearTimeout(entry.timer);
    entry.resolve({ ok: true, reply });
  }

  private pendingFail(error: string): void {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.resolve({ ok: false, error });
    }
    this.pending.clear();
  }
}
