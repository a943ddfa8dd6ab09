/**
 * A log finding: what a logs step reports about a service's incident window — the patterns that appeared or
 * grew against the window before, with counts, trend and sparkline, the address most seen in them, a revision
 * they name, and a few evidence lines. Small and bounded (it is journaled and shown); outside text is clipped
 * here and made inert where it is shown.
 */

import type { LogSource } from '../../sources/logPorts.js';
import { clip } from '../sanitize.js';
import {
  analyseLogs,
  concentratedValue,
  factorText,
  isNotable,
  type PatternComparison,
  type PatternTrend,
} from './patterns.js';

export interface LogFindingPattern {
  readonly pattern: string;
  readonly count: number;
  readonly previousCount: number;
  readonly trend: PatternTrend;
  /** Count per bucket of the window, for a sparkline. */
  readonly series: readonly number[];
  readonly example: string;
}

export interface LogFinding {
  readonly kind: 'logs';
  readonly service: string;
  readonly groups: readonly string[];
  readonly start: number;
  readonly end: number;
  /** Lines in the window and in the window before it. */
  readonly lines: number;
  readonly previousLines: number;
  /** False when the source stopped early (limit, deadline): counts are then lower bounds. */
  readonly complete: boolean;
  /** Whether both windows were read whole, so that trends (new, ×N) can be stated; absent in older records: true. */
  readonly trendsKnown?: boolean;
  readonly via: string;
  readonly reason?: string;
  /** The notable patterns (new or grown), most lines added first; the top patterns when none is notable. */
  readonly patterns: readonly LogFindingPattern[];
  /** Whether `patterns` are notable ones (false: nothing appeared or grew; these are just the most frequent). */
  readonly notable: boolean;
  /** The address behind most lines of one pattern (notable patterns first), and in how many of its lines. */
  readonly topAddress?: { readonly value: string; readonly count: number; readonly pattern: string };
  /** A task definition revision the notable patterns name most ("vitascope-api:42"). */
  readonly revision?: string;
  /** Lines behind the finding (an example of each pattern), clipped. */
  readonly evidence: readonly string[];
}

export const LOG_FINDING_LIMITS = { patterns: 5, example: 600, pattern: 300, lines: 20_000 } as const;

export interface LogStepQuery {
  readonly service: string;
  readonly groups: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly contains?: string;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Reads the window and the one before it, each on its own (a shared newest-N read would make the window
 * before look quieter than it was), and makes the finding. Trends are stated only when both were read whole.
 */
export async function findInLogs(source: LogSource, q: LogStepQuery): Promise<LogFinding> {
  const length = q.end - q.start;
  const read = (start: number, end: number) =>
    source.query({
      groups: q.groups,
      start,
      end,
      limit: LOG_FINDING_LIMITS.lines,
      maxMessageBytes: 4096,
      ...(q.contains !== undefined ? { contains: q.contains } : {}),
      ...(q.deadlineMs !== undefined ? { deadlineMs: q.deadlineMs } : {}),
      ...(q.signal !== undefined ? { signal: q.signal } : {}),
    });
  const [before, current] = await Promise.all([read(q.start - length, q.start), read(q.start, q.end)]);
  const trendsKnown = before.complete && current.complete;
  const result = {
    events: [...before.events, ...current.events],
    complete: trendsKnown,
    via: current.via,
    ...((current.reason ?? before.reason) ? { reason: (current.reason ?? before.reason)! } : {}),
  };
  const analysis = analyseLogs(result.events, { start: q.start, end: q.end, buckets: 20 });
  // With a window read in part, "new" and "×N" would compare what was read, not what happened.
  const notable = trendsKnown ? analysis.comparisons.filter(isNotable) : [];
  const address = concentratedValue(analysis.comparisons, 'ip');
  // The pattern the address stands out in comes first, then the notable ones (or the most frequent).
  const behindAddress = address ? analysis.comparisons.filter((c) => c.pattern === address.pattern) : [];
  const rest = (notable.length > 0 ? notable : analysis.comparisons.filter((c) => c.count > 0)).filter(
    (c) => c.pattern !== address?.pattern,
  );
  const shown = [...behindAddress, ...rest].slice(0, LOG_FINDING_LIMITS.patterns);
  const revision = revisionNamed(notable);
  return {
    kind: 'logs',
    service: q.service,
    groups: q.groups,
    start: q.start,
    end: q.end,
    lines: analysis.window.lines,
    previousLines: analysis.before.lines,
    complete: result.complete,
    trendsKnown,
    via: result.via,
    ...(result.reason !== undefined ? { reason: clip(result.reason, 300) } : {}),
    patterns: shown.map((c) => ({
      pattern: clip(c.pattern, LOG_FINDING_LIMITS.pattern),
      count: c.count,
      previousCount: c.previousCount,
      trend: c.trend,
      series: c.current?.series ?? [],
      example: clip((c.current ?? c.previous)?.example ?? '', LOG_FINDING_LIMITS.example),
    })),
    notable: notable.length > 0,
    ...(address
      ? {
          topAddress: {
            value: address.value,
            count: address.count,
            pattern: clip(address.pattern, LOG_FINDING_LIMITS.pattern),
          },
        }
      : {}),
    ...(revision ? { revision } : {}),
    evidence: shown.map((c) => clip((c.current ?? c.previous)?.example ?? '', LOG_FINDING_LIMITS.example)),
  };
}

const REVISION_IN_PATTERN = /revision=([A-Za-z][\w-]*):<num>/;

/**
 * The task definition revision a notable pattern names (`revision=family:<num>`), taken from the values that
 * placeholder held: the most frequent one.
 */
function revisionNamed(notable: readonly PatternComparison[]): string | undefined {
  for (const c of notable) {
    const p = c.current;
    if (p === undefined) continue;
    const m = REVISION_IN_PATTERN.exec(p.pattern);
    if (!m) continue;
    // The placeholder's position: how many placeholders come before it.
    const before =
      p.pattern.slice(0, m.index + m[0].length - '<num>'.length).match(/<(?:ts|id|ip|dur|str|num)>/g)?.length ?? 0;
    const values = p.placeholders.find((ph) => ph.index === before);
    const top = values?.top[0];
    if (top !== undefined) return `${m[1]}:${top.value}`;
  }
  return undefined;
}

/** One line saying what a pattern's trend is: "new since 01:07", "×40", "gone", "steady". */
export function trendText(trend: PatternTrend, clock: (t: number) => string): string {
  switch (trend.kind) {
    case 'new':
      return `new since ${clock(trend.since)}`;
    case 'gone':
      return 'gone';
    case 'more':
    case 'fewer':
      return factorText(trend.factor);
    case 'steady':
      return 'steady';
  }
}
