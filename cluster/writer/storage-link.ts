// One connection from the writer to one storage node: dialled at the peer's
// `dial` address, re-dialled with capped backoff when it drops, requests
// matched to replies by rid, each with its own timeout. A reply that fails
// validation closes the connection; the link never throws at its callers.

import net from 'node:net';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../log.js';
import { FrameDecoder, frameEncode, frameWrite } from '../protocol/frame.js';
import type { StorageReply, StorageRequest } from '../protocol/storage-messages.js';
import type { Address } from '../topology.js';
import { connectTimeoutMs, reconnectBackoffMsMax, reconnectBackoffMsMin } from './limits.js';
import { storageReplyParse } from './storage-reply-parse.js';

export type LinkResult =
  { readonly ok: true; readonly reply: StorageReply } | { readonly ok: false; readonly reason: string };
export type LinkDone = (result: LinkResult) => void;
type RequestBody = StorageRequest extends infer R ? (R extends { rid: number } ? Omit<R, 'rid'> : never) : never;

interface Pending {
  readonly done: LinkDone;
  readonly timer: NodeJS.Timeout;
  readonly sentMs: number;
}

/** Request ids shared by every link, so that one encoded frame can go to all replicas. */
export class RidCounter {
  private last = 0;
  next(): number {
    this.last++;
    return this.last;
  }
}

/** Weight of the newest sample in the latency average. */
const latencyWeight = 0.2;

export class StorageLink {
  /** Smoothed round-trip time of this node's replies; reads prefer the lowest. */
  latencyMsEwma = 0;
  /**
   * The current term has brought this connection up to date (epoch, truncations):
   * records and reads may use it. Cleared whenever the connection drops.
   */
  admitted = false;
  private socket: net.Socket | null = null;
  private isConnected = false;
  private stopped = false;
  private backoffMs = reconnectBackoffMsMin;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<number, Pending>();

  constructor(
    readonly nodeId: string,
    /** Position of the node among the storage nodes (its replica slot in every PG). */
    readonly index: number,
    private readonly address: Address,
    private readonly rids: RidCounter,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly onConnect: (link: StorageLink) => void,
  ) {}

  get connected(): boolean {
    return this.isConnected;
  }

  start(): void {
    this.dial();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.destroy();
    this.failAll('writer stopping');
  }

  /** Sends an encoded frame whose rid is `rid`; false (and no callback) when not connected. */
  sendFrame(rid: number, frame: Buffer, timeoutMs: number, done: LinkDone): boolean {
    if (!this.isConnected || this.socket === null) return false;
    const timer = setTimeout(() => {
      if (this.pending.delete(rid)) done({ ok: false, reason: `no reply from ${this.nodeId} within ${timeoutMs} ms` });
    }, timeoutMs);
    this.pending.set(rid, { done, timer, sentMs: this.clock.nowMs() });
    frameWrite(this.socket, frame);
    return true;
  }

  /** Encodes and sends one request; resolves with the reply or the reason there is none. */
  request(body: RequestBody, timeoutMs: number): Promise<LinkResult> {
    const rid = this.rids.next();
    return new Promise((resolve) => {
      const frame = frameEncode({ ...body, rid });
      if (!this.sendFrame(rid, frame, timeoutMs, resolve))
        resolve({ ok: false, reason: `${this.nodeId} is not connected` });
    });
  }

  private dial(): void {
    if (this.stopped) return;
    const socket = net.connect({ host: this.address.host, port: this.address.port, noDelay: true });
    this.socket = socket;
    const timer = setTimeout(
      () => socket.destroy(new Error(`connect timed out after ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
    const decoder = new FrameDecoder();
    socket.once('connect', () => {
      clearTimeout(timer);
      this.isConnected = true;
      this.backoffMs = reconnectBackoffMsMin;
      this.log.info(`connected to storage node ${this.nodeId} at ${this.address.host}:${this.address.port}`);
      this.onConnect(this);
    });
    socket.on('data', (chunk: Buffer) => this.receive(socket, decoder, chunk));
    socket.on('error', (error) => this.log.debug(`storage node ${this.nodeId}: ${error.message}`));
    socket.on('close', () => {
      clearTimeout(timer);
      if (this.socket !== socket) return;
      if (this.isConnected && !this.stopped) this.log.warn(`connection to storage node ${this.nodeId} closed`);
      this.isConnected = false;
      this.admitted = false;
      this.socket = null;
      this.failAll(`connection to ${this.nodeId} closed`);
      this.reconnectSchedule();
    });
  }

  private receive(socket: net.Socket, decoder: FrameDecoder, chunk: Buffer): void {
    const { messages, error } = decoder.push(chunk);
    for (const message of messages) {
      const parsed = storageReplyParse(message);
      if (!parsed.ok) {
        this.log.warn(`closing connection to storage node ${this.nodeId}: invalid reply: ${parsed.reason}`);
        socket.destroy();
        return;
      }
      this.settle(parsed.reply);
    }
    if (error) {
      this.log.warn(`closing connection to storage node ${this.nodeId}: ${error.code}: ${error.message}`);
      socket.destroy();
    }
  }

  private settle(reply: StorageReply): void {
    const pending = this.pending.get(reply.rid);
    if (!pending) return;
    this.pending.delete(reply.rid);
    clearTimeout(pending.timer);
    const ms = this.clock.nowMs() - pending.sentMs;
    this.latencyMsEwma = this.latencyMsEwma === 0 ? ms : this.latencyMsEwma * (1 - latencyWeight) + ms * latencyWeight;
    pending.done({ ok: true, reply });
  }

  private failAll(reason: string): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) {
      clearTimeout(pending.timer);
      pending.done({ ok: false, reason });
    }
  }

  private reconnectSchedule(): void {
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, reconnectBackoffMsMax);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.dial();
    }, delay);
  }
}
