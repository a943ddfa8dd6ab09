import fs from 'node:fs';
/**
 * `deploy-check` (the built binary) against Debian's Prometheus over promtool-backfilled history shaped
 * as prometheus_client exposes the strategy's metrics and a scrape stores them (test/harness/deployData.ts:
 * app_request_count_total, app_request_latency_seconds_bucket, job and instance): a healthy deployment
 * passes after every sample; 9 % errors with a healthy p95 fail at once; a deployment that goes bad
 * while the check runs fails at the first sample whose rate window sees it; `--service api` is the
 * strategy's job vitascope-api; a signal with no data is "cannot tell" (exit 2) naming the selector
 * that matched nothing and what exists near it, unless it is optional; an older client's plain
 * counter name is found; --health asks a loopback endpoint first; and the annotations reach a
 * loopback server of the test's own with the token in the header and nowhere in the output.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli, type CliResult } from '../../harness/cli.js';
import { deployOpenMetrics, onGrid, PHASES, STEP_MS } from '../../harness/deployData.js';
import {
  backfill,
  ensureBuilt,
  prometheusMissing,
  startPrometheus,
  tempDir,
  type PrometheusServer,
} from '../../harness/prometheus.js';
import { freePort } from '../../harness/servers.js';

const missing = prometheusMissing();

const CONFIG = 'global:\n  scrape_interval: 15s\n';
const MINUTE = 60_000;

interface Started {
  readonly server: PrometheusServer;
  stop(): Promise<void>;
}

/** Backfills the jobs' history into a fresh TSDB and starts Prometheus over it. */
async function prometheusWith(
  start: number,
  end: number,
  jobs: Parameters<typeof deployOpenMetrics>[2],
): Promise<Started> {
  const tmp = tempDir('deploy-check');
  const tsdb = path.join(tmp.dir, 'tsdb');
  backfill(deployOpenMetrics(start, end, jobs), tmp.dir, tsdb);
  const server = await startPrometheus({ workDir: tmp.dir, tsdbDir: tsdb, config: CONFIG });
  return {
    server,
    async stop() {
      await server.stop();
      tmp.remove();
    },
  };
}

/** The sample lines of the text output: "#n/total +elapsed time errors … p95 … req/s verdict". */
function sampleLines(out: string): string[] {
  return out.split('\n').filter((l) => /^#\d+\/\d+ /.test(l));
}

function jsonLines(out: string): Record<string, unknown>[] {
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A private environment without the CI's GITHUB_SHA, so that no version is assumed. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const e = isolatedEnv({ GITHUB_SHA: '', GRAFANA_API_KEY: '', ...extra });
  // The backfilled history has a sample every second, as a 1 s scrape would write: the default rate window
  // (four scrapes, at least a minute) is then one minute.
  fs.mkdirSync(e.VITASCOPE_ONCALL_CONFIG_DIR!, { recursive: true, mode: 0o700 });
  fs.writeFileSync(
    path.join(e.VITASCOPE_ONCALL_CONFIG_DIR!, 'config.json'),
    JSON.stringify({ prometheus: { metrics: { scrapeInterval: '1s' } } }),
    { mode: 0o600 },
  );
  return e;
}

function cli(args: readonly string[], environment = env()): Promise<CliResult> {
  return runCli(args, environment);
}

async function timed(args: readonly string[], environment = env()): Promise<CliResult & { ms: number }> {
  const t0 = Date.now();
  const r = await runCli(args, environment);
  return { ...r, ms: Date.now() - t0 };
}

function last(out: string): string {
  return out.trim().split('\n').at(-1)!;
}

describe.skipIf(missing)('deploy-check over backfilled history', () => {
  let prom: Started;

  beforeAll(async () => {
    ensureBuilt();
    // Ten minutes of 1-second samples ending one step before now, one scrape job per situation.
    const end = onGrid(Date.now()) - STEP_MS;
    const start = end - 10 * MINUTE;
    prom = await prometheusWith(start, end, [
      { job: 'vitascope-api', phases: [{ from: start, phase: PHASES.healthy }] },
      {
        job: 'vitascope-api-bad',
        phases: [
          { from: start, phase: PHASES.healthy },
          { from: end - 3 * MINUTE, phase: PHASES.degraded },
        ],
      },
      { job: 'vitascope-api-errors', phases: [{ from: start, phase: PHASES.errors }] },
      { job: 'vitascope-nolatency', histogram: false, phases: [{ from: start, phase: PHASES.healthy }] },
      { job: 'legacy-api', counter: 'plain', phases: [{ from: start, phase: PHASES.healthy }] },
      { job: 'other', phases: [{ from: start, phase: PHASES.degraded }] },
    ]);
  });

  afterAll(async () => {
    await prom?.stop();
  });

  it("passes a healthy deployment of the strategy's job after every sample, printing each as it comes (exit 0)", async () => {
    const r = await timed(['deploy-check', '--prometheus', prom.server.url, '--duration', '5s', '--interval', '1s']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = sampleLines(r.stdout);
    // At the start and then every second until five seconds have passed.
    expect(lines).toHaveLength(6);
    lines.forEach((l, i) => {
      expect(l).toMatch(new RegExp(`^#${i + 1}/6 `));
      expect(l).toMatch(/errors +0\.2 % +p95 +194 ms +\d+ req\/s +ok$/);
    });
    // Without --service: the configured service, the strategy's job.
    expect(r.stdout).toMatch(
      /^deploy-check: vitascope-api on http:\/\/127\.0\.0\.1:\d+ \{job="vitascope-api"\}: 6 samples every 1s for 5s; fails above 5 % errors or p95 above 1 s/,
    );
    expect(last(r.stdout)).toBe('HEALTHY: 6 samples over 5s; worst error rate 0.2 %, worst p95 194 ms');
    expect(r.ms).toBeGreaterThanOrEqual(5000);
  });

  it("--service api is the strategy's job vitascope-api, and says so", async () => {
    const r = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'api',
      '--duration',
      '0s',
      '--interval',
      '1s',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const summary = jsonLines(r.stdout).at(-1)!;
    expect(summary).toMatchObject({
      verdict: 'healthy',
      selector: { job: 'vitascope-api' },
      service: { asked: 'api', value: 'vitascope-api', label: 'job' },
      notes: ['--service api is job="vitascope-api"'],
    });
    const text = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'api',
      '--duration',
      '0s',
      '--interval',
      '1s',
    ]);
    expect(text.stdout).toContain('\nnote: --service api is job="vitascope-api"\n');
    expect(text.code).toBe(0);
  });

  it('fails a deployment with 9 % errors and a healthy p95 at the first sample (exit 1)', async () => {
    const r = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'api-errors',
      '--duration',
      '10s',
      '--interval',
      '1s',
    ]);
    expect(r.code).toBe(1);
    const lines = sampleLines(r.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/errors +9 % +p95 +194 ms +\d+ req\/s +FAIL: error rate 9 % above 5 %$/);
    expect(last(r.stdout)).toMatch(
      /^FAILED at sample 1 \(\+0s, \S+Z\): error rate 9 % above 5 %; roll the deployment back$/,
    );
  });

  it('fails a deployment whose error rate and p95 are above the limits at the first sample, and stops there (exit 1)', async () => {
    const r = await timed([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'vitascope-api-bad',
      '--duration',
      '20s',
      '--interval',
      '1s',
    ]);
    expect(r.code).toBe(1);
    const lines = sampleLines(r.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^#1\/21 +\+0s +\S+Z +errors +8 % +p95 +1\.25 s +\d+ req\/s +FAIL: error rate 8 % above 5 %; p95 1\.25 s above 1 s$/,
    );
    expect(last(r.stdout)).toMatch(
      /^FAILED at sample 1 \(\+0s, \S+Z\): error rate 8 % above 5 %; p95 1\.25 s above 1 s; roll the deployment back$/,
    );
    // As soon as it is crossed: not after the 20 seconds.
    expect(r.ms).toBeLessThan(10_000);
  });

  it('judges each limit on its own: a healthy p95 above a stricter limit fails on p95 alone', async () => {
    const r = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'api',
      '--max-p95',
      '150ms',
      '--max-error-rate',
      '0.5',
      '--duration',
      '0s',
      '--interval',
      '1s',
    ]);
    expect(r.code).toBe(1);
    expect(sampleLines(r.stdout)[0]).toMatch(/FAIL: p95 194 ms above 150 ms$/);
    const equal = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'api',
      '--max-error-rate',
      '0.2',
      '--duration',
      '0s',
      '--interval',
      '1s',
    ]);
    expect(equal.code, 'equal to the limit passes').toBe(0);
  });

  it("--service '' watches every job; --service-label picks another label", async () => {
    // Every job with app_request_count_total (one counter name is asked, never both: legacy-api's plain
    // one is left out): 1000 requests a step each; 2 + 80 + 90 + 2 + 80 errors of 5000 → 5.08 %.
    const all = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      '',
      '--duration',
      '0s',
      '--interval',
      '1s',
      '--json',
    ]);
    const [sample, summary] = jsonLines(all.stdout);
    expect(sample!.errorRatePercent as number).toBeCloseTo((100 * 254) / 5000, 9);
    expect(summary).toMatchObject({ type: 'summary', selector: {} });
    const byEndpoint = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      '/api/v1/health-data',
      '--service-label',
      'endpoint',
      '--duration',
      '0s',
      '--interval',
      '1s',
      '--json',
    ]);
    expect(jsonLines(byEndpoint.stdout).at(-1)).toMatchObject({
      verdict: 'failed',
      selector: { endpoint: '/api/v1/health-data' },
      service: { asked: '/api/v1/health-data', value: '/api/v1/health-data', label: 'endpoint' },
    });
  });

  it('a selector that matches nothing is cannot tell (exit 2), naming the selector and the jobs that exist', async () => {
    const r = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'no-such',
      '--duration',
      '1s',
      '--interval',
      '1s',
    ]);
    expect(r.code).toBe(2);
    const lines = sampleLines(r.stdout);
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/errors +– +p95 +– +– +no data: error rate, p95$/);
    expect(r.stdout).toContain(
      'no data for the error rate: app_request_count_total{job="vitascope-no-such"} matched nothing in the last hour; app_request_count_total exists with job=other, vitascope-api, vitascope-api-bad, vitascope-api-errors, vitascope-nolatency\n',
    );
    expect(r.stdout).toContain(
      'no data for p95: app_request_latency_seconds_bucket{job="vitascope-no-such"} matched nothing in the last hour; app_request_latency_seconds_bucket exists with job=legacy-api, other, vitascope-api, vitascope-api-bad, vitascope-api-errors\n',
    );
    expect(last(r.stdout)).toBe(
      'CANNOT TELL: no data for the error rate in 2 of 2 samples and p95 in 2 of 2 samples (app_request_count_total{job="vitascope-no-such"} matched nothing; app_request_latency_seconds_bucket{job="vitascope-no-such"} matched nothing)',
    );
  });

  it('a service without a latency histogram: p95 has no data, exit 2, unless p95 is optional', async () => {
    const r = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'nolatency',
      '--duration',
      '0s',
      '--interval',
      '1s',
      '--json',
    ]);
    expect(r.code).toBe(2);
    const [sample, summary] = jsonLines(r.stdout);
    expect(sample).toMatchObject({ verdict: 'no-data', missing: ['p95'], p95Seconds: null });
    expect(sample!.errorRatePercent as number).toBeCloseTo(0.2, 9);
    expect(summary).toMatchObject({
      verdict: 'unknown',
      exitCode: 2,
      reason: 'no data for p95 in 1 of 1 samples',
      noData: [
        {
          signal: 'p95',
          selector: 'app_request_latency_seconds_bucket{job="vitascope-nolatency"}',
          matched: false,
          metricExists: true,
        },
      ],
    });
    const optional = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'nolatency',
      '--optional',
      'p95',
      '--duration',
      '0s',
      '--interval',
      '1s',
    ]);
    expect(optional.code).toBe(0);
    expect(sampleLines(optional.stdout)[0]).toMatch(/ok \(no data: p95, optional\)$/);
    expect(last(optional.stdout)).toBe('HEALTHY: 1 samples over 0s; worst error rate 0.2 %, worst p95 –');
    // A crossed limit still fails whatever is optional, and both signals cannot be optional.
    const both = await cli(['deploy-check', '--prometheus', prom.server.url, '--optional', 'p95,error-rate']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/at least one signal must stay required/);
  });

  it('finds the counter under the plain name an older client library exposes', async () => {
    const r = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'legacy-api',
      '--duration',
      '0s',
      '--interval',
      '1s',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'note: the server has app_request_count, not app_request_count_total: using it (prometheus.metrics.requestCount)\n',
    );
    expect(sampleLines(r.stdout)[0]).toMatch(/errors +0\.2 % /);
  });

  it('a counter name the server does not have is exit 2 with the names that exist near it', async () => {
    const environment = env();
    expect(
      (await runCli(['config', 'set', 'prometheus.metrics.requestCount', 'app_requests_total'], environment)).code,
    ).toBe(0);
    const r = await cli(
      ['deploy-check', '--prometheus', prom.server.url, '--duration', '0s', '--interval', '1s'],
      environment,
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /\nno data for the error rate: app_requests_total\{job="vitascope-api"\} matched nothing in the last hour; no app_requests_total on the server; similar names: [^\n]*\bapp_request_count_total\b/,
    );
    // The histogram is still there: p95 had data.
    expect(sampleLines(r.stdout)[0]).toMatch(/p95 +194 ms .* no data: error rate$/);
  });

  it('--json prints one object per sample and a summary', async () => {
    const r = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'api',
      '--duration',
      '2s',
      '--interval',
      '1s',
      '--json',
      '--version-label',
      'v1.2.3',
    ]);
    expect(r.code).toBe(0);
    const objects = jsonLines(r.stdout);
    expect(objects.map((o) => o.type)).toEqual(['sample', 'sample', 'sample', 'summary']);
    expect(objects[0]).toMatchObject({ n: 1, verdict: 'ok', crossed: [], missing: [] });
    // Not exactly 1000: the history ends before now, so rate() extrapolates over part of its window only.
    expect(objects[0]!.requestsPerSecond as number).toBeGreaterThan(500);
    expect(objects[0]!.errorRatePercent as number).toBeCloseTo(0.2, 9);
    expect(objects[0]!.p95Seconds as number).toBeCloseTo(0.19375, 9);
    expect(objects[3]).toMatchObject({
      verdict: 'healthy',
      exitCode: 0,
      samples: 3,
      failedAt: null,
      noData: [],
      selector: { job: 'vitascope-api' },
      series: { requests: 'app_request_count_total', latency: 'app_request_latency_seconds_bucket' },
      limits: { maxErrorRatePercent: 5, maxP95Seconds: 1, optional: [] },
      schedule: { durationSeconds: 2, intervalSeconds: 1, windowSeconds: 60 },
      version: 'v1.2.3',
      annotations: null,
    });
  });

  it('cannot tell (exit 2) when Prometheus is unreachable, or on bad arguments', async () => {
    const port = await freePort();
    const down = await timed([
      'deploy-check',
      '--prometheus',
      `http://127.0.0.1:${port}`,
      '--duration',
      '10s',
      '--interval',
      '1s',
    ]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(
      /sample 1 failed, trying once more: Prometheus at http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED/,
    );
    expect(down.stdout).toMatch(/CANNOT TELL: sample 1 could not be read: .*ECONNREFUSED/);
    expect(down.ms).toBeLessThan(8000);

    for (const bad of [
      ['--interval', '0s'],
      ['--max-error-rate', 'lots'],
      ['--max-p95', '1'],
      ['--service-label', 'bad-label'],
      ['--prometheus', 'ftp://x'],
      ['--optional', 'cpu'],
      ['--health', 'file:///etc/passwd'],
    ]) {
      const r = await cli(['deploy-check', '--prometheus', prom.server.url, ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr, bad.join(' ')).toMatch(/error: option/);
    }
    const noUrl = await cli(['deploy-check']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/pass --prometheus URL/);
  });

  describe('--health', () => {
    let server: http.Server;
    let url: string;
    let status = 200;
    const hanging: http.ServerResponse[] = [];

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        if (req.url === '/hang') {
          hanging.push(res);
          return;
        }
        if (req.url === '/headers-then-hang') {
          // "200" and then nothing: the answer never ends.
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"status":');
          hanging.push(res);
          return;
        }
        res.writeHead(req.url === '/redirect' ? 302 : status, req.url === '/redirect' ? { location: '/health' } : {});
        res.end('{"status":"ok"}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('asks the health endpoint first, then samples', async () => {
      status = 200;
      const r = await cli([
        'deploy-check',
        '--prometheus',
        prom.server.url,
        '--health',
        `${url}/health`,
        '--duration',
        '0s',
        '--interval',
        '1s',
      ]);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      const health = lines.findIndex((l) =>
        /^health: http:\/\/127\.0\.0\.1:\d+\/health answered HTTP 200 in \d+ ms$/.test(l),
      );
      expect(health).toBeGreaterThan(0);
      expect(lines.findIndex((l) => l.startsWith('#1/1 '))).toBeGreaterThan(health);
    });

    it('a health endpoint that answers 503, redirects, or does not answer in time fails the deployment (exit 1) before any sample', async () => {
      status = 503;
      const r = await cli([
        'deploy-check',
        '--prometheus',
        prom.server.url,
        '--health',
        `${url}/health`,
        '--duration',
        '10s',
        '--interval',
        '1s',
        '--json',
      ]);
      expect(r.code).toBe(1);
      const objects = jsonLines(r.stdout);
      expect(objects.map((o) => o.type)).toEqual(['health', 'summary']);
      expect(objects[0]).toMatchObject({ ok: false, status: 503 });
      expect(objects[1]).toMatchObject({ verdict: 'failed', exitCode: 1, samples: 0 });

      const redirect = await cli([
        'deploy-check',
        '--prometheus',
        prom.server.url,
        '--health',
        `${url}/redirect`,
        '--duration',
        '0s',
        '--interval',
        '1s',
      ]);
      expect(redirect.code).toBe(1);
      expect(redirect.stdout).toMatch(/health: http:\/\/127\.0\.0\.1:\d+\/redirect answered HTTP 302, not 2xx/);

      const slow = await timed([
        'deploy-check',
        '--prometheus',
        prom.server.url,
        '--health',
        `${url}/hang`,
        '--health-timeout',
        '500ms',
        '--duration',
        '0s',
        '--interval',
        '1s',
      ]);
      expect(slow.code).toBe(1);
      expect(slow.stdout).toMatch(/health: http:\/\/127\.0\.0\.1:\d+\/hang no answer within 500 ms\n/);
      expect(last(slow.stdout)).toMatch(
        /^FAILED: the health endpoint .*\/hang no answer within 500 ms; roll the deployment back$/,
      );
      expect(slow.ms).toBeLessThan(8000);

      // Headers saying 200, then a body that never ends: not an answer.
      const partial = await timed([
        'deploy-check',
        '--prometheus',
        prom.server.url,
        '--health',
        `${url}/headers-then-hang`,
        '--health-timeout',
        '500ms',
        '--duration',
        '0s',
        '--interval',
        '1s',
      ]);
      expect(partial.code).toBe(1);
      expect(partial.stdout).toMatch(/health: http:\/\/127\.0\.0\.1:\d+\/headers-then-hang no answer within 500 ms\n/);
    });
  });

  describe('annotations', () => {
    interface Received {
      method: string;
      path: string;
      headers: http.IncomingHttpHeaders;
      body: Record<string, unknown>;
    }
    let server: http.Server;
    let url: string;
    const received: Received[] = [];
    let answer: { status: number; body: string } = { status: 200, body: '{"id":1,"message":"Annotation added"}' };

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c.toString()));
        req.on('end', () => {
          received.push({
            method: req.method ?? '',
            path: req.url ?? '',
            headers: req.headers,
            body: JSON.parse(raw || '{}') as Record<string, unknown>,
          });
          res.writeHead(answer.status, { 'content-type': 'application/json' });
          res.end(answer.body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const TOKEN = 'glsa_s3cret-T0ken-for-tests';
    const SHA = '3f9c2b7d1e0a4c5b6a7988776655443322110ffe';

    it('marks the start and the verdict with version, time and tags; the token only in the header', async () => {
      received.length = 0;
      answer = { status: 200, body: '{"id":1,"message":"Annotation added"}' };
      const before = Date.now();
      const r = await runCli(
        [
          'deploy-check',
          '--prometheus',
          prom.server.url,
          '--service',
          'vitascope-api',
          '--duration',
          '1s',
          '--interval',
          '1s',
          '--annotate',
          `${url}/api/annotations`,
          '--annotate-dashboard',
          'vitascope-api',
        ],
        env({ VITASCOPE_ANNOTATION_TOKEN: TOKEN, GITHUB_SHA: SHA }),
      );
      const after = Date.now();
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN);
      expect(r.stdout).toContain('vitascope-api version 3f9c2b7');
      expect(received).toHaveLength(2);
      const [start, end] = received as [Received, Received];
      for (const a of [start, end]) {
        expect(a.method).toBe('POST');
        expect(a.path).toBe('/api/annotations');
        expect(a.headers.authorization).toBe(`Bearer ${TOKEN}`);
        expect(a.headers['content-type']).toBe('application/json');
        expect(a.body.dashboardUID).toBe('vitascope-api');
        expect(a.body.time as number).toBeGreaterThanOrEqual(before);
        expect(a.body.time as number).toBeLessThanOrEqual(after);
      }
      expect(start.body.tags).toEqual([
        'deployment',
        'vitascope-oncall',
        'version:3f9c2b7',
        'service:vitascope-api',
        'deploy-check:start',
      ]);
      expect(start.body.text).toMatch(/^Deployed vitascope-api version 3f9c2b7: deploy-check started/);
      expect(end.body.tags).toEqual([
        'deployment',
        'vitascope-oncall',
        'version:3f9c2b7',
        'service:vitascope-api',
        'deploy-check:end',
        'verdict:healthy',
      ]);
      expect(end.body.text).toMatch(/^deploy-check healthy for vitascope-api version 3f9c2b7: HEALTHY: 2 samples/);
      expect(end.body.time as number).toBeGreaterThan(start.body.time as number);
    });

    it('posts nothing in read-only mode', async () => {
      received.length = 0;
      for (const [args, extra] of [
        [['--readonly'], {}],
        [[], { VITASCOPE_READONLY: 'true' }],
      ] as const) {
        const r = await cli(
          [
            'deploy-check',
            '--prometheus',
            prom.server.url,
            '--service',
            'api',
            '--duration',
            '0s',
            '--interval',
            '1s',
            '--annotate',
            url,
            ...args,
          ],
          env({ GRAFANA_API_KEY: TOKEN, ...extra }),
        );
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('vitascope-oncall: deploy-check: read-only mode: the annotations are not posted\n');
      }
      expect(received).toEqual([]);
    });

    it('a refused annotation is reported without the token and does not change the verdict', async () => {
      received.length = 0;
      // A server that echoes the credentials it was given must not get them printed.
      answer = { status: 401, body: `{"message":"invalid API key Bearer ${TOKEN}"}` };
      const r = await cli(
        [
          'deploy-check',
          '--prometheus',
          prom.server.url,
          '--service',
          'api',
          '--duration',
          '0s',
          '--interval',
          '1s',
          '--annotate',
          url,
          '--json',
        ],
        env({ GRAFANA_API_KEY: TOKEN }),
      );
      expect(r.code).toBe(0);
      expect(received.map((x) => x.path)).toEqual(['/api/annotations', '/api/annotations']);
      expect(received[0]!.body.tags).toEqual([
        'deployment',
        'vitascope-oncall',
        'service:vitascope-api',
        'deploy-check:start',
      ]);
      expect(r.stderr).toMatch(
        /the start annotation was not posted: .*answered HTTP 401: \{"message":"invalid API key Bearer \*\*\*"\}/,
      );
      expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN);
      expect(jsonLines(r.stdout).at(-1)).toMatchObject({
        verdict: 'healthy',
        annotations: { start: expect.stringMatching(/^failed: /), end: expect.stringMatching(/^failed: /) },
      });
    });
  });
});

describe.skipIf(missing)('deploy-check while the deployment goes bad', () => {
  let prom: Started | undefined;
  afterAll(async () => {
    await prom?.stop();
  });

  it('fails at the first sample whose rate window holds a failing step, and not before', async () => {
    ensureBuilt();
    // History that runs a few seconds into the future: Prometheus shows each sample once its time has
    // come, so the deployment turns bad at `bad` while the check runs.
    const now = onGrid(Date.now());
    const bad = now + 8000;
    const start = now - 10 * MINUTE;
    prom = await prometheusWith(start, now + 60_000, [
      {
        job: 'vitascope-api',
        phases: [
          { from: start, phase: PHASES.healthy },
          { from: bad, phase: PHASES.failing },
        ],
      },
    ]);
    const r = await cli([
      'deploy-check',
      '--prometheus',
      prom.server.url,
      '--service',
      'api',
      '--duration',
      '30s',
      '--interval',
      '1s',
      '--window',
      '10s',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const objects = jsonLines(r.stdout);
    const samples = objects.filter((o) => o.type === 'sample');
    const failed = samples.at(-1)!;
    expect(failed.verdict).toBe('fail');
    expect(Date.parse(failed.at as string)).toBeGreaterThanOrEqual(bad);
    const before = samples.slice(0, -1);
    expect(before.length, 'some healthy samples before the failure').toBeGreaterThan(0);
    for (const s of before) {
      expect(s.verdict).toBe('ok');
      expect(Date.parse(s.at as string)).toBeLessThan(bad);
    }
    expect(objects.at(-1)).toMatchObject({ type: 'summary', verdict: 'failed', failedAt: { n: failed.n } });
  });
});
