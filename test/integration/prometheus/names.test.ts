/**
 * The app's metric names against what a real Prometheus has (Debian's 2.42 over promtool-backfilled
 * history shaped as a scrape stores it): the adapter finds the counter under the plain name an older
 * client library exposes and queries that one; `doctor`'s app-metric rows list what the server has and,
 * for a configured name, service or label that matches nothing, name the exact setting to change and
 * the names or values that do exist.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appMetrics, type AppMetricsSettings } from '../../../src/core/appMetrics.js';
import { appMetricChecks } from '../../../src/sources/prometheus/doctor.js';
import { createPrometheusSources } from '../../../src/sources/prometheus/index.js';
import { deployOpenMetrics, onGrid, PHASES, STEP_MS } from '../../harness/deployData.js';
import {
  backfill,
  prometheusMissing,
  startPrometheus,
  tempDir,
  type PrometheusServer,
} from '../../harness/prometheus.js';

const missing = prometheusMissing();
const MINUTE = 60_000;

describe.skipIf(missing)('app metric names against a real server', () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: PrometheusServer;

  beforeAll(async () => {
    tmp = tempDir('prom-names');
    const end = onGrid(Date.now()) - STEP_MS;
    const start = end - 10 * MINUTE;
    const tsdb = path.join(tmp.dir, 'tsdb');
    // The API on an older client library (plain counter name); a worker on prometheus_client.
    backfill(
      deployOpenMetrics(start, end, [
        { job: 'vitascope-api', counter: 'plain', phases: [{ from: start, phase: PHASES.healthy }] },
        { job: 'vitascope-worker', phases: [{ from: start, phase: PHASES.errors }] },
      ]),
      tmp.dir,
      tsdb,
    );
    server = await startPrometheus({ workDir: tmp.dir, tsdbDir: tsdb, config: 'global:\n  scrape_interval: 15s\n' });
  });

  afterAll(async () => {
    await server?.stop();
    tmp?.remove();
  });

  const sources = (metrics?: AppMetricsSettings) =>
    createPrometheusSources({ url: server.url, timeoutMs: 5000, ...(metrics ? { metrics } : {}) });

  it('queries the plain counter name when that is all the service has, and the configured one otherwise', async () => {
    const prom = sources();
    try {
      expect(await prom.names.resolve()).toMatchObject({
        found: true,
        fallback: true,
        names: { requestCount: 'app_request_count' },
      });
      const errors = await prom.query('error_rate_percent', { windowSeconds: 60 });
      expect(errors.expr).toContain('app_request_count{job="vitascope-api"');
      expect(errors.samples[0]!.v).toBeCloseTo(0.2, 9);
      // The worker has app_request_count_total: its own series are asked under that name.
      const worker = await prom.query('error_rate_percent', {
        windowSeconds: 60,
        dimensions: { job: 'vitascope-worker' },
      });
      expect(worker.expr).toContain('app_request_count_total{job="vitascope-worker"');
      expect(worker.samples[0]!.v).toBeCloseTo(9, 9);
      // The cockpit's charts go through the same resolution.
      const now = Date.now();
      const [series] = await prom.metrics.getSeries(
        [{ id: 'e', metric: { namespace: 'prometheus', name: 'error_rate_percent', dimensions: {} } }],
        { start: now - 10 * MINUTE, end: now, stepSeconds: 60 },
      );
      expect(series!.points.length).toBeGreaterThan(3);
      for (const p of series!.points) expect(p.v).toBeCloseTo(0.2, 6);
    } finally {
      await prom.close();
    }
  });

  it('doctor: a plain-name counter is a warning that names the setting', async () => {
    const prom = sources();
    try {
      const rows = await appMetricChecks(prom.client, appMetrics(undefined));
      expect(rows.map((r) => [r.check, r.result])).toEqual([
        ['metric names (GET /api/v1/label/__name__/values)', 'ok'],
        ['request counter (prometheus.metrics.requestCount)', 'warn'],
        ['latency histogram (prometheus.metrics.requestLatency)', 'ok'],
        ['service job="vitascope-api" (prometheus.metrics.service)', 'ok'],
        ['labels (prometheus.metrics.labels.*)', 'ok'],
      ]);
      expect(rows[1]!.fix).toBe('vitascope-oncall config set prometheus.metrics.requestCount app_request_count');
      expect(rows[3]!.detail).toBe('app_request_count has job="vitascope-api"');
    } finally {
      await prom.close();
    }
  });

  it('doctor: a service, a label or a name that matches nothing is a failure naming the setting and what exists', async () => {
    const prom = sources();
    try {
      const job = await appMetricChecks(
        prom.client,
        appMetrics({ requestCount: 'app_request_count_total', service: 'api' }),
      );
      const service = job.find((r) => r.check.startsWith('service'))!;
      expect(service).toMatchObject({
        check: 'service job="api" (prometheus.metrics.service)',
        result: 'fail',
        detail: 'no app_request_count_total{job="api"} series; app_request_count_total has job=vitascope-worker',
      });
      expect(service.fix).toBe('vitascope-oncall config set prometheus.metrics.service vitascope-worker');
      expect(job.at(-1)).toMatchObject({ result: 'skip' });

      const label = await appMetricChecks(prom.client, appMetrics({ labels: { service: 'service' } }));
      expect(label.find((r) => r.check.startsWith('service'))).toMatchObject({
        result: 'fail',
        detail:
          'app_request_count_total has no label service; its labels: endpoint, instance, job, method, status_code',
        fix: 'set prometheus.metrics.labels.service to the label that names the service (one of endpoint, instance, job, method, status_code)',
      });

      const status = await appMetricChecks(prom.client, appMetrics({ labels: { statusCode: 'code' } }));
      expect(status.at(-1)).toMatchObject({
        result: 'fail',
        detail: 'app_request_count has no label code; its labels: endpoint, instance, job, method, status_code',
        fix: 'set prometheus.metrics.labels.statusCode to the label that holds the status code',
      });

      const names = await appMetricChecks(
        prom.client,
        appMetrics({ requestCount: 'http_requests_total', requestLatency: 'app_request_latency' }),
      );
      const counter = names.find((r) => r.check.startsWith('request counter'))!;
      expect(counter.result).toBe('fail');
      expect(counter.detail).toMatch(
        /^no http_requests_total \(nor http_requests\) series in the last 6h; similar names on the server: .*app_request_count_total/,
      );
      expect(counter.fix).toMatch(
        /^if one of those is the app's request counter: vitascope-oncall config set prometheus\.metrics\.requestCount app_request_count/,
      );
      const histogram = names.find((r) => r.check.startsWith('latency histogram'))!;
      expect(histogram).toMatchObject({
        result: 'fail',
        detail: 'no app_request_latency_bucket series; histograms with similar names: app_request_latency_seconds',
      });
      expect(histogram.fix).toBe(
        "if one of those is the app's latency histogram: vitascope-oncall config set prometheus.metrics.requestLatency app_request_latency_seconds",
      );
    } finally {
      await prom.close();
    }
  });
});
