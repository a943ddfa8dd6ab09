/**
 * Deployed alarms against the policy, without a server: every kind of drift is found and named, the
 * alarms of other teams are left out, and apply's plan touches exactly what drifted.
 */
import { describe, expect, it } from 'vitest';
import { cloudWatchAlarms, putMetricAlarmRequest } from '../../../src/core/alarms/cloudwatch.js';
import {
  noDataFindings,
  auditCloudWatch,
  auditPrometheus,
  normalisePromQL,
  planApply,
  splitComparison,
  type DeployedMetricAlarm,
  type DeployedPromRule,
} from '../../../src/core/alarms/drift.js';
import { prometheusRules, promDuration } from '../../../src/core/alarms/prometheusRules.js';
import { DEFAULT_RULES } from '../../../src/core/policy/rules.js';
import { byRule, inventory, PAGER } from './fixtures.js';

const expected = cloudWatchAlarms(DEFAULT_RULES, inventory(), byRule);
const options = { rules: DEFAULT_RULES, runbookFor: byRule };

/** What DescribeAlarms gives back for what PutMetricAlarm was sent (tags are not part of it). */
function deployedAs(request: Record<string, unknown>): DeployedMetricAlarm {
  const { Tags: _tags, AlarmDescription: _d, ...rest } = request;
  return rest as DeployedMetricAlarm;
}

function deployAll(): DeployedMetricAlarm[] {
  return expected.alarms.map((a) => deployedAs(putMetricAlarmRequest(a)));
}

function edit(
  list: DeployedMetricAlarm[],
  name: string,
  change: (a: Record<string, unknown>) => Record<string, unknown>,
): DeployedMetricAlarm[] {
  return list.map((a) => (a.AlarmName === name ? (change({ ...a }) as DeployedMetricAlarm) : a));
}

describe('CloudWatch audit', () => {
  it('is clean when what is deployed is what the policy asks for', () => {
    const r = auditCloudWatch(expected, deployAll(), options);
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ expected: 19, deployed: 19, ignored: 0 });
  });

  it("names missing, extra, drifted, silent and runbook-less alarms, and ignores other teams' alarms", () => {
    let deployed = deployAll().filter((a) => a.AlarmName !== 'vitascope-api-high-memory-warning');
    deployed = edit(deployed, 'vitascope-api-high-cpu-warning', (a) => ({ ...a, Threshold: 75 }));
    deployed = edit(deployed, 'vitascope-api-high-cpu-critical', (a) => ({ ...a, Period: 300 }));
    deployed = edit(deployed, 'vitascope-api-error-rate-warning', (a) => ({
      ...a,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
    }));
    deployed = edit(deployed, 'vitascope-api-error-rate-critical', (a) => ({
      ...a,
      Metrics: (a.Metrics as { Id: string }[]).map((m) => (m.Id === 'e1' ? { ...m, Expression: 'm1 / m2' } : m)),
    }));
    deployed = edit(deployed, 'vitascope-db-disk-usage-warning', (a) => ({ ...a, AlarmActions: [], OKActions: [] }));
    deployed = edit(deployed, 'vitascope-db-disk-usage-critical', (a) => ({ ...a, ActionsEnabled: false }));
    deployed = edit(deployed, 'vitascope-sync-lambda-errors-warning', (a) => ({
      ...a,
      AlarmActions: ['arn:aws:sns:ap-northeast-1:123456789012:old-topic'],
    }));
    deployed = edit(deployed, 'vitascope-api-high-latency-warning', (a) => ({ ...a, Statistic: 'Maximum' }));
    deployed.push(
      {
        AlarmName: 'vitascope-api-queue-age-warning',
        Namespace: 'Custom',
        MetricName: 'Age',
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [],
      },
      {
        AlarmName: 'vitascope-api-network-traffic-warning',
        Namespace: 'Vitascope/Infra',
        MetricName: 'NetworkBytes',
        AlarmActions: [PAGER],
      },
      { AlarmName: 'billing-total', Namespace: 'AWS/Billing', MetricName: 'EstimatedCharges' },
    );
    const r = auditCloudWatch(expected, deployed, options);
    expect(r.findings.map((f) => [f.kind, f.alarm, f.fixable])).toEqual([
      ['missing', 'vitascope-api-high-memory-warning', true],
      ['extra', 'vitascope-api-queue-age-warning', false],
      ['threshold', 'vitascope-api-high-cpu-warning', true],
      ['period', 'vitascope-api-high-cpu-critical', true],
      ['evaluation', 'vitascope-api-error-rate-warning', true],
      ['metric', 'vitascope-api-error-rate-critical', true],
      ['metric', 'vitascope-api-high-latency-warning', true],
      ['actions', 'vitascope-sync-lambda-errors-warning', true],
      ['no-action', 'vitascope-api-queue-age-warning', false],
      ['no-action', 'vitascope-db-disk-usage-critical', true],
      ['no-action', 'vitascope-db-disk-usage-warning', true],
      ['no-runbook', 'vitascope-api-queue-age-warning', false],
    ]);
    const message = (alarm: string, kind: string) =>
      r.findings.find((f) => f.alarm === alarm && f.kind === kind)!.message;
    expect(message('vitascope-api-high-cpu-warning', 'threshold')).toBe('threshold 75, policy 70');
    expect(message('vitascope-api-high-cpu-critical', 'period')).toBe('period 300 s, policy 60 s');
    expect(message('vitascope-api-error-rate-warning', 'evaluation')).toBe('5 of 5 periods, policy 2 of 3');
    expect(message('vitascope-api-error-rate-critical', 'metric')).toMatch(
      /^watches m1 \/ m2 with m1=AWS\/ApplicationELB HTTPCode_Target_5XX_Count Sum\{LoadBalancer=app\/prod-alb\/1234567890abcdef, TargetGroup=targetgroup\/prod-api\/fedcba0987654321\}; m2=.*; policy: 100 \* FILL\(m1, 0\) \/ m2 with/,
    );
    expect(message('vitascope-db-disk-usage-critical', 'no-action')).toBe('its actions are disabled');
    // The hand-made alarm for a rule CloudWatch cannot express is a note, not drift.
    expect(r.notes).toEqual([
      {
        target: 'cloudwatch',
        alarm: 'vitascope-api-network-traffic-warning',
        message: 'deployed by hand: the policy cannot express rule network-traffic in CloudWatch, so it is not managed',
      },
    ]);
    expect(r).toMatchObject({ deployed: 20, ignored: 1 });
  });

  it('cannot put silence right when no actions are configured', () => {
    const bare = cloudWatchAlarms(DEFAULT_RULES, inventory({ resources: {} }), byRule);
    const r = auditCloudWatch(
      bare,
      bare.alarms.map((a) => deployedAs(putMetricAlarmRequest(a))),
      options,
    );
    expect(new Set(r.findings.map((f) => f.kind))).toEqual(new Set(['no-action']));
    expect(r.findings.every((f) => !f.fixable && /no actions are configured/.test(f.message))).toBe(true);
  });

  it('plans creates and updates only, never deletes', () => {
    let deployed = deployAll().filter((a) => a.AlarmName !== 'vitascope-api-high-memory-warning');
    deployed = edit(deployed, 'vitascope-api-high-cpu-warning', (a) => ({ ...a, Threshold: 75 }));
    deployed.push({ AlarmName: 'vitascope-old-thing-warning', Namespace: 'X', MetricName: 'Y', AlarmActions: [PAGER] });
    const plan = planApply(expected, deployed, options);
    const changed = plan.items.filter((i) => i.action !== 'unchanged');
    expect(changed.map((i) => [i.action, i.spec.name])).toEqual([
      ['update', 'vitascope-api-high-cpu-warning'],
      ['create', 'vitascope-api-high-memory-warning'],
    ]);
    expect(changed[0]!.changes).toEqual(['threshold: threshold 75, policy 70']);
    expect(changed[0]!.request).toEqual(putMetricAlarmRequest(changed[0]!.spec));
    expect(plan.leftAlone).toEqual(['vitascope-old-thing-warning']);
    expect(plan.items.filter((i) => i.action === 'unchanged')).toHaveLength(17);
    expect(planApply(expected, deployAll(), options).items.every((i) => i.action === 'unchanged')).toBe(true);
  });
});

describe('Prometheus audit', () => {
  const rules = prometheusRules(DEFAULT_RULES, inventory(), byRule);
  /** What /api/v1/rules reports for a loaded rule. */
  const loaded = (): DeployedPromRule[] =>
    rules.rules.map((r) => ({
      name: r.alert,
      query: r.expr.replace(/\{\}/g, ''),
      durationSeconds: r.forSeconds,
      labels: { ...r.labels },
      annotations: { ...r.annotations },
      health: 'ok',
    }));

  it('is clean when the rules are the export', () => {
    expect(
      auditPrometheus(rules, [
        ...loaded(),
        { name: 'NodeDown', query: 'up == 0', durationSeconds: 0, labels: {}, annotations: {} },
      ]),
    ).toMatchObject({ findings: [], ignored: 1, expected: rules.rules.length });
  });

  it('names every kind of drift', () => {
    const deployed = loaded()
      .filter((r) => r.name !== 'vitascope-high-memory-warning')
      .map((r): DeployedPromRule => {
        switch (r.name) {
          case 'vitascope-api-error-rate-critical':
            return { ...r, query: r.query.replace(/>= 5$/, '>= 10') };
          case 'vitascope-high-cpu-critical':
            return { ...r, durationSeconds: 300 };
          case 'vitascope-api-high-latency-warning':
            return { ...r, annotations: { summary: 'x' }, labels: { ...r.labels, severity: 'page' } };
          case 'vitascope-api-call-rate-warning':
            return { ...r, query: r.query.replace(' offset 1w', ' offset 1d') };
          case 'vitascope-queue-depth-warning':
            return { ...r, health: 'err', lastError: 'many-to-many matching not allowed' };
          default:
            return r;
        }
      });
    deployed.push({
      name: 'vitascope-custom-warning',
      query: 'x > 1',
      durationSeconds: 0,
      labels: {},
      annotations: {},
    });
    const r = auditPrometheus(rules, deployed);
    expect(r.findings.map((f) => [f.kind, f.alarm])).toEqual([
      ['missing', 'vitascope-high-memory-warning'],
      ['extra', 'vitascope-custom-warning'],
      ['broken', 'vitascope-queue-depth-warning'],
      ['threshold', 'vitascope-api-error-rate-critical'],
      ['evaluation', 'vitascope-high-cpu-critical'],
      ['expression', 'vitascope-api-call-rate-warning'],
      ['severity', 'vitascope-api-high-latency-warning'],
      ['no-runbook', 'vitascope-api-high-latency-warning'],
      ['no-runbook', 'vitascope-custom-warning'],
    ]);
    expect(r.findings.find((f) => f.kind === 'threshold')!.message).toBe('>= 10, policy >= 5');
    expect(r.findings.find((f) => f.kind === 'evaluation')!.message).toBe(`for ${promDuration(300)}, policy 1m`);
  });

  it('reads thresholds off the end of an expression and compares expressions as Prometheus prints them', () => {
    expect(splitComparison('a / (b > 0) >= 3')).toEqual({ base: 'a / (b > 0)', op: '>=', threshold: 3 });
    expect(splitComparison('x > 1e3 ')).toEqual({ base: 'x', op: '>', threshold: 1000 });
    expect(splitComparison('up')).toEqual({ base: 'up' });
    expect(normalisePromQL('sum (rate(x{}[5m]))')).toBe(normalisePromQL('sum(rate(x[5m]))'));
  });
});

describe('alarms that see no data', () => {
  const now = Date.UTC(2026, 0, 6, 0, 0);
  const alarm = (name: string, extra: Record<string, unknown> = {}) => ({
    AlarmName: name,
    Namespace: 'Vitascope/API',
    MetricName: 'AuthFailureStreak',
    Statistic: 'Maximum',
    Dimensions: [],
    Period: 60,
    EvaluationPeriods: 1,
    StateValue: 'OK',
    ...extra,
  });
  it('no datapoints in the window, or INSUFFICIENT_DATA for more than a day, is a finding with what to do; could-not-tell is none', () => {
    const found = noDataFindings(
      [
        alarm('vitascope-api-auth-failures-warning'),
        alarm('vitascope-old-warning', {
          StateValue: 'INSUFFICIENT_DATA',
          StateUpdatedTimestamp: new Date(now - 26 * 3_600_000),
        }),
        alarm('vitascope-young-warning', {
          StateValue: 'INSUFFICIENT_DATA',
          StateUpdatedTimestamp: new Date(now - 3_600_000),
        }),
        alarm('vitascope-unknown-warning'),
        {
          AlarmName: 'vitascope-db-disk-usage-warning',
          Namespace: 'AWS/RDS',
          MetricName: 'FreeStorageSpace',
          Statistic: 'Minimum',
          Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'prod-db' }],
          Period: 300,
          EvaluationPeriods: 1,
        },
      ],
      new Map([
        ['vitascope-api-auth-failures-warning', 0],
        ['vitascope-old-warning', 5],
        ['vitascope-young-warning', 3],
        ['vitascope-unknown-warning', undefined],
        ['vitascope-db-disk-usage-warning', 0],
      ]),
      now,
      DEFAULT_RULES,
    );
    expect(found.map((f) => [f.alarm, f.ruleId ?? null, f.message])).toEqual([
      [
        'vitascope-api-auth-failures-warning',
        'auth-failures',
        'no datapoints of Vitascope/API AuthFailureStreak Maximum{} in its evaluation window (1m): nothing publishes Vitascope/API AuthFailureStreak: publish it from the app, or point the rule at the metric that carries the signal (policy.rules.auth-failures.metric)',
      ],
      [
        'vitascope-old-warning',
        null,
        expect.stringMatching(
          /^in INSUFFICIENT_DATA since 2026-01-04T22:00:00\.000Z \(more than a day\) watching Vitascope\/API AuthFailureStreak/,
        ),
      ],
      [
        'vitascope-db-disk-usage-warning',
        'disk-utilization',
        "no datapoints of AWS/RDS FreeStorageSpace Minimum{DBInstanceIdentifier=prod-db} in its evaluation window (5m): check the dimension values (DBInstanceIdentifier) in the alarms section's resources: AWS/RDS publishes nothing for DBInstanceIdentifier=prod-db",
      ],
    ]);
  });
});
