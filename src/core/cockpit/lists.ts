import type { ListState } from './state.js';
import { compileFilter } from './state.js';

/** One order a list can be sorted in. */
export interface SortSpec<T> {
  readonly id: string;
  readonly label: string;
  readonly compare: (a: T, b: T) => number;
}

/** How a list is searched and sorted (the row renderers own both; the session is given them). */
export interface ListSpec<T> {
  /** The text a filter is matched against. */
  readonly haystack: (t: T) => string;
  readonly sorts: readonly SortSpec<T>[];
}

/** A list as shown: its items after the filter and the sort. */
export interface Listed<T> {
  readonly items: readonly T[];
  readonly error?: string;
  readonly sortLabel: string;
}

/**
 * A list's shown items, recomputed only when the data, the filter or the sort change, and the same
 * object otherwise: moving the cursor costs nothing here, and views memoised on it stay as they are.
 */
export class DerivedList<T> {
  private texts?: { readonly of: readonly T[]; readonly texts: readonly string[] };
  private last?: {
    readonly of: readonly T[] | undefined;
    readonly filter: string;
    readonly sortIndex: number;
    readonly reverse: boolean;
    readonly result: Listed<T>;
  };

  constructor(private readonly spec: ListSpec<T>) {}

  get sortCount(): number {
    return this.spec.sorts.length;
  }

  of(items: readonly T[] | undefined, s: ListState): Listed<T> {
    const l = this.last;
    if (l && l.of === items && l.filter === s.filter && l.sortIndex === s.sortIndex && l.reverse === s.reverse)
      return l.result;
    const all = items ?? [];
    const f = compileFilter(s.filter);
    let kept: T[];
    if (s.filter) {
      // The texts are built once per data, and only when a filter needs them.
      if (this.texts?.of !== all) this.texts = { of: all, texts: all.map((t) => this.spec.haystack(t)) };
      const texts = this.texts.texts;
      kept = all.filter((_, i) => f.test(texts[i]!));
    } else kept = [...all];
    const sort = this.spec.sorts[s.sortIndex % this.spec.sorts.length]!;
    kept.sort(sort.compare);
    if (s.reverse) kept.reverse();
    const result: Listed<T> = { items: kept, ...(f.error ? { error: f.error } : {}), sortLabel: sort.label };
    this.last = { of: items, filter: s.filter, sortIndex: s.sortIndex, reverse: s.reverse, result };
    return result;
  }
}
