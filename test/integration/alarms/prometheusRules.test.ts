/**
 * `alarms export --format prometheus-rules` against Debian's promtool and Prometheus: promtool
 * accepts the rules, the app rules fire on data shaped as prometheus_client exposes it and a scrape
 * stores it (`promtool test rules` with a test file generated here: app_request_count_total,
 * app_request_latency_seconds_bucket, job="vitascope-api", instance) and stay quiet on healthy data and
 * on another job's errors, Prometheus loads and evaluates them, `alarms audit --prometheus` finds the
 * loaded rules clean (the expressions as Prometheus prints them match the export's), and finds
 * planted drift. Also the other formats' output as a whole.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, runCli as cli } from '../../harness/cli.js';
import {
  ensureBuilt,
  prometheusMissing,
  startPrometheus,
  tempDir,
  type PrometheusServer,
} from '../../harness/prometheus.js';
import { waitFor } from '../../harness/servers.js';
import { BOUNDS, PHASES, type Phase } from '../../harness/deployData.js';

const missing = prometheusMissing();

const RESOURCES = [
  'targets: [prometheus]',
  'runbookBaseUrl: https://github.example/vitascope/oncall/blob/main/runbooks/',
  'resources:',
  '  ecs-service:',
  '    - { token: api, dimensions: { ClusterName: prod, ServiceName: vitascope-api } }',
  '  rds-instance:',
  '    - { token: db, dimensions: { DBInstanceIdentifier: prod-db }, limits: { allocated_storage_gib: 200 } }',
  '    - { token: replica, dimensions: { DBInstanceIdentifier: prod-replica } }',
  '',
].join('\n');

interface RuleYaml {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
interface RulesYaml {
  groups: { name: string; rules: RuleYaml[] }[];
}

function promtool(file: string): { code: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.skipIf(missing)('the policy as Prometheus rules', () => {
  /** max_connections of prod-db from its one source, the configuration (no AWS here to read the class from). */
  let env: NodeJS.ProcessEnv;
  const runCli = (args: readonly string[], e: NodeJS.ProcessEnv = env) => cli(args, e);
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let exported: string;
  const servers: PrometheusServer[] = [];

  beforeAll(async () => {
    ensureBuilt();
    tmp = tempDir('alarms-rules');
    file = path.join(tmp.dir, 'resources.yaml');
    fs.writeFileSync(file, RESOURCES);
    env = isolatedEnv();
    expect((await runCli(['config', 'set', 'aws.maxConnections.prod-db', '500'])).code).toBe(0);
    const r = await runCli(['alarms', 'export', '--format', 'prometheus-rules', '--resources', file]);
    expect(r.code).toBe(0);
    exported = r.stdout;
  });

  afterAll(async () => {
    for (const s of servers) await s.stop();
    tmp?.remove();
  });

  async function prometheusWithRules(rules: string, name: string): Promise<PrometheusServer> {
    const workDir = path.join(tmp.dir, name);
    fs.mkdirSync(workDir);
    const server = await startPrometheus({
      workDir,
      config: 'global:\n  evaluation_interval: 1s\nrule_files:\n  - vitascope.rules.yml\n',
      rules: { 'vitascope.rules.yml': rules },
    });
    servers.push(server);
    // Every rule has been evaluated once.
    await waitFor(async () => {
      const res = (await (await fetch(`${server.url}/api/v1/rules?type=alert`)).json()) as {
        data: { groups: { rules: { lastEvaluation: string }[] }[] };
      };
      const all = res.data.groups.flatMap((g) => g.rules);
      return all.length > 0 && all.every((x) => !x.lastEvaluation.startsWith('0001'));
    }, 'rule evaluation');
    return server;
  }

  it('are accepted by promtool check rules', () => {
    const out = path.join(tmp.dir, 'exported.rules.yml');
    fs.writeFileSync(out, exported);
    const check = promtool(out);
    expect(check.output).toMatch(/SUCCESS: 24 rules found/);
    expect(check.code).toBe(0);
  });

  /**
   * promtool's input series for one scrape target of `job` in `phase`, every 15 s for 15 minutes, as
   * prometheus_client exposes the strategy's metrics (the phase's per-step counts are per scrape here).
   */
  function inputSeries(job: string, phase: Phase): { series: string; values: string }[] {
    const steps = 60;
    const labels = `job="${job}",instance="10.0.1.23:8000",method="GET",endpoint="/api/v1/health-data"`;
    const grow = (perStep: number) => `0+${perStep}x${steps}`;
    const created = `1767225600+0x${steps}`;
    const others = Object.values(phase.statuses).reduce((a, b) => a + b, 0);
    const out = [
      { series: `app_request_count_total{${labels},status_code="200"}`, values: grow(phase.requests - others) },
      ...Object.entries(phase.statuses).map(([code, n]) => ({
        series: `app_request_count_total{${labels},status_code="${code}"}`,
        values: grow(n),
      })),
      { series: `app_request_count_created{${labels},status_code="200"}`, values: created },
      ...BOUNDS.map((le, i) => ({
        series: `app_request_latency_seconds_bucket{${labels},le="${le}"}`,
        values: grow(BOUNDS.slice(0, i + 1).reduce((a, b) => a + phase.latency[b], 0)),
      })),
      { series: `app_request_latency_seconds_count{${labels}}`, values: grow(phase.requests) },
      { series: `app_request_latency_seconds_sum{${labels}}`, values: grow(phase.requests * 0.1) },
      { series: `app_request_latency_seconds_created{${labels}}`, values: created },
    ];
    return out;
  }

  /** What promtool must see for an alert that fires: the rule's labels, and its annotations with $value as computed from the data. */
  function firing(
    alert: string,
    value: string,
  ): {
    alertname: string;
    exp_alerts: { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[];
  } {
    const rule = (parse(exported) as RulesYaml).groups.flatMap((g) => g.rules).find((r) => r.alert === alert)!;
    const summary = rule.annotations.summary!.replace(/\{\{ \$value \| printf "%\.\df" \}\}/, value);
    expect(summary, 'the summary carries the value').not.toContain('{{');
    return {
      alertname: alert,
      exp_alerts: [{ exp_labels: rule.labels, exp_annotations: { ...rule.annotations, summary } }],
    };
  }

  function quiet(alert: string) {
    return { alertname: alert, exp_alerts: [] };
  }

  it('fire on prometheus_client-shaped data: 9 % errors with a healthy p95, a slow and failing deployment; quiet when healthy or when another job fails', () => {
    const rulesFile = path.join(tmp.dir, 'exported.rules.yml');
    fs.writeFileSync(rulesFile, exported);
    const at = (evalTime: string, alerts: unknown[]) => alerts.map((a) => ({ eval_time: evalTime, ...(a as object) }));
    const tests = {
      rule_files: [rulesFile],
      evaluation_interval: '15s',
      tests: [
        {
          // The API answers 9 % of its requests with 500; its p95 is 194 ms.
          interval: '15s',
          input_series: inputSeries('vitascope-api', PHASES.errors),
          alert_rule_test: at('10m', [
            firing('vitascope-api-error-rate-critical', '9.0'),
            firing('vitascope-api-error-rate-warning', '9.0'),
            quiet('vitascope-api-high-latency-warning'),
            quiet('vitascope-api-high-latency-critical'),
          ]),
        },
        {
          // 8 % errors and a p95 of 1.25 s.
          interval: '15s',
          input_series: inputSeries('vitascope-api', PHASES.degraded),
          alert_rule_test: at('10m', [
            firing('vitascope-api-high-latency-critical', '1.250'),
            firing('vitascope-api-high-latency-warning', '1.250'),
            firing('vitascope-api-error-rate-critical', '8.0'),
          ]),
        },
        {
          // A healthy API (0.2 %, 194 ms) beside a worker job that fails every request: the rules watch the API's job only.
          interval: '15s',
          input_series: [
            ...inputSeries('vitascope-api', PHASES.healthy),
            ...inputSeries('vitascope-worker', PHASES.failing),
          ],
          alert_rule_test: at('10m', [
            quiet('vitascope-api-error-rate-critical'),
            quiet('vitascope-api-error-rate-warning'),
            quiet('vitascope-api-high-latency-warning'),
          ]),
        },
      ],
    };
    const testFile = path.join(tmp.dir, 'exported.test.yml');
    fs.writeFileSync(testFile, stringify(tests, { lineWidth: 0 }));
    const r = spawnSync('promtool', ['test', 'rules', testFile], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);

    // The same test against the rules as they were before (the plain counter name) fails: it checks something.
    const plain = exported.replace(/app_request_count_total/g, 'app_request_count');
    fs.writeFileSync(rulesFile, plain);
    const stale = spawnSync('promtool', ['test', 'rules', testFile], { encoding: 'utf8' });
    expect(stale.status).not.toBe(0);
    expect(`${stale.stdout}${stale.stderr}`).toMatch(/alertname: vitascope-api-error-rate-critical/);
    fs.writeFileSync(rulesFile, exported);
  });

  it('carry the runbook, severity and for:, and list what they cannot express', () => {
    const doc = parse(exported) as RulesYaml;
    const rules = doc.groups.flatMap((g) => g.rules);
    expect(doc.groups.map((g) => g.name)).toEqual(['vitascope-infra', 'vitascope-app', 'vitascope-business']);
    const errors = rules.find((r) => r.alert === 'vitascope-api-error-rate-critical')!;
    expect(errors).toMatchObject({
      for: '1m',
      labels: { severity: 'critical', priority: 'P2', policy_rule: 'error-rate' },
      annotations: {
        runbook: 'error-rate',
        runbook_url: 'https://github.example/vitascope/oncall/blob/main/runbooks/error-rate.yaml',
      },
    });
    expect(
      rules.every((r) => r.annotations.runbook && ['critical', 'warning', 'info'].includes(r.labels.severity!)),
    ).toBe(true);
    expect(rules.find((r) => r.alert === 'vitascope-dau-drop-warning')!.expr).toContain('offset 1w');
    expect(rules.find((r) => r.alert === 'vitascope-api-sessions-drop-warning')!.expr).toContain('offset 1d');
    expect(exported).toMatch(
      /\n# NOT EXPORTED:\n(?:# .*\n)*# rds-connections \(vitascope-replica-connections-warning\): max_connections of replica is not known: set aws\.maxConnections\.prod-replica/,
    );
  });

  it('load into Prometheus, evaluate without error, and audit clean', async () => {
    const server = await prometheusWithRules(exported, 'clean');
    const rules = (await (await fetch(`${server.url}/api/v1/rules?type=alert`)).json()) as {
      data: { groups: { rules: { health: string; name: string }[] }[] };
    };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded).toHaveLength(24);
    expect(loaded.filter((r) => r.health !== 'ok')).toEqual([]);
    const audit = await runCli(['alarms', 'audit', '--resources', file, '--prometheus', server.url]);
    expect(audit.stderr).toBe('');
    expect(audit.stdout).toContain('Prometheus: 24 alarms in the policy, 24 deployed with the vitascope- prefix\n');
    expect(audit.stdout).toContain('no drift');
    expect(audit.code).toBe(0);
  });

  it('audit finds planted drift in the loaded rules', async () => {
    const doc = parse(exported) as RulesYaml;
    const app = doc.groups.find((g) => g.name === 'vitascope-app')!;
    const infra = doc.groups.find((g) => g.name === 'vitascope-infra')!;
    const find = (alert: string) => doc.groups.flatMap((g) => g.rules).find((r) => r.alert === alert)!;
    find('vitascope-api-error-rate-critical').expr = find('vitascope-api-error-rate-critical').expr.replace(
      />= 5$/,
      '>= 10',
    );
    find('vitascope-high-cpu-warning').for = '10m';
    delete find('vitascope-api-high-latency-warning').annotations.runbook;
    delete find('vitascope-api-high-latency-warning').annotations.runbook_url;
    find('vitascope-db-connections-warning').labels.severity = 'critical';
    find('vitascope-api-call-rate-warning').expr = find('vitascope-api-call-rate-warning').expr.replace(
      'offset 1w',
      'offset 1d',
    );
    app.rules = app.rules.filter((r) => r.alert !== 'vitascope-api-auth-failures-warning');
    infra.rules.push(
      { alert: 'vitascope-api-custom-warning', expr: 'up == 0', labels: { severity: 'warning' }, annotations: {} },
      { alert: 'SomeoneElsesRule', expr: 'up == 0', labels: {}, annotations: {} },
    );
    const server = await prometheusWithRules(stringify(doc), 'drifted');
    const audit = await runCli(['alarms', 'audit', '--resources', file, '--prometheus', server.url, '--json']);
    expect(audit.code).toBe(1);
    const report = JSON.parse(audit.stdout) as {
      clean: boolean;
      targets: Record<string, { deployed: number; ignored: number }>;
      findings: { target: string; kind: string; alarm: string; message: string }[];
    };
    expect(report.findings.map((f) => `${f.target} ${f.kind} ${f.alarm}`)).toEqual([
      'prometheus missing vitascope-api-auth-failures-warning',
      'prometheus extra vitascope-api-custom-warning',
      'prometheus threshold vitascope-api-error-rate-critical',
      'prometheus evaluation vitascope-high-cpu-warning',
      'prometheus expression vitascope-api-call-rate-warning',
      'prometheus severity vitascope-db-connections-warning',
      'prometheus no-runbook vitascope-api-custom-warning',
      'prometheus no-runbook vitascope-api-high-latency-warning',
    ]);
    expect(report.findings.find((f) => f.kind === 'threshold')!.message).toBe('>= 10, policy >= 5');
    expect(report.findings.find((f) => f.kind === 'evaluation')!.message).toBe('for 10m, policy 1m');
    expect(report.targets.prometheus).toMatchObject({ deployed: 24, ignored: 1 });
  });

  it('exports CloudWatch requests and Terraform resources for the same resources', async () => {
    const cw = await runCli(['alarms', 'export', '--format', 'cloudwatch', '--resources', file]);
    expect(cw.code).toBe(0);
    expect(cw.stderr).toMatch(/alarms export: 9 rules not expressible in cloudwatch/);
    const body = JSON.parse(cw.stdout) as {
      requests: { AlarmName: string; Threshold: number }[];
      notExported: { ruleId: string; reason: string }[];
    };
    expect(body.requests).toHaveLength(12);
    // 80 % of the configured aws.maxConnections.prod-db (500): the same number status and summary use.
    expect(body.requests.find((r) => r.AlarmName === 'vitascope-db-connections-warning')!.Threshold).toBe(400);
    expect(body.notExported.map((n) => n.ruleId)).toEqual([
      'disk-utilization',
      'network-traffic',
      'rds-connections',
      'error-rate',
      'active-sessions',
      'api-call-rate',
      'daily-active-users',
      'new-registrations',
      'feature-usage',
    ]);
    // The API's error rate is the load balancer's: without its dimensions there is no alarm to make.
    expect(body.notExported.find((n) => n.ruleId === 'error-rate')!.reason).toContain(
      'needs the dimensions LoadBalancer, TargetGroup: give them in resources.api',
    );
    // A second source for max_connections is refused, naming the one to use.
    fs.writeFileSync(
      path.join(tmp.dir, 'two.yaml'),
      RESOURCES.replace('limits: { allocated_storage_gib: 200 }', 'limits: { max_connections: 400 }'),
    );
    const two = await runCli([
      'alarms',
      'export',
      '--format',
      'cloudwatch',
      '--resources',
      path.join(tmp.dir, 'two.yaml'),
    ]);
    expect(two.code).toBe(3);
    expect(two.stderr).toMatch(
      /two\.yaml:\d+:\d+: resources\.rds-instance\.0\.limits\.max_connections: max_connections has one source, the same for alarms, status and summary: set it with `vitascope-oncall config set aws\.maxConnections\.prod-db N`/,
    );
    const tf = await runCli(['alarms', 'export', '--format', 'terraform', '--resources', file]);
    expect(tf.code).toBe(0);
    expect(tf.stdout.match(/^resource "aws_cloudwatch_metric_alarm" /gm)).toHaveLength(12);
    const bad = await runCli(['alarms', 'export', '--format', 'nagios']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected one of cloudwatch, terraform, prometheus-rules/);
    const none = await runCli(['alarms', 'export', '--format', 'prometheus-rules']);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no --resources file: using the strategy's example resources/);
  });
});
