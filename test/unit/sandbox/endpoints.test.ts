import { describe, expect, it } from 'vitest';
import type { MetricQuery } from '../../../src/sources/ports.js';
import { ENDPOINTS } from '../../../src/sources/sandbox/topology.js';
import { sandboxAt } from '../../harness/ink.js';

const api = (name: string, statistic: 'Sum' | 'Average'): MetricQuery => ({
  id: name,
  metric: { namespace: 'Vitascope/API', name, dimensions: {} },
  statistic,
});

/**
 * The sandbox's breakdown against its own totals — what its CloudWatch metrics report for the same
 * whole minutes (Vitascope/API RequestCount, Http5xxCount, p95ResponseTime), not anything the
 * breakdown computed.
 */
describe('the sandbox breaks its API traffic down by endpoint, and the parts add up to its totals', () => {
  for (const [scenario, minutes] of [
    ['calm', 30],
    ['latency-regression', 25],
    ['error-spike', 20],
    ['auth-bruteforce', 15],
    ['api-cpu-spike', 20],
  ] as const) {
    it(`${scenario} at +${minutes} min`, async () => {
      const sb = sandboxAt(scenario, minutes);
      const now = sb.now();
      // A window of five whole minutes that ends on a minute boundary the metrics know.
      const perMinute = await sb.metrics!.getSeries([api('RequestCount', 'Sum')], {
        start: now - 15 * 60_000,
        end: now,
        stepSeconds: 60,
      });
      const end = perMinute[0]!.points.at(-1)!.t + 60_000;
      const [requests, errors, p95] = await sb.metrics!.getSeries(
        [api('RequestCount', 'Sum'), api('Http5xxCount', 'Sum'), api('p95ResponseTime', 'Average')],
        { start: end - 300_000, end, stepSeconds: 300 },
      );
      const b = await sb.endpoints!.endpointBreakdown({ end, seconds: 300 });
      expect(b.label).toBe('endpoint');
      // One row per path, methods together, as `sum by (endpoint)` makes them.
      expect(b.endpoints.map((e) => e.endpoint)).toEqual([...new Set(ENDPOINTS.map((e) => e.path))].sort());
      const sum = (f: (e: (typeof b.endpoints)[number]) => number) => b.endpoints.reduce((s, e) => s + f(e), 0);
      expect(requests!.points).toHaveLength(1);
      expect(b.total.requestsPerSecond * 300).toBeCloseTo(requests!.points[0]!.v, 6);
      expect(sum((e) => e.requestsPerSecond) * 300).toBeCloseTo(requests!.points[0]!.v, 6);
      expect(b.total.errorsPerSecond * 300).toBeCloseTo(errors!.points[0]!.v, 6);
      expect(sum((e) => e.errorsPerSecond) * 300).toBeCloseTo(errors!.points[0]!.v, 6);
      expect(b.total.p95Seconds! * 1000).toBeCloseTo(p95!.points[0]!.v, 6);
      // The p95 of the whole lies among the endpoints' (a quantile of a mixture does).
      const p95s = b.endpoints.map((e) => e.p95Seconds!);
      expect(b.total.p95Seconds!).toBeGreaterThanOrEqual(Math.min(...p95s));
      expect(b.total.p95Seconds!).toBeLessThanOrEqual(Math.max(...p95s));
    });
  }

  it("puts a bad revision's exceptions on its one endpoint", async () => {
    const sb = sandboxAt('error-spike', 20);
    const b = await sb.endpoints!.endpointBreakdown({ end: sb.now(), seconds: 300 });
    const rate = (e: (typeof b.endpoints)[number]) => e.errorsPerSecond / e.requestsPerSecond;
    const sorted = [...b.endpoints].sort((x, y) => rate(y) - rate(x));
    // The endpoint the world's current minute says is failing (physics' detail.failing), far ahead of the rest.
    const minute = sb.world.activity.at(sb.world.minute - 1)!;
    expect(minute.detail.failing?.path).toBeDefined();
    expect(sorted[0]!.endpoint).toBe(minute.detail.failing!.path);
    expect(rate(sorted[0]!)).toBeGreaterThan(5 * rate(sorted[1]!));
  });
});
