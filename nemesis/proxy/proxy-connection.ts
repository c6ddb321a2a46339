// One proxied TCP connection: the socket accepted from the dialling node, the
// socket dialled to the real target, and a StreamDirection each way. The
// forward direction is the listener's link (from -> to), the backward one the
// reverse link (to -> from), so a one-way partition cuts one of them only.

import net, { type Socket } from 'node:net';
import type { Clock } from '../../core/clock.js';
import type { Address } from '../../cluster/topology.js';
import type { LinkState } from './link-state.js';
import { StreamDirection } from './stream-direction.js';

export interface ProxyConnectionOptions {
  readonly accepted: Socket;
  readonly target: Address;
  readonly forward: LinkState;
  readonly backward: LinkState;
  readonly clock: Clock;
  readonly queueBytesMax: number;
  /** A target that has not accepted the connection within this is treated as unreachable. */
  readonly connectTimeoutMs: number;
  /** Called once, when both sockets are closed and every timer is cleared. */
  readonly onClosed: (connection: ProxyConnection) => void;
}

export class ProxyConnection {
  readonly #options: ProxyConnectionOptions;
  readonly #upstream: Socket;
  readonly #directions: readonly StreamDirection[];
  #connectTimer: NodeJS.Timeout | undefined;
  #socketsOpen = 2;
  #finished = false;

  constructor(options: ProxyConnectionOptions) {
    this.#options = options;
    const { accepted, target, forward, backward, clock, queueBytesMax } = options;
    this.#upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    const connectionReset = (cause: LinkState | null): void => this.reset(cause);
    this.#directions = [
      new StreamDirection({
        source: accepted,
        sink: this.#upstream,
        link: forward,
        clock,
        queueBytesMax,
        connectionReset,
      }),
      new StreamDirection({
        source: this.#upstream,
        sink: accepted,
        link: backward,
        clock,
        queueBytesMax,
        connectionReset,
      }),
    ];
    this.#connectTimer = setTimeout(() => this.reset(null), options.connectTimeoutMs);
    this.#upstream.once('connect', () => this.#connectTimerClear());
    for (const socket of [accepted, this.#upstream]) {
      // A socket error (refused, reset by the peer) is the network's doing: pass it on as a reset.
      socket.on('error', () => this.reset(null));
      socket.once('close', () => this.#onSocketClose());
    }
  }

  /** Resets both sockets (the peers see ECONNRESET); `cause` is the link whose mode did it. */
  reset(cause: LinkState | null): void {
    if (this.#finished) return;
    cause?.count('connectionsReset');
    this.#stop();
    for (const socket of [this.#options.accepted, this.#upstream]) {
      if (!socket.destroyed) socket.resetAndDestroy();
    }
  }

  /** Closes both sockets without a reset, for shutting the proxy down. */
  destroy(): void {
    if (this.#finished) return;
    this.#stop();
    this.#options.accepted.destroy();
    this.#upstream.destroy();
  }

  #stop(): void {
    this.#finished = true;
    this.#connectTimerClear();
    for (const direction of this.#directions) direction.close();
  }

  #connectTimerClear(): void {
    clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
  }

  #onSocketClose(): void {
    this.#socketsOpen -= 1;
    if (this.#socketsOpen > 0) return;
    this.#stop();
    this.#options.onClosed(this);
  }
}
