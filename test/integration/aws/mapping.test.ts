/**
 * The pure parts of the AWS adapters, for the cases moto cannot produce: ECS deployments with an
 * older ACTIVE one, service events, rollout states without the circuit breaker, metric-math alarms,
 * history records, max_connections, query packing, and the pager's guard against repeated tokens.
 * No server and no SDK mock: these functions take SDK-shaped data and return the model.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../../src/core/policy/rules.js';
import { isThrottling } from '../../../src/core/live/poller.js';
import {
  levelFromName,
  levelFromRule,
  metricAlarmToAlarm,
  parseStateUpdate,
  ruleFor,
} from '../../../src/sources/aws/alarmMapping.js';
import { AwsApiError, collectPages, reasonOf } from '../../../src/sources/aws/calls.js';
import {
  parseServiceRef,
  parseTaskDefinition,
  previousFromDeployments,
  toService,
} from '../../../src/sources/aws/ecsMapping.js';
import { classMemoryBytes, defaultMaxConnections } from '../../../src/sources/aws/maxConnections.js';
import { batchQueries, periodFor } from '../../../src/sources/aws/metricBatches.js';

const rule = (id: string) => DEFAULT_RULES.find((r) => r.id === id)!;

describe('alarm levels', () => {
  it('takes the suffix first, then the rule, then warning', () => {
    expect(levelFromName('vitascope-api-high-cpu-critical')).toBe('critical');
    expect(levelFromName('vitascope-api-high-cpu')).toBeUndefined();
    expect(levelFromRule(rule('cpu-utilization'), 90, 'GreaterThanOrEqualToThreshold')).toBe('critical');
    expect(levelFromRule(rule('cpu-utilization'), 80, 'GreaterThanThreshold')).toBe('warning');
    expect(levelFromRule(rule('cpu-utilization'), 40, 'GreaterThanThreshold')).toBe('warning');
    expect(levelFromRule(rule('new-registrations'), 0.3, 'LessThanThreshold')).toBe('info');
    expect(levelFromRule(rule('ecs-service-state'), undefined, undefined)).toBe('critical');
  });

  it('finds the rule by slug in product names, else by metric', () => {
    expect(ruleFor('vitascope-api-error-rate-warning', [], DEFAULT_RULES)?.id).toBe('error-rate');
    expect(ruleFor('vitascope-feature-usage-drop-info', [], DEFAULT_RULES)?.id).toBe('feature-usage');
    expect(
      ruleFor(
        'team-x-latency',
        [{ namespace: 'Vitascope/API', name: 'p95ResponseTime', dimensions: {} }],
        DEFAULT_RULES,
      )?.id,
    ).toBe('api-latency-p95');
    expect(ruleFor('team-x-error-rate', [], DEFAULT_RULES)).toBeUndefined();
  });

  it('maps a metric-math alarm to the metric its rule watches, and the newest evaluated value', () => {
    const alarm = metricAlarmToAlarm(
      {
        AlarmName: 'vitascope-api-error-rate-critical',
        AlarmArn: 'arn:aws:cloudwatch:ap-northeast-1:1:alarm:vitascope-api-error-rate-critical',
        StateValue: 'ALARM',
        StateReasonData: JSON.stringify({ recentDatapoints: [4.2, 6.1] }),
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Metrics: [
          {
            Id: 'r',
            MetricStat: { Metric: { Namespace: 'Vitascope/API', MetricName: 'RequestCount' }, Period: 60, Stat: 'Sum' },
            ReturnData: false,
          },
          {
            Id: 'e',
            MetricStat: { Metric: { Namespace: 'Vitascope/API', MetricName: 'Http5xxCount' }, Period: 60, Stat: 'Sum' },
            ReturnData: false,
          },
          { Id: 'rate', Expression: '100*e/r', ReturnData: true },
        ],
      },
      DEFAULT_RULES,
    );
    expect(alarm).toMatchObject({
      level: 'critical',
      ruleId: 'error-rate',
      unit: 'percent',
      value: 6.1,
      periodSeconds: 60,
      metric: { namespace: 'Vitascope/API', name: 'Http5xxCount', statistic: 'Sum' },
      stateSince: 0,
    });
  });

  it('parses history records, and their summaries when HistoryData is missing', () => {
    expect(
      parseStateUpdate(
        '{"oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"Threshold Crossed"}}',
        '',
      ),
    ).toEqual({
      from: 'OK',
      to: 'ALARM',
      reason: 'Threshold Crossed',
    });
    expect(parseStateUpdate(undefined, 'Alarm updated from ALARM to OK')).toEqual({ from: 'ALARM', to: 'OK' });
    expect(parseStateUpdate('{}', 'Alarm "x" created')).toBeUndefined();
  });
});

describe('ECS mapping', () => {
  const at = (m: number) => new Date(Date.UTC(2025, 0, 1, 12, m));
  const service = toService(
    {
      serviceArn: 'arn:aws:ecs:ap-northeast-1:1:service/prod/api',
      serviceName: 'api',
      clusterArn: 'arn:aws:ecs:ap-northeast-1:1:cluster/prod',
      status: 'ACTIVE',
      desiredCount: 4,
      runningCount: 3,
      pendingCount: 1,
      taskDefinition: 'arn:aws:ecs:ap-northeast-1:1:task-definition/api:8',
      deployments: [
        {
          id: 'd-old',
          status: 'ACTIVE',
          taskDefinition: 'arn:aws:ecs:ap-northeast-1:1:task-definition/api:7',
          desiredCount: 4,
          runningCount: 2,
          createdAt: at(1),
        },
        {
          id: 'd-new',
          status: 'PRIMARY',
          taskDefinition: 'arn:aws:ecs:ap-northeast-1:1:task-definition/api:8',
          desiredCount: 4,
          runningCount: 1,
          pendingCount: 1,
          createdAt: at(5),
        },
      ],
      events: Array.from({ length: 30 }, (_, i) => ({ id: `e${i}`, createdAt: at(i), message: `event ${i}` })),
    },
    'prod',
    5,
  );

  it('maps deployments newest first, infers rollout states, keeps the newest events', () => {
    expect(service.deployments.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      ['d-new', 'PRIMARY', 'IN_PROGRESS'],
      ['d-old', 'ACTIVE', 'IN_PROGRESS'],
    ]);
    expect(service.deployments[1]!.updatedAt).toBe(at(1).getTime());
    expect(service.events.map((e) => e.id)).toEqual(['e29', 'e28', 'e27', 'e26', 'e25']);
    expect(service).toMatchObject({ cluster: 'prod', desired: 4, running: 3, pending: 1 });
  });

  it('takes the previous task definition from an older ACTIVE deployment first', () => {
    expect(previousFromDeployments(service)).toBe('arn:aws:ecs:ap-northeast-1:1:task-definition/api:7');
    expect(
      previousFromDeployments({ taskDefinition: 'x:1', deployments: service.deployments.slice(0, 1) }),
    ).toBeUndefined();
  });

  it('parses service references and task definitions', () => {
    expect(parseServiceRef('arn:aws:ecs:r:1:service/prod/api')).toEqual({ cluster: 'prod', service: 'api' });
    expect(parseServiceRef('arn:aws:ecs:r:1:service/api')).toEqual({ service: 'api' });
    expect(parseServiceRef('prod/api')).toEqual({ cluster: 'prod', service: 'api' });
    expect(parseServiceRef('api')).toEqual({ service: 'api' });
    expect(() => parseServiceRef('arn:aws:ecs:r:1:cluster/prod')).toThrow(/not an ECS service ARN/);
    expect(parseTaskDefinition('arn:aws:ecs:r:1:task-definition/web:12')).toEqual({ family: 'web', revision: 12 });
    expect(parseTaskDefinition('web')).toBeUndefined();
  });
});

describe('max_connections', () => {
  it('follows the engines’ default formulas over the class memory', () => {
    expect(classMemoryBytes('db.r6g.xlarge')).toBe(32 * 1024 ** 3);
    expect(defaultMaxConnections('postgres', 'db.t3.micro')).toBe(112);
    expect(defaultMaxConnections('postgres', 'db.r6g.16xlarge')).toBe(5000);
    expect(defaultMaxConnections('mysql', 'db.m5.large')).toBe(682);
    expect(defaultMaxConnections('aurora-mysql', 'db.r6g.large')).toBeUndefined();
    expect(defaultMaxConnections('postgres', 'db.z1d.large')).toBeUndefined();
  });
});

describe('metric query packing', () => {
  const q = (i: number, denominator?: string) => ({
    id: `x${i}`,
    metric: { namespace: 'N', name: 'M', dimensions: {} },
    denominator,
  });

  it('never splits a rate across calls and never exceeds 500', () => {
    const queries = [...Array.from({ length: 499 }, (_, i) => q(i)), q(499, 'D'), q(500)];
    const batches = batchQueries(queries, 60);
    expect(batches.map((b) => b.queries.length)).toEqual([499, 4]);
    expect(batches[1]!.queries.map((x) => x.Id)).toEqual(['n499', 'd499', 'q499', 'q500']);
  });

  it('chooses CloudWatch periods', () => {
    expect([1, 4, 20, 60, 90, 300].map(periodFor)).toEqual([1, 5, 30, 60, 120, 300]);
    expect(() => periodFor(0)).toThrow(/positive/);
  });
});

describe('errors and paging', () => {
  it('keeps the SDK error’s name and metadata so throttling stays recognisable', () => {
    const sdk = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    const error = new AwsApiError('ECS DescribeServices', 'cluster prod', sdk);
    expect(error.message).toBe(
      'ECS DescribeServices (cluster prod) failed: ThrottlingException: Rate exceeded (HTTP 400)',
    );
    expect(isThrottling(error)).toBe(true);
    expect(error.cause).toBe(sdk);
    expect(reasonOf(Object.assign(new Error('x'), { name: 'AbortError' }))).toMatch(/cancelled/);
  });

  it('stops a pager that repeats its token', async () => {
    let calls = 0;
    const pages = collectPages('Svc Op', 'thing', async () => ({ page: ++calls, next: 'same' }));
    await expect(pages).rejects.toThrow(/Svc Op \(thing\) failed: the server repeated the page token/);
    expect(calls).toBe(2);
  });
});
