/**
 * CloudWatch alarm definitions as `alarms audit` and `alarms apply` need them: every metric alarm
 * with a name prefix, raw (metric math, actions and all, which the Alarm model leaves out), and
 * PutMetricAlarm one alarm at a time. PutMetricAlarm is throttled at a few calls per second per
 * account, so the client for writing uses the SDK's adaptive retry mode, which slows down on
 * ThrottlingException instead of failing.
 */
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  type MetricAlarm,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { clientConfig, type AwsClientOptions } from './clients.js';
import { call, collectPages } from './calls.js';
import { MAX_ALARM_RECORDS } from './cloudwatch.js';

/** A CloudWatch client for reading and writing alarm definitions. */
export function alarmDefinitionsClient(options: AwsClientOptions): CloudWatchClient {
  return new CloudWatchClient({
    ...clientConfig({ ...options, maxAttempts: options.maxAttempts ?? 5 }),
    retryMode: 'adaptive',
  });
}

/** Every metric alarm whose name starts with `prefix` (all of them for ''), every page. */
export async function describeMetricAlarms(
  client: CloudWatchClient,
  prefix: string,
  signal?: AbortSignal,
): Promise<MetricAlarm[]> {
  const pages = await collectPages(
    'CloudWatch DescribeAlarms',
    prefix ? `prefix ${JSON.stringify(prefix)}` : 'all alarms',
    async (token) => {
      const out = await client.send(
        new DescribeAlarmsCommand({
          AlarmTypes: ['MetricAlarm'],
          MaxRecords: MAX_ALARM_RECORDS,
          ...(prefix ? { AlarmNamePrefix: prefix } : {}),
          ...(token ? { NextToken: token } : {}),
        }),
        { abortSignal: signal },
      );
      return { page: out.MetricAlarms ?? [], next: out.NextToken };
    },
    { signal },
  );
  return pages.flat();
}

/** One PutMetricAlarm (creates the alarm, or replaces its whole definition). */
export async function putMetricAlarm(client: CloudWatchClient, request: Record<string, unknown>): Promise<void> {
  const name = String(request.AlarmName ?? '');
  await call('CloudWatch PutMetricAlarm', `alarm ${name}`, () =>
    client.send(new PutMetricAlarmCommand(request as unknown as PutMetricAlarmCommandInput)),
  );
}
