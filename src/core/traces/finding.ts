/**
 * A trace finding: what a traces step reports about a service's incident window — the span that changed most
 * against the window before (more of it per request, or slower), and the slowest and failing traces with the
 * head of their critical paths. Small and bounded (it is journaled and shown).
 */

import type { Trace, TraceSource, TraceSummary } from '../../sources/logPorts.js';
import { clip } from '../sanitize.js';
import { analyseTraces, changeShape, type PathStep } from './analyse.js';

export interface TraceFindingTrace {
  readonly id: string;
  readonly durationMs: number;
  readonly operation: string;
  readonly status?: number;
  readonly failed: boolean;
  /** The head of the critical path (most time first); undefined when the trace could not be read in full. */
  readonly path?: readonly PathStep[];
}

export interface TraceFinding {
  readonly kind: 'traces';
  readonly service: string;
  readonly start: number;
  readonly end: number;
  readonly traces: number;
  readonly previousTraces: number;
  readonly complete: boolean;
  /** The span that changed most; absent when none changed enough or a window had no full trace to compare. */
  readonly changed?: {
    readonly service: string;
    readonly operation: string;
    readonly shape: ReturnType<typeof changeShape>;
    readonly perTraceBefore: number;
    readonly perTraceNow: number;
    readonly meanMsBefore?: number;
    readonly meanMsNow?: number;
    readonly addedMsPerTrace: number;
  };
  readonly slowest: readonly TraceFindingTrace[];
  readonly failing: readonly TraceFindingTrace[];
  /** Failing traces among those summarised in the window (all of them, not just the ones kept). */
  readonly failingCount: number;
}

export const TRACE_FINDING_LIMITS = { summaries: 300, read: 60, shown: 3, path: 4, text: 200 } as const;

export interface TraceStepQuery {
  readonly service: string;
  readonly start: number;
  readonly end: number;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

/** Spread a read over the window: every k-th summary, so a read of `n` covers all of it. */
function spread(summaries: readonly TraceSummary[], n: number): TraceSummary[] {
  if (summaries.length <= n) return [...summaries];
  const step = summaries.length / n;
  return Array.from({ length: n }, (_, i) => summaries[Math.floor(i * step)]!);
}

export async function findInTraces(source: TraceSource, q: TraceStepQuery): Promise<TraceFinding> {
  const length = q.end - q.start;
  const common = {
    service: q.service,
    limit: TRACE_FINDING_LIMITS.summaries,
    ...(q.deadlineMs !== undefined ? { deadlineMs: q.deadlineMs } : {}),
    ...(q.signal ? { signal: q.signal } : {}),
  };
  const [now, before] = await Promise.all([
    source.summaries({ ...common, start: q.start, end: q.end }),
    source.summaries({ ...common, start: q.start - length, end: q.start }),
  ]);
  const bySlowest = [...now.summaries].sort((a, b) => b.durationMs - a.durationMs);
  const failing = bySlowest.filter((s) => s.error || s.fault);
  // Read the slowest and failing in full, plus a spread of both windows to compare spans per request.
  const wanted = new Set<string>([
    ...bySlowest.slice(0, TRACE_FINDING_LIMITS.shown).map((s) => s.id),
    ...failing.slice(0, TRACE_FINDING_LIMITS.shown).map((s) => s.id),
    ...spread(now.summaries, TRACE_FINDING_LIMITS.read).map((s) => s.id),
  ]);
  const wantedBefore = spread(before.summaries, TRACE_FINDING_LIMITS.read).map((s) => s.id);
  const [traces, tracesBefore] = await Promise.all([
    source.traces([...wanted], q.signal),
    source.traces(wantedBefore, q.signal),
  ]);
  const sample = new Set(spread(now.summaries, TRACE_FINDING_LIMITS.read).map((s) => s.id));
  const analysis = analyseTraces(
    { summaries: now.summaries, traces: traces.filter((t: Trace) => sample.has(t.id)) },
    { summaries: before.summaries, traces: tracesBefore },
    { slowest: TRACE_FINDING_LIMITS.shown, failing: TRACE_FINDING_LIMITS.shown },
  );
  const full = new Map(traces.map((t) => [t.id, t]));
  const withPaths = analyseTraces(
    { summaries: now.summaries, traces: [...full.values()] },
    { summaries: [], traces: [] },
    { slowest: TRACE_FINDING_LIMITS.shown, failing: TRACE_FINDING_LIMITS.shown },
  );
  const shown = (d: (typeof withPaths.slowest)[number]): TraceFindingTrace => ({
    id: clip(d.summary.id, TRACE_FINDING_LIMITS.text),
    durationMs: d.summary.durationMs,
    operation: clip(`${d.summary.service} ${d.summary.operation}`, TRACE_FINDING_LIMITS.text),
    ...(d.summary.status !== undefined ? { status: d.summary.status } : {}),
    failed: d.summary.error || d.summary.fault,
    ...(d.criticalPath
      ? {
          path: d.criticalPath.slice(0, TRACE_FINDING_LIMITS.path).map((p) => ({
            ...p,
            service: clip(p.service, TRACE_FINDING_LIMITS.text),
            operation: clip(p.operation, TRACE_FINDING_LIMITS.text),
          })),
        }
      : {}),
  });
  const c = analysis.changed;
  return {
    kind: 'traces',
    service: q.service,
    start: q.start,
    end: q.end,
    traces: now.summaries.length,
    previousTraces: before.summaries.length,
    complete: now.complete && before.complete,
    ...(c
      ? {
          changed: {
            service: clip(c.service, TRACE_FINDING_LIMITS.text),
            operation: clip(c.operation, TRACE_FINDING_LIMITS.text),
            shape: changeShape(c),
            perTraceBefore: c.previous?.perTrace ?? 0,
            perTraceNow: c.current?.perTrace ?? 0,
            ...(c.previous ? { meanMsBefore: c.previous.meanMs } : {}),
            ...(c.current ? { meanMsNow: c.current.meanMs } : {}),
            addedMsPerTrace: c.addedMsPerTrace,
          },
        }
      : {}),
    slowest: withPaths.slowest.map(shown),
    failing: withPaths.failing.map(shown),
    failingCount: failing.length,
  };
}
