import { describe, expect, it } from 'vitest';
import { endpointSummary, endpointTable } from '../../../src/core/runbooks/endpointTable.js';
import { runQuery } from '../../../src/core/runbooks/queries.js';
import type { EndpointBreakdown } from '../../../src/sources/ports.js';
import { sandboxAt } from '../../harness/ink.js';

const HOUR = 3_600_000;

function breakdown(parts: [string, number, number, number | undefined][], at = 0): EndpointBreakdown {
  const rps = parts.reduce((s, p) => s + p[1], 0);
  const eps = parts.reduce((s, p) => s + p[2], 0);
  return {
    at,
    windowSeconds: 300,
    label: 'handler',
    total: { requestsPerSecond: rps, errorsPerSecond: eps, ...(rps > 0 ? { p95Seconds: 0.3 } : {}) },
    endpoints: parts.map(([endpoint, requestsPerSecond, errorsPerSecond, p95]) => ({
      endpoint,
      requestsPerSecond,
      errorsPerSecond,
      ...(p95 !== undefined ? { p95Seconds: p95 } : {}),
    })),
  };
}

describe('the by-endpoint table', () => {
  const now = breakdown([
    ['/a', 60, 0.06, 0.12],
    ['/sync', 30, 3, 1.4],
    ['/me', 10, 0, 0.05],
    ['/idle', 0, 0, undefined],
  ]);
  const before = breakdown([
    ['/a', 50, 0.05, 0.11],
    ['/sync', 30, 0.03, 0.21],
  ]);

  it('latency: slowest first, share of requests, the earlier p95; idle endpoints left out', () => {
    const t = endpointTable('latency', now, before, 3 * HOUR);
    expect(t.rows.map((r) => r.endpoint)).toEqual(['/sync', '/a', '/me']);
    expect(t.rows[0]).toEqual({ endpoint: '/sync', value: 1400, share: 0.3, before: 210 });
    // No earlier data for /me: said as such, never as "unchanged".
    expect(t.rows[2]!.before).toBeUndefined();
    expect(endpointSummary(t)).toBe(
      'p95 by handler over the last 5m: /sync 1.4 s, 210 ms 3h00m ago; /a 120 ms, 110 ms 3h00m ago; /me 50 ms',
    );
  });

  it('errors: most 5xx first, share of all 5xx, rate as a percent of its own requests', () => {
    const t = endpointTable('errors', now, before, HOUR);
    expect(t.rows[0]!.endpoint).toBe('/sync');
    expect(t.rows[0]!.value).toBeCloseTo(10, 9);
    expect(t.rows[0]!.share).toBeCloseTo(3 / 3.06, 9);
    expect(t.rows[0]!.before).toBeCloseTo(0.1, 9);
    expect(t.total.value).toBeCloseTo((100 * 3.06) / 100, 9);
  });

  it('keeps the top rows and says how many more; an unlabelled answer is not "no requests"', () => {
    const t = endpointTable('requests', now, undefined, HOUR, 2);
    expect(t.rows.map((r) => r.endpoint)).toEqual(['/a', '/sync']);
    expect(t.more).toBe(1);
    const unlabelled = endpointTable('latency', { ...now, endpoints: [] }, undefined, HOUR);
    expect(unlabelled.unlabelled).toBe(true);
    expect(endpointSummary(unlabelled)).toContain('no series carries the label "handler"');
    const quiet = endpointTable('latency', breakdown([]), undefined, HOUR);
    expect(quiet.unlabelled).toBe(false);
    expect(endpointSummary(quiet)).toBe('p95 by handler: no requests in the last 5m');
  });

  it('a runbook by-endpoint query in the sandbox answers with the table and the overall graph', async () => {
    const sb = sandboxAt('error-spike', 20);
    const r = await runQuery(
      { id: 'q', kind: 'query', title: 'errors by endpoint', query: 'error-rate-by-endpoint', range: '1h' } as never,
      {} as never,
      { sources: sb, now: sb.now() },
    );
    expect(r.endpoints?.kind).toBe('errors');
    // The world's failing endpoint (releaseScenarios' error-spike) tops the table.
    const minute = sb.world.activity.at(sb.world.minute - 1)!;
    expect(r.endpoints!.rows[0]!.endpoint).toBe(minute.detail.failing!.path);
    expect(r.points.length).toBeGreaterThan(0);
    expect(r.summary).toMatch(/^5xx rate by endpoint over the last 5m: \/api\/v1\/users\/me /);
    expect(r.summary).not.toContain('no per-endpoint breakdown');
  });
});
