/**
 * The policy as CloudWatch alarms, Terraform resources and Prometheus rules, without a server:
 * which rules each format expresses, how, and how the rest are marked.
 */
import { describe, expect, it } from 'vitest';
import { cloudWatchAlarms, putMetricAlarmRequest, tidy } from '../../../src/core/alarms/cloudwatch.js';
import { alarmName, inventoryFrom, alarmsSectionSchema } from '../../../src/core/alarms/inventory.js';
import {
  exporterName,
  prometheusRules,
  prometheusRulesYaml,
  promDuration,
  snake,
} from '../../../src/core/alarms/prometheusRules.js';
import { hclString, resourceName, terraformAlarms } from '../../../src/core/alarms/terraform.js';
import { applyOverrides, DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { DEFAULT_RULES } from '../../../src/core/policy/rules.js';
import { expressionFor } from '../../../src/sources/prometheus/queries.js';
import { appMetrics } from '../../../src/core/appMetrics.js';
import { byRule, inventory, PAGER, SECTION, TICKETS } from './fixtures.js';

const BASELINE_RULES = [
  'network-traffic',
  'active-sessions',
  'api-call-rate',
  'daily-active-users',
  'new-registrations',
  'feature-usage',
];

describe('CloudWatch alarms from the policy', () => {
  const exported = cloudWatchAlarms(DEFAULT_RULES, inventory(), byRule);
  const named = (name: string) => exported.alarms.find((a) => a.name === name)!;

  it('names one alarm per rule, resource and level', () => {
    expect(exported.alarms.map((a) => a.name)).toEqual([
      'vitascope-api-high-cpu-critical',
      'vitascope-api-high-cpu-warning',
      'vitascope-api-high-memory-critical',
      'vitascope-api-high-memory-warning',
      'vitascope-db-disk-usage-critical',
      'vitascope-db-disk-usage-warning',
      'vitascope-replica-disk-usage-critical',
      'vitascope-replica-disk-usage-warning',
      'vitascope-api-service-unhealthy-critical',
      'vitascope-db-connections-warning',
      'vitascope-sync-lambda-errors-critical',
      'vitascope-sync-lambda-errors-warning',
      'vitascope-api-high-latency-critical',
      'vitascope-api-high-latency-warning',
      'vitascope-api-error-rate-critical',
      'vitascope-api-error-rate-warning',
      'vitascope-api-auth-failures-warning',
      'vitascope-wearables-dependency-down-critical',
      'vitascope-sync-failures-warning',
    ]);
    expect(alarmName({ alarmSlug: 'dau-drop' }, '', 'warning')).toBe('vitascope-dau-drop-warning');
  });

  it("writes absolute rules as plain alarms with the policy's window and the level's actions", () => {
    const cpu = named('vitascope-api-high-cpu-warning');
    expect(putMetricAlarmRequest(cpu)).toEqual({
      AlarmName: 'vitascope-api-high-cpu-warning',
      AlarmDescription: expect.stringMatching(
        /^CPU utilisation ≥ 70 % in 2 of 2 periods of 1 min \(warning, P2\)\. Policy rule cpu-utilization\. Runbook: cpu-utilization/,
      ),
      ActionsEnabled: true,
      AlarmActions: [PAGER],
      OKActions: [PAGER],
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      Dimensions: [
        { Name: 'ClusterName', Value: 'prod' },
        { Name: 'ServiceName', Value: 'vitascope-api' },
      ],
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 70,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'missing',
      Tags: [
        { Key: 'vitascope:rule', Value: 'cpu-utilization' },
        { Key: 'vitascope:level', Value: 'warning' },
        { Key: 'vitascope:managed-by', Value: 'vitascope-oncall' },
      ],
    });
    expect(named('vitascope-api-high-latency-critical')).toMatchObject({
      threshold: 1000,
      metric: { kind: 'metric', namespace: 'Vitascope/API', name: 'p95ResponseTime' },
    });
  });

  it('writes rates as metric math in percent, 2 of 3 periods for the error rate', () => {
    const req = putMetricAlarmRequest(named('vitascope-api-error-rate-critical'));
    expect(req).not.toHaveProperty('MetricName');
    expect(req).not.toHaveProperty('Period');
    // The load balancer's own counts of the API's target group: no metric of the app's own is needed.
    const alb = [
      { Name: 'LoadBalancer', Value: 'app/prod-alb/1234567890abcdef' },
      { Name: 'TargetGroup', Value: 'targetgroup/prod-api/fedcba0987654321' },
    ];
    expect(req.Metrics).toEqual([
      {
        Id: 'm1',
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: alb },
          Period: 60,
          Stat: 'Sum',
        },
        ReturnData: false,
      },
      {
        Id: 'm2',
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: alb },
          Period: 60,
          Stat: 'Sum',
        },
        ReturnData: false,
      },
      { Id: 'e1', Expression: '100 * FILL(m1, 0) / m2', Label: 'Error rate (%)', ReturnData: true },
    ]);
    expect(req).toMatchObject({ Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    const lambda = putMetricAlarmRequest(named('vitascope-sync-lambda-errors-warning'));
    expect(
      (lambda.Metrics as { MetricStat?: { Metric: { Dimensions: unknown } } }[])[1]!.MetricStat!.Metric.Dimensions,
    ).toEqual([{ Name: 'FunctionName', Value: 'vitascope-sync' }]);
  });

  it('watches metrics AWS publishes: Container Insights for the ECS service state, RDS free storage against the allocated storage', () => {
    const state = putMetricAlarmRequest(named('vitascope-api-service-unhealthy-critical'));
    const ecs = [
      { Name: 'ClusterName', Value: 'prod' },
      { Name: 'ServiceName', Value: 'vitascope-api' },
    ];
    expect(state.Metrics).toEqual([
      {
        Id: 'desired',
        MetricStat: {
          Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'DesiredTaskCount', Dimensions: ecs },
          Period: 60,
          Stat: 'Average',
        },
        ReturnData: false,
      },
      {
        Id: 'running',
        MetricStat: {
          Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Dimensions: ecs },
          Period: 60,
          Stat: 'Average',
        },
        ReturnData: false,
      },
      {
        Id: 'deployments',
        MetricStat: {
          Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'DeploymentCount', Dimensions: ecs },
          Period: 60,
          Stat: 'Average',
        },
        ReturnData: false,
      },
      {
        Id: 'e1',
        Expression: 'MAX([desired - running, deployments - 1])',
        Label: 'tasks missing, or deployments not finished',
        ReturnData: true,
      },
    ]);
    expect(state).toMatchObject({ Threshold: 1, EvaluationPeriods: 5 });
    const disk = putMetricAlarmRequest(named('vitascope-replica-disk-usage-warning'));
    expect(disk.Metrics).toEqual([
      {
        Id: 'free',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/RDS',
            MetricName: 'FreeStorageSpace',
            Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'prod-db-replica' }],
          },
          Period: 300,
          Stat: 'Minimum',
        },
        ReturnData: false,
      },
      { Id: 'e1', Expression: '100 - 100 * free / (100 * 1073741824)', Label: 'storage used (%)', ReturnData: true },
    ]);
    expect(disk).toMatchObject({ Threshold: 80 });
    // Nothing the rules watch is a metric only this program would have made up.
    for (const a of exported.alarms) {
      const m = a.metric;
      const names =
        m.kind === 'metric' ? [`${m.namespace} ${m.name}`] : m.inputs.map((i) => `${i.namespace} ${i.name}`);
      for (const n of names)
        expect([
          'Vitascope/Infra ServiceUnhealthy',
          'Vitascope/Infra DiskUtilization',
          'Vitascope/API Http5xxCount',
          'Vitascope/API RequestCount',
        ]).not.toContain(n);
    }
  });

  it('leaves out what it cannot make, saying which dimension or limit is missing', () => {
    const bare = cloudWatchAlarms(
      DEFAULT_RULES,
      inventory({
        ...SECTION,
        resources: {
          ...SECTION.resources,
          api: undefined,
          'rds-instance': [{ token: 'db', dimensions: { DBInstanceIdentifier: 'prod-db' } }],
        },
      }),
      byRule,
    );
    const reasons = Object.fromEntries(
      bare.notExported
        .filter((n) => ['error-rate', 'disk-utilization'].includes(n.ruleId))
        .map((n) => [n.ruleId, n.reason]),
    );
    expect(reasons).toEqual({
      'disk-utilization':
        'allocated_storage_gib of db is not known: give it as limits.allocated_storage_gib in resources.rds-instance (db), or configure AWS so that alarms export reads it',
      'error-rate':
        'AWS/ApplicationELB HTTPCode_Target_5XX_Count needs the dimensions LoadBalancer, TargetGroup: give them in resources.api (api)',
    });
  });

  it('turns a ratio to a known limit into an absolute threshold, and marks an unknown limit', () => {
    expect(named('vitascope-db-connections-warning')).toMatchObject({
      threshold: 320,
      metric: { kind: 'metric', name: 'DatabaseConnections', statistic: 'Maximum' },
    });
    expect(named('vitascope-db-connections-warning').description).toMatch(/≥ 80 % of max_connections \(400\)/);
    expect(exported.alarms.some((a) => a.name === 'vitascope-replica-connections-warning')).toBe(false);
    expect(exported.notExported.find((n) => n.ruleId === 'rds-connections')).toEqual({
      ruleId: 'rds-connections',
      names: ['vitascope-replica-connections-warning'],
      reason:
        'max_connections of replica is not known: set aws.maxConnections.prod-db-replica (the one source for alarms, status and summary), or configure AWS so that its instance class gives it',
    });
    expect(tidy(0.8 * 400)).toBe(320);
  });

  it('marks every comparison with an earlier window as not expressible, with the alternatives', () => {
    const baseline = exported.notExported.filter((n) => n.ruleId !== 'rds-connections');
    expect(baseline.map((n) => n.ruleId)).toEqual(BASELINE_RULES);
    expect(baseline.find((n) => n.ruleId === 'daily-active-users')).toMatchObject({
      names: ['vitascope-dau-drop-warning'],
      reason: expect.stringMatching(/CloudWatch metric math has no time shift.*offset 1w/),
      alternatives: [expect.stringMatching(/^an anomaly detection band/), expect.stringMatching(/scheduled Lambda/)],
    });
    expect(baseline.find((n) => n.ruleId === 'network-traffic')!.names).toEqual([
      'vitascope-api-network-traffic-warning',
    ]);
  });

  it("follows the configuration's overrides: thresholds, windows, disabled rules", () => {
    const { policy } = applyOverrides(DEFAULT_POLICY, {
      rules: { 'cpu-utilization': { warning: 75, periodSeconds: 300 }, 'auth-failures': { enabled: false } },
    });
    const e = cloudWatchAlarms(policy.rules, inventory(), byRule);
    expect(e.alarms.find((a) => a.name === 'vitascope-api-high-cpu-warning')).toMatchObject({
      threshold: 75,
      periodSeconds: 300,
    });
    expect(e.alarms.some((a) => a.ruleId === 'auth-failures')).toBe(false);
  });

  it('says "No runbook" and leaves OK actions out when told to', () => {
    const e = cloudWatchAlarms(DEFAULT_RULES, inventory({ ...SECTION, okActions: false }));
    const a = e.alarms[0]!;
    expect(a.description).toContain('No runbook.');
    expect(putMetricAlarmRequest(a)).toMatchObject({ AlarmActions: [PAGER], OKActions: [] });
    expect(e.alarms.find((x) => x.level === 'info')).toBeUndefined();
  });
});

describe('the resources section', () => {
  it('reports a missing dimension, a repeated token and a second api entry by path', () => {
    const { problems } = inventoryFrom(
      {
        resources: {
          'ecs-service': [
            { token: 'api', dimensions: { ClusterName: 'prod' } },
            { token: 'api', dimensions: { ClusterName: 'prod', ServiceName: 'x' } },
          ],
          api: [
            { token: 'api', dimensions: {} },
            { token: 'api2', dimensions: {} },
          ],
        },
      },
      DEFAULT_RULES,
    );
    expect(problems).toEqual([
      {
        path: ['resources', 'ecs-service', 0, 'dimensions', 'ServiceName'],
        message: 'missing: the ecs-service rules need the dimension ServiceName',
      },
      { path: ['resources', 'ecs-service', 1, 'token'], message: '"api" is used twice: alarm names would collide' },
      { path: ['resources', 'api'], message: "at most one entry: the api rules' metrics have no dimensions" },
    ]);
  });

  it('is strict about keys, tokens and ARNs', () => {
    expect(alarmsSectionSchema.safeParse({ resource: {} }).success).toBe(false);
    expect(alarmsSectionSchema.safeParse({ resources: { 'ecs-service': [{ token: 'Bad Token' }] } }).success).toBe(
      false,
    );
    expect(alarmsSectionSchema.safeParse({ actions: { critical: ['not-an-arn'] } }).success).toBe(false);
    expect(alarmsSectionSchema.safeParse({ targets: ['cloudwatch', 'datadog'] }).success).toBe(false);
    expect(alarmsSectionSchema.parse({ resources: { product: [{ token: '' }] } }).resources!.product![0]).toEqual({
      token: '',
      dimensions: {},
    });
  });

  it('gives api and product one instance when not listed, and nothing else', () => {
    const inv = inventory({});
    expect(inv.resources.api).toEqual([{ token: 'api', dimensions: {} }]);
    expect(inv.resources.product).toEqual([{ token: '', dimensions: {} }]);
    expect(inv.resources['ecs-service']).toEqual([]);
    expect(inv.targets).toEqual(['cloudwatch']);
    expect(inv.okActions).toBe(true);
  });
});

describe('Terraform', () => {
  const text = terraformAlarms(cloudWatchAlarms(DEFAULT_RULES, inventory(), byRule), ['header line']);

  it('writes one aws_cloudwatch_metric_alarm per alarm, fmt-aligned, braces balanced', () => {
    const resources = [
      ...text.matchAll(/^resource "aws_cloudwatch_metric_alarm" "([A-Za-z_][A-Za-z0-9_]*)" \{$/gm),
    ].map((m) => m[1]);
    expect(resources).toHaveLength(19);
    expect(resources).toContain('vitascope_api_error_rate_critical');
    expect(new Set(resources).size).toBe(resources.length);
    expect(text.split('{').length).toBe(text.split('}').length);
    expect(text).toMatch(/^# header line\n\nresource /);
    expect(text).toContain('  comparison_operator = "GreaterThanOrEqualToThreshold"\n  threshold           = 70\n');
    expect(text).toContain('  dimensions = {\n    ClusterName = "prod"\n    ServiceName = "vitascope-api"\n  }\n');
    expect(text).toContain(
      '  metric_query {\n    id          = "e1"\n    expression  = "100 * FILL(m1, 0) / m2"\n    label       = "Error rate (%)"\n    return_data = true\n  }\n',
    );
    expect(text).toContain(
      '    metric {\n      namespace   = "AWS/ApplicationELB"\n      metric_name = "HTTPCode_Target_5XX_Count"\n      stat        = "Sum"\n      period      = 60\n',
    );
    expect(text).toContain(`  alarm_actions       = ["${PAGER}"]\n`);
    expect(text).not.toContain(TICKETS);
  });

  it('lists what it cannot express as comments at the end', () => {
    const tail = text.slice(text.indexOf('# NOT EXPORTED'));
    expect(tail).not.toMatch(/^resource/m);
    for (const id of [...BASELINE_RULES, 'rds-connections']) expect(tail).toContain(`# ${id} (`);
    expect(tail).toMatch(/^# {3}alternative: an anomaly detection band/m);
  });

  it('escapes strings and names resources safely', () => {
    expect(hclString('a "b" \\ ${x} %{y}\n')).toBe('"a \\"b\\" \\\\ $${x} %%{y}\\n"');
    expect(resourceName('vitascope-1a.b')).toBe('vitascope_1a_b');
    expect(resourceName('9x')).toBe('_9x');
  });
});

describe('Prometheus rules', () => {
  // A Prometheus scraping every 15 s: a rule's 1-minute period is a 1-minute rate window (four scrapes).
  const exported = prometheusRules(DEFAULT_RULES, inventory(), byRule, appMetrics({ scrapeInterval: '15s' }));
  const rule = (alert: string) => exported.rules.find((r) => r.alert === alert)!;

  it("compute the app metrics the way the named queries do, on prometheus_client's names and the strategy's job", () => {
    expect(rule('vitascope-api-error-rate-critical').expr).toBe(
      `${expressionFor('error_rate_percent', { windowSeconds: 60 })} >= 5`,
    );
    expect(rule('vitascope-api-error-rate-critical').expr).toBe(
      '100 * (sum(rate(app_request_count_total{job="vitascope-api",status_code=~"5.."}[1m])) or 0 * sum(rate(app_request_count_total{job="vitascope-api"}[1m]))) / sum(rate(app_request_count_total{job="vitascope-api"}[1m])) >= 5',
    );
    expect(rule('vitascope-api-high-latency-warning').expr).toBe(
      `${expressionFor('p95_latency_seconds', { windowSeconds: 60 })} >= 0.5`,
    );
    expect(rule('vitascope-api-high-latency-warning').expr).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(app_request_latency_seconds_bucket{job="vitascope-api"}[1m]))) >= 0.5',
    );
    expect(rule('vitascope-api-high-latency-critical')).toMatchObject({ threshold: 1, source: 'app' });
  });

  it("rate over at least four scrapes: on Prometheus's default 1m scrape a 1-minute rule rates over 4m (1m would be empty)", () => {
    const byDefault = prometheusRules(DEFAULT_RULES, inventory(), byRule).rules;
    expect(byDefault.find((r) => r.alert === 'vitascope-api-error-rate-critical')!.expr).toContain(
      'app_request_count_total{job="vitascope-api",status_code=~"5.."}[4m]',
    );
    expect(byDefault.find((r) => r.alert === 'vitascope-api-error-rate-critical')!.expr).not.toContain('[1m]');
    // A 5-minute rule keeps its window.
    expect(byDefault.find((r) => r.alert === 'vitascope-api-call-rate-warning')!.expr).toContain('[5m]');
  });

  it('follow the configured metric and label names', () => {
    const names = appMetrics({
      requestCount: 'http_requests_total',
      requestLatency: 'http_request_duration_seconds',
      service: 'api',
      labels: { service: 'service', statusCode: 'code' },
      scrapeInterval: '15s',
    });
    const custom = prometheusRules(DEFAULT_RULES, inventory(), byRule, names).rules;
    expect(custom.find((r) => r.alert === 'vitascope-api-error-rate-critical')!.expr).toBe(
      '100 * (sum(rate(http_requests_total{service="api",code=~"5.."}[1m])) or 0 * sum(rate(http_requests_total{service="api"}[1m]))) / sum(rate(http_requests_total{service="api"}[1m])) >= 5',
    );
    expect(custom.find((r) => r.alert === 'vitascope-api-high-latency-critical')!.expr).toContain(
      'rate(http_request_duration_seconds_bucket{service="api"}[1m])',
    );
    // Every series: no service matcher.
    const all = prometheusRules(
      DEFAULT_RULES,
      inventory(),
      byRule,
      appMetrics({ service: '', scrapeInterval: '15s' }),
    ).rules;
    expect(all.find((r) => r.alert === 'vitascope-api-call-rate-warning')!.expr).toBe(
      'sum(rate(app_request_count_total[5m])) / (sum(rate(app_request_count_total[5m] offset 1w)) > 0) >= 2',
    );
  });

  it('compare with the same window earlier through offset', () => {
    expect(rule('vitascope-api-call-rate-warning').expr).toBe(
      'sum(rate(app_request_count_total{job="vitascope-api"}[5m])) / (sum(rate(app_request_count_total{job="vitascope-api"}[5m] offset 1w)) > 0) >= 2',
    );
    expect(rule('vitascope-api-sessions-drop-warning').expr).toBe(
      '(1 - avg(avg_over_time(vitascope_api_active_sessions_average[5m])) / (avg(avg_over_time(vitascope_api_active_sessions_average[5m] offset 1d)) > 0)) >= 0.3',
    );
    expect(rule('vitascope-dau-drop-warning').expr).toContain('[1h] offset 1w');
  });

  it("use the CloudWatch exporter's names for the rest, by the resources' labels", () => {
    expect(rule('vitascope-high-cpu-critical').expr).toBe(
      'avg by (cluster_name, service_name) (avg_over_time(aws_ecs_cpuutilization_average[1m])) >= 90',
    );
    expect(rule('vitascope-lambda-errors-warning').expr).toBe(
      '100 * (sum by (function_name) (sum_over_time(aws_lambda_errors_sum[5m])) or 0 * sum by (function_name) (sum_over_time(aws_lambda_invocations_sum[5m]))) / (sum by (function_name) (sum_over_time(aws_lambda_invocations_sum[5m])) > 0) >= 1',
    );
    expect(exporterName('AWS/RDS', 'DatabaseConnections', 'Maximum')).toBe('aws_rds_database_connections_maximum');
    expect([
      snake('DBInstanceIdentifier'),
      snake('ApproximateNumberOfMessagesVisible'),
      snake('p95ResponseTime'),
      snake('Vitascope/API'),
    ]).toEqual([
      'dbinstance_identifier',
      'approximate_number_of_messages_visible',
      'p95_response_time',
      'vitascope_api',
    ]);
  });

  it('write one rule per resource for a ratio to a known limit, and mark the unknown one', () => {
    expect(rule('vitascope-db-connections-warning').expr).toBe(
      'max by (dbinstance_identifier) (max_over_time(aws_rds_database_connections_maximum{dbinstance_identifier="prod-db"}[1m])) / 400 >= 0.8',
    );
    expect(exported.notExported.map((n) => n.names)).toEqual([['vitascope-replica-connections-warning']]);
  });

  it('take for: from the window, severity and priority labels, and the runbook as annotations', () => {
    expect(rule('vitascope-api-error-rate-critical').forSeconds).toBe(60);
    expect(rule('vitascope-service-unhealthy-critical').forSeconds).toBe(240);
    expect(rule('vitascope-dau-drop-warning').forSeconds).toBe(0);
    expect(rule('vitascope-api-error-rate-critical').labels).toEqual({
      severity: 'critical',
      priority: 'P2',
      policy_rule: 'error-rate',
    });
    expect(rule('vitascope-registrations-drop-info').labels).toEqual({
      severity: 'info',
      priority: 'P4',
      policy_rule: 'new-registrations',
    });
    expect(rule('vitascope-api-error-rate-critical').annotations).toMatchObject({
      runbook: 'error-rate',
      runbook_url: 'https://runbooks.example/vitascope/error-rate.yaml',
      summary: 'Error rate {{ $value | printf "%.1f" }} % (threshold 5 %)',
    });
    expect(rule('vitascope-high-cpu-warning').annotations.summary).toBe(
      '{{ $labels.cluster_name }}/{{ $labels.service_name }}: CPU utilisation {{ $value | printf "%.1f" }} % (threshold 70 %)',
    );
  });

  it('print as YAML groups by layer, with the header and the gaps as comments', () => {
    const yaml = prometheusRulesYaml(exported, ['generated']);
    expect(yaml.startsWith('# generated\ngroups:\n  - name: vitascope-infra\n')).toBe(true);
    expect(yaml).toContain('  - name: vitascope-app\n');
    expect(yaml).toContain('  - name: vitascope-business\n');
    expect(yaml).toContain('        for: 4m\n');
    expect(yaml).toMatch(
      /# NOT EXPORTED:\n# rds-connections \(vitascope-replica-connections-warning\): max_connections of replica is not known/,
    );
    expect([
      promDuration(604_800),
      promDuration(86_400),
      promDuration(3600),
      promDuration(120),
      promDuration(90),
    ]).toEqual(['1w', '1d', '1h', '2m', '90s']);
  });
});
