import { describe, expect, it } from 'vitest';
import { analyseTraces, changeShape, criticalPath } from '../../../src/core/traces/analyse.js';
import { selfTimes } from '../../../src/core/traces/criticalPath.js';
import type { Span, Trace, TraceSummary } from '../../../src/sources/logPorts.js';

const T0 = Date.UTC(2026, 11, 4, 1, 0, 0);

/** A request to GET /orders: an auth call, then `queries` sequential SELECTs of `queryMs` each, then render. */
function request(
  id: string,
  at: number,
  queries: number,
  queryMs = 5,
  opts: { partnerMs?: number; fault?: boolean } = {},
): { summary: TraceSummary; trace: Trace } {
  const spans: Span[] = [];
  let t = at + 1;
  spans.push({
    id: `${id}-auth`,
    parentId: `${id}-root`,
    service: 'vitascope-api',
    operation: 'auth',
    start: t,
    end: t + 4,
  });
  t += 4;
  for (let q = 0; q < queries; q++) {
    spans.push({
      id: `${id}-q${q}`,
      parentId: `${id}-root`,
      service: 'vitascope-db',
      operation: 'SELECT orders',
      start: t,
      end: t + queryMs,
    });
    t += queryMs;
  }
  if (opts.partnerMs !== undefined) {
    spans.push({
      id: `${id}-p`,
      parentId: `${id}-root`,
      service: 'partner',
      operation: 'GET partner.example',
      start: t,
      end: t + opts.partnerMs,
      fault: opts.fault,
    });
    t += opts.partnerMs;
  }
  t += 2;
  const root: Span = {
    id: `${id}-root`,
    service: 'vitascope-api',
    operation: 'GET /orders',
    start: at,
    end: t,
    status: opts.fault ? 504 : 200,
    fault: opts.fault,
  };
  spans.unshift(root);
  return {
    summary: {
      id,
      start: at,
      durationMs: t - at,
      service: 'vitascope-api',
      operation: 'GET /orders',
      error: false,
      fault: opts.fault === true,
      status: root.status,
    },
    trace: { id, spans },
  };
}

function set(reqs: { summary: TraceSummary; trace: Trace }[]) {
  return { summaries: reqs.map((r) => r.summary), traces: reqs.map((r) => r.trace) };
}

describe('criticalPath: what the request waited on', () => {
  it('follows sequential children and leaves the parent only its own time', () => {
    const { trace } = request('a', T0, 3, 10);
    const path = criticalPath(trace.spans);
    expect(path).toEqual([
      { service: 'vitascope-db', operation: 'SELECT orders', ms: 30, spans: 3 },
      { service: 'vitascope-api', operation: 'auth', ms: 4, spans: 1 },
      { service: 'vitascope-api', operation: 'GET /orders', ms: 3, spans: 1 },
    ]);
    // The path accounts for the whole request.
    expect(path.reduce((s, p) => s + p.ms, 0)).toBe(37);
  });

  it('takes the child that ended last among parallel ones, not both', () => {
    const spans: Span[] = [
      { id: 'r', service: 'api', operation: 'GET /x', start: 0, end: 100 },
      { id: 'a', parentId: 'r', service: 'db', operation: 'q1', start: 10, end: 60 },
      { id: 'b', parentId: 'r', service: 'cache', operation: 'get', start: 10, end: 90 },
    ];
    expect(criticalPath(spans)).toEqual([
      { service: 'cache', operation: 'get', ms: 80, spans: 1 },
      { service: 'api', operation: 'GET /x', ms: 20, spans: 1 },
    ]);
    const self = selfTimes(spans);
    expect(self.get(spans[0]!)).toBe(20);
  });

  it('survives a cycle and a trace without spans', () => {
    expect(criticalPath([])).toEqual([]);
    const cyc: Span[] = [
      { id: 'r', service: 'api', operation: 'x', start: 0, end: 10 },
      { id: 'a', parentId: 'b', service: 'api', operation: 'a', start: 1, end: 5 },
      { id: 'b', parentId: 'a', service: 'api', operation: 'b', start: 1, end: 5 },
    ];
    expect(criticalPath(cyc)).toEqual([{ service: 'api', operation: 'x', ms: 10, spans: 1 }]);
  });
});

describe('analyseTraces: slowest, failing, and the span that changed most', () => {
  it('finds the N+1: many more SELECTs per request after the change, not the route that merely got slower', () => {
    const before = set(Array.from({ length: 20 }, (_, i) => request(`b${i}`, T0 + i * 1000, 1)));
    const now = set(Array.from({ length: 20 }, (_, i) => request(`n${i}`, T0 + 60_000 + i * 1000, i === 7 ? 60 : 40)));
    const a = analyseTraces(now, before, { slowest: 3 });
    expect(a.changed).toBeDefined();
    expect([a.changed!.service, a.changed!.operation]).toEqual(['vitascope-db', 'SELECT orders']);
    expect(a.changed!.countFactor).toBeCloseTo(41, 0);
    expect(a.changed!.durationFactor).toBe(1);
    expect(changeShape(a.changed!)).toBe('more');
    expect(a.slowest[0]!.summary.id).toBe('n7');
    expect(a.slowest[0]!.criticalPath![0]).toEqual({
      service: 'vitascope-db',
      operation: 'SELECT orders',
      ms: 300,
      spans: 60,
    });
    expect(a.failing).toEqual([]);
    expect([a.traces, a.previousTraces, a.tracesRead]).toEqual([20, 20, 20]);
  });

  it('finds the partner that slowed and failed, with failing traces first by duration', () => {
    const before = set(Array.from({ length: 10 }, (_, i) => request(`b${i}`, T0 + i * 1000, 1, 5, { partnerMs: 80 })));
    const now = set(
      Array.from({ length: 10 }, (_, i) =>
        request(`n${i}`, T0 + 60_000 + i * 1000, 1, 5, { partnerMs: i % 2 ? 5000 : 90, fault: i % 2 === 1 }),
      ),
    );
    const a = analyseTraces(now, before);
    expect([a.changed!.service, a.changed!.operation]).toEqual(['partner', 'GET partner.example']);
    expect(changeShape(a.changed!)).toBe('slower');
    expect(a.failing.map((d) => d.summary.id)).toEqual(['n1', 'n3', 'n5', 'n7', 'n9']);
    expect(a.failing[0]!.criticalPath![0]!.service).toBe('partner');
  });

  it('says nothing changed when nothing did, and cannot tell a path without the full trace', () => {
    const mk = (p: string, at: number) =>
      set(Array.from({ length: 5 }, (_, i) => request(`${p}${i}`, at + i * 1000, 2)));
    const a = analyseTraces({ summaries: mk('n', T0 + 60_000).summaries, traces: [] }, mk('b', T0));
    expect(a.slowest[0]!.criticalPath).toBeUndefined();
    expect(a.changed).toBeUndefined();
    const b = analyseTraces(mk('n', T0 + 60_000), mk('b', T0));
    expect(b.changed).toBeUndefined();
  });
});
