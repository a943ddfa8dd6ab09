/**
 * Log lines grouped into patterns (their variable parts replaced by placeholders, as Logs Insights' `pattern`
 * does), with counts, first and last seen, a count per time bucket for a sparkline, one example line and the
 * most frequent values of each placeholder; and the incident window compared with the same-length window
 * before it ("new since 01:07", "×40", "gone"). Pure: no clock, no I/O. One pass over the lines, one regular
 * expression compiled once, bounded memory whatever the number of lines.
 */

import { clip } from '../sanitize.js';
import { type PlaceholderKind, Tokens, tokenise } from './tokens.js';
import { TopValues, type ValueCount } from './topValues.js';

export type { PlaceholderKind } from './tokens.js';
export { PLACEHOLDER, Tokens, tokenise } from './tokens.js';

/** What grouping needs of a line (a LogEvent has it). */
export interface LogLine {
  readonly timestamp: number;
  readonly message: string;
}

/** The values one placeholder took in a pattern. */
export interface PlaceholderValues {
  /** Position among the pattern's placeholders, 0 first. */
  readonly index: number;
  readonly kind: PlaceholderKind;
  /** Most frequent first; at most PATTERN_LIMITS.values of them. */
  readonly top: readonly ValueCount[];
  /** Every occurrence, kept in `top` or not. */
  readonly total: number;
  /** False when more distinct values came than were kept (the counts in `top` are then upper bounds). */
  readonly exact: boolean;
}

export interface LogPattern {
  /** The pattern: the line with placeholders (`<num>`, `<ip>`, `<id>`, `<dur>`, `<ts>`, `<str>`). Outside text. */
  readonly pattern: string;
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Count per bucket of the window, oldest first (`PatternSet.bucketMs` wide each). */
  readonly series: readonly number[];
  /** The first line seen with this pattern, clipped. Outside text. */
  readonly example: string;
  readonly placeholders: readonly PlaceholderValues[];
}

export interface PatternSet {
  readonly start: number;
  readonly end: number;
  readonly bucketMs: number;
  /** Lines grouped (lines outside [start, end) are not). */
  readonly lines: number;
  /** Most lines first. */
  readonly patterns: readonly LogPattern[];
  /** Lines whose pattern was not kept because PATTERN_LIMITS.patterns were already held. */
  readonly otherLines: number;
}

/** Bounds on what one grouping holds. */
export const PATTERN_LIMITS = {
  /** Distinct patterns held; lines of further patterns are counted in `otherLines`. */
  patterns: 2000,
  /** Values kept per placeholder (Space-Saving: any value above 1/16 of them is certainly kept). */
  values: 16,
  /** Placeholders whose values are kept, per pattern (the first ones). */
  placeholders: 8,
  /** Characters of the example line. */
  example: 1000,
} as const;

export interface GroupOptions {
  readonly start: number;
  readonly end: number;
  /** Buckets of the sparkline series; 30 when not given. */
  readonly buckets?: number;
}

interface Building {
  pattern: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  series: number[];
  example: string;
  kinds: PlaceholderKind[];
  values: (TopValues | undefined)[];
}

/** Timestamps say nothing once their line is grouped: their values are not kept. */
const UNKEPT: ReadonlySet<PlaceholderKind> = new Set(['ts']);

/** The lines of [start, end) grouped into patterns, most lines first. */
export function groupPatterns(lines: Iterable<LogLine>, options: GroupOptions): PatternSet {
  const { start, end } = options;
  const bucketCount = Math.max(1, Math.floor(options.buckets ?? 30));
  const span = Math.max(1, end - start);
  const bucketMs = span / bucketCount;
  const byPattern = new Map<string, Building>();
  const tokens = new Tokens();
  let grouped = 0;
  let otherLines = 0;

  for (const line of lines) {
    const t = line.timestamp;
    if (!(t >= start && t < end)) continue;
    grouped += 1;
    const key = tokenise(line.message, tokens);
    let b = byPattern.get(key);
    if (b === undefined) {
      if (byPattern.size >= PATTERN_LIMITS.patterns) {
        otherLines += 1;
        continue;
      }
      const kept = Math.min(tokens.length, PATTERN_LIMITS.placeholders);
      b = {
        pattern: key,
        count: 0,
        firstSeen: t,
        lastSeen: t,
        series: new Array<number>(bucketCount).fill(0),
        example: clip(line.message, PATTERN_LIMITS.example),
        kinds: tokens.kinds.slice(0, tokens.length),
        values: tokens.kinds
          .slice(0, kept)
          .map((kind) => (UNKEPT.has(kind) ? undefined : new TopValues(PATTERN_LIMITS.values))),
      };
      byPattern.set(key, b);
    }
    b.count += 1;
    if (t < b.firstSeen) b.firstSeen = t;
    if (t > b.lastSeen) b.lastSeen = t;
    const bucket = Math.min(bucketCount - 1, Math.floor((t - start) / bucketMs));
    b.series[bucket] = (b.series[bucket] ?? 0) + 1;
    const n = Math.min(tokens.length, b.values.length);
    for (let i = 0; i < n; i++) b.values[i]?.add(tokens.values[i]!);
  }

  const patterns: LogPattern[] = [...byPattern.values()]
    .map((b) => ({
      pattern: b.pattern,
      count: b.count,
      firstSeen: b.firstSeen,
      lastSeen: b.lastSeen,
      series: b.series,
      example: b.example,
      placeholders: b.values.flatMap((v, index) =>
        v === undefined ? [] : [{ index, kind: b.kinds[index]!, top: v.top(), total: v.total, exact: v.exact }],
      ),
    }))
    .sort(byCountThenPattern);
  return { start, end, bucketMs, lines: grouped, patterns, otherLines };
}

function byCountThenPattern(a: { count: number; pattern: string }, b: { count: number; pattern: string }): number {
  return b.count - a.count || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0);
}

/** How a pattern's count in the window compares with the window before it. */
export type PatternTrend =
  | { readonly kind: 'new'; readonly since: number }
  | { readonly kind: 'gone'; readonly lastSeen: number }
  | { readonly kind: 'more'; readonly factor: number }
  | { readonly kind: 'fewer'; readonly factor: number }
  | { readonly kind: 'steady'; readonly factor: number };

export interface PatternComparison {
  readonly pattern: string;
  /** The pattern in the window, or in the window before when it is gone. */
  readonly current: LogPattern | undefined;
  readonly previous: LogPattern | undefined;
  readonly count: number;
  readonly previousCount: number;
  readonly trend: PatternTrend;
}

/** A count at least this many times the one before is "more" (and at most its inverse "fewer"). */
export const TREND_FACTOR = 2;
/** …and only when the counts differ by at least this many lines: 1 → 3 is noise, not a trend. */
export const TREND_MIN_LINES = 5;

/**
 * Every pattern of either window with its trend. Notable ones first (new and more, by lines added), then the
 * rest by count; gone patterns last.
 */
export function comparePatterns(current: PatternSet, previous: PatternSet): PatternComparison[] {
  const before = new Map(previous.patterns.map((p) => [p.pattern, p]));
  const out: PatternComparison[] = [];
  for (const p of current.patterns) {
    const q = before.get(p.pattern);
    out.push({
      pattern: p.pattern,
      current: p,
      previous: q,
      count: p.count,
      previousCount: q?.count ?? 0,
      trend: trend(p, q),
    });
    before.delete(p.pattern);
  }
  for (const q of before.values()) {
    out.push({
      pattern: q.pattern,
      current: undefined,
      previous: q,
      count: 0,
      previousCount: q.count,
      trend: { kind: 'gone', lastSeen: q.lastSeen },
    });
  }
  return out.sort(byInterest);
}

function trend(p: LogPattern, q: LogPattern | undefined): PatternTrend {
  if (q === undefined) return { kind: 'new', since: p.firstSeen };
  const factor = p.count / q.count;
  const diff = p.count - q.count;
  if (factor >= TREND_FACTOR && diff >= TREND_MIN_LINES) return { kind: 'more', factor };
  if (factor <= 1 / TREND_FACTOR && -diff >= TREND_MIN_LINES) return { kind: 'fewer', factor };
  return { kind: 'steady', factor };
}

/** Whether a comparison is what an investigation looks at first: a pattern that appeared or grew. */
export function isNotable(c: PatternComparison): boolean {
  return (c.trend.kind === 'new' && c.count >= TREND_MIN_LINES) || c.trend.kind === 'more';
}

function rank(c: PatternComparison): number {
  if (isNotable(c)) return 0;
  return c.trend.kind === 'gone' ? 2 : 1;
}

function byInterest(a: PatternComparison, b: PatternComparison): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) {
    const added = b.count - b.previousCount - (a.count - a.previousCount);
    if (added !== 0) return added;
  }
  if (ra === 2) return b.previousCount - a.previousCount || (a.pattern < b.pattern ? -1 : 1);
  return byCountThenPattern(a, b);
}

/** The incident window and the same-length window before it, grouped and compared. */
export interface LogAnalysis {
  readonly window: PatternSet;
  readonly before: PatternSet;
  readonly comparisons: readonly PatternComparison[];
}

/**
 * Groups the lines of [start, end) and of [start − (end − start), start) and compares them. The lines may be in
 * any order and may hold both windows (one read of twice the window) — each line is tokenised once.
 */
export function analyseLogs(lines: readonly LogLine[], options: GroupOptions): LogAnalysis {
  const length = options.end - options.start;
  const beforeStart = options.start - length;
  const inWindow: LogLine[] = [];
  const inBefore: LogLine[] = [];
  for (const line of lines) {
    if (line.timestamp >= options.start && line.timestamp < options.end) inWindow.push(line);
    else if (line.timestamp >= beforeStart && line.timestamp < options.start) inBefore.push(line);
  }
  const window = groupPatterns(inWindow, options);
  const before = groupPatterns(inBefore, { ...options, start: beforeStart, end: options.start });
  return { window, before, comparisons: comparePatterns(window, before) };
}

/** A placeholder value that stands out: the address (or id, …) most seen in the patterns that appeared or grew. */
export interface TopValue {
  readonly kind: PlaceholderKind;
  readonly value: string;
  readonly count: number;
  /** Lines of the pattern(s) it was counted in. */
  readonly of: number;
  readonly pattern: string;
}

/**
 * The most frequent value of a kind (e.g. 'ip') among the notable patterns; among all patterns of the window
 * when none is notable and `notableOnly` is false. Undefined when no pattern holds such a placeholder.
 */
export function topValue(
  comparisons: readonly PatternComparison[],
  kind: PlaceholderKind,
  notableOnly = true,
): TopValue | undefined {
  let best: TopValue | undefined;
  const consider = (c: PatternComparison): void => {
    const p = c.current;
    if (p === undefined) return;
    for (const ph of p.placeholders) {
      if (ph.kind !== kind) continue;
      const v = ph.top[0];
      if (v === undefined) continue;
      if (best === undefined || v.count > best.count)
        best = { kind, value: v.value, count: v.count, of: p.count, pattern: p.pattern };
    }
  };
  comparisons.filter(isNotable).forEach(consider);
  if (best === undefined && !notableOnly) comparisons.forEach(consider);
  return best;
}

/** A value is "the one" of its pattern when it holds at least this share of the pattern's lines… */
export const CONCENTRATED_SHARE = 0.2;

/**
 * The value of a kind most concentrated in one pattern of the window, notable or not: the address behind most
 * of a pattern's lines (an attacker, a scraper), where ordinary lines scatter over many addresses. At least
 * TREND_MIN_LINES lines and CONCENTRATED_SHARE of its pattern; notable patterns first.
 */
export function concentratedValue(
  comparisons: readonly PatternComparison[],
  kind: PlaceholderKind,
): TopValue | undefined {
  const fromNotable = topValue(comparisons, kind);
  if (
    fromNotable !== undefined &&
    fromNotable.count >= TREND_MIN_LINES &&
    fromNotable.count >= CONCENTRATED_SHARE * fromNotable.of
  )
    return fromNotable;
  let best: TopValue | undefined;
  for (const c of comparisons) {
    const p = c.current;
    if (p === undefined) continue;
    for (const ph of p.placeholders) {
      const v = ph.kind === kind ? ph.top[0] : undefined;
      if (v === undefined || v.count < TREND_MIN_LINES || v.count < CONCENTRATED_SHARE * p.count) continue;
      if (best === undefined || v.count > best.count)
        best = { kind, value: v.value, count: v.count, of: p.count, pattern: p.pattern };
    }
  }
  return best;
}

/** "×40" for a factor, rounded to what a glance needs. */
export function factorText(factor: number): string {
  if (!Number.isFinite(factor)) return '×∞';
  return factor >= 10 ? `×${Math.round(factor)}` : `×${(Math.round(factor * 10) / 10).toString()}`;
}
