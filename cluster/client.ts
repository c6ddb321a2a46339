// The store's client library: one TCP connection to the writer, requests
// multiplexed by id, each with its own timeout. Outcomes are values: a definite
// error means the operation certainly did not happen; an indefinite one (a
// timeout, a cut connection, a server error not marked definite) means it may
// have.

import net from 'node:net';
import type { ClientRequest, ClientResponse, WriterHealth } from './protocol/client-messages.js';
import { FrameDecoder, frameEncode, frameWrite } from './protocol/frame.js';
import type { Address } from './topology.js';

type RequestBody = ClientRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export type ClientResult =
  | { readonly ok: true; readonly value: ClientResponseValue }
  | { readonly ok: false; readonly definite: boolean; readonly code: string; readonly message: string };

export type ClientResponseValue = Extract<ClientResponse, { t: 'ok' }>['value'];

interface Pending {
  readonly resolve: (result: ClientResult) => void;
  readonly timer: NodeJS.Timeout;
}

/** Bound on requests outstanding on one connection. */
export const clientPendingMax = 4096;

export class StoreClient {
  private readonly pending = new Map<number, Pending>();
  private idNext = 1;
  private closedReason: string | null = null;

  private constructor(private readonly socket: net.Socket) {
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      const { messages, error } = decoder.push(chunk);
      for (const message of messages) this.settle(message as ClientResponse);
      if (error) this.fail(`bad frame from writer: ${error.message}`);
    });
    socket.on('error', (error) => this.fail(`connection error: ${error.message}`));
    socket.on('close', () => this.fail('connection closed'));
  }

  static connect(address: Address, timeoutMs: number): Promise<StoreClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address.host, port: address.port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${address.host}:${address.port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new StoreClient(socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get closed(): boolean {
    return this.closedReason !== null;
  }

  request(body: RequestBody, timeoutMs: number): Promise<ClientResult> {
    if (this.closedReason !== null) {
      return Promise.resolve({ ok: false, definite: true, code: 'not-connected', message: this.closedReason });
    }
    if (this.pending.size >= clientPendingMax) {
      return Promise.resolve({
        ok: false,
        definite: true,
        code: 'client-overloaded',
        message: `more than ${clientPendingMax} requests outstanding`,
      });
    }
    const id = this.idNext++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, definite: false, code: 'timeout', message: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      frameWrite(this.socket, frameEncode({ ...body, id }));
    });
  }

  async health(timeoutMs: number): Promise<WriterHealth | null> {
    const result = await this.request({ t: 'health' }, timeoutMs);
    return result.ok ? (result.value as unknown as WriterHealth) : null;
  }

  close(): void {
    this.fail('closed by client');
    this.socket.destroy();
  }

  private settle(response: ClientResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    clearTimeout(pending.timer);
    if (response.t === 'ok') pending.resolve({ ok: true, value: response.value ?? null });
    else pending.resolve({ ok: false, definite: response.definite, code: response.code, message: response.message });
  }

  /** A cut connection leaves every outstanding request indefinite. */
  private fail(reason: string): void {
    if (this.closedReason === null) this.closedReason = reason;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.resolve({ ok: false, definite: false, code: 'connection-lost', message: reason });
      this.pending.delete(id);
    }
  }
}
