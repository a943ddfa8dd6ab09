/**
 * The by-endpoint breakdown (EndpointBreakdownSource) against Debian's real Prometheus over the
 * promtool-backfilled history whose answers are known by construction (test/harness/prometheusData.ts):
 * each endpoint's p95, request rate and 5xx rate, the totals, and the parts adding up to the totals;
 * then the same history with the endpoint label named `handler` (as prometheus-fastapi-instrumentator
 * names it), read through prometheus.metrics.labels.endpoint.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusSources, type PrometheusSources } from '../../../src/sources/prometheus/index.js';
import type { EndpointBreakdown } from '../../../src/sources/ports.js';
import {
  backfill,
  prometheusMissing,
  startPrometheus,
  tempDir,
  type PrometheusServer,
} from '../../harness/prometheus.js';
import { EXPECTED, openMetrics, timelineFor, type Timeline } from '../../harness/prometheusData.js';

const missing = prometheusMissing();

function near(actual: number | undefined, expected: number): void {
  expect(actual, `expected ${expected}`).toBeTypeOf('number');
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
}

function checkAgainstExpected(b: EndpointBreakdown, phase: 'healthy' | 'degraded'): void {
  const e = EXPECTED[phase];
  expect(b.endpoints.map((p) => p.endpoint)).toEqual(Object.keys(e.p95ByEndpoint).sort());
  for (const p of b.endpoints) {
    near(p.p95Seconds, e.p95ByEndpoint[p.endpoint]!);
    near(p.requestsPerSecond, e.rpsByEndpoint[p.endpoint]!);
    near(p.errorsPerSecond, (e.rpsByEndpoint[p.endpoint]! * e.errorPercentByEndpoint[p.endpoint]!) / 100);
  }
  near(b.total.p95Seconds, e.p95);
  near(b.total.requestsPerSecond, e.requestsPerSecond);
  near(b.total.errorsPerSecond, (e.requestsPerSecond * e.errorPercent) / 100);
  // The parts add up to the whole (rates do; a p95 lies among the parts').
  near(
    b.endpoints.reduce((s, p) => s + p.requestsPerSecond, 0),
    b.total.requestsPerSecond,
  );
  near(
    b.endpoints.reduce((s, p) => s + p.errorsPerSecond, 0),
    b.total.errorsPerSecond,
  );
  const p95s = b.endpoints.map((p) => p.p95Seconds!);
  expect(b.total.p95Seconds!).toBeGreaterThanOrEqual(Math.min(...p95s));
  expect(b.total.p95Seconds!).toBeLessThanOrEqual(Math.max(...p95s));
}

describe.skipIf(missing)('the by-endpoint breakdown from Prometheus', () => {
  let tmp: ReturnType<typeof tempDir>;
  const servers: PrometheusServer[] = [];
  let prom: PrometheusSources;
  let handler: PrometheusSources;
  let t: Timeline;

  beforeAll(async () => {
    tmp = tempDir('prom-endpoints');
    t = timelineFor(Date.now());
    const data = openMetrics(t);
    // The same history as an exporter that calls the label `handler` writes it.
    const asHandler = data.replace(/([{,])endpoint="/g, '$1handler="');
    expect(asHandler).not.toContain('endpoint="');
    const start = async (name: string, om: string) => {
      const dir = path.join(tmp.dir, name);
      const tsdb = path.join(dir, 'tsdb');
      backfill(om, tmp.dir, tsdb);
      const s = await startPrometheus({ workDir: tmp.dir, tsdbDir: tsdb, config: 'global:\n  scrape_interval: 1m\n' });
      servers.push(s);
      return s;
    };
    const [a, b] = [await start('endpoint', data), await start('handler', asHandler)];
    prom = createPrometheusSources({ url: a.url, timeoutMs: 5000 });
    handler = createPrometheusSources({ url: b.url, timeoutMs: 5000, metrics: { labels: { endpoint: 'handler' } } });
  }, 60_000);

  afterAll(async () => {
    await prom?.close();
    await handler?.close();
    for (const s of servers) await s.stop();
    tmp?.remove();
  });

  for (const phase of ['healthy', 'degraded'] as const) {
    it(`gives each endpoint's p95, request and 5xx rates in the ${phase} hour, adding up to the totals`, async () => {
      const at = phase === 'healthy' ? t.healthyAt : t.degradedAt;
      const b = await prom.endpoints.endpointBreakdown({ end: at, seconds: 300 });
      expect(b.label).toBe('endpoint');
      expect(b.at).toBe(at);
      checkAgainstExpected(b, phase);
    });
  }

  it('reads the label the configuration names (handler), and finds nothing under the wrong one', async () => {
    const b = await handler.endpoints.endpointBreakdown({ end: t.degradedAt, seconds: 300 });
    expect(b.label).toBe('handler');
    checkAgainstExpected(b, 'degraded');
    // Asked for `endpoint` where the exporter says `handler`: the totals, and no endpoint made up.
    const wrong = createPrometheusSources({ url: servers[1]!.url, timeoutMs: 5000 });
    const none = await wrong.endpoints.endpointBreakdown({ end: t.degradedAt, seconds: 300 });
    await wrong.close();
    expect(none.endpoints).toEqual([]);
    near(none.total.requestsPerSecond, EXPECTED.degraded.requestsPerSecond);
  });

  it('says an empty window as no traffic, not as a healthy endpoint', async () => {
    const b = await prom.endpoints.endpointBreakdown({ end: t.start - 3_600_000, seconds: 300 });
    expect(b.endpoints).toEqual([]);
    expect(b.total).toEqual({ requestsPerSecond: 0, errorsPerSecond: 0 });
  });
});
