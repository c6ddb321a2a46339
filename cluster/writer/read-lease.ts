// The read lease: reads (and cas failures, which report a value) are answered
// only while a read quorum of storage nodes accepted a request of ours sent
// within the last leaseMs. A newer writer must claim its epoch on a write
// quorum, which meets that read quorum, and opens only leaseMs after its
// claim: so an old writer that lost its epoch stops serving reads before the
// new one can acknowledge anything.

import { leaseMs } from './limits.js';

export class ReadLease {
  private readonly acceptedSentMs: number[];
  private readonly scratch: number[];

  constructor(
    nodeCount: number,
    private readonly readQuorum: number,
  ) {
    this.acceptedSentMs = new Array<number>(nodeCount).fill(-Infinity);
    this.scratch = new Array<number>(nodeCount).fill(0);
  }

  /** Node `node` accepted (under our epoch) a request we sent at `sentMs`. */
  accepted(node: number, sentMs: number): void {
    if (sentMs > this.acceptedSentMs[node]!) this.acceptedSentMs[node] = sentMs;
  }

  acceptedLastMs(node: number): number {
    return this.acceptedSentMs[node]!;
  }

  /** Until when reads may be served. */
  expiryMs(): number {
    for (let i = 0; i < this.acceptedSentMs.length; i++) this.scratch[i] = this.acceptedSentMs[i]!;
    this.scratch.sort((a, b) => b - a);
    return this.scratch[this.readQuorum - 1]! + leaseMs;
  }

  valid(nowMs: number): boolean {
    return nowMs < this.expiryMs();
  }
}
