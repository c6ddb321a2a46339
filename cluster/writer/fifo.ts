// A first-in first-out queue with O(1) push, shift and indexed access, used on
// the writer's hot path (records in flight, allocation waiters) where
// Array.prototype.shift would make every dequeue O(n).

const compactHeadMin = 1024;

export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  back(): T | undefined {
    return this.length > 0 ? this.items[this.items.length - 1] : undefined;
  }

  /** The item `index` places after the front, or undefined. */
  at(index: number): T | undefined {
    return index < 0 ? undefined : this.items[this.head + index];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    // Drop the consumed prefix once it dominates, so memory follows the live length.
    if (this.head >= compactHeadMin && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns every item. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }

  /** Index of the first item for which `above` holds, given items ordered so that it holds for a suffix. */
  firstIndexWhere(above: (item: T) => boolean): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (above(this.items[this.head + mid] as T)) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}
