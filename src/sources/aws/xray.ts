/**
 * AWS X-Ray behind the TraceSource port: GetTraceSummaries with a filter expression (paged with NextToken
 * until the limit or the deadline), BatchGetTraces for the spans (at most 5 trace ids a call, as the API
 * allows, each call paged), segment documents parsed in xraySegments.ts.
 *
 * A summary that lacks its entry point or HTTP data is completed from its trace's root segment. moto 5.2
 * (the test server) sends no EntryPoint, Http or ServiceIds, a Duration in whole seconds, no NextToken, and
 * answers any FilterExpression with HTTP 500 "Not implemented yet": when a filtered GetTraceSummaries fails
 * and the same window unfiltered succeeds, the service and error conditions are applied here to the
 * traces' own segments (the result's `via` says so).
 */
import {
  BatchGetTracesCommand,
  GetTraceSummariesCommand,
  type TraceSummary as XRaySummary,
  type XRayClient,
} from '@aws-sdk/client-xray';
import type { ReadCut, Span, Trace, TraceQuery, TraceSource, TraceSummary } from '../logPorts.js';
import { seconds } from '../deadlines.js';
import { AwsApiError, call, chunk, epochMs, mapLimit } from './calls.js';
import { boundMessage } from './logText.js';
import { Clock } from './readClock.js';
import { MAX_SPANS_PER_TRACE, spansOfDocument } from './xraySegments.js';

/** BatchGetTraces takes at most this many ids per call. */
export const BATCH_GET_TRACES_MAX = 5;
export const DEFAULT_TRACE_DEADLINE_MS = 20_000;
/** Summaries read at most, whatever the limit (the slowest N are chosen among these). */
export const MAX_SUMMARIES = 5_000;

export interface XRayOptions {
  readonly deadlineMs?: number;
}

/** An X-Ray filter-expression string literal. */
export function xrayString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The filter expression for a query, or undefined when it asks for everything. */
export function filterExpression(query: Pick<TraceQuery, 'service' | 'errorsOnly'>): string | undefined {
  const parts = [
    query.service ? `service(${xrayString(query.service)})` : undefined,
    query.errorsOnly ? '(error OR fault)' : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(' AND ') : undefined;
}

/** The request's own time, from a trace id (1-<8 hex digits of epoch seconds>-<24 hex>). */
export function traceIdTime(id: string): number | undefined {
  const m = /^1-([0-9a-f]{8})-[0-9a-f]{24}$/i.exec(id);
  return m ? parseInt(m[1]!, 16) * 1000 : undefined;
}

/** The root of a trace's spans: the earliest span without a parent among them. */
function rootOf(spans: readonly Span[]): Span | undefined {
  const ids = new Set(spans.map((s) => s.id));
  const roots = spans.filter((s) => !s.parentId || !ids.has(s.parentId));
  return roots.sort((a, b) => a.start - b.start)[0];
}

/** A summary from the trace itself: the root span's service and operation, the whole trace's extent. */
export function summaryOfTrace(trace: Trace): TraceSummary | undefined {
  const root = rootOf(trace.spans);
  if (!root) return undefined;
  const start = Math.min(...trace.spans.map((s) => s.start));
  const end = Math.max(...trace.spans.map((s) => s.end));
  return {
    id: trace.id,
    start,
    durationMs: end - start,
    service: root.service,
    operation: root.operation,
    error: trace.spans.some((s) => s.error),
    fault: trace.spans.some((s) => s.fault),
    ...(root.status !== undefined ? { status: root.status } : {}),
  };
}

function mapSummary(
  s: XRaySummary,
  fallbackService: string | undefined,
): (TraceSummary & { needsTrace: boolean }) | undefined {
  if (!s.Id) return undefined;
  const id = boundMessage(s.Id, 64).text;
  const start = epochMs(s.StartTime) ?? traceIdTime(id);
  const entry = s.EntryPoint?.Name ?? s.ServiceIds?.[0]?.Name;
  const method = s.Http?.HttpMethod;
  let path: string | undefined;
  try {
    path = s.Http?.HttpURL ? new URL(s.Http.HttpURL, 'http://unknown.invalid').pathname : undefined;
  } catch {
    path = undefined;
  }
  return {
    id,
    start: start ?? 0,
    durationMs: Math.round((s.Duration ?? 0) * 1000),
    service: boundMessage(entry ?? fallbackService ?? '?', 256).text,
    operation: boundMessage(method && path ? `${method} ${path}` : '?', 256).text,
    error: s.HasError === true,
    fault: s.HasFault === true,
    ...(s.Http?.HttpStatus !== undefined ? { status: s.Http.HttpStatus } : {}),
    needsTrace: entry === undefined || !(method && path) || start === undefined,
  };
}

/**
 * Whether X-Ray answered the filtered call with a refusal of the request itself (moto's 500 "Not implemented
 * yet", a 400 InvalidRequestException, a 501), as opposed to not answering, throttling or denying access,
 * after which an unfiltered read would only fail the same way (or claim a refusal that never happened).
 */
function refusedFilter(error: unknown): boolean {
  if (!(error instanceof AwsApiError)) return false;
  const status = error.$metadata?.httpStatusCode;
  if (status === undefined || /Throttl|AccessDenied|Unrecognized|Expired|Signature/i.test(error.name)) return false;
  return status === 400 || status === 500 || status === 501;
}

export class XRayAdapter implements TraceSource {
  constructor(
    private readonly client: XRayClient,
    private readonly options: XRayOptions = {},
  ) {}

  async summaries(
    query: TraceQuery,
  ): Promise<{ summaries: TraceSummary[]; complete: boolean; via?: string; reason?: string; cut?: ReadCut }> {
    if (!Number.isFinite(query.start) || !Number.isFinite(query.end) || query.end <= query.start)
      throw new Error('the trace window is empty');
    if (!Number.isInteger(query.limit) || query.limit < 1)
      throw new Error('the trace limit must be a positive integer');
    const clock = new Clock(
      'X-Ray',
      query.deadlineMs ?? this.options.deadlineMs ?? DEFAULT_TRACE_DEADLINE_MS,
      query.signal,
    );
    try {
      const expression = filterExpression(query);
      let localFilter = false;
      let read: { items: XRaySummary[]; reason?: string; cut?: ReadCut };
      try {
        read = await this.readSummaries(query, expression, clock);
      } catch (error) {
        if (!expression || !refusedFilter(error) || query.signal?.aborted) throw error;
        read = await this.readSummaries(query, undefined, clock);
        localFilter = true;
      }
      const limit = Math.min(query.limit, MAX_SUMMARIES);
      let mapped = read.items.map((s) => mapSummary(s, query.service)).filter((s) => s !== undefined);
      const reasons = read.reason ? [read.reason] : [];
      let cut: ReadCut | undefined = read.cut;
      const completing = mapped.filter((s) => localFilter || s.needsTrace);
      if (completing.length) {
        const traces = await this.tracesWithin(
          completing.map((s) => s.id),
          clock,
        );
        if (traces.reason) {
          reasons.push(traces.reason);
          cut = 'deadline';
        }
        const byId = new Map(traces.traces.map((t) => [t.id, t]));
        mapped = mapped.flatMap((s) => {
          if (!localFilter && !s.needsTrace) return [s];
          const trace = byId.get(s.id);
          if (!trace) return localFilter ? [] : [s];
          if (localFilter && query.service && !trace.spans.some((sp) => sp.service === query.service)) return [];
          const own = summaryOfTrace(trace);
          const merged = own ? { ...own, needsTrace: false } : s;
          if (localFilter && query.errorsOnly && !merged.error && !merged.fault) return [];
          return [merged];
        });
      }
      const inWindow = mapped.filter((s) => s.start >= query.start && s.start < query.end);
      const summaries = inWindow.slice(0, limit).map(({ needsTrace: _, ...s }) => s);
      if (inWindow.length > limit) {
        reasons.push(`the first ${limit.toLocaleString('en-US')} traces only`);
        cut ??= 'limit';
      }
      const via = localFilter ? 'X-Ray (filter applied here: the server refused the filter expression)' : 'X-Ray';
      return {
        summaries,
        complete: reasons.length === 0,
        via,
        ...(reasons.length ? { reason: reasons.join('; '), cut: cut ?? 'limit' } : {}),
      };
    } finally {
      clock.done();
    }
  }

  private async readSummaries(
    query: TraceQuery,
    expression: string | undefined,
    clock: Clock,
  ): Promise<{ items: XRaySummary[]; reason?: string; cut?: ReadCut }> {
    const items: XRaySummary[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    const cap = Math.min(query.limit, MAX_SUMMARIES);
    for (;;) {
      if (clock.expired) {
        if (query.signal?.aborted) throw new AwsApiError('X-Ray GetTraceSummaries', query.service, query.signal.reason);
        return { items, reason: `no complete answer within ${seconds(clock.ms)}`, cut: 'deadline' };
      }
      let out;
      try {
        out = await call('X-Ray GetTraceSummaries', query.service, () =>
          this.client.send(
            new GetTraceSummariesCommand({
              StartTime: new Date(query.start),
              EndTime: new Date(query.end),
              Sampling: false,
              ...(expression ? { FilterExpression: expression } : {}),
              ...(token ? { NextToken: token } : {}),
            }),
            { abortSignal: clock.signal },
          ),
        );
      } catch (error) {
        if (!query.signal?.aborted && clock.expired)
          return { items, reason: `no complete answer within ${seconds(clock.ms)}`, cut: 'deadline' };
        throw error;
      }
      items.push(...(out.TraceSummaries ?? []));
      token = out.NextToken;
      if (!token) return { items };
      if (items.length >= cap)
        return { items, reason: `the first ${cap.toLocaleString('en-US')} traces only`, cut: 'limit' };
      if (seen.has(token))
        throw new AwsApiError('X-Ray GetTraceSummaries', query.service, new Error('the server repeated a page token'));
      seen.add(token);
    }
  }

  async traces(ids: readonly string[], signal?: AbortSignal): Promise<Trace[]> {
    const clock = new Clock('X-Ray', this.options.deadlineMs ?? DEFAULT_TRACE_DEADLINE_MS, signal);
    try {
      const out = await this.tracesWithin(ids, clock);
      if (out.reason) throw new AwsApiError('X-Ray BatchGetTraces', undefined, new Error(out.reason));
      return out.traces;
    } finally {
      clock.done();
    }
  }

  /** The traces of `ids`, in the order asked; stops at the deadline with the ones it has and a reason. */
  private async tracesWithin(ids: readonly string[], clock: Clock): Promise<{ traces: Trace[]; reason?: string }> {
    const unique = [...new Set(ids)];
    const docs = new Map<string, string[]>();
    let late = false;
    await mapLimit(chunk(unique, BATCH_GET_TRACES_MAX), 2, async (batch) => {
      let token: string | undefined;
      const seen = new Set<string>();
      for (;;) {
        if (clock.expired) {
          late = true;
          return;
        }
        let out;
        try {
          out = await call('X-Ray BatchGetTraces', batch.join(', '), () =>
            this.client.send(new BatchGetTracesCommand({ TraceIds: batch, ...(token ? { NextToken: token } : {}) }), {
              abortSignal: clock.signal,
            }),
          );
        } catch (error) {
          if (clock.expired && !clock.outerAborted) {
            late = true;
            return;
          }
          throw error;
        }
        for (const t of out.Traces ?? []) {
          if (!t.Id) continue;
          const list = docs.get(t.Id) ?? [];
          for (const s of t.Segments ?? []) if (s.Document) list.push(s.Document);
          docs.set(t.Id, list);
        }
        token = out.NextToken;
        if (!token) return;
        if (seen.has(token))
          throw new AwsApiError(
            'X-Ray BatchGetTraces',
            batch.join(', '),
            new Error('the server repeated a page token'),
          );
        seen.add(token);
      }
    });
    const traces: Trace[] = [];
    for (const id of unique) {
      const documents = docs.get(id);
      if (!documents) continue;
      const budget = { left: MAX_SPANS_PER_TRACE };
      // A document that is not a segment is left out; the rest of its trace still says what happened.
      const spans = documents.flatMap((d) => spansOfDocument(d, budget) ?? []);
      traces.push({ id: boundMessage(id, 64).text, spans });
    }
    return late ? { traces, reason: `no complete answer within ${seconds(clock.ms)}` } : { traces };
  }
}
