/**
 * The most frequent values of one placeholder, in bounded memory: the Space-Saving sketch (Metwally et al.).
 * With room for k values, any value seen more than n/k times of n is certainly kept, so the address that
 * floods a log is never lost behind the many that appear once, however they arrive.
 */

/** One kept value. `count` may over-count by at most `error` (what it inherited when it took a slot). */
export interface ValueCount {
  readonly value: string;
  readonly count: number;
  readonly error: number;
}

export class TopValues {
  private readonly counts = new Map<string, { count: number; error: number }>();
  /** Every value offered, kept or not. */
  total = 0;
  private evicted = false;

  constructor(private readonly capacity: number) {}

  add(value: string): void {
    this.total += 1;
    const slot = this.counts.get(value);
    if (slot !== undefined) {
      slot.count += 1;
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(value, { count: 1, error: 0 });
      return;
    }
    // Full: the least counted value gives its slot to the new one, which inherits its count as the error.
    let minKey: string | undefined;
    let min = Infinity;
    for (const [key, c] of this.counts) {
      if (c.count < min) {
        min = c.count;
        minKey = key;
      }
    }
    if (minKey === undefined) return;
    this.counts.delete(minKey);
    this.evicted = true;
    this.counts.set(value, { count: min + 1, error: min });
  }

  /** The kept values, most counted first (ties by value, so the order is the same on every run). */
  top(n: number = this.capacity): ValueCount[] {
    return [...this.counts]
      .map(([value, c]) => ({ value, count: c.count, error: c.error }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, n);
  }

  /** Whether every value offered is still counted exactly (no slot was ever given away). */
  get exact(): boolean {
    return !this.evicted;
  }
}
