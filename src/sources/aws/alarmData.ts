/**
 * How many datapoints each alarm's metric had in its evaluation window (GetMetricData with the alarm's
 * own metric or metric math), for `alarms audit` and `doctor`: an alarm on a metric nothing publishes sits
 * in INSUFFICIENT_DATA for ever and never pages, and nobody is told unless something looks.
 */
import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricAlarm,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { collectPages } from './calls.js';
import { MAX_QUERIES_PER_CALL } from './metricBatches.js';

/** The alarm's queries with ids made unique (a<index>_<id>), the returned one named a<index>. */
function queriesOf(a: MetricAlarm, index: number): MetricDataQuery[] | undefined {
  const period = a.Period ?? 60;
  if (a.MetricName && a.Namespace) {
    return [
      {
        Id: `a${index}`,
        MetricStat: {
          Metric: { Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions ?? [] },
          Period: period,
          Stat: a.Statistic ?? a.ExtendedStatistic ?? 'Average',
        },
        ReturnData: true,
      },
    ];
  }
  const metrics = a.Metrics ?? [];
  const returned = metrics.filter((m) => m.ReturnData !== false);
  if (metrics.length === 0 || returned.length !== 1) return undefined;
  const ids = metrics.map((m) => m.Id ?? '');
  const rename = (id: string) => (id === returned[0]!.Id ? `a${index}` : `a${index}_${id}`);
  return metrics.map((m) => ({
    ...m,
    Id: rename(m.Id ?? ''),
    ...(m.Expression
      ? { Expression: m.Expression.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (t) => (ids.includes(t) ? rename(t) : t)) }
      : {}),
    ReturnData: m === returned[0],
  }));
}

/**
 * Datapoints per alarm name over each alarm's window (period × evaluation periods, plus one period for
 * the lag with which metrics arrive); undefined for an alarm whose metric could not be asked about.
 */
export async function alarmDatapoints(
  client: CloudWatchClient,
  alarms: readonly MetricAlarm[],
  now: number,
  signal?: AbortSignal,
): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  const byWindow = new Map<number, { alarm: MetricAlarm; index: number; queries: MetricDataQuery[] }[]>();
  alarms.forEach((alarm, index) => {
    const name = alarm.AlarmName;
    if (!name) return;
    const queries = queriesOf(alarm, index);
    out.set(name, undefined);
    if (!queries) return;
    const periodSeconds = alarm.Period ?? alarm.Metrics?.find((m) => m.MetricStat?.Period)?.MetricStat?.Period ?? 60;
    const window = periodSeconds * ((alarm.EvaluationPeriods ?? 1) + 1);
    byWindow.set(window, [...(byWindow.get(window) ?? []), { alarm, index, queries }]);
  });
  for (const [window, list] of byWindow) {
    let batch: typeof list = [];
    const flush = async () => {
      if (!batch.length) return;
      const asked = batch;
      batch = [];
      const counts = new Map<string, number>();
      try {
        await collectPages(
          'CloudWatch GetMetricData',
          `${asked.length} alarms' metrics`,
          async (token) => {
            const r = await client.send(
              new GetMetricDataCommand({
                StartTime: new Date(now - window * 1000),
                EndTime: new Date(now),
                MetricDataQueries: asked.flatMap((x) => x.queries),
                ...(token ? { NextToken: token } : {}),
              }),
              { abortSignal: signal },
            );
            for (const res of r.MetricDataResults ?? [])
              if (res.Id) counts.set(res.Id, (counts.get(res.Id) ?? 0) + (res.Values?.length ?? 0));
            return { page: r, next: r.NextToken };
          },
          { signal },
        );
        for (const x of asked) out.set(x.alarm.AlarmName!, counts.get(`a${x.index}`) ?? 0);
      } catch {
        // Left undefined: "could not tell", never "no data".
      }
    };
    for (const item of list) {
      if (batch.reduce((n, x) => n + x.queries.length, 0) + item.queries.length > MAX_QUERIES_PER_CALL) await flush();
      batch.push(item);
    }
    await flush();
  }
  return out;
}
