/**
 * A trace's critical path: the chain of spans that decided when the request finished, and how long each
 * (service, operation) held it by itself. Walked from the root backwards, the way Jaeger does: at each span
 * the child that ended last is what the span waited for; before that child started, the one that ended
 * last before it; what no child covers is the span's own time.
 */

import type { Span } from '../../sources/logPorts.js';

/** Time one (service, operation) spent on the critical path, summed over its spans. */
export interface PathStep {
  readonly service: string;
  readonly operation: string;
  /** Milliseconds on the critical path (self time: not covered by a child on the path). */
  readonly ms: number;
  /** Spans of this (service, operation) on the path. */
  readonly spans: number;
}

/** Deeper than this is a malformed trace (or a cycle), not a call chain: the walk stops there. */
const MAX_DEPTH = 64;

/** The key a span is aggregated under. */
export function spanKey(span: Pick<Span, 'service' | 'operation'>): string {
  return `${span.service}\u0000${span.operation}`;
}

/** The trace's roots: spans without a parent in the trace, earliest first. */
export function roots(spans: readonly Span[]): Span[] {
  const ids = new Set(spans.map((s) => s.id));
  return spans.filter((s) => s.parentId === undefined || !ids.has(s.parentId)).sort((a, b) => a.start - b.start);
}

/** Children by parent id, each list ordered by end, latest first. */
export function childrenOf(spans: readonly Span[]): Map<string, Span[]> {
  const kids = new Map<string, Span[]>();
  for (const s of spans) {
    if (s.parentId === undefined || s.parentId === s.id) continue;
    const list = kids.get(s.parentId);
    if (list === undefined) kids.set(s.parentId, [s]);
    else list.push(s);
  }
  for (const list of kids.values()) list.sort((a, b) => b.end - a.end || b.start - a.start);
  return kids;
}

/**
 * The critical path of a trace, by (service, operation), most time first. From the root that lasted longest;
 * empty when the trace has no spans.
 */
export function criticalPath(spans: readonly Span[]): PathStep[] {
  const rootList = roots(spans);
  if (rootList.length === 0) return [];
  const root = rootList.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  const kids = childrenOf(spans);
  const steps = new Map<string, { service: string; operation: string; ms: number; spans: Set<string> }>();
  const add = (span: Span, ms: number): void => {
    if (ms <= 0) return;
    const key = spanKey(span);
    const step = steps.get(key);
    if (step === undefined)
      steps.set(key, { service: span.service, operation: span.operation, ms, spans: new Set([span.id]) });
    else {
      step.ms += ms;
      step.spans.add(span.id);
    }
  };
  const onPath = new Set<string>();
  const walk = (span: Span, upTo: number, depth: number): void => {
    if (depth > MAX_DEPTH || onPath.has(span.id)) return;
    onPath.add(span.id);
    let cursor = Math.min(span.end, upTo);
    for (const child of kids.get(span.id) ?? []) {
      if (child.start >= cursor || child.end <= span.start) continue;
      const childEnd = Math.min(child.end, cursor);
      add(span, cursor - childEnd);
      walk(child, childEnd, depth + 1);
      cursor = Math.max(span.start, Math.min(cursor, child.start));
      if (cursor <= span.start) break;
    }
    add(span, cursor - span.start);
  };
  walk(root, root.end, 0);
  return [...steps.values()]
    .map((s) => ({ service: s.service, operation: s.operation, ms: s.ms, spans: s.spans.size }))
    .sort((a, b) => b.ms - a.ms || (spanKey(a) < spanKey(b) ? -1 : 1));
}

/**
 * Each span's self time: its duration less the time its children cover (their union, clipped to the span),
 * so a parent that only waits on its children is not counted for their time.
 */
export function selfTimes(spans: readonly Span[]): Map<Span, number> {
  const kids = childrenOf(spans);
  const out = new Map<Span, number>();
  for (const s of spans) {
    const intervals = (kids.get(s.id) ?? [])
      .map((c) => [Math.max(c.start, s.start), Math.min(c.end, s.end)] as const)
      .filter(([a, b]) => b > a)
      .sort((x, y) => x[0] - y[0]);
    let covered = 0;
    let runStart = -Infinity;
    let runEnd = -Infinity;
    for (const [a, b] of intervals) {
      if (a > runEnd) {
        if (runEnd > runStart) covered += runEnd - runStart;
        runStart = a;
        runEnd = b;
      } else if (b > runEnd) runEnd = b;
    }
    if (runEnd > runStart) covered += runEnd - runStart;
    out.set(s, Math.max(0, s.end - s.start - covered));
  }
  return out;
}
