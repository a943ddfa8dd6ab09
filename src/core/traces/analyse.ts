/**
 * Traces of an incident window, read for what they say: the slowest and the failing requests with their
 * critical paths, and the span (service + operation) that changed most against the window before — more of
 * it per request (an N+1 query) or slower (a partner timing out). Pure: no clock, no I/O.
 */

import type { Span, Trace, TraceSummary } from '../../sources/logPorts.js';
import { criticalPath, type PathStep, selfTimes, spanKey } from './criticalPath.js';

export type { PathStep } from './criticalPath.js';
export { criticalPath } from './criticalPath.js';

/** What a window's read gave: summaries, and the full traces of those the source returned. */
export interface TraceSet {
  readonly summaries: readonly TraceSummary[];
  readonly traces: readonly Trace[];
}

export interface TraceDigest {
  readonly summary: TraceSummary;
  /** The critical path by (service, operation), most time first; undefined when the full trace was not read. */
  readonly criticalPath: readonly PathStep[] | undefined;
  readonly spans: number | undefined;
}

/** One (service, operation) across the traces of a window. */
export interface SpanStats {
  readonly service: string;
  readonly operation: string;
  /** Traces (of those read in full) holding at least one such span. */
  readonly traces: number;
  /** Spans per trace read in full (all of them, with or without it). */
  readonly perTrace: number;
  /** Mean duration of one span, milliseconds. */
  readonly meanMs: number;
  /** Self time per trace (not covered by its children), milliseconds: what this operation adds to a request. */
  readonly selfMsPerTrace: number;
  readonly errors: number;
}

export interface SpanChange {
  readonly service: string;
  readonly operation: string;
  readonly current: SpanStats | undefined;
  readonly previous: SpanStats | undefined;
  /** Spans per trace now over before (Infinity when new, 0 when gone). */
  readonly countFactor: number;
  /** Mean duration now over before (undefined when either window lacks it). */
  readonly durationFactor: number | undefined;
  /** Self time per trace now less before: the milliseconds this change adds to (or takes off) a request. */
  readonly addedMsPerTrace: number;
}

export interface TraceAnalysis {
  /** Traces summarised in the window and the window before. */
  readonly traces: number;
  readonly previousTraces: number;
  /** Traces read in full (the ones spans and changes are computed on). */
  readonly tracesRead: number;
  readonly previousTracesRead: number;
  /** Slowest first. */
  readonly slowest: readonly TraceDigest[];
  /** Failing (error or fault) traces, slowest first. */
  readonly failing: readonly TraceDigest[];
  /** Every (service, operation) of the window, most self time per trace first. */
  readonly spans: readonly SpanStats[];
  /** (service, operation)s whose self time per trace changed, most changed first. */
  readonly changes: readonly SpanChange[];
  /** The one that changed most, when any changed enough to matter (see CHANGE_MIN_MS and CHANGE_MIN_SHARE) and both windows hold traces. */
  readonly changed: SpanChange | undefined;
}

/**
 * A change that adds or takes off less than this per request (ms), or less than CHANGE_MIN_SHARE of the
 * window before's mean request, is noise (sampling moves a few ms around), not "the span that changed".
 */
export const CHANGE_MIN_MS = 5;
export const CHANGE_MIN_SHARE = 0.2;

export interface AnalyseOptions {
  /** Slowest traces kept; 5 when not given. */
  readonly slowest?: number;
  /** Failing traces kept; 5 when not given. */
  readonly failing?: number;
}

export function analyseTraces(current: TraceSet, previous: TraceSet, options: AnalyseOptions = {}): TraceAnalysis {
  const byId = new Map(current.traces.map((t) => [t.id, t]));
  const digest = (summary: TraceSummary): TraceDigest => {
    const trace = byId.get(summary.id);
    return {
      summary,
      criticalPath: trace === undefined ? undefined : criticalPath(trace.spans),
      spans: trace?.spans.length,
    };
  };
  const bySlowest = [...current.summaries].sort((a, b) => b.durationMs - a.durationMs || (a.id < b.id ? -1 : 1));
  const slowest = bySlowest.slice(0, options.slowest ?? 5).map(digest);
  const failing = bySlowest
    .filter((s) => s.error || s.fault)
    .slice(0, options.failing ?? 5)
    .map(digest);
  const now = spanStats(current.traces);
  const before = spanStats(previous.traces);
  const changes = compareSpans(now, before);
  const top = changes[0];
  const meanBefore = previous.summaries.length
    ? previous.summaries.reduce((t, s) => t + s.durationMs, 0) / previous.summaries.length
    : 0;
  const threshold = Math.max(CHANGE_MIN_MS, CHANGE_MIN_SHARE * meanBefore);
  return {
    traces: current.summaries.length,
    previousTraces: previous.summaries.length,
    tracesRead: current.traces.length,
    previousTracesRead: previous.traces.length,
    slowest,
    failing,
    spans: [...now.values()].sort((a, b) => b.selfMsPerTrace - a.selfMsPerTrace || keyOrder(a, b)),
    changes,
    // With no trace read in full on one side there is nothing to compare: cannot tell, never "it all went".
    changed:
      top !== undefined &&
      current.traces.length > 0 &&
      previous.traces.length > 0 &&
      Math.abs(top.addedMsPerTrace) >= threshold
        ? top
        : undefined,
  };
}

/** Per (service, operation): spans and self time per trace, over the traces given. */
export function spanStats(traces: readonly Trace[]): Map<string, SpanStats> {
  const acc = new Map<
    string,
    { service: string; operation: string; traces: number; count: number; ms: number; self: number; errors: number }
  >();
  for (const trace of traces) {
    const self = selfTimes(trace.spans);
    const seen = new Set<string>();
    for (const span of trace.spans) {
      const key = spanKey(span);
      let a = acc.get(key);
      if (a === undefined) {
        a = { service: span.service, operation: span.operation, traces: 0, count: 0, ms: 0, self: 0, errors: 0 };
        acc.set(key, a);
      }
      if (!seen.has(key)) {
        seen.add(key);
        a.traces += 1;
      }
      a.count += 1;
      a.ms += span.end - span.start;
      a.self += self.get(span) ?? 0;
      if (isFailing(span)) a.errors += 1;
    }
  }
  const n = Math.max(1, traces.length);
  const out = new Map<string, SpanStats>();
  for (const [key, a] of acc) {
    out.set(key, {
      service: a.service,
      operation: a.operation,
      traces: a.traces,
      perTrace: a.count / n,
      meanMs: a.ms / a.count,
      selfMsPerTrace: a.self / n,
      errors: a.errors,
    });
  }
  return out;
}

function isFailing(span: Span): boolean {
  return span.error === true || span.fault === true;
}

function compareSpans(now: Map<string, SpanStats>, before: Map<string, SpanStats>): SpanChange[] {
  const keys = new Set([...now.keys(), ...before.keys()]);
  const out: SpanChange[] = [];
  for (const key of keys) {
    const c = now.get(key);
    const p = before.get(key);
    const countFactor = c === undefined ? 0 : p === undefined ? Infinity : c.perTrace / p.perTrace;
    const durationFactor = c !== undefined && p !== undefined && p.meanMs > 0 ? c.meanMs / p.meanMs : undefined;
    const service = (c ?? p)!.service;
    const operation = (c ?? p)!.operation;
    out.push({
      service,
      operation,
      current: c,
      previous: p,
      countFactor,
      durationFactor,
      addedMsPerTrace: (c?.selfMsPerTrace ?? 0) - (p?.selfMsPerTrace ?? 0),
    });
  }
  return out.sort((a, b) => Math.abs(b.addedMsPerTrace) - Math.abs(a.addedMsPerTrace) || keyOrder(a, b));
}

function keyOrder(a: { service: string; operation: string }, b: { service: string; operation: string }): number {
  const ka = spanKey(a);
  const kb = spanKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Whether the change is mostly "more of it per request" rather than "each one slower". */
export function changeShape(change: SpanChange): 'more' | 'slower' | 'new' | 'gone' | 'faster' | 'fewer' {
  if (change.previous === undefined) return 'new';
  if (change.current === undefined) return 'gone';
  const count = change.countFactor;
  const dur = change.durationFactor ?? 1;
  if (change.addedMsPerTrace >= 0) return count >= dur ? 'more' : 'slower';
  return 1 / Math.max(count, 1e-9) >= 1 / Math.max(dur, 1e-9) ? 'fewer' : 'faster';
}
