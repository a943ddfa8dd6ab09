import type { PolicyRule } from '../policy/types.js';
import { ruleIdForAlarmName } from '../runbooks/match.js';
import type { Finding } from './drift.js';
import { promDuration } from './prometheusRules.js';

/**
 * A deployed CloudWatch alarm as the audit reads it, described for messages; and the alarms among them
 * that cannot judge anything because their metric has no data (noDataFindings).
 */

export type Dimension = { readonly Name?: string | undefined; readonly Value?: string | undefined };

/** A deployed CloudWatch metric alarm: the DescribeAlarms fields the audit reads (the SDK's MetricAlarm fits). */
export interface DeployedMetricAlarm {
  readonly AlarmName?: string | undefined;
  readonly ActionsEnabled?: boolean | undefined;
  readonly AlarmActions?: readonly string[] | undefined;
  readonly OKActions?: readonly string[] | undefined;
  readonly MetricName?: string | undefined;
  readonly Namespace?: string | undefined;
  readonly Statistic?: string | undefined;
  readonly ExtendedStatistic?: string | undefined;
  readonly Dimensions?: readonly Dimension[] | undefined;
  readonly Period?: number | undefined;
  readonly EvaluationPeriods?: number | undefined;
  readonly DatapointsToAlarm?: number | undefined;
  readonly Threshold?: number | undefined;
  readonly ComparisonOperator?: string | undefined;
  readonly TreatMissingData?: string | undefined;
  readonly ThresholdMetricId?: string | undefined;
  readonly StateValue?: string | undefined;
  readonly StateUpdatedTimestamp?: Date | undefined;
  readonly Metrics?:
    | readonly {
        readonly Id?: string | undefined;
        readonly Expression?: string | undefined;
        readonly ReturnData?: boolean | undefined;
        readonly Period?: number | undefined;
        readonly MetricStat?:
          | {
              readonly Metric?:
                | {
                    readonly Namespace?: string | undefined;
                    readonly MetricName?: string | undefined;
                    readonly Dimensions?: readonly Dimension[] | undefined;
                  }
                | undefined;
              readonly Period?: number | undefined;
              readonly Stat?: string | undefined;
            }
          | undefined;
      }[]
    | undefined;
}

export function dimsKey(dims: readonly Dimension[] | Readonly<Record<string, string>> | undefined): string {
  const entries = Array.isArray(dims)
    ? (dims as readonly Dimension[]).map((d) => [d.Name ?? '', d.Value ?? ''])
    : Object.entries(dims ?? {});
  return entries
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(', ');
}

/** The metric an alarm watches, described in one line, for messages. */
export function describeDeployedMetric(d: DeployedMetricAlarm): string {
  if (d.Metrics?.length) {
    const expr = d.Metrics.find((m) => m.Expression !== undefined && m.ReturnData !== false)?.Expression;
    const inputs = d.Metrics.filter((m) => m.MetricStat).map(
      (m) =>
        `${m.Id}=${m.MetricStat!.Metric?.Namespace} ${m.MetricStat!.Metric?.MetricName} ${m.MetricStat!.Stat}{${dimsKey(m.MetricStat!.Metric?.Dimensions)}}`,
    );
    return `${expr ?? '(no expression)'} with ${inputs.join('; ') || 'no metrics'}`;
  }
  return `${d.Namespace} ${d.MetricName} ${d.Statistic ?? d.ExtendedStatistic}{${dimsKey(d.Dimensions)}}`;
}

export function deployedPeriod(d: DeployedMetricAlarm): number | undefined {
  return d.Period ?? d.Metrics?.find((m) => m.MetricStat?.Period !== undefined)?.MetricStat?.Period;
}

export function deployedMetricRef(
  d: DeployedMetricAlarm,
): { namespace: string; name: string; dimensions: Record<string, string> } | undefined {
  const toRecord = (dims: readonly Dimension[] | undefined) =>
    Object.fromEntries((dims ?? []).map((x) => [x.Name ?? '', x.Value ?? '']));
  if (d.Namespace && d.MetricName)
    return { namespace: d.Namespace, name: d.MetricName, dimensions: toRecord(d.Dimensions) };
  const stat = d.Metrics?.find((m) => m.MetricStat?.Metric?.MetricName)?.MetricStat?.Metric;
  return stat?.Namespace && stat.MetricName
    ? { namespace: stat.Namespace, name: stat.MetricName, dimensions: toRecord(stat.Dimensions) }
    : undefined;
}

const DAY_MS = 24 * 3_600_000;

/** How long an alarm looks back: its period times its evaluation periods, in seconds. */
export function evaluationWindowSeconds(d: DeployedMetricAlarm): number {
  return (deployedPeriod(d) ?? 60) * (d.EvaluationPeriods ?? 1);
}

/** What to do about an alarm whose metric nothing publishes, by where the metric lives. */
function noDataFix(d: DeployedMetricAlarm, ruleId: string | undefined): string {
  const ref = deployedMetricRef(d);
  const ns = ref?.namespace ?? '';
  const which = ruleId ? ` (policy.rules.${ruleId}.metric)` : '';
  if (ns === 'ECS/ContainerInsights')
    return 'turn on Container Insights for the cluster (aws ecs update-cluster-settings --cluster NAME --settings name=containerInsights,value=enabled), or check ClusterName/ServiceName in resources.ecs-service';
  if (ns.startsWith('AWS/'))
    return `check the dimension values (${Object.keys(ref?.dimensions ?? {}).join(', ') || 'none'}) in the alarms section's resources: ${ns} publishes nothing for ${dimsKey(ref?.dimensions) || 'them'}`;
  return `nothing publishes ${ns} ${ref?.name ?? ''}: publish it from the app, or point the rule at the metric that carries the signal${which}`;
}

/**
 * Alarms that cannot judge anything (pure): their metric had no datapoints in their evaluation window
 * (`datapoints`, counted by the caller with GetMetricData; undefined when it could not be read), or they
 * have sat in INSUFFICIENT_DATA for more than a day. An alarm like that never pages, and nobody is told.
 */
export function noDataFindings(
  deployed: readonly DeployedMetricAlarm[],
  datapoints: ReadonlyMap<string, number | undefined>,
  now: number,
  rules: readonly PolicyRule[],
): Finding[] {
  const out: Finding[] = [];
  for (const d of deployed) {
    const name = d.AlarmName;
    if (!name) continue;
    const ruleId = ruleIdForAlarmName(name, rules);
    const since = d.StateUpdatedTimestamp?.getTime();
    const metric = describeDeployedMetric(d);
    const base = { target: 'cloudwatch' as const, kind: 'no-data' as const, alarm: name, ruleId, fixable: false };
    if (d.StateValue === 'INSUFFICIENT_DATA' && since !== undefined && now - since > DAY_MS) {
      out.push({
        ...base,
        message: `in INSUFFICIENT_DATA since ${new Date(since).toISOString()} (more than a day) watching ${metric}: ${noDataFix(d, ruleId)}`,
      });
      continue;
    }
    if (datapoints.get(name) === 0) {
      out.push({
        ...base,
        message: `no datapoints of ${metric} in its evaluation window (${promDuration(evaluationWindowSeconds(d))}): ${noDataFix(d, ruleId)}`,
      });
    }
  }
  return out;
}
