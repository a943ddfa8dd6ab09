/**
 * CloudWatch alarms → the Alarm model, and the level each alarm raises. Pure functions, so the rules
 * that decide a level are tested without a server. The product names its alarms
 * `vitascope-<resource>-<slug>-<level>`; alarms made by hand or by older tooling may lack the level
 * suffix, so the policy rule behind the alarm (by slug, then by metric) and its thresholds decide.
 */
import type { CompositeAlarm, MetricAlarm, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Alarm, AlarmState, AlertLevel, MetricRef } from '../../core/model.js';
import type { PolicyRule } from '../../core/policy/types.js';
import { boundAlarm } from '../../core/bounds.js';
import { TEXT_LIMITS } from '../../core/sanitize.js';
import { epochMs } from './calls.js';

const LEVELS: readonly AlertLevel[] = ['critical', 'warning', 'info'];
const STATES: ReadonlySet<string> = new Set<AlarmState>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const PRODUCT_PREFIX = 'vitascope-';

/** The level named by the alarm's suffix (-critical, -warning, -info), if any. */
export function levelFromName(name: string): AlertLevel | undefined {
  const m = /-(critical|warning|info)$/i.exec(name);
  return m ? (m[1]!.toLowerCase() as AlertLevel) : undefined;
}

export function toState(value: string | undefined): AlarmState {
  return value && STATES.has(value) ? (value as AlarmState) : 'INSUFFICIENT_DATA';
}

/** The policy rule an alarm implements: by the slug in a product-named alarm, else by its metric. */
export function ruleFor(
  name: string,
  metrics: readonly MetricRef[],
  rules: readonly PolicyRule[],
): PolicyRule | undefined {
  if (name.startsWith(PRODUCT_PREFIX)) {
    const base = name.replace(/-(critical|warning|info)$/i, '');
    const bySlug = rules
      .filter((r) => base === `${PRODUCT_PREFIX}${r.alarmSlug}` || base.endsWith(`-${r.alarmSlug}`))
      .sort((a, b) => b.alarmSlug.length - a.alarmSlug.length)[0];
    if (bySlug) return bySlug;
  }
  for (const m of metrics) {
    const found = rules.find((r) => r.metric.namespace === m.namespace && r.metric.name === m.name);
    if (found) return found;
  }
  return undefined;
}

/**
 * The level of an alarm without a level suffix, from its rule's thresholds: the level whose threshold
 * it equals; for "greater than" alarms the highest level whose threshold it reaches; else the rule's
 * lowest level (never escalate a guess).
 */
export function levelFromRule(
  rule: PolicyRule,
  threshold: number | undefined,
  comparison: string | undefined,
): AlertLevel {
  const defined = LEVELS.filter((l) => rule.thresholds[l] !== undefined);
  if (threshold !== undefined) {
    const near = (t: number) => Math.abs(t - threshold) <= 1e-9 * Math.max(1, Math.abs(t));
    const exact = defined.find((l) => near(rule.thresholds[l]!));
    if (exact) return exact;
    if (comparison && /Greater/.test(comparison)) {
      const reached = defined.find((l) => threshold >= rule.thresholds[l]!);
      if (reached) return reached;
    }
  }
  return defined[defined.length - 1] ?? 'warning';
}

export function levelOf(
  name: string,
  rule: PolicyRule | undefined,
  threshold: number | undefined,
  comparison: string | undefined,
): AlertLevel {
  return levelFromName(name) ?? (rule ? levelFromRule(rule, threshold, comparison) : 'warning');
}

function dims(list: readonly { Name?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of list ?? []) if (d.Name !== undefined) out[d.Name] = d.Value ?? '';
  return out;
}

/** The metrics an alarm watches: its own, or the MetricStat queries of a metric-math alarm. */
function metricsOf(a: MetricAlarm): MetricRef[] {
  if (a.MetricName && a.Namespace)
    return [
      {
        namespace: a.Namespace,
        name: a.MetricName,
        dimensions: dims(a.Dimensions),
        statistic: a.Statistic ?? a.ExtendedStatistic,
      },
    ];
  return (a.Metrics ?? [])
    .filter(
      (q): q is MetricDataQuery & { MetricStat: NonNullable<MetricDataQuery['MetricStat']> } =>
        q.MetricStat?.Metric?.MetricName !== undefined,
    )
    .map((q) => ({
      namespace: q.MetricStat.Metric!.Namespace ?? '',
      name: q.MetricStat.Metric!.MetricName!,
      dimensions: dims(q.MetricStat.Metric!.Dimensions),
      statistic: q.MetricStat.Stat,
    }));
}

/** CloudWatch units → keys of UNITS in core/policy/units.ts, where one fits. */
const UNIT_KEYS: Readonly<Record<string, string>> = {
  Percent: 'percent',
  Milliseconds: 'milliseconds',
  Count: 'count',
  'Bytes/Second': 'bytesPerSecond',
};

/** The newest datapoint CloudWatch evaluated, from StateReasonData (absent for SetAlarmState). */
function newestValue(reasonData: string | undefined): number | undefined {
  if (!reasonData) return undefined;
  try {
    const parsed = JSON.parse(reasonData) as { recentDatapoints?: unknown };
    const points = Array.isArray(parsed.recentDatapoints) ? parsed.recentDatapoints : [];
    const last = points[points.length - 1];
    return typeof last === 'number' && Number.isFinite(last) ? last : undefined;
  } catch {
    return undefined;
  }
}

/** What the alarm runs on each transition, and whether it runs anything (ActionsEnabled, true when absent). */
function actionsOf(
  a: MetricAlarm | CompositeAlarm,
): Pick<Alarm, 'actions' | 'okActions' | 'insufficientDataActions' | 'actionsEnabled' | 'origins'> {
  return {
    actions: [...(a.AlarmActions ?? [])],
    okActions: [...(a.OKActions ?? [])],
    insufficientDataActions: [...(a.InsufficientDataActions ?? [])],
    actionsEnabled: a.ActionsEnabled !== false,
    origins: ['cloudwatch'],
  };
}

/** A CloudWatch metric alarm as an Alarm, every text bounded by CloudWatch's own limits (bounds.ts). */
export function metricAlarmToAlarm(a: MetricAlarm, rules: readonly PolicyRule[]): Alarm {
  return boundAlarm(mapMetricAlarm(a, rules), TEXT_LIMITS.alarmDescription);
}

function mapMetricAlarm(a: MetricAlarm, rules: readonly PolicyRule[]): Alarm {
  const name = a.AlarmName ?? '';
  const metrics = metricsOf(a);
  const rule = ruleFor(name, metrics, rules);
  const metric =
    (rule && metrics.find((m) => m.namespace === rule.metric.namespace && m.name === rule.metric.name)) ?? metrics[0];
  const period = a.Period ?? a.Metrics?.find((q) => q.MetricStat?.Period !== undefined)?.MetricStat?.Period;
  return {
    id: a.AlarmArn ?? name,
    name,
    kind: 'metric',
    state: toState(a.StateValue),
    level: levelOf(name, rule, a.Threshold, a.ComparisonOperator),
    description: a.AlarmDescription || undefined,
    reason: a.StateReason || undefined,
    metric,
    threshold: a.Threshold,
    comparison: a.ComparisonOperator,
    unit: rule?.unit ?? (a.Unit ? UNIT_KEYS[a.Unit] : undefined),
    value: newestValue(a.StateReasonData),
    periodSeconds: period,
    evaluationPeriods: a.EvaluationPeriods,
    datapointsToAlarm: a.DatapointsToAlarm,
    stateSince: epochMs(a.StateUpdatedTimestamp) ?? 0,
    ...actionsOf(a),
    ruleId: rule?.id,
  };
}

export function compositeAlarmToAlarm(a: CompositeAlarm, rules: readonly PolicyRule[]): Alarm {
  const name = a.AlarmName ?? '';
  const rule = ruleFor(name, [], rules);
  return boundAlarm(
    {
      id: a.AlarmArn ?? name,
      name,
      kind: 'composite',
      state: toState(a.StateValue),
      level: levelOf(name, rule, undefined, undefined),
      description: a.AlarmDescription || undefined,
      reason: a.StateReason || undefined,
      stateSince: epochMs(a.StateUpdatedTimestamp) ?? 0,
      ...actionsOf(a),
      ruleId: rule?.id,
    },
    TEXT_LIMITS.alarmDescription,
  );
}

/** One StateUpdate history record's HistoryData: {"oldState":{"stateValue":…},"newState":{…}}. */
export function parseStateUpdate(
  data: string | undefined,
  summary: string | undefined,
): { from: AlarmState; to: AlarmState; reason?: string } | undefined {
  try {
    const parsed = JSON.parse(data ?? '') as {
      oldState?: { stateValue?: string };
      newState?: { stateValue?: string; stateReason?: string };
    };
    const from = parsed.oldState?.stateValue;
    const to = parsed.newState?.stateValue;
    if (from && to && STATES.has(from) && STATES.has(to))
      return { from: from as AlarmState, to: to as AlarmState, reason: parsed.newState?.stateReason };
  } catch {
    // fall through to the summary: "Alarm updated from OK to ALARM"
  }
  const m = /from (OK|ALARM|INSUFFICIENT_DATA) to (OK|ALARM|INSUFFICIENT_DATA)/.exec(summary ?? '');
  return m ? { from: m[1] as AlarmState, to: m[2] as AlarmState } : undefined;
}
