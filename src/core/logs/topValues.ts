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
  // Parallel arrays scanned in one pass (k is small): the lookup and the least counted slot together,
  // without hashing each new string as a Map would.
  private readonly values: string[] = [];
  private readonly counts: number[] = [];
  private readonly errors: number[] = [];
  /** Every value offered, kept or not. */
  total = 0;
  private evicted = false;

  constructor(private readonly capacity: number) {}

  add(value: string): void {
    this.total += 1;
    const n = this.values.length;
    let min = 0;
    for (let i = 0; i < n; i++) {
      if (this.values[i] === value) {
        this.counts[i]! += 1;
        return;
      }
      if (this.counts[i]! < this.counts[min]!) min = i;
    }
    if (n < this.capacity) {
      this.values.push(value);
      this.counts.push(1);
      this.errors.push(0);
      return;
    }
    // Full: the least counted value gives its slot to the new one, which inherits its count as the error.
    const inherited = this.counts[min]!;
    this.values[min] = value;
    this.counts[min] = inherited + 1;
    this.errors[min] = inherited;
    this.evicted = true;
  }

  /** The kept values, most counted first (ties by value, so the order is the same on every run). */
  top(n: number = this.capacity): ValueCount[] {
    return this.values
      .map((value, i) => ({ value, count: this.counts[i]!, error: this.errors[i]! }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      .slice(0, n);
  }

  /** Whether every value offered is still counted exactly (no slot was ever given away). */
  get exact(): boolean {
    return !this.evicted;
  }
}
