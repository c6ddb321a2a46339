// The searches a round of the verdict phase stopped at their step quota,
// kept so that the next round goes on from where each stopped instead of
// starting over. Their memory is bounded together: past the bound the
// largest is dropped, and its partition starts over when its turn comes.

import type { ResumableSearch } from './search.js';

export class PausedSearches<K> {
  private readonly searches = new Map<K, ResumableSearch<unknown>>();

  constructor(private readonly bytesMax: number) {}

  /** The paused search of this partition, removed from the set; undefined when there is none. */
  take(key: K): ResumableSearch<unknown> | undefined {
    const search = this.searches.get(key);
    this.searches.delete(key);
    return search;
  }

  keep(key: K, search: ResumableSearch<unknown>): void {
    this.searches.set(key, search);
    for (let bytes = this.bytes(); bytes > this.bytesMax && this.searches.size > 0; bytes = this.bytes()) {
      let largest: K | undefined;
      let largestBytes = -1;
      for (const [held, paused] of this.searches) {
        const heldBytes = paused.bytesHeld();
        if (heldBytes > largestBytes) [largest, largestBytes] = [held, heldBytes];
      }
      this.searches.delete(largest!);
    }
  }

  private bytes(): number {
    let total = 0;
    for (const search of this.searches.values()) total += search.bytesHeld();
    return total;
  }
}
