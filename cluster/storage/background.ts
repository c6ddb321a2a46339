// The storage node's background work: gossip, scrub and coalescing, each at its
// own interval, one after another in a single loop, never two at once. A scrub
// cycle asked for by a request runs in the same loop, between two tasks, so it
// never overlaps coalescing (which deletes files) or gossip.

import { clockCreate } from '../../core/clock.js';
import type { ScrubReport } from '../protocol/storage-messages.js';
import { coalescePass } from './coalesce.js';
import { Gossip } from './gossip.js';
import type { GroupCommit } from './group-commit.js';
import type { NodeState } from './node-state.js';
import type { PeerLink } from './peer-link.js';
import { Scrub } from './scrub.js';

/** Bound on scrub cycles asked for and not yet run. */
export const scrubRequestsMax = 4;

/** A scrub asked for: its report, or why it cannot run (too many waiting, or the node is stopping). */
export type ScrubAsked =
  { readonly ok: true; readonly report: ScrubReport } | { readonly ok: false; readonly reason: string };

export class Background {
  private readonly clock = clockCreate();
  private readonly gossip: Gossip;
  private readonly scrub: Scrub;
  private stopped = false;
  /** Aborted to cut the loop's current sleep short: a stop, or a scrub asked for. */
  private wake = new AbortController();
  private readonly scrubsAsked: ((asked: ScrubAsked) => void)[] = [];

  constructor(
    private readonly state: NodeState,
    commit: GroupCommit,
    private readonly peers: readonly PeerLink[],
    private readonly coalesceRecordsMin: number,
  ) {
    this.gossip = new Gossip(state, commit, peers);
    this.scrub = new Scrub(state, this.clock);
  }

  stop(): void {
    this.stopped = true;
    this.wake.abort();
    for (const answer of this.scrubsAsked.splice(0)) answer({ ok: false, reason: 'the node is stopping' });
  }

  /** Runs a full scrub cycle as soon as the task running now (if any) is done. */
  scrubNow(): Promise<ScrubAsked> {
    if (this.stopped) return Promise.resolve({ ok: false, reason: 'the node is stopping' });
    if (this.scrubsAsked.length >= scrubRequestsMax)
      return Promise.resolve({ ok: false, reason: `${scrubRequestsMax} scrub cycles are already waiting` });
    return new Promise((resolve) => {
      this.scrubsAsked.push(resolve);
      this.wake.abort();
    });
  }

  async run(): Promise<void> {
    const tuning = this.state.cluster.storage;
    const tasks = [
      { everyMs: tuning.gossipIntervalMs, dueMs: 0, run: () => this.gossip.round() },
      { everyMs: tuning.scrubIntervalMs, dueMs: tuning.scrubIntervalMs, run: () => this.scrub.pass() },
      {
        everyMs: tuning.coalesceIntervalMs,
        dueMs: tuning.coalesceIntervalMs,
        run: () => coalescePass(this.state, { recordsMin: this.coalesceRecordsMin, peerCount: this.peers.length }),
      },
    ];
    while (!this.stopped) {
      await this.scrubsAskedRun();
      const next = tasks.reduce((a, b) => (b.dueMs < a.dueMs ? b : a));
      const waitMs = next.dueMs - this.clock.nowMs();
      if (waitMs > 0) {
        await this.clock.sleep(waitMs, this.wake.signal);
        if (this.wake.signal.aborted) this.wake = new AbortController();
        continue;
      }
      await next.run();
      next.dueMs = this.clock.nowMs() + next.everyMs;
    }
  }

  private async scrubsAskedRun(): Promise<void> {
    while (!this.stopped) {
      const answer = this.scrubsAsked.shift();
      if (answer === undefined) return;
      answer({ ok: true, report: await this.scrub.cycle() });
    }
  }
}
