/**
 * The real binary against real servers on loopback: moto (AWS), Debian's Prometheus scraping the
 * sandbox's metrics, and Alertmanager. `doctor` reports them OK; `status` reads real alarms, services
 * and alerts; an alarm whose name carries escape sequences is shown inert, in `status` and in the
 * cockpit (tmux).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli, BIN } from '../../harness/cli.js';
import {
  motoSkipReason,
  quietSdkVersionWarning,
  startMoto,
  testClientConfig,
  type Moto,
} from '../../harness/awsMoto.js';
import { startAwsFront, type AwsFront } from '../../harness/awsFront.js';
import {
  alertmanagerMissing,
  prometheusMissing,
  startAlertmanager,
  startPrometheus,
  startSandboxMetrics,
  tempDir,
} from '../../harness/prometheus.js';
import { freePort, requireTool, waitFor, type RunningServer } from '../../harness/servers.js';
import { Tmux } from '../../harness/tmux.js';

const missing = motoSkipReason() ?? prometheusMissing() ?? alertmanagerMissing();
const ESC = '\u001b';
const EVIL = `vitascope-evil-${ESC}[31mred${ESC}[0m-${ESC}]0;pwned\u0007-critical`;

describe.skipIf(missing)('real sources through the binary', () => {
  let moto: Moto;
  // moto lacks DescribeAlarmHistory and ignores AWS's page limits; the front supplies both.
  let front: AwsFront;
  let tmp: ReturnType<typeof tempDir>;
  let sandbox: RunningServer;
  let prometheus: RunningServer;
  let alertmanager: RunningServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    quietSdkVersionWarning();
    tmp = tempDir('real-sources');
    [moto, sandbox, alertmanager] = await Promise.all([
      startMoto(),
      startSandboxMetrics({ configDir: tmp.dir, speed: 60 }),
      startAlertmanager(tmp.dir),
    ]);
    prometheus = await startPrometheus({
      workDir: tmp.dir,
      config: [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 900ms',
        '  evaluation_interval: 1s',
        'rule_files: [rules.yml]',
        'scrape_configs:',
        '  - job_name: vitascope-api',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${sandbox.port}']`,
        '',
      ].join('\n'),
      rules: {
        'rules.yml': [
          'groups:',
          '  - name: vitascope',
          '    rules:',
          '      - alert: VitascopeApiHighErrorRate',
          '        expr: sum(rate(app_request_count_total{status_code=~"5.."}[1m])) / sum(rate(app_request_count_total[1m])) * 100 > 5',
          '        labels: { severity: critical }',
          '',
        ].join('\n'),
      },
    });
    const cw = new CloudWatchClient(testClientConfig(moto.url));
    const ecs = new ECSClient(testClientConfig(moto.url));
    for (const [name, threshold] of [
      ['vitascope-api-high-cpu-critical', 90],
      ['vitascope-api-high-cpu-warning', 70],
      [EVIL, 1],
    ] as const) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/ECS',
          MetricName: 'CPUUtilization',
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 2,
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Dimensions: [
            { Name: 'ClusterName', Value: 'vitascope-cluster' },
            { Name: 'ServiceName', Value: 'vitascope-api' },
          ],
        }),
      );
    }
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: 'vitascope-api-high-cpu-critical',
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed: 2 datapoints were >= 90',
      }),
    );
    await cw.send(
      new SetAlarmStateCommand({ AlarmName: EVIL, StateValue: 'ALARM', StateReason: `evil reason ${ESC}[2J` }),
    );
    await ecs.send(new CreateClusterCommand({ clusterName: 'vitascope-cluster' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'vitascope-api',
        containerDefinitions: [{ name: 'api', image: 'vitascope/api:41', memory: 512 }],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'vitascope-cluster',
        serviceName: 'vitascope-api',
        taskDefinition: 'vitascope-api',
        desiredCount: 2,
      }),
    );
    cw.destroy();
    ecs.destroy();
    // The services' log groups (logs.groups' defaults), which doctor checks can be read.
    const logs = new CloudWatchLogsClient(testClientConfig(moto.url));
    for (const logGroupName of ['/ecs/vitascope-api', '/ecs/vitascope-worker', '/aws/lambda/vitascope-sync-processor'])
      await logs.send(new CreateLogGroupCommand({ logGroupName }));
    logs.destroy();
    front = await startAwsFront(moto.url);
    env = isolatedEnv({
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: front.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      VITASCOPE_PROMETHEUS_URL: prometheus.url,
      VITASCOPE_ALERTMANAGER_URL: alertmanager.url,
    });
    await waitFor(
      async () => {
        const r = await fetch(`${prometheus.url}/api/v1/query?query=count(app_request_count_total)`);
        const body = (await r.json()) as { data?: { result?: unknown[] } };
        return (body.data?.result?.length ?? 0) > 0;
      },
      'Prometheus has scraped the sandbox',
      20_000,
    );
  }, 90_000);

  afterAll(async () => {
    await Promise.allSettled([front?.close(), moto?.stop(), prometheus?.stop(), alertmanager?.stop(), sandbox?.stop()]);
    tmp?.remove();
  });

  it('doctor reports moto, Prometheus and Alertmanager as OK (exit 0), once the alarms see data', async () => {
    // Nothing has published the CPU the alarms watch: they can judge nothing, and doctor says so.
    const blind = JSON.parse((await runCli(['doctor', '--json'], env)).stdout) as {
      checks: { source: string; check: string; result: string; detail: string; fix?: string }[];
    };
    const seeing = blind.checks.find((c) => c.check === 'alarms see data (cloudwatch:GetMetricData)')!;
    expect(seeing).toMatchObject({
      result: 'fail',
      detail: expect.stringMatching(
        /^3 of 3 alarms see no data \(they never page\); first: .*no datapoints of AWS\/ECS CPUUtilization Average\{ClusterName=vitascope-cluster, ServiceName=vitascope-api\}/,
      ),
    });
    expect(seeing.fix).toContain('alarms audit lists every one');
    const cw = new CloudWatchClient(testClientConfig(moto.url));
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/ECS',
        MetricData: [
          {
            MetricName: 'CPUUtilization',
            Dimensions: [
              { Name: 'ClusterName', Value: 'vitascope-cluster' },
              { Name: 'ServiceName', Value: 'vitascope-api' },
            ],
            Value: 42,
            Timestamp: new Date(Date.now() - 30_000),
          },
        ],
      }),
    );
    cw.destroy();
    const r = await runCli(['doctor', '--json'], env);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      checks: { source: string; check: string; result: string; detail: string }[];
    };
    const bySource = (s: string) => report.checks.filter((c) => c.source === s);
    for (const s of ['aws', 'prometheus', 'alertmanager']) {
      expect(bySource(s).length, s).toBeGreaterThan(2);
      for (const c of bySource(s)) expect(c.result, `${s} ${c.check}: ${c.detail}`).toBe('ok');
    }
    expect(bySource('aws')[0]!.detail).toMatch(/^account 123456789012 /);
    expect(bySource('pagerduty')).toEqual([
      { source: 'pagerduty', check: 'configured', result: 'skip', detail: 'PAGERDUTY_TOKEN not set' },
    ]);
    expect(r.code).toBe(0);
    const text = await runCli(['doctor'], env);
    expect(text.stdout).toMatch(/aws\s+cloudwatch:DescribeAlarms\s+✓ ok/);
  });

  it('doctor reads the WAF IP set waf.block-address adds to, and names a wrong one', async () => {
    const { WAFV2Client, CreateIPSetCommand } = await import('@aws-sdk/client-wafv2');
    const waf = new WAFV2Client(testClientConfig(moto.url));
    const created = await waf.send(
      new CreateIPSetCommand({
        Name: 'vitascope-blocked',
        Scope: 'REGIONAL',
        IPAddressVersion: 'IPV4',
        Addresses: ['198.51.100.0/24', '203.0.113.7/32'],
      }),
    );
    waf.destroy();
    const wafEnv = { ...env, VITASCOPE_ONCALL_CONFIG_DIR: path.join(tmp.dir, 'waf-config') };
    expect(
      (
        await runCli(
          ['config', 'set', 'aws.wafIpSet', JSON.stringify({ name: 'vitascope-blocked', id: created.Summary!.Id! })],
          wafEnv,
        )
      ).code,
    ).toBe(0);
    const ok = await runCli(['doctor'], wafEnv);
    expect(ok.stdout).toMatch(
      /aws\s+wafv2:GetIPSet \(aws\.wafIpSet\)\s+✓ ok\s+REGIONAL IP set vitascope-blocked: 2 entries/,
    );
    expect(ok.code).toBe(0);
    expect((await runCli(['config', 'set', 'aws.wafIpSet.id', 'not-the-id'], wafEnv)).code).toBe(0);
    const wrong = await runCli(['doctor'], wafEnv);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/wafv2:GetIPSet \(aws\.wafIpSet\)\s+✗ FAIL/);
    expect(wrong.stdout).toContain(
      'check aws.wafIpSet: no REGIONAL IP set vitascope-blocked with id not-the-id in this region',
    );
  });

  it('doctor names the app-metric setting that matches nothing on the scraping Prometheus, and the value that exists', async () => {
    const named = { ...env, VITASCOPE_ONCALL_CONFIG_DIR: path.join(tmp.dir, 'metrics-config') };
    expect((await runCli(['config', 'set', 'prometheus.metrics.service', 'api'], named)).code).toBe(0);
    const r = await runCli(['doctor', '--json'], named);
    expect(r.code).toBe(1);
    const rows = (
      JSON.parse(r.stdout) as {
        checks: { source: string; check: string; result: string; detail: string; fix?: string }[];
      }
    ).checks.filter((c) => c.source === 'prometheus');
    expect(rows.find((c) => c.result === 'fail')).toEqual({
      source: 'prometheus',
      check: 'service job="api" (prometheus.metrics.service)',
      result: 'fail',
      detail: 'no app_request_count_total{job="api"} series; app_request_count_total has job=vitascope-api',
      fix: 'vitascope-oncall config set prometheus.metrics.service vitascope-api',
    });
  });

  it('doctor names what failed and what to do; a source that does not answer is exit 4', async () => {
    const dead = await freePort();
    const r = await runCli(['doctor'], { ...env, VITASCOPE_ALERTMANAGER_URL: `http://127.0.0.1:${dead}` });
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('No usable answer from alertmanager');
    expect(r.stdout).toMatch(/alertmanager\s+reachable \(GET \/api\/v2\/status\)\s+✗ FAIL/);
    expect(r.stdout).toContain(`check that Alertmanager answers at http://127.0.0.1:${dead}`);
    expect(r.stdout).toMatch(/alertmanager\s+alerts .*– skip/);
  });

  it('status reads the real alarms, services and alerts; the account comes from STS', async () => {
    const r = await runCli(['status', '--json'], env);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s.environment).toMatchObject({
      kind: 'aws',
      account: '123456789012',
      region: 'us-east-1',
      production: true,
    });
    const cpu = s.alarms.items.find((a: { name: string }) => a.name === 'vitascope-api-high-cpu-critical');
    expect(cpu).toMatchObject({ state: 'ALARM', level: 'critical', threshold: 90, ruleId: 'cpu-utilization' });
    expect(s.alarms.items.find((a: { name: string }) => a.name === 'VitascopeApiHighErrorRate')).toMatchObject({
      level: 'critical',
    });
    expect(s.services).toEqual([
      expect.objectContaining({ name: 'vitascope-api', cluster: 'vitascope-cluster', desired: 2 }),
    ]);
    expect(s.sources.map((x: { name: string; ok: boolean }) => `${x.name}:${x.ok}`)).toEqual([
      'alarms:true',
      'alerts:true',
      'services:true',
      'databases:true',
    ]);
    // No RDS instance in this account: an empty list, not an error.
    expect(s.databases).toEqual([]);
    expect(r.code).toBe(2);
  });

  it('an alarm named with escape sequences is shown inert by status', async () => {
    const r = await runCli(['status'], env);
    expect(r.stdout).not.toContain(ESC);
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).toContain('vitascope-evil-␛[31mred␛[0m-␛]0;pwned␇-critical');
  });

  it('and by the cockpit in a real terminal', async () => {
    if (requireTool('tmux', Tmux.available(), 'apt-get install tmux')) return;
    const tmux = new Tmux();
    try {
      tmux.start(`node ${BIN}`, { ...env, TERM: 'xterm-256color' }, { width: 160, height: 40 });
      await tmux.waitFor(
        (s) => s.includes('123456789012') && s.includes('vitascope-api-high-cpu-critical'),
        'cockpit on moto',
        20_000,
      );
      tmux.keys('2');
      const screen = await tmux.waitFor((s) => s.includes('vitascope-evil-'), 'the evil alarm');
      expect(screen).toContain('vitascope-evil-␛[31mred␛[0m-␛]0;pwned␇');
      expect(tmux.pane('#{pane_title}')).not.toContain('pwned');
      expect(screen).toContain('PRODUCTION');
      tmux.keys('q');
    } finally {
      tmux.kill();
    }
    expect(fs.existsSync(path.dirname(BIN))).toBe(true);
  });
});
