import type { AlertLevel, MetricRef, PriorityName } from '../model.js';
import type { MetricBinding, PolicyRule } from '../policy/types.js';
import { expressionIdentifiers, substituteIdentifiers } from '../policy/expression.js';
import { formatValue } from '../policy/units.js';
import { alarmName, levelsOf, type AlarmInventory, type AlarmResource } from './inventory.js';

/**
 * The policy as CloudWatch metric alarms (pure): one alarm per rule, resource and level, as
 * PutMetricAlarm requests. What CloudWatch can express:
 * - absolute, consecutive-run and state rules: a plain alarm on the rule's metric and statistic;
 * - rates (a denominator): metric math, 100 × FILL(numerator, 0) / denominator, in percent;
 * - a rule's own metric math (ECS service state from Container Insights, storage used from RDS's free
 *   space): the expression with the resource's limits as numbers (allocated_storage_gib);
 * - where AWS's own metric carries the signal (the load balancer's 5xx rate), the rule's alarmMetric;
 * - ratios to a capacity limit (connections against max_connections): a plain alarm whose threshold is
 *   the factor times the resource's limit, when the limit is known.
 * What it cannot: comparisons with the same window a day or a week earlier. CloudWatch metric math
 * has no time shift, so those rules are not exported (notExported says so and why); the Prometheus
 * rules express them exactly with `offset`.
 */

export type Statistic = PolicyRule['metric']['statistic'];

export interface MetricStatSpec {
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly stat: Statistic;
  readonly dimensions: Readonly<Record<string, string>>;
}

export type AlarmMetric =
  | {
      readonly kind: 'metric';
      readonly namespace: string;
      readonly name: string;
      readonly statistic: Statistic;
      readonly dimensions: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: 'math';
      readonly expression: string;
      readonly label: string;
      readonly inputs: readonly MetricStatSpec[];
    };

export const COMPARISON = 'GreaterThanOrEqualToThreshold';
export const TREAT_MISSING = 'missing';
export const MANAGED_TAG = 'vitascope:managed-by';

/** One CloudWatch alarm the policy asks for. */
export interface CloudWatchAlarmSpec {
  readonly name: string;
  readonly ruleId: string;
  readonly level: AlertLevel;
  readonly resource: string;
  readonly priority?: PriorityName;
  readonly runbook?: string;
  readonly description: string;
  readonly metric: AlarmMetric;
  readonly threshold: number;
  readonly comparison: typeof COMPARISON;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: typeof TREAT_MISSING;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
}

/** A rule (on some resources) a format cannot express, with the alarm names it would have had. */
export interface NotExported {
  readonly ruleId: string;
  readonly names: readonly string[];
  readonly reason: string;
  readonly alternatives?: readonly string[];
}

/** Which runbook answers an alarm (its id), or undefined when only the default runbook would. */
export type RunbookLookup = (alarm: {
  readonly name: string;
  readonly ruleId?: string;
  readonly metric?: MetricRef;
}) => string | undefined;

export interface CloudWatchExport {
  readonly alarms: readonly CloudWatchAlarmSpec[];
  readonly notExported: readonly NotExported[];
}

const PHRASE = { 'previous-day': 'a day', 'previous-week': 'a week' } as const;

/** Rounds away binary noise: 0.8 × 400 is 320, not 320.00000000000006. */
export function tidy(n: number): number {
  return Number(n.toPrecision(12));
}

function period(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** What the exported alarm watches: AWS's own metric where the rule names one, else the rule's metric. */
export function alarmBinding(rule: PolicyRule): MetricBinding {
  return rule.alarmMetric ?? rule.metric;
}

function dimensionValues(rule: PolicyRule, resource: AlarmResource): Record<string, string> {
  return Object.fromEntries(alarmBinding(rule).dimensions.map((d) => [d, resource.dimensions[d] ?? '']));
}

/** Why a capacity limit is not known, and where it comes from. */
export function limitUnknown(limitName: string, resource: AlarmResource, rule: PolicyRule): string {
  const who = resource.token || rule.appliesTo;
  if (limitName === 'max_connections') {
    const id = resource.dimensions.DBInstanceIdentifier ?? who;
    return `max_connections of ${who} is not known: set aws.maxConnections.${id} (the one source for alarms, status and summary), or configure AWS so that its instance class gives it`;
  }
  return `${limitName} of ${who} is not known: give it as limits.${limitName} of the resource`;
}

/** Why the alarm cannot be made for this resource (a dimension or a limit it lacks), or undefined. */
function missingFor(rule: PolicyRule, resource: AlarmResource): string | undefined {
  const m = alarmBinding(rule);
  const dims = m.dimensions.filter((d) => !resource.dimensions[d]);
  const where = `resources.${rule.appliesTo}${resource.token ? ` (${resource.token})` : ''}`;
  if (dims.length)
    return `${m.namespace} ${m.name} needs the dimension${dims.length === 1 ? '' : 's'} ${dims.join(', ')}: give ${dims.length === 1 ? 'it' : 'them'} in ${where}`;
  if (m.expression) {
    const limits = expressionIdentifiers(m.expression.text).filter(
      (id) => !Object.hasOwn(m.expression!.inputs, id) && !/^(MAX|MIN)$/i.test(id),
    );
    const unknown = limits.filter((l) => resource.limits?.[l] === undefined);
    if (unknown.length)
      return `${unknown.join(', ')} of ${resource.token || rule.appliesTo} is not known: give it as limits.${unknown[0]} in ${where}, or configure AWS so that alarms export reads it`;
  }
  return undefined;
}

function metricFor(rule: PolicyRule, resource: AlarmResource): AlarmMetric {
  const dimensions = dimensionValues(rule, resource);
  const m = alarmBinding(rule);
  if (m.expression) {
    return {
      kind: 'math',
      expression: substituteIdentifiers(m.expression.text, resource.limits ?? {}),
      label: m.expression.label,
      inputs: Object.entries(m.expression.inputs).map(([id, name]) => ({
        id,
        namespace: m.namespace,
        name,
        stat: m.statistic,
        dimensions,
      })),
    };
  }
  if (!m.denominator)
    return { kind: 'metric', namespace: m.namespace, name: m.name, statistic: m.statistic, dimensions };
  return {
    kind: 'math',
    // FILL: a numerator nobody published in a period (no errors at all) counts as 0, not as missing.
    expression: '100 * FILL(m1, 0) / m2',
    label: `${rule.title.en} (%)`,
    inputs: [
      { id: 'm1', namespace: m.namespace, name: m.name, stat: m.statistic, dimensions },
      { id: 'm2', namespace: m.namespace, name: m.denominator, stat: m.statistic, dimensions },
    ],
  };
}

function describeThreshold(rule: PolicyRule, threshold: number, limit?: number): string {
  const c = rule.comparison;
  if (c.kind === 'ratio' && c.reference === 'limit')
    return `${rule.title.en} ≥ ${tidy(threshold * 100)} % of ${c.limitName ?? 'the limit'} (${limit})`;
  if (c.kind === 'state') return `${rule.title.en}: ${rule.description.en.toLowerCase()}`;
  if (c.kind === 'consecutive') return `${rule.title.en} ≥ ${threshold} in a row`;
  return `${rule.title.en} ≥ ${formatValue(threshold, rule.unit)}`;
}

function description(
  rule: PolicyRule,
  level: AlertLevel,
  threshold: number,
  runbook: string | undefined,
  limit?: number,
): string {
  const e = rule.evaluation;
  const window =
    e.evaluationPeriods === 1
      ? `in a period of ${period(e.periodSeconds)}`
      : `in ${e.datapointsToAlarm} of ${e.evaluationPeriods} periods of ${period(e.periodSeconds)}`;
  const priority = rule.priority[level];
  const text = [
    `${describeThreshold(rule, threshold, limit)} ${window} (${level}${priority ? `, ${priority}` : ''}).`,
    `Policy rule ${rule.id}.`,
    runbook ? `Runbook: ${runbook} (vitascope-oncall runbooks show ${runbook}).` : 'No runbook.',
    'Managed by vitascope-oncall alarms apply.',
  ].join(' ');
  return text.slice(0, 1024);
}

/** The CloudWatch alarms of the policy on the inventory's resources, and what cannot be expressed. */
export function cloudWatchAlarms(
  rules: readonly PolicyRule[],
  inventory: AlarmInventory,
  runbookFor: RunbookLookup = () => undefined,
): CloudWatchExport {
  const alarms: CloudWatchAlarmSpec[] = [];
  const notExported: NotExported[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const resources = inventory.resources[rule.appliesTo] ?? [];
    const levels = levelsOf(rule);
    const c = rule.comparison;
    if ((c.kind === 'ratio' || c.kind === 'drop') && c.reference !== 'limit') {
      const names = resources.flatMap((r) => levels.map((l) => alarmName(rule, r.token, l.level)));
      if (names.length === 0) continue;
      const what =
        c.kind === 'ratio'
          ? `a ratio to the same window ${PHRASE[c.reference]} earlier`
          : `a drop against the same window ${PHRASE[c.reference]} earlier`;
      notExported.push({
        ruleId: rule.id,
        names,
        reason: `${what} cannot be expressed: CloudWatch metric math has no time shift. The Prometheus rules (alarms export --format prometheus-rules) express it exactly with offset ${c.reference === 'previous-day' ? '1d' : '1w'}.`,
        alternatives: [
          "an anomaly detection band (ANOMALY_DETECTION_BAND, a band learned from two weeks of history, in standard deviations: an approximation, not the policy's factor)",
          `an alarm on a ratio metric that a scheduled Lambda publishes from GetMetricData of now and ${PHRASE[c.reference]} earlier (exact, but nothing publishes it yet)`,
        ],
      });
      continue;
    }
    for (const resource of resources) {
      const missing = missingFor(rule, resource);
      if (missing) {
        notExported.push({
          ruleId: rule.id,
          names: levels.map((l) => alarmName(rule, resource.token, l.level)),
          reason: missing,
        });
        continue;
      }
      let limit: number | undefined;
      if (c.kind === 'ratio' && c.reference === 'limit') {
        const limitName = c.limitName ?? 'limit';
        limit = resource.limits?.[limitName];
        if (limit === undefined) {
          notExported.push({
            ruleId: rule.id,
            names: levels.map((l) => alarmName(rule, resource.token, l.level)),
            reason: limitUnknown(limitName, resource, rule),
          });
          continue;
        }
      }
      const metric = metricFor(rule, resource);
      for (const { level, threshold } of levels) {
        const name = alarmName(rule, resource.token, level);
        const b = alarmBinding(rule);
        const ref: MetricRef = {
          namespace: b.namespace,
          name: b.name,
          dimensions: dimensionValues(rule, resource),
          statistic: b.statistic,
        };
        const runbook = runbookFor({ name, ruleId: rule.id, metric: ref });
        const actions = inventory.actions[level] ?? [];
        alarms.push({
          name,
          ruleId: rule.id,
          level,
          resource: resource.token,
          priority: rule.priority[level],
          runbook,
          description: description(rule, level, threshold, runbook, limit),
          metric,
          threshold: limit !== undefined ? tidy(threshold * limit) : threshold,
          comparison: COMPARISON,
          periodSeconds: rule.evaluation.periodSeconds,
          evaluationPeriods: rule.evaluation.evaluationPeriods,
          datapointsToAlarm: rule.evaluation.datapointsToAlarm,
          treatMissingData: TREAT_MISSING,
          alarmActions: actions,
          okActions: inventory.okActions ? actions : [],
        });
      }
    }
  }
  const seen = new Set<string>();
  for (const a of alarms) {
    if (seen.has(a.name)) throw new Error(`two alarms would be named ${a.name}: give the resources distinct tokens`);
    seen.add(a.name);
  }
  return { alarms, notExported };
}

function dimensionList(dimensions: Readonly<Record<string, string>>): { Name: string; Value: string }[] {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}

/** The PutMetricAlarm request for a spec, as the API (and `aws cloudwatch put-metric-alarm --cli-input-json`) takes it. */
export function putMetricAlarmRequest(spec: CloudWatchAlarmSpec): Record<string, unknown> {
  const m = spec.metric;
  const metric =
    m.kind === 'metric'
      ? {
          Namespace: m.namespace,
          MetricName: m.name,
          Statistic: m.statistic,
          Dimensions: dimensionList(m.dimensions),
          Period: spec.periodSeconds,
        }
      : {
          Metrics: [
            ...m.inputs.map((i) => ({
              Id: i.id,
              MetricStat: {
                Metric: { Namespace: i.namespace, MetricName: i.name, Dimensions: dimensionList(i.dimensions) },
                Period: spec.periodSeconds,
                Stat: i.stat,
              },
              ReturnData: false,
            })),
            { Id: 'e1', Expression: m.expression, Label: m.label, ReturnData: true },
          ],
        };
  return {
    AlarmName: spec.name,
    AlarmDescription: spec.description,
    ActionsEnabled: true,
    AlarmActions: [...spec.alarmActions],
    OKActions: [...spec.okActions],
    ...metric,
    EvaluationPeriods: spec.evaluationPeriods,
    DatapointsToAlarm: spec.datapointsToAlarm,
    Threshold: spec.threshold,
    ComparisonOperator: spec.comparison,
    TreatMissingData: spec.treatMissingData,
    Tags: [
      { Key: 'vitascope:rule', Value: spec.ruleId },
      { Key: 'vitascope:level', Value: spec.level },
      { Key: MANAGED_TAG, Value: 'vitascope-oncall' },
    ],
  };
}
