/**
 * The overview's and the service detail's app signals (p95, error rate) with both Prometheus and
 * CloudWatch configured, as the cockpit opens them (openRealSources, the live model, the views):
 * Debian's Prometheus over backfilled prometheus_client-shaped history and moto (behind the test
 * front, which evaluates the metric math moto lacks) with Vitascope/API metrics put into it. Prometheus gives the figures when it has them, CloudWatch when it has none,
 * and each figure on screen says where it came from.
 */
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSignalPlan, fetchTrends, LiveModel, servicePlan } from '../../../src/core/live/model.js';
import { runQuery } from '../../../src/core/runbooks/queries.js';
import type { QueryStep } from '../../../src/core/runbooks/schema.js';
import type { Service } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import type { Config } from '../../../src/config/schema.js';
import { openRealSources, type RealSources } from '../../../src/sources/real.js';
import { createTheme } from '../../../src/ui/theme.js';
import { OverviewView } from '../../../src/ui/views/OverviewView.js';
import { ServiceDetailView } from '../../../src/ui/views/ServiceDetailView.js';
import {
  motoSkipReason,
  quietSdkVersionWarning,
  startMoto,
  testClientConfig,
  TEST_CREDENTIALS,
  TEST_REGION,
  type Moto,
} from '../../harness/awsMoto.js';
import { deployOpenMetrics, onGrid, PHASES, STEP_MS } from '../../harness/deployData.js';
import {
  backfill,
  prometheusMissing,
  startPrometheus,
  tempDir,
  type PrometheusServer,
} from '../../harness/prometheus.js';
import { startAwsFront, type AwsFront } from '../../harness/awsFront.js';

const missing = motoSkipReason() ?? prometheusMissing();
const MINUTE = 60_000;
const theme = createTheme(false);

describe.skipIf(missing)('app signals from Prometheus first, CloudWatch as the fallback', () => {
  let tmp: ReturnType<typeof tempDir>;
  let moto: Moto;
  let front: AwsFront;
  let prom: PrometheusServer;
  const opened: RealSources[] = [];
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    quietSdkVersionWarning();
    tmp = tempDir('app-signals');
    const end = onGrid(Date.now()) - STEP_MS;
    const start = end - 15 * MINUTE;
    const tsdb = path.join(tmp.dir, 'tsdb');
    backfill(
      deployOpenMetrics(start, end, [
        { job: 'vitascope-api', phases: [{ from: start, phase: PHASES.healthy }] },
        { job: 'vitascope-worker', phases: [{ from: start, phase: PHASES.errors }] },
      ]),
      tmp.dir,
      tsdb,
    );
    [moto, prom] = await Promise.all([
      startMoto(),
      startPrometheus({ workDir: tmp.dir, tsdbDir: tsdb, config: 'global:\n  scrape_interval: 15s\n' }),
    ]);
    // What CloudWatch says about the API: p95 420 ms, 30 of 1000 requests 5xx (3 %), every minute of the last 20.
    const cw = new CloudWatchClient(testClientConfig(moto.url));
    const minute = Math.floor(Date.now() / MINUTE) * MINUTE;
    const at = (i: number) => new Date(minute - (i + 1) * MINUTE + 5_000);
    const data = Array.from({ length: 20 }, (_, i) => [
      { MetricName: 'p95ResponseTime', Value: 420, Timestamp: at(i) },
      { MetricName: 'Http5xxCount', Value: 30, Timestamp: at(i) },
      { MetricName: 'RequestCount', Value: 1000, Timestamp: at(i) },
    ]).flat();
    for (let i = 0; i < data.length; i += 20)
      await cw.send(new PutMetricDataCommand({ Namespace: 'Vitascope/API', MetricData: data.slice(i, i + 20) }));
    cw.destroy();
    front = await startAwsFront(moto.url);
    // The SDK's default credential chain, as in production, finds these.
    process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
  }, 60_000);

  afterAll(async () => {
    for (const s of opened) await s.close();
    await Promise.allSettled([front?.close(), moto?.stop(), prom?.stop()]);
    tmp?.remove();
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  });

  async function cockpit(metrics?: NonNullable<Config['prometheus']>['metrics']) {
    const config: Config = {
      aws: { region: TEST_REGION, endpointUrl: front.url },
      prometheus: { url: prom.url, ...(metrics ? { metrics } : {}) },
    };
    const sources = await openRealSources(config, { AWS_ACCESS_KEY_ID: 'test' }, DEFAULT_POLICY.rules);
    opened.push(sources);
    expect(sources.configured).toMatchObject({ aws: true, prometheus: true });
    const plan = appSignalPlan({ prometheus: true, cloudwatch: true }, metrics);
    const live = new LiveModel(
      sources,
      { alarms: 3600, services: 3600, incidents: 3600, onCall: 3600, metrics: 3600 },
      undefined,
      plan,
    );
    await live.trends.refresh();
    return { sources, plan, live };
  }

  it('the overview takes p95 and the error rate from Prometheus when it has them, and says so', async () => {
    const { live } = await cockpit();
    const trends = live.snapshot().trends.data!;
    expect(trends.from).toEqual({ p95: 'prometheus', errorRate: 'prometheus' });
    expect(trends.p95.length).toBeGreaterThan(5);
    for (const p of trends.p95) expect(p.v).toBeCloseTo(193.75, 6);
    for (const p of trends.errorRate) expect(p.v).toBeCloseTo(0.2, 6);
    const frame = render(
      <OverviewView
        live={live.snapshot()}
        policy={DEFAULT_POLICY}
        theme={theme}
        width={140}
        height={40}
        wallNow={Date.now()}
      />,
    ).lastFrame()!;
    expect(frame).toMatch(/p95 latency 194 ms · prometheus/);
    expect(frame).toMatch(/error rate 0\.2 % · prometheus/);
  });

  it('falls back to CloudWatch for a figure Prometheus has no data for, saying which source answered', async () => {
    // A service name the server does not have: Prometheus answers nothing for the overview.
    const { live } = await cockpit({ service: 'vitascope-nothing' });
    const trends = live.snapshot().trends.data!;
    expect(trends.from).toEqual({ p95: 'cloudwatch', errorRate: 'cloudwatch' });
    expect(trends.notes).toEqual({ p95: 'prometheus: no data', errorRate: 'prometheus: no data' });
    expect(trends.p95.length).toBeGreaterThan(5);
    for (const p of trends.p95) expect(p.v).toBe(420);
    for (const p of trends.errorRate) expect(p.v).toBeCloseTo(3, 9);
    const frame = render(
      <OverviewView
        live={live.snapshot()}
        policy={DEFAULT_POLICY}
        theme={theme}
        width={140}
        height={40}
        wallNow={Date.now()}
      />,
    ).lastFrame()!;
    expect(frame).toMatch(/p95 latency 420 ms · cloudwatch/);
    expect(frame).toMatch(/error rate 3(\.0)? % · cloudwatch/);
  });

  it("a runbook's named query says which source answered, and why there is no data when none did", async () => {
    const step = (query: string) =>
      ({ id: 'q', kind: 'query', title: 'q', query, range: '15m' }) as unknown as QueryStep;
    const { sources } = await cockpit();
    const fromProm = await runQuery(step('error-rate'), {}, { sources, now: Date.now() });
    expect(fromProm.summary).toMatch(/^error rate: now 0\.20 % \(min 0\.20, max 0\.20 over 15m\) · prometheus$/);
    const fallback = await cockpit({ service: 'vitascope-nothing' });
    expect((await runQuery(step('p95-latency'), {}, { sources: fallback.sources, now: Date.now() })).summary).toMatch(
      /^p95 latency: now 420 ms .* · cloudwatch$/,
    );
    // Three hours on, neither source has a datapoint in the window: no data, with each source's reason.
    const none = await runQuery(
      step('p95-latency'),
      {},
      { sources: fallback.sources, now: Date.now() + 3 * 3_600_000 },
    );
    expect(none.summary).toBe(
      'p95 latency: no data in the last 15m (prometheus: no datapoints; cloudwatch: no datapoints)',
    );
  });

  it("the service detail asks Prometheus for the service's own series, and CloudWatch only for the API", async () => {
    const { sources, plan, live } = await cockpit();
    const worker = await live.serviceSignals('vitascope-worker')();
    expect(worker.from).toEqual({ p95: 'prometheus', errorRate: 'prometheus' });
    for (const p of worker.errorRate) expect(p.v).toBeCloseTo(9, 6);
    // Another service Prometheus has nothing for, and CloudWatch's Vitascope/API is not its: no data, with the reason.
    const none = await fetchTrends(sources, servicePlan(plan, 'vitascope-batch'));
    expect(none).toMatchObject({
      p95: [],
      errorRate: [],
      from: {},
      notes: { p95: 'prometheus: no data', errorRate: 'prometheus: no data' },
    });
    const service: Service = {
      id: 'vitascope-worker',
      name: 'vitascope-worker',
      cluster: 'vitascope-cluster',
      running: 2,
      desired: 2,
      pending: 0,
      taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/vitascope-worker:18',
      deployments: [],
      events: [],
    } as unknown as Service;
    const frame = render(
      <ServiceDetailView
        service={service}
        signals={{ name: 'detail', data: worker, health: { state: 'ok', fetchedAt: Date.now(), failures: 0 } }}
        policy={DEFAULT_POLICY}
        now={Date.now()}
        width={140}
        height={30}
        theme={theme}
      />,
    ).lastFrame()!;
    expect(frame).toMatch(/error rate 9(\.0)? % · prometheus/);
    expect(frame).toMatch(/p95 latency 194 ms · prometheus/);
  });
});
