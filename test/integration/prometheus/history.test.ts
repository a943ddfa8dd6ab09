/**
 * The Prometheus adapter against Debian's real Prometheus 2.42 over a promtool-backfilled history
 * whose answers are known by construction (test/harness/prometheusData.ts): a healthy hour, then a
 * degraded one. The named queries must give the hand-computed values; rate() over straight-line
 * counters and histogram_quantile's interpolation are exact here, so the tolerance is 1e-6 relative.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPrometheusSources,
  HttpApiError,
  type PrometheusSources,
} from '../../../src/sources/prometheus/index.js';
import {
  backfill,
  prometheusMissing,
  startPrometheus,
  tempDir,
  type PrometheusServer,
} from '../../harness/prometheus.js';
import {
  checkTables,
  EXPECTED,
  expectedP95,
  openMetrics,
  PHASES,
  timelineFor,
  type Timeline,
} from '../../harness/prometheusData.js';
import { waitFor } from '../../harness/servers.js';

const missing = prometheusMissing();

/** Relative closeness: |a − e| ≤ 1e-6 × max(1, |e|). */
function near(actual: number | undefined, expected: number): void {
  expect(actual, `expected ${expected}`).toBeTypeOf('number');
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
}

const P95 = 'histogram_quantile(0.95, sum by (le) (rate(app_request_latency_seconds_bucket[5m])))';
const P95_BY_ENDPOINT =
  'histogram_quantile(0.95, sum by (le, endpoint) (rate(app_request_latency_seconds_bucket[5m])))';
const ERRORS =
  '100 * sum(rate(app_request_count_total{status_code=~"5.."}[5m])) / sum(rate(app_request_count_total[5m]))';

const RULES = `
groups:
  - name: vitascope-app
    interval: 1s
    rules:
      - alert: ApiP95Critical
        expr: '${P95} > 1'
        labels: { severity: critical }
        annotations:
          summary: 'API p95 is {{ $value | printf "%.2f" }} s'
          description: "The strategy's critical latency threshold is 1 s."
          runbook_url: https://runbooks.example/api-latency
      - alert: ApiP95Warning
        expr: '${P95} > 0.5'
        for: 1h
        labels: { severity: Warning }
        annotations: { summary: 'API p95 above 500 ms' }
      - alert: ApiErrorRateCritical
        expr: '${ERRORS} >= 5'
        labels: { severity: critical }
        annotations: { summary: 'API error rate {{ $value | printf "%.1f" }} %' }
      - alert: EndpointSlow
        expr: '${P95_BY_ENDPOINT} > 1.2'
        labels: { severity: warning }
        annotations: { summary: '{{ $labels.endpoint }} p95 {{ $value | printf "%.2f" }} s', runbook: 'runbooks/endpoint-slow.yaml' }
      - alert: TrafficDrop
        expr: 'sum(rate(app_request_count_total[5m])) < 10'
        labels: { severity: info }
      - alert: ErrorsWithoutSeverity
        expr: '${ERRORS} > 1'
      - alert: BrokenRule
        expr: 'app_request_count_total / on(method) app_request_count_total > 0'
        labels: { severity: critical }
`;

describe.skipIf(missing)('Prometheus over backfilled history', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: PrometheusServer;
  let prom: PrometheusSources;
  let t: Timeline;
  let backfillSeconds = 0;

  beforeAll(async () => {
    checkTables();
    tmp = tempDir('prom-history');
    t = timelineFor(Date.now());
    const tsdb = path.join(tmp.dir, 'tsdb');
    backfillSeconds = backfill(openMetrics(t), tmp.dir, tsdb).seconds;
    server = await startPrometheus({
      workDir: tmp.dir,
      tsdbDir: tsdb,
      config: 'global:\n  evaluation_interval: 1s\nrule_files:\n  - rules.yml\n',
      rules: { 'rules.yml': RULES },
    });
    prom = createPrometheusSources({ url: server.url, timeoutMs: 5000 });
  });

  afterAll(async () => {
    await prom?.close();
    await server?.stop();
    tmp?.remove();
  });

  it('backfills in well under the suite budget', () => {
    expect(backfillSeconds).toBeLessThan(10);
  });

  it('the hand-computed expectations agree with histogram_quantile done independently', () => {
    near(expectedP95(PHASES.healthy.latency), EXPECTED.healthy.p95);
    near(expectedP95(PHASES.degraded.latency), EXPECTED.degraded.p95);
    near(expectedP95(PHASES.healthy.latency.slice(0, 2)), EXPECTED.healthy.p95ByEndpoint['/api/v1/health-data']!);
    near(expectedP95([PHASES.degraded.latency[2]!]), EXPECTED.degraded.p95ByEndpoint['/api/v1/sync']!);
    near(expectedP95([PHASES.degraded.latency[3]!]), EXPECTED.degraded.p95ByEndpoint['/api/v1/users/me']!);
  });

  for (const phase of ['healthy', 'degraded'] as const) {
    it(`overall named queries at a ${phase} instant`, async () => {
      const at = phase === 'healthy' ? t.healthyAt : t.degradedAt;
      const e = EXPECTED[phase];
      const [p95, errors, rps] = await Promise.all([
        prom.query('p95_latency_seconds', { at }),
        prom.query('error_rate_percent', { at }),
        prom.query('request_rate_per_second', { at }),
      ]);
      for (const r of [p95, errors, rps]) {
        expect(r.samples).toHaveLength(1);
        expect(r.samples[0]!.labels).toEqual({});
        expect(r.samples[0]!.t).toBe(at);
      }
      near(p95.samples[0]!.v, e.p95);
      near(errors.samples[0]!.v, e.errorPercent);
      near(rps.samples[0]!.v, e.requestsPerSecond);
    });

    it(`by-endpoint named queries at a ${phase} instant`, async () => {
      const at = phase === 'healthy' ? t.healthyAt : t.degradedAt;
      const e = EXPECTED[phase];
      const [p95, errors, rps] = await Promise.all([
        prom.query('p95_latency_seconds_by_endpoint', { at }),
        prom.query('error_rate_percent_by_endpoint', { at }),
        prom.query('request_rate_per_second_by_endpoint', { at }),
      ]);
      const byEndpoint = (r: typeof p95) => Object.fromEntries(r.samples.map((s) => [s.labels.endpoint, s.v]));
      const endpoints = Object.keys(e.p95ByEndpoint).sort();
      expect(Object.keys(byEndpoint(p95)).sort()).toEqual(endpoints);
      // users/me has no 5xx series at all in the healthy hour: the query still answers 0 for it.
      expect(Object.keys(byEndpoint(errors)).sort()).toEqual(endpoints);
      for (const ep of endpoints) {
        near(byEndpoint(p95)[ep], e.p95ByEndpoint[ep]!);
        near(byEndpoint(errors)[ep], e.errorPercentByEndpoint[ep]!);
        near(byEndpoint(rps)[ep], e.rpsByEndpoint[ep]!);
      }
    });
  }

  it('dimensions narrow a query to one method and endpoint', async () => {
    const at = t.degradedAt;
    const sync = await prom.query('p95_latency_seconds', {
      at,
      dimensions: { method: 'POST', endpoint: '/api/v1/sync' },
    });
    near(sync.samples[0]!.v, EXPECTED.degraded.p95ByEndpoint['/api/v1/sync']!);
    const get = await prom.query('error_rate_percent', {
      at,
      dimensions: { method: 'GET', endpoint: '/api/v1/health-data' },
    });
    near(get.samples[0]!.v, 5); // 30 of 600
    const none = await prom.query('request_rate_per_second', { at, dimensions: { endpoint: '/api/v1/nothing-here' } });
    expect(none.samples).toEqual([]);
  });

  it("at the server's now the data ending one step before now is seen, and it is the degraded hour", async () => {
    // rate() at an instant off the sample grid under-extrapolates every series alike, so ratios stay exact.
    const [p95, errors] = await Promise.all([prom.query('p95_latency_seconds'), prom.query('error_rate_percent')]);
    near(p95.samples[0]?.v, EXPECTED.degraded.p95);
    near(errors.samples[0]?.v, EXPECTED.degraded.errorPercent);
  });

  it('a range query shows the change from healthy to degraded', async () => {
    const r = await prom.queryRange('p95_latency_seconds', {
      start: t.start + 10 * 60_000,
      end: t.end,
      stepSeconds: 300,
    });
    expect(r.series).toHaveLength(1);
    const points = r.series[0]!.points;
    expect(points.length).toBeGreaterThanOrEqual(20);
    for (const p of points) {
      // A window wholly inside one phase gives that phase's value; the one straddling the change lies between.
      // (20 samples a window: the first is 285 s before the evaluation instant.)
      if (p.t <= t.degradedFrom) near(p.v, EXPECTED.healthy.p95);
      else if (p.t - 285_000 >= t.degradedFrom) near(p.v, EXPECTED.degraded.p95);
      else {
        expect(p.v).toBeGreaterThan(EXPECTED.healthy.p95);
        expect(p.v).toBeLessThan(EXPECTED.degraded.p95 + 1e-9);
      }
    }
  });

  it('the MetricSource gives whole periods [t, t + step) with the period-end value, oldest first', async () => {
    const step = 300;
    const start = t.degradedFrom - 30 * 60_000;
    const end = t.degradedFrom + 30 * 60_000;
    const [p95, errors, share] = await prom.metrics.getSeries(
      [
        { id: 'p95', metric: { namespace: 'prometheus', name: 'p95_latency_seconds', dimensions: {} } },
        {
          id: 'errors',
          metric: { namespace: 'prometheus', name: 'error_rate_percent', dimensions: { endpoint: '/api/v1/sync' } },
        },
        {
          id: 'same',
          metric: {
            namespace: 'prometheus',
            name: 'request_rate_per_second',
            dimensions: { endpoint: '/api/v1/sync' },
          },
          denominator: 'request_rate_per_second',
        },
      ],
      { start, end, stepSeconds: step },
    );
    expect(p95!.id).toBe('p95');
    expect(p95!.points.map((p) => p.t)).toEqual(Array.from({ length: 12 }, (_, i) => start + i * step * 1000));
    p95!.points.forEach((p, i) => near(p.v, i < 6 ? EXPECTED.healthy.p95 : EXPECTED.degraded.p95));
    errors!.points.forEach((p, i) =>
      near(
        p.v,
        i < 6
          ? EXPECTED.healthy.errorPercentByEndpoint['/api/v1/sync']!
          : EXPECTED.degraded.errorPercentByEndpoint['/api/v1/sync']!,
      ),
    );
    expect(share!.points).toHaveLength(12);
    for (const p of share!.points) near(p.v, 100);
  });

  it('the MetricSource refuses what it cannot answer, with the query named', async () => {
    const range = { start: t.degradedAt - 600_000, end: t.degradedAt, stepSeconds: 60 };
    await expect(
      prom.metrics.getSeries(
        [{ id: 'x', metric: { namespace: 'prometheus', name: 'p95_latency_seconds_by_endpoint', dimensions: {} } }],
        range,
      ),
    ).rejects.toThrow(/p95_latency_seconds_by_endpoint answered 3 series/);
    await expect(
      prom.metrics.getSeries(
        [{ id: 'x', metric: { namespace: 'AWS/ECS', name: 'CPUUtilization', dimensions: {} } }],
        range,
      ),
    ).rejects.toThrow(/namespace "AWS\/ECS"/);
    await expect(
      prom.metrics.getSeries([{ id: 'x', metric: { namespace: 'prometheus', name: 'nope', dimensions: {} } }], range),
    ).rejects.toThrow(/no Prometheus query named "nope"/);
    await expect(
      prom.metrics.getSeries(
        [
          {
            id: 'x',
            metric: { namespace: 'prometheus', name: 'error_rate_percent', dimensions: { status_code: '500' } },
          },
        ],
        range,
      ),
    ).rejects.toThrow(/decides the label "status_code"/);
  });

  it('a query Prometheus rejects is an Error naming the query, with errorType and HTTP status', async () => {
    const error = await prom.client
      .query('sum(rate(app_request_count_total[5m]', { time: t.degradedAt })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpApiError);
    const e = error as HttpApiError;
    expect(e.errorType).toBe('bad_data');
    expect(e.status).toBe(400);
    expect(e.message).toContain('sum(rate(app_request_count_total[5m]');
    // A scalar result parses too.
    const scalar = await prom.client.query('scalar(sum(rate(app_request_count_total[5m])))', { time: t.healthyAt });
    expect(scalar.resultType).toBe('scalar');
    near(scalar.resultType === 'scalar' ? scalar.samples[0]!.v : undefined, 100);
  });

  it('alerting rules become alarms: firing, pending, inactive, per-series, default level, broken', async () => {
    await waitFor(
      async () => {
        const rules = await prom.client.alertingRules();
        return (
          rules.length === 7 &&
          rules.every((r) => r.lastEvaluation !== undefined) &&
          rules.find((r) => r.name === 'ApiP95Critical')?.state === 'firing'
        );
      },
      'every rule evaluated',
      20_000,
    );
    const alarms = await prom.alarms.listAlarms();
    const by = Object.fromEntries(alarms.map((a) => [a.name, a]));
    expect(Object.keys(by).sort()).toEqual([
      'ApiErrorRateCritical',
      'ApiP95Critical',
      'ApiP95Warning',
      'BrokenRule',
      'EndpointSlow',
      'ErrorsWithoutSeverity',
      'TrafficDrop',
    ]);

    const critical = by.ApiP95Critical!;
    expect(critical).toMatchObject({
      state: 'ALARM',
      level: 'critical',
      kind: 'metric',
      threshold: 1,
      comparison: 'GreaterThanThreshold',
    });
    near(critical.value, EXPECTED.degraded.p95);
    expect(critical.description).toBe(
      "API p95 is 1.30 s\nThe strategy's critical latency threshold is 1 s.\nrunbook: https://runbooks.example/api-latency",
    );
    expect(critical.reason).toMatch(/^firing for 1 series/);
    expect(critical.id).toMatch(/^prometheus:.*rules\.yml:vitascope-app:ApiP95Critical$/);
    expect(critical.stateSince).toBeLessThanOrEqual(Date.now());
    expect(critical.stateSince).toBeGreaterThan(Date.now() - 60_000);

    expect(by.ApiP95Warning).toMatchObject({
      state: 'OK',
      reason: 'pending',
      level: 'warning',
      periodSeconds: 3600,
      threshold: 0.5,
    });
    expect(by.ApiErrorRateCritical).toMatchObject({
      state: 'ALARM',
      level: 'critical',
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 5,
      description: 'API error rate 6.0 %',
    });
    expect(by.TrafficDrop).toMatchObject({
      state: 'OK',
      level: 'info',
      comparison: 'LessThanThreshold',
      threshold: 10,
    });
    expect(by.TrafficDrop!.reason).toBeUndefined();
    expect(by.ErrorsWithoutSeverity).toMatchObject({ state: 'ALARM', level: 'warning' });
    expect(by.BrokenRule!.state).toBe('INSUFFICIENT_DATA');
    expect(by.BrokenRule!.reason).toMatch(/^rule evaluation failed: .*many-to-many/);

    const slow = by.EndpointSlow!;
    expect(slow.state).toBe('ALARM');
    // health-data (GET and POST together) is at 1.085 s, under the rule's 1.2 s; sync and users/me are over.
    expect(slow.reason).toMatch(/^firing for 2 series: /);
    for (const ep of ['/api/v1/sync', '/api/v1/users/me']) expect(slow.reason).toContain(`endpoint=${ep} (`);
    near(slow.value, EXPECTED.degraded.p95ByEndpoint['/api/v1/sync']!);
    expect(slow.description).toMatch(/^\/api\/v1\/\S+ p95 \d\.\d\d s\nrunbook: runbooks\/endpoint-slow\.yaml$/);

    // Ids and undated states are stable across refreshes.
    const again = await prom.alarms.listAlarms();
    expect(again.map((a) => a.id)).toEqual(alarms.map((a) => a.id));
    expect(again.find((a) => a.name === 'TrafficDrop')!.stateSince).toBe(by.TrafficDrop!.stateSince);
    expect(await prom.alarms.alarmHistory()).toEqual([]);
  });

  it('active alerts (/api/v1/alerts) map one alarm per series', async () => {
    const alerts = await prom.alarms.listActiveAlerts();
    const slow = alerts.filter((a) => a.name.startsWith('EndpointSlow'));
    expect(slow.map((a) => a.name).sort()).toEqual([
      'EndpointSlow {endpoint=/api/v1/sync}',
      'EndpointSlow {endpoint=/api/v1/users/me}',
    ]);
    expect(slow.every((a) => a.state === 'ALARM' && a.level === 'warning')).toBe(true);
    expect(alerts.find((a) => a.name === 'ApiP95Warning')).toMatchObject({
      state: 'OK',
      reason: 'pending',
      level: 'warning',
    });
  });
});
