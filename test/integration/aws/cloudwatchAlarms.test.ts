/**
 * The CloudWatch adapter's alarms against moto behind the enforcing front: listing (paging,
 * server-side filters, fields, levels), composite alarms, alarm history and SetAlarmState.
 */
import {
  CloudWatchClient,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import type { AlarmState, AlertLevel } from '../../../src/core/model.js';
import { DEFAULT_RULES } from '../../../src/core/policy/rules.js';
import { mapLimit } from '../../../src/sources/aws/calls.js';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';

const skip = motoSkipReason();

interface Spec {
  name: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  statistic: 'Average' | 'Maximum' | 'Minimum' | 'Sum';
  threshold: number;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  state: AlarmState;
  level: AlertLevel;
  ruleId?: string;
}

const LEVELS: readonly AlertLevel[] = ['critical', 'warning', 'info'];
const pad = (i: number) => String(i).padStart(3, '0');

/** 250 alarms over the policy's rules: named with a level, named without one, legacy names, unknown metrics. */
function specs(): Spec[] {
  const out: Spec[] = [];
  for (let i = 0; i < 250; i++) {
    const rule = DEFAULT_RULES[i % DEFAULT_RULES.length]!;
    const levels = LEVELS.filter((l) => rule.thresholds[l] !== undefined);
    const level = levels[Math.floor(i / DEFAULT_RULES.length) % levels.length]!;
    const dims = Object.fromEntries(rule.metric.dimensions.map((d) => [d, `${d.toLowerCase()}-${i}`]));
    const base = {
      dimensions: dims,
      statistic: rule.metric.statistic,
      period: rule.evaluation.periodSeconds,
      evaluationPeriods: rule.evaluation.evaluationPeriods,
      datapointsToAlarm: rule.evaluation.datapointsToAlarm,
      state: (['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const)[i % 3]!,
    };
    const variant = i % 10;
    if (variant === 9) {
      // A hand-made alarm on a metric the policy does not know: level from the suffix, or warning.
      const suffix = i % 20 === 9 ? '-info' : '';
      out.push({
        ...base,
        name: `vitascope-misc${pad(i)}-queue-age${suffix}`,
        namespace: 'Custom/Other',
        metric: 'OldestMessageAge',
        threshold: 600,
        level: suffix ? 'info' : 'warning',
      });
      continue;
    }
    const common = {
      ...base,
      namespace: rule.metric.namespace,
      metric: rule.metric.name,
      threshold: rule.thresholds[level]!,
      level,
      ruleId: rule.id,
    };
    if (variant === 7) out.push({ ...common, name: `vitascope-r${pad(i)}-${rule.alarmSlug}` });
    else if (variant === 8) out.push({ ...common, name: `vitascope-legacy${pad(i)}` });
    else out.push({ ...common, name: `vitascope-r${pad(i)}-${rule.alarmSlug}-${level}` });
  }
  return out;
}

async function putAlarm(cw: CloudWatchClient, s: Spec): Promise<void> {
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: s.name,
      AlarmDescription: `${s.metric} on ${JSON.stringify(s.dimensions)}`,
      Namespace: s.namespace,
      MetricName: s.metric,
      Dimensions: Object.entries(s.dimensions).map(([Name, Value]) => ({ Name, Value })),
      Statistic: s.statistic,
      Period: s.period,
      EvaluationPeriods: s.evaluationPeriods,
      DatapointsToAlarm: s.datapointsToAlarm,
      Threshold: s.threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [`arn:aws:sns:us-east-1:123456789012:oncall-${s.level}`],
    }),
  );
}

describe.skipIf(skip)('CloudWatch alarms (moto behind an enforcing front)', () => {
  const suite = useAwsSuite();

  it('lists 250 alarms in exactly 3 DescribeAlarms calls, with every field and level right', async () => {
    const cw = new CloudWatchClient(suite.config());
    const all = specs();
    const started = Date.now();
    await mapLimit(all, 8, (s) => putAlarm(cw, s));
    // Alarms of other teams, outside the prefix: CloudWatch filters them out, not the adapter.
    for (const k of [1, 2, 3]) await putAlarm(cw, { ...all[0]!, name: `payments-alarm-${k}` });
    await mapLimit(
      all.filter((s) => s.state !== 'OK'),
      8,
      (s) =>
        cw.send(
          new SetAlarmStateCommand({ AlarmName: s.name, StateValue: s.state, StateReason: `drill for ${s.name}` }),
        ),
    );
    cw.destroy();
    suite.front.clearCalls();

    const alarms = await suite.sources({ alarmPrefix: 'vitascope-' }).alarms.listAlarms();

    expect(suite.front.count('DescribeAlarms')).toBe(3);
    const bodies = suite.front.bodies('DescribeAlarms').map((b) => JSON.parse(b) as Record<string, unknown>);
    for (const b of bodies) {
      expect(b.MaxRecords).toBe(100);
      expect(b.AlarmNamePrefix).toBe('vitascope-');
      expect(b.AlarmTypes).toEqual(['MetricAlarm', 'CompositeAlarm']);
    }
    expect(bodies[0]!.NextToken).toBeUndefined();
    expect(bodies[1]!.NextToken).toBeTruthy();
    expect(alarms).toHaveLength(250);
    const byName = new Map(alarms.map((a) => [a.name, a]));
    for (const s of all) {
      const a = byName.get(s.name);
      expect(a, s.name).toBeDefined();
      expect(a).toMatchObject({
        id: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${s.name}`,
        kind: 'metric',
        state: s.state,
        level: s.level,
        threshold: s.threshold,
        comparison: 'GreaterThanOrEqualToThreshold',
        periodSeconds: s.period,
        evaluationPeriods: s.evaluationPeriods,
        datapointsToAlarm: s.datapointsToAlarm,
        metric: { namespace: s.namespace, name: s.metric, dimensions: s.dimensions, statistic: s.statistic },
        actions: [`arn:aws:sns:us-east-1:123456789012:oncall-${s.level}`],
        description: `${s.metric} on ${JSON.stringify(s.dimensions)}`,
        ruleId: s.ruleId,
      });
      expect(a!.reason).toBe(s.state === 'OK' ? 'Unchecked: Initial alarm creation' : `drill for ${s.name}`);
      expect(a!.stateSince).toBeGreaterThanOrEqual(started - 1000);
      expect(a!.stateSince).toBeLessThanOrEqual(Date.now() + 1000);
    }
    const levels = new Set(alarms.map((a) => a.level));
    expect(levels).toEqual(new Set(['critical', 'warning', 'info']));

    // Asking for one state lets CloudWatch filter: the 83 alarms in ALARM fit one page.
    suite.front.clearCalls();
    const firing = await suite
      .sources({ alarmPrefix: 'vitascope-' })
      .adapters.cloudwatch.listAlarms(undefined, { state: 'ALARM' });
    expect(firing.map((a) => a.name).sort()).toEqual(
      all
        .filter((s) => s.state === 'ALARM')
        .map((s) => s.name)
        .sort(),
    );
    expect(suite.front.count('DescribeAlarms')).toBe(1);
    expect(JSON.parse(suite.front.bodies('DescribeAlarms')[0]!)).toMatchObject({
      StateValue: 'ALARM',
      AlarmNamePrefix: 'vitascope-',
    });
  });

  it('reports composite alarms and levels of alarms without a level suffix from the policy thresholds', async () => {
    const cw = new CloudWatchClient(suite.config());
    const cpu = DEFAULT_RULES.find((r) => r.id === 'cpu-utilization')!;
    const base: Spec = {
      name: '',
      namespace: cpu.metric.namespace,
      metric: cpu.metric.name,
      dimensions: { ClusterName: 'prod', ServiceName: 'api' },
      statistic: 'Average',
      threshold: 0,
      period: 60,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      state: 'OK',
      level: 'warning',
    };
    await putAlarm(cw, { ...base, name: 'ops-cpu-95', threshold: 95 });
    await putAlarm(cw, { ...base, name: 'ops-cpu-75', threshold: 75 });
    await putAlarm(cw, { ...base, name: 'ops-cpu-50', threshold: 50 });
    await cw.send(
      new PutCompositeAlarmCommand({
        AlarmName: 'vitascope-api-outage-critical',
        AlarmRule: 'ALARM("ops-cpu-95")',
        AlarmDescription: 'API down',
      }),
    );
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: 'vitascope-api-outage-critical',
        StateValue: 'ALARM',
        StateReason: 'children in ALARM',
      }),
    );
    cw.destroy();

    const alarms = await suite.sources().alarms.listAlarms();
    const byName = new Map(alarms.map((a) => [a.name, a]));
    expect(byName.get('ops-cpu-95')).toMatchObject({ level: 'critical', ruleId: 'cpu-utilization', unit: 'percent' });
    expect(byName.get('ops-cpu-75')).toMatchObject({ level: 'warning', ruleId: 'cpu-utilization' });
    expect(byName.get('ops-cpu-50')).toMatchObject({ level: 'warning', ruleId: 'cpu-utilization' });
    expect(byName.get('vitascope-api-outage-critical')).toMatchObject({
      kind: 'composite',
      level: 'critical',
      state: 'ALARM',
      reason: 'children in ALARM',
      description: 'API down',
      id: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:vitascope-api-outage-critical',
    });
  });

  it('reads alarm history: state changes only, paged, newest first, within a range', async () => {
    const cw = new CloudWatchClient(suite.config());
    const spec = specs()[0]!;
    await putAlarm(cw, spec);
    const cycle: AlarmState[] = ['ALARM', 'OK', 'INSUFFICIENT_DATA'];
    for (let i = 0; i < 120; i++)
      await cw.send(
        new SetAlarmStateCommand({ AlarmName: spec.name, StateValue: cycle[i % 3]!, StateReason: `step ${i}` }),
      );
    cw.destroy();
    const sources = suite.sources();
    suite.front.clearCalls();

    const history = await sources.alarms.alarmHistory(spec.name);
    expect(suite.front.count('DescribeAlarmHistory')).toBe(2);
    expect(JSON.parse(suite.front.bodies('DescribeAlarmHistory')[0]!)).toMatchObject({
      HistoryItemType: 'StateUpdate',
      MaxRecords: 100,
    });
    expect(history).toHaveLength(120);
    expect(history[0]).toMatchObject({ from: 'OK', to: 'INSUFFICIENT_DATA', reason: 'step 119' });
    expect(history[119]).toMatchObject({ from: 'OK', to: 'ALARM', reason: 'step 0' });
    for (let i = 0; i + 1 < history.length; i++) {
      expect(history[i]!.at).toBeGreaterThanOrEqual(history[i + 1]!.at);
      expect(history[i]!.from).toBe(history[i + 1]!.to);
    }

    // A range: recorded an hour apart, only the middle one falls inside [from, to).
    suite.front.cloudwatch.history.length = 0;
    const hour = 3_600_000;
    const t0 = Date.now() - 10 * hour;
    const at = [t0, t0 + hour, t0 + 2 * hour];
    at.forEach((t, i) =>
      suite.front.cloudwatch.recordState(
        spec.name,
        'MetricAlarm',
        { StateValue: 'OK' },
        { StateValue: 'ALARM', StateReason: `r${i}` },
        t / 1000,
      ),
    );
    const ranged = await sources.alarms.alarmHistory(spec.name, { from: t0 + hour - 1000, to: t0 + 2 * hour - 1000 });
    expect(ranged).toEqual([{ at: t0 + hour, from: 'OK', to: 'ALARM', reason: 'r1' }]);
    expect(await sources.alarms.alarmHistory('no-such-alarm')).toEqual([]);
  });

  it('sets an alarm state for a drill', async () => {
    const cw = new CloudWatchClient(suite.config());
    const spec = specs()[0]!;
    await putAlarm(cw, spec);
    cw.destroy();
    const sources = suite.sources();
    await sources.alarmDrill.setAlarmState(spec.name, 'ALARM', 'drill: on-call practice');
    const [alarm] = await sources.alarms.listAlarms();
    expect(alarm).toMatchObject({ name: spec.name, state: 'ALARM', reason: 'drill: on-call practice' });
    await expect(sources.alarmDrill.setAlarmState('no-such-alarm', 'OK', 'x')).rejects.toThrow(
      /CloudWatch SetAlarmState \(alarm no-such-alarm → OK\) failed/,
    );
  });
});
