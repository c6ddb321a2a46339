// The writer's client endpoint: accepts connections (bounded), decodes frames,
// validates each request at the edge and hands it to the writer; answers go
// back on the same connection, coalesced per event-loop turn. A bad frame or
// an unusable message closes only its connection, with a WARN saying why.

import net from 'node:net';
import type { Logger } from '../log.js';
import type { ClientRequest, ClientResponse } from '../protocol/client-messages.js';
import { FrameDecoder, frameEncode, frameWrite } from '../protocol/frame.js';
import type { Address } from '../topology.js';
import type { Respond } from './inflight.js';
import { ConnectionGuard, type GuardedConnection } from '../protocol/connection-guard.js';
import { clientConnectionBounds, clientConnectionOpsMax, clientFrameBytesMax } from './limits.js';
import { requestParse } from './request-parse.js';
import { responseError } from './responses.js';

/** Time given to a closing connection to flush its last answers. */
const closeFlushMs = 200;

export interface ClientHandler {
  readonly keyValueBytesMax: number;
  handle(request: ClientRequest, respond: Respond): void;
}

export class ClientServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly guard: ConnectionGuard;

  constructor(
    private readonly handler: ClientHandler,
    private readonly log: Logger,
  ) {
    this.guard = new ConnectionGuard(clientConnectionBounds, log, 'writer');
    this.server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server.on('error', (error) => this.log.error(`client server: ${error.message}`));
  }

  listen(address: Address): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  /** Stops accepting; open connections get their last answers flushed, then are closed. */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.end();
      setTimeout(() => socket.destroy(), closeFlushMs).unref();
    }
    return closed;
  }

  private accept(socket: net.Socket): void {
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const guarded = this.guard.admit(socket);
    if (guarded === null) return;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', (error) => this.log.debug(`client ${remote}: ${error.message}`));
    new ClientConnection(socket, remote, guarded, this.handler, this.log).start();
  }
}

/** One client connection: its decoder, its outstanding count and its write coalescing. */
class ClientConnection {
  private outstanding = 0;
  private readonly decoder = new FrameDecoder(clientFrameBytesMax);

  constructor(
    private readonly socket: net.Socket,
    private readonly remote: string,
    private readonly guarded: GuardedConnection,
    private readonly handler: ClientHandler,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer): void {
    const { messages, error } = this.decoder.push(chunk);
    for (const message of messages) {
      if (this.socket.destroyed) return;
      this.message(message);
    }
    if (error) return this.drop(`${error.code}: ${error.message}`);
    this.guarded.buffered(this.decoder.bufferedBytes);
  }

  private message(raw: unknown): void {
    const parsed = requestParse(raw, this.handler.keyValueBytesMax);
    if (parsed.t === 'invalid') {
      this.drop(`invalid message: ${parsed.reason}`);
      return;
    }
    this.guarded.identified();
    if (parsed.t === 'bad-request') {
      this.send(responseError(parsed.id, 'bad-request', parsed.message));
      return;
    }
    if (this.outstanding >= clientConnectionOpsMax) {
      this.drop(`more than ${clientConnectionOpsMax} requests outstanding`);
      return;
    }
    this.outstanding++;
    let answered = false;
    this.handler.handle(parsed.request, (response) => {
      if (answered) return;
      answered = true;
      this.outstanding--;
      this.send(response);
    });
  }

  private send(response: ClientResponse): void {
    if (this.socket.destroyed) return;
    // Answers produced in one turn of the event loop leave in one write.
    frameWrite(this.socket, frameEncode(response));
  }

  private drop(reason: string): void {
    this.log.warn(`closing client connection ${this.remote}: ${reason}`);
    this.socket.destroy();
  }
}
