/**
 * A real Prometheus scraping the real binary's sandbox (`vitascope-oncall sandbox --demo
 * --serve-metrics PORT --speed 60`, the calm scenario) every second with the strategy's job name: the
 * scrape is healthy, the strategy's two metrics arrive under prometheus_client's names
 * (app_request_count_total, app_request_latency_seconds_bucket, their _created gauges) with their
 * labels, and the named queries, with the default prometheus.metrics settings, give sane calm values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusSources, type PrometheusSources } from '../../../src/sources/prometheus/index.js';
import { prometheusMissing, startPrometheus, startSandboxMetrics, tempDir } from '../../harness/prometheus.js';
import { waitFor, type RunningServer } from '../../harness/servers.js';

const missing = prometheusMissing();
const JOB = 'vitascope-api';

describe.skipIf(missing)('Prometheus scraping the sandbox', () => {
  let tmp: ReturnType<typeof tempDir>;
  let sandbox: RunningServer;
  let server: RunningServer;
  let prom: PrometheusSources;

  beforeAll(async () => {
    tmp = tempDir('prom-scrape');
    sandbox = await startSandboxMetrics({ configDir: tmp.dir, speed: 60 });
    const target = `127.0.0.1:${sandbox.port}`;
    server = await startPrometheus({
      workDir: tmp.dir,
      config: [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 900ms',
        'scrape_configs:',
        `  - job_name: ${JOB}`,
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    });
    prom = createPrometheusSources({ url: server.url, timeoutMs: 5000 });
  });

  afterAll(async () => {
    await prom?.close();
    await server?.stop();
    await sandbox?.stop();
    tmp?.remove();
  });

  it('the scrape is healthy: up == 1 and the target is "up"', async () => {
    await waitFor(
      async () => {
        const r = await prom.client.query(`up{job="${JOB}"}`);
        return r.resultType === 'vector' && r.samples[0]?.v === 1;
      },
      'up == 1',
      15_000,
    );
    const targets = await prom.client.targets();
    expect(targets).toHaveLength(1);
    expect(targets[0]).toMatchObject({
      scrapePool: JOB,
      health: 'up',
      lastError: '',
      scrapeUrl: `http://127.0.0.1:${sandbox.port}/metrics`,
    });
  });

  it("app_request_count_total and the latency histogram arrive with the strategy's labels, and nothing under the plain name", async () => {
    await waitFor(
      async () => {
        const r = await prom.client.query('app_request_count_total');
        return r.resultType === 'vector' && r.samples.length > 0;
      },
      'app_request_count_total scraped',
      15_000,
    );
    const names = await prom.client.labelValues('__name__', { match: ['{__name__=~"app_.*"}'] });
    expect(names).toEqual([
      'app_request_count_created',
      'app_request_count_total',
      'app_request_latency_seconds_bucket',
      'app_request_latency_seconds_count',
      'app_request_latency_seconds_created',
      'app_request_latency_seconds_sum',
    ]);
    expect(await prom.client.labelValues('job', { match: ['app_request_count_total'] })).toEqual([JOB]);
    const count = await prom.client.query('app_request_count_total');
    const buckets = await prom.client.query('app_request_latency_seconds_bucket');
    if (count.resultType !== 'vector' || buckets.resultType !== 'vector') throw new Error('expected vectors');
    for (const s of count.samples)
      expect(Object.keys(s.labels).sort()).toEqual([
        '__name__',
        'endpoint',
        'instance',
        'job',
        'method',
        'status_code',
      ]);
    for (const s of buckets.samples)
      expect(Object.keys(s.labels).sort()).toEqual(['__name__', 'endpoint', 'instance', 'job', 'le', 'method']);
    const endpoints = new Set(count.samples.map((s) => s.labels.endpoint));
    expect(endpoints.has('/api/v1/health-data')).toBe(true);
    expect(new Set(count.samples.map((s) => s.labels.status_code))).toContain('500');
    expect(new Set(buckets.samples.map((s) => s.labels.le))).toContain('+Inf');
    // One _count and one _sum per {method, endpoint} of the histogram.
    const pairs = new Set(buckets.samples.map((s) => `${s.labels.method} ${s.labels.endpoint}`));
    for (const name of ['app_request_latency_seconds_count', 'app_request_latency_seconds_sum']) {
      const r = await prom.client.query(name);
      expect(
        r.resultType === 'vector'
          ? new Set(r.samples.map((s) => `${s.labels.method} ${s.labels.endpoint}`))
          : undefined,
        name,
      ).toEqual(pairs);
    }
  });

  it('the named queries give calm values: p95 within 0.05–2 s, errors under 1 %, traffic flowing', async () => {
    // rate() needs two scrapes in its window; then every named query has an answer.
    await waitFor(
      async () => {
        const r = await prom.query('p95_latency_seconds');
        return r.samples.length === 1 && Number.isFinite(r.samples[0]!.v);
      },
      'a p95 from two scrapes',
      15_000,
    );
    const [p95, errors, rps, byEndpoint] = await Promise.all([
      prom.query('p95_latency_seconds'),
      prom.query('error_rate_percent'),
      prom.query('request_rate_per_second'),
      prom.query('p95_latency_seconds_by_endpoint'),
    ]);
    const p = p95.samples[0]!.v;
    expect(p).toBeGreaterThan(0.05);
    expect(p).toBeLessThan(2);
    expect(errors.samples[0]!.v).toBeGreaterThanOrEqual(0);
    expect(errors.samples[0]!.v).toBeLessThan(1);
    expect(rps.samples[0]!.v).toBeGreaterThan(0);
    expect(byEndpoint.samples.length).toBeGreaterThanOrEqual(5);
    for (const s of byEndpoint.samples) {
      expect(s.labels.endpoint).toMatch(/^\/api\/v1\//);
      expect(s.v).toBeGreaterThan(0.005);
      expect(s.v).toBeLessThan(2.5);
    }
  });
});
