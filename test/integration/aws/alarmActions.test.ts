/**
 * Muting a CloudWatch alarm on moto (behind the front, which adds DisableAlarmActions/EnableAlarmActions
 * that moto 5.2 lacks): the plan names the SNS topic and who it reaches (without the integration key),
 * the actions are disabled (read back with DescribeAlarms ActionsEnabled), and the timer re-enables them
 * when the time is up.
 */
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/actions/clock.js';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import { AlarmActionsTimer } from '../../../src/core/live/alarmActionsTimer.js';
import type { Sources } from '../../../src/sources/ports.js';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { tempJournal } from '../../unit/journal/helpers.js';

const skip = motoSkipReason();
const ALARM = 'vitascope-api-high-cpu-critical';
const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe.skipIf(skip)('muting a CloudWatch alarm against moto', () => {
  const suite = useAwsSuite();

  async function seed(): Promise<string> {
    const sns = new SNSClient(suite.config());
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'vitascope-pagerduty' }))).TopicArn!;
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic,
        Protocol: 'https',
        Endpoint: `https://events.pagerduty.com/integration/${KEY}/enqueue`,
      }),
    );
    sns.destroy();
    const cw = new CloudWatchClient(suite.config());
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [{ Name: 'ServiceName', Value: 'vitascope-api' }],
        AlarmActions: [topic],
        OKActions: [topic],
      }),
    );
    cw.destroy();
    return topic;
  }

  async function actionsEnabled(): Promise<boolean | undefined> {
    const cw = new CloudWatchClient(suite.config());
    try {
      return (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }))).MetricAlarms?.[0]?.ActionsEnabled;
    } finally {
      cw.destroy();
    }
  }

  it('disables the actions for the time asked, says what stops, and the timer re-enables them when it is up', async () => {
    await seed();
    const aws = suite.sources();
    const sources: Sources = {
      environment: { kind: 'aws', label: 'moto', production: true },
      now: () => Date.now(),
      alarms: aws.alarms,
      alarmActions: aws.alarmActions,
      topics: aws.topics,
      close: async () => undefined,
    };
    let now = Date.now();
    const clock: Clock = { now: () => now, pollMs: 1000, wait: async () => undefined };
    const journal = tempJournal();
    const who = { kind: 'local' as const, id: 'aiko', name: 'Aiko Tanaka' };
    const engine = createActionEngine({ sources, actor: { id: 'local', name: 'Aiko Tanaka' }, who, clock, journal });

    const prepared = await engine.prepare({
      action: 'cloudwatch.disable-alarm-actions',
      params: { alarm: ALARM, duration: '30m', reason: 'load test at 03:00' },
    });
    const said = prepared.plan.blastRadius.join('\n');
    expect(said).toContain('SNS vitascope-pagerduty → https https://events.pagerduty.com/…');
    expect(said).not.toContain(KEY);
    expect(said).toContain(`keeps: ${ALARM} still changes state`);
    // Careful, not dangerous: a plain yes, even in production.
    expect(prepared.confirmation).toEqual({ kind: 'yes' });
    const outcome = await engine.execute(prepared, { answer: 'confirm' });
    expect(outcome.status).toBe('verified');
    expect(await actionsEnabled()).toBe(false);
    expect(suite.front.count('DisableAlarmActions')).toBe(1);

    const timer = new AlarmActionsTimer({
      journal: async () => journal,
      engine: async () => engine,
      clock,
      readonly: false,
    });
    expect(await timer.tick()).toBe(now + 30 * 60_000);
    expect(await actionsEnabled()).toBe(false);
    now += 31 * 60_000;
    await timer.tick();
    expect(await actionsEnabled()).toBe(true);
    expect(suite.front.count('EnableAlarmActions')).toBe(1);
    expect(journal.query({ kinds: ['action.verified'], actionIds: ['cloudwatch.enable-alarm-actions'] })).toHaveLength(
      1,
    );
    journal.close();
  });
});
