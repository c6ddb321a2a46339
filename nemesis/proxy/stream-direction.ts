// One direction of one proxied TCP connection: reads chunks from the source
// socket and writes them to the sink as the link's mode says (now, later, or
// never). Chunks leave in arrival order; a byte bound on the queue pauses the
// source, so a slow or delayed link pushes back on the sender like TCP would.

import type { Socket } from 'node:net';
import { assertNever } from '../../core/assert.js';
import type { Clock } from '../../core/clock.js';
import type { LinkFlow, LinkState } from './link-state.js';

export interface StreamDirectionOptions {
  readonly source: Socket;
  readonly sink: Socket;
  readonly link: LinkState;
  readonly clock: Clock;
  /** Bytes queued in this direction above which the source is paused. */
  readonly queueBytesMax: number;
  /** Ends the connection with a reset; `cause` is counted, null when the network did it. */
  readonly connectionReset: (cause: LinkState | null) => void;
}

interface Pending {
  /** null is the end of the stream (a FIN), which keeps its place behind the data. */
  readonly chunk: Buffer | null;
  readonly releaseAtMs: number;
}

export class StreamDirection implements LinkFlow {
  readonly #options: StreamDirectionOptions;
  readonly #queue: Pending[] = [];
  #queueBytes = 0;
  #releaseLastMs = 0;
  #timer: NodeJS.Timeout | undefined = undefined;
  #sinkBlocked = false;
  #lost = false;
  #closed = false;

  constructor(options: StreamDirectionOptions) {
    this.#options = options;
    options.link.flowAdd(this);
    options.source.on('data', (chunk: Buffer) => this.#onData(chunk));
    options.source.on('end', () => this.#onEnd());
    options.sink.on('drain', () => {
      this.#sinkBlocked = false;
      this.#flush();
    });
  }

  get lost(): boolean {
    return this.#lost;
  }

  resetBy(cause: LinkState): void {
    this.#options.connectionReset(cause);
  }

  /** Stops this direction for good: drops the queue, clears the timer, leaves the link. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#queueBytes = 0;
    this.#options.link.flowDelete(this);
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    const { link, clock } = this.#options;
    const mode = link.mode;
    const nowMs = clock.nowMs();
    switch (mode.kind) {
      case 'pass':
        return this.#enqueue(chunk, nowMs);
      case 'delay':
        return this.#enqueue(chunk, nowMs + mode.baseMs + link.prng.next() * mode.jitterMs);
      case 'loss':
        if (link.prng.chance(mode.resetProbability)) return this.resetBy(link);
        if (!link.prng.chance(mode.probability)) return this.#enqueue(chunk, nowMs);
        link.count('lossSpikes');
        return this.#enqueue(chunk, nowMs + mode.spikeMs);
      case 'blackhole':
        this.#lost = true;
        link.count('chunksDropped');
        link.count('bytesDropped', chunk.length);
        return;
      case 'reset':
        return this.resetBy(link);
      default:
        return assertNever(mode, 'link mode');
    }
  }

  #onEnd(): void {
    if (this.#closed) return;
    const { link, clock } = this.#options;
    switch (link.mode.kind) {
      case 'blackhole':
        this.#lost = true;
        return;
      case 'reset':
        return this.resetBy(link);
      case 'pass':
      case 'delay':
      case 'loss':
        return this.#enqueue(null, clock.nowMs());
      default:
        return assertNever(link.mode, 'link mode');
    }
  }

  #enqueue(chunk: Buffer | null, atMs: number): void {
    // A later chunk never overtakes an earlier one, whatever its own jitter.
    const releaseAtMs = Math.max(atMs, this.#releaseLastMs);
    this.#releaseLastMs = releaseAtMs;
    this.#queue.push({ chunk, releaseAtMs });
    this.#queueBytes += chunk?.length ?? 0;
    if (this.#queueBytes > this.#options.queueBytesMax) this.#options.source.pause();
    this.#flush();
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (!this.#closed && !this.#sinkBlocked) {
      const head = this.#queue[0];
      if (head === undefined) break;
      const waitMs = head.releaseAtMs - this.#options.clock.nowMs();
      if (waitMs > 0) {
        this.#timer = setTimeout(() => this.#flush(), Math.ceil(waitMs));
        break;
      }
      this.#queue.shift();
      this.#queueBytes -= head.chunk?.length ?? 0;
      this.#deliver(head.chunk);
    }
    this.#sourceResumeMaybe();
  }

  #deliver(chunk: Buffer | null): void {
    const { sink, link } = this.#options;
    if (sink.destroyed) {
      // The receiver is gone; a real peer would answer further bytes with a reset.
      this.#options.connectionReset(null);
      return;
    }
    if (chunk === null) {
      sink.end();
      return;
    }
    link.count('chunksForwarded');
    link.count('bytesForwarded', chunk.length);
    if (!sink.write(chunk)) this.#sinkBlocked = true;
  }

  #sourceResumeMaybe(): void {
    const { source, queueBytesMax } = this.#options;
    if (this.#closed || this.#sinkBlocked || this.#queueBytes > queueBytesMax) return;
    if (source.isPaused()) source.resume();
  }
}
