// The node's listener: one frame decoder per connection, every message
// validated at the edge. A bad frame or an invalid message closes only that
// connection, with a WARN naming the reason and the remote address; nothing of
// it reaches the node's state. A control with a bad field is answered instead
// (a bad-request reject) and the connection stays open.

import net from 'node:net';
import type { Logger } from '../log.js';
import type { Address } from '../topology.js';
import { FrameDecoder, frameEncode, frameEncodeBinary, frameWrite } from '../protocol/frame.js';
import type { StorageReply, StorageRequest } from '../protocol/storage-messages.js';
import { type ParseLimits, storageRequestParse } from './message-parse.js';
import { type ConnectionBounds, ConnectionGuard } from '../protocol/connection-guard.js';

/**
 * Bounds on connections (writers, peers, tools): at either one, an idle
 * connection that never sent a valid message makes room for the new one, so
 * idle connections cannot lock out the writer, a peer or a health probe.
 */
export const storageConnectionBounds: ConnectionBounds = Object.freeze({
  connectionsMax: 256,
  // Below the total, so one address cannot hold every slot; a local cluster's nodes all share 127.0.0.1.
  connectionsPerRemoteMax: 192,
  frameStallMs: 5000,
});
/** Bound on requests being handled per connection; past it the connection stops reading. */
export const connectionInFlightMax = 4096;

export interface ServerHooks {
  readonly handle: (request: StorageRequest) => Promise<StorageReply>;
  /** The answer to a control that failed validation. */
  readonly badRequest: (rid: number, reason: string) => StorageReply;
  /** A handler failed with a programmer error or a disk error: the node must stop. */
  readonly fatal: (error: unknown) => void;
}

export class StorageServer {
  private readonly sockets = new Set<net.Socket>();
  private readonly guard: ConnectionGuard;

  private constructor(
    private readonly server: net.Server,
    readonly address: Address,
    log: Logger,
  ) {
    this.guard = new ConnectionGuard(storageConnectionBounds, log, 'storage node');
  }

  static async start(listen: Address, limits: ParseLimits, hooks: ServerHooks, log: Logger): Promise<StorageServer> {
    const server = net.createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = server.address() as net.AddressInfo;
    const out = new StorageServer(server, { host: listen.host, port: bound.port }, log);
    server.on('connection', (socket) => out.serve(socket, limits, hooks, log));
    server.on('error', (error) => log.error(`listener error: ${error.message}`));
    return out;
  }

  /** Stops accepting, and closes every open connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private serve(socket: net.Socket, limits: ParseLimits, hooks: ServerHooks, log: Logger): void {
    const guarded = this.guard.admit(socket);
    if (guarded === null) return;
    this.sockets.add(socket);
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const decoder = new FrameDecoder();
    let inFlight = 0;
    const drop = (reason: string): void => {
      log.warn(`closing connection from ${remote}: ${reason}`);
      socket.destroy();
    };
    socket.on('data', (chunk: Buffer) => {
      const { messages, error } = decoder.push(chunk);
      for (const raw of messages) {
        const parsed = storageRequestParse(raw, limits);
        if (!parsed.ok && 'rejectRid' in parsed) {
          log.warn(`bad control request from ${remote}: ${parsed.reason}`);
          if (!socket.destroyed) frameWrite(socket, frameEncode(hooks.badRequest(parsed.rejectRid, parsed.reason)));
          continue;
        }
        if (!parsed.ok) return drop(`invalid message: ${parsed.reason}`);
        guarded.identified();
        inFlight++;
        if (inFlight >= connectionInFlightMax) socket.pause();
        hooks.handle(parsed.value).then(
          (reply) => {
            inFlight--;
            if (socket.isPaused() && inFlight < connectionInFlightMax / 2) {
              socket.resume();
              guarded.buffered(decoder.bufferedBytes);
            }
            if (!socket.destroyed)
              frameWrite(socket, reply.t === 'ack' ? frameEncodeBinary(reply) : frameEncode(reply));
          },
          (failure: unknown) => hooks.fatal(failure),
        );
      }
      if (error) return drop(`${error.code}: ${error.message}`);
      // While paused, it is this node that holds the rest of a frame back: no stall to blame on the sender.
      guarded.buffered(socket.isPaused() ? 0 : decoder.bufferedBytes);
    });
    socket.on('error', (error) => log.debug(`connection from ${remote}: ${error.message}`));
    socket.on('close', () => this.sockets.delete(socket));
  }
}
