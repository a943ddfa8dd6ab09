/**
 * `deploy-check` (the built binary) against Debian's Prometheus over promtool-backfilled history
 * (test/harness/deployData.ts): a healthy deployment passes after every sample, a failing one fails at
 * once, one that goes bad while the check runs fails at the first sample whose rate window sees it,
 * --service narrows by the job label, and the annotations reach a loopback server of the test's own
 * with the token in the header and nowhere in the output.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli, type CliResult } from '../../harness/cli.js';
import { deployOpenMetrics, onGrid, PHASES, STEP_MS } from '../../harness/deployData.js';
import { backfill, ensureBuilt, prometheusMissing, startPrometheus, tempDir, type PrometheusServer } from '../../harness/prometheus.js';
import { freePort } from '../../harness/servers.js';

const missing = prometheusMissing();

const CONFIG = 'global:\n  scrape_interval: 15s\n';
const MINUTE = 60_000;

interface Started {
  readonly server: PrometheusServer;
  stop(): Promise<void>;
}

/** Backfills the jobs' history into a fresh TSDB and starts Prometheus over it. */
async function prometheusWith(start: number, end: number, jobs: Parameters<typeof deployOpenMetrics>[2]): Promise<Started> {
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
  return isolatedEnv({ GITHUB_SHA: '', GRAFANA_API_KEY: '', ...extra });
}

function cli(args: readonly string[], environment = env()): Promise<CliResult> {
  return runCli(args, environment);
}

async function timed(args: readonly string[], environment = env()): Promise<CliResult & { ms: number }> {
  const t0 = Date.now();
  const r = await runCli(args, environment);
  return { ...r, ms: Date.now() - t0 };
}

describe.skipIf(missing)('deploy-check over backfilled history', () => {
  let prom: Started;

  beforeAll(async () => {
    ensureBuilt();
    // Ten minutes of 1-second samples ending one step before now: "api" healthy throughout,
    // "api-bad" degraded for the last three minutes, "other" degraded all along.
    const end = onGrid(Date.now()) - STEP_MS;
    const start = end - 10 * MINUTE;
    prom = await prometheusWith(start, end, [
      { job: 'api', phases: [{ from: start, phase: PHASES.healthy }] },
      { job: 'api-bad', phases: [{ from: start, phase: PHASES.healthy }, { from: end - 3 * MINUTE, phase: PHASES.degraded }] },
      { job: 'other', phases: [{ from: start, phase: PHASES.degraded }] },
    ]);
  });

  afterAll(async () => {
    await prom?.stop();
  });

  it('passes a healthy deployment after every sample, printing each as it comes (exit 0)', async () => {
    const r = await timed(['deploy-check', '--prometheus', prom.server.url, '--service', 'api', '--duration', '5s', '--interval', '1s']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = sampleLines(r.stdout);
    // At the start and then every second until five seconds have passed.
    expect(lines).toHaveLength(6);
    lines.forEach((l, i) => {
      expect(l).toMatch(new RegExp(`^#${i + 1}/6 `));
      expect(l).toMatch(/errors +0\.2 % +p95 +194 ms +\d+ req\/s +ok$/);
    });
    expect(r.stdout).toMatch(/^deploy-check: api on http:\/\/127\.0\.0\.1:\d+ \{job="api"\}: 6 samples every 1s for 5s; fails above 5 % errors or p95 above 1 s/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('HEALTHY: 6 samples over 5s; worst error rate 0.2 %, worst p95 194 ms');
    expect(r.ms).toBeGreaterThanOrEqual(5000);
  });

  it('fails a deployment whose error rate and p95 are above the limits at the first sample, and stops there (exit 1)', async () => {
    const r = await timed(['deploy-check', '--prometheus', prom.server.url, '--service', 'api-bad', '--duration', '20s', '--interval', '1s']);
    expect(r.code).toBe(1);
    const lines = sampleLines(r.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^#1\/21 +\+0s +\S+Z +errors +8 % +p95 +1\.25 s +\d+ req\/s +FAIL: error rate 8 % above 5 %; p95 1\.25 s above 1 s$/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^FAILED at sample 1 \(\+0s, \S+Z\): error rate 8 % above 5 %; p95 1\.25 s above 1 s; roll the deployment back$/);
    // As soon as it is crossed: not after the 20 seconds.
    expect(r.ms).toBeLessThan(10_000);
  });

  it('judges each limit on its own: a healthy p95 above a stricter limit fails on p95 alone', async () => {
    const r = await cli(['deploy-check', '--prometheus', prom.server.url, '--service', 'api', '--max-p95', '150ms', '--max-error-rate', '0.5', '--duration', '0s', '--interval', '1s']);
    expect(r.code).toBe(1);
    expect(sampleLines(r.stdout)[0]).toMatch(/FAIL: p95 194 ms above 150 ms$/);
    const equal = await cli(['deploy-check', '--prometheus', prom.server.url, '--service', 'api', '--max-error-rate', '0.2', '--duration', '0s', '--interval', '1s']);
    expect(equal.code, 'equal to the limit passes').toBe(0);
  });

  it('without --service watches every job; --service-label picks another label', async () => {
    // All jobs together: 1000 + 1000 + 1000 requests per step with 2 + 80 + 80 errors → 5.4 %.
    const all = await cli(['deploy-check', '--prometheus', prom.server.url, '--duration', '0s', '--interval', '1s', '--json']);
    expect(all.code).toBe(1);
    const [sample, summary] = jsonLines(all.stdout);
    expect(sample!.errorRatePercent as number).toBeCloseTo(5.4, 9);
    expect(summary).toMatchObject({ type: 'summary', verdict: 'failed', exitCode: 1, selector: {} });
    const byEndpoint = await cli(['deploy-check', '--prometheus', prom.server.url, '--service', '/api/v1/health-data', '--service-label', 'endpoint', '--duration', '0s', '--interval', '1s', '--json']);
    expect(jsonLines(byEndpoint.stdout).at(-1)).toMatchObject({ verdict: 'failed', selector: { endpoint: '/api/v1/health-data' } });
  });

  it('--json prints one object per sample and a summary', async () => {
    const r = await cli(['deploy-check', '--prometheus', prom.server.url, '--service', 'api', '--duration', '2s', '--interval', '1s', '--json', '--version-label', 'v1.2.3']);
    expect(r.code).toBe(0);
    const objects = jsonLines(r.stdout);
    expect(objects.map((o) => o.type)).toEqual(['sample', 'sample', 'sample', 'summary']);
    expect(objects[0]).toMatchObject({ n: 1, verdict: 'ok', crossed: [] });
    // Not exactly 1000: the history ends before now, so rate() extrapolates over part of its window only.
    expect(objects[0]!.requestsPerSecond as number).toBeGreaterThan(500);
    expect(objects[0]!.errorRatePercent as number).toBeCloseTo(0.2, 9);
    expect(objects[0]!.p95Seconds as number).toBeCloseTo(0.19375, 9);
    expect(objects[3]).toMatchObject({
      verdict: 'healthy',
      exitCode: 0,
      samples: 3,
      failedAt: null,
      selector: { job: 'api' },
      limits: { maxErrorRatePercent: 5, maxP95Seconds: 1 },
      schedule: { durationSeconds: 2, intervalSeconds: 1, windowSeconds: 60 },
      version: 'v1.2.3',
      annotations: null,
    });
  });

  it('cannot tell (exit 2) when no traffic matches, when Prometheus is unreachable, or on bad arguments', async () => {
    const none = await cli(['deploy-check', '--prometheus', prom.server.url, '--service', 'no-such-job', '--duration', '1s', '--interval', '1s']);
    expect(none.code).toBe(2);
    expect(sampleLines(none.stdout).every((l) => l.endsWith('no traffic'))).toBe(true);
    expect(none.stdout).toMatch(/CANNOT TELL: no traffic in any of the 2 samples/);

    const port = await freePort();
    const down = await timed(['deploy-check', '--prometheus', `http://127.0.0.1:${port}`, '--duration', '10s', '--interval', '1s']);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/sample 1 failed, trying once more: Prometheus at http:\/\/127\.0\.0\.1:\d+ unreachable: ECONNREFUSED/);
    expect(down.stdout).toMatch(/CANNOT TELL: sample 1 could not be read: .*ECONNREFUSED/);
    expect(down.ms).toBeLessThan(8000);

    for (const bad of [['--interval', '0s'], ['--max-error-rate', 'lots'], ['--max-p95', '1'], ['--service-label', 'bad-label'], ['--prometheus', 'ftp://x']]) {
      const r = await cli(['deploy-check', '--prometheus', prom.server.url, ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr, bad.join(' ')).toMatch(/error: option/);
    }
    const noUrl = await cli(['deploy-check']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/pass --prometheus URL/);
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
          received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(raw || '{}') as Record<string, unknown> });
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
        ['deploy-check', '--prometheus', prom.server.url, '--service', 'api', '--duration', '1s', '--interval', '1s', '--annotate', `${url}/api/annotations`, '--annotate-dashboard', 'vitascope-api'],
        env({ VITASCOPE_ANNOTATION_TOKEN: TOKEN, GITHUB_SHA: SHA }),
      );
      const after = Date.now();
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN);
      expect(r.stdout).toContain('api version 3f9c2b7');
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
      expect(start.body.tags).toEqual(['deployment', 'vitascope-oncall', 'version:3f9c2b7', 'service:api', 'deploy-check:start']);
      expect(start.body.text).toMatch(/^Deployed api version 3f9c2b7: deploy-check started/);
      expect(end.body.tags).toEqual(['deployment', 'vitascope-oncall', 'version:3f9c2b7', 'service:api', 'deploy-check:end', 'verdict:healthy']);
      expect(end.body.text).toMatch(/^deploy-check healthy for api version 3f9c2b7: HEALTHY: 2 samples/);
      expect(end.body.time as number).toBeGreaterThan(start.body.time as number);
    });

    it('posts nothing in read-only mode', async () => {
      received.length = 0;
      for (const [args, extra] of [[['--readonly'], {}], [[], { VITASCOPE_READONLY: 'true' }]] as const) {
        const r = await cli(['deploy-check', '--prometheus', prom.server.url, '--service', 'api', '--duration', '0s', '--interval', '1s', '--annotate', url, ...args], env({ GRAFANA_API_KEY: TOKEN, ...extra }));
        expect(r.code).toBe(0);
        expect(r.stderr).toBe('vitascope-oncall: deploy-check: read-only mode: the annotations are not posted\n');
      }
      expect(received).toEqual([]);
    });

    it('a refused annotation is reported without the token and does not change the verdict', async () => {
      received.length = 0;
      // A server that echoes the credentials it was given must not get them printed.
      answer = { status: 401, body: `{"message":"invalid API key Bearer ${TOKEN}"}` };
      const r = await cli(['deploy-check', '--prometheus', prom.server.url, '--service', 'api', '--duration', '0s', '--interval', '1s', '--annotate', url, '--json'], env({ GRAFANA_API_KEY: TOKEN }));
      expect(r.code).toBe(0);
      expect(received.map((x) => x.path)).toEqual(['/api/annotations', '/api/annotations']);
      expect(received[0]!.body.tags).toEqual(['deployment', 'vitascope-oncall', 'service:api', 'deploy-check:start']);
      expect(r.stderr).toMatch(/the start annotation was not posted: .*answered HTTP 401: \{"message":"invalid API key Bearer \*\*\*"\}/);
      expect(`${r.stdout}${r.stderr}`).not.toContain(TOKEN);
      expect(jsonLines(r.stdout).at(-1)).toMatchObject({ verdict: 'healthy', annotations: { start: expect.stringMatching(/^failed: /), end: expect.stringMatching(/^failed: /) } });
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
    prom = await prometheusWith(start, now + 60_000, [{ job: 'api', phases: [{ from: start, phase: PHASES.healthy }, { from: bad, phase: PHASES.failing }] }]);
    const r = await cli(['deploy-check', '--prometheus', prom.server.url, '--service', 'api', '--duration', '30s', '--interval', '1s', '--window', '10s', '--json']);
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
