import { evaluate, type Evaluation } from '../../core/policy/evaluate.js';
import { evaluateExpression } from '../../core/policy/expression.js';
import type { MetricBinding, Policy, PolicyRule, ResourceKind } from '../../core/policy/types.js';
import type { Alarm, AlarmHistoryItem, AlarmState, AlertLevel, MetricRef, Point } from '../../core/model.js';
import { metricNameOf } from './catalogue.js';
import type { MetricHistory } from './history.js';
import {
  ACCOUNT,
  CLUSTER,
  DATABASE,
  DEPENDENCIES,
  LAMBDA,
  LOAD_BALANCER,
  MINUTE,
  QUEUE,
  REGION,
  SERVICES,
} from './topology.js';

/** One alarm: a rule, a resource and a level, as deployed in CloudWatch. */
export interface AlarmRecord {
  readonly name: string;
  readonly level: AlertLevel;
  readonly threshold: number;
  state: AlarmState;
  stateSince: number;
  reason: string;
  value?: number;
  history: AlarmHistoryItem[];
  /** CloudWatch's ActionsEnabled: false, it changes state and pages nobody. */
  actionsEnabled: boolean;
}

/** The alarms of one rule on one resource, evaluated together. */
export interface AlarmGroup {
  readonly rule: PolicyRule;
  readonly resource: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** The metric the alarm names (its binding's, with the resource's dimensions). */
  readonly metric?: MetricRef;
  /** A period's value as the deployed alarm computes it (a metric, a rate, metric math); undefined when it cannot. */
  readonly periodValue: (start: number, minutes: number) => number | undefined;
  readonly limit?: number;
  readonly pagerDutyService: string;
  readonly alarms: AlarmRecord[];
  last?: Evaluation;
}

export type TransitionListener = (group: AlarmGroup, alarm: AlarmRecord, from: AlarmState, at: number) => void;

interface Resource {
  readonly token: string;
  readonly dimensions: Record<string, string>;
  readonly pagerDutyService: string;
  readonly limit?: number;
}

function resourcesFor(rule: PolicyRule): Resource[] {
  switch (rule.appliesTo) {
    case 'ecs-service':
      return SERVICES.map((s) => ({
        token: s.token,
        dimensions: { ClusterName: CLUSTER, ServiceName: s.name },
        pagerDutyService: s.pagerDutyService,
      }));
    case 'rds-instance':
      return [
        {
          token: DATABASE.token,
          dimensions: { DBInstanceIdentifier: DATABASE.id },
          pagerDutyService: DATABASE.pagerDutyService,
          limit: DATABASE.maxConnections,
        },
      ];
    case 'sqs-queue':
      return [{ token: QUEUE.token, dimensions: { QueueName: QUEUE.name }, pagerDutyService: QUEUE.pagerDutyService }];
    case 'lambda-function':
      return [
        { token: LAMBDA.token, dimensions: { FunctionName: LAMBDA.name }, pagerDutyService: LAMBDA.pagerDutyService },
      ];
    case 'api':
      return [
        {
          token: 'api',
          dimensions: { LoadBalancer: LOAD_BALANCER.loadBalancer, TargetGroup: LOAD_BALANCER.targetGroup },
          pagerDutyService: 'PSVCAPI',
        },
      ];
    case 'dependency':
      return DEPENDENCIES.map((d) => ({
        token: d.token,
        dimensions: { Dependency: d.name },
        pagerDutyService: d.pagerDutyService,
      }));
    case 'product':
      return [{ token: '', dimensions: {}, pagerDutyService: 'PSVCBIZ' }];
  }
}

export function alarmName(rule: PolicyRule, resource: string, level: AlertLevel): string {
  return ['vitascope', resource, rule.alarmSlug, level].filter(Boolean).join('-');
}

/** The SNS topic every sandbox alarm notifies: it stands for the PagerDuty integration (the sandbox's pager). */
export const SANDBOX_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:vitascope-pagerduty`;

const BASELINE_OFFSET_MIN = { 'previous-day': 1440, 'previous-week': 10_080 } as const;

/** CloudWatch-style alarms for every enabled rule of the policy on every resource it applies to. */
export class AlarmBook {
  readonly groups: AlarmGroup[] = [];
  private readonly byName = new Map<string, { group: AlarmGroup; alarm: AlarmRecord }>();

  constructor(
    policy: Policy,
    private readonly history: MetricHistory,
    private readonly origin: number,
    private readonly onTransition: TransitionListener,
    /** A resource kind's capacity limits now (the database's allocated storage), for metric math. */
    private readonly limitsOf: (kind: ResourceKind) => Readonly<Record<string, number>> = () => ({}),
  ) {
    for (const rule of policy.rules) {
      if (!rule.enabled) continue;
      // The sandbox's alarms are the CloudWatch alarms `alarms export` would deploy: they watch what those do.
      const binding = rule.alarmMetric ?? rule.metric;
      for (const res of resourcesFor(rule)) {
        const dims = Object.fromEntries(binding.dimensions.map((d) => [d, res.dimensions[d] ?? '']));
        const alarms: AlarmRecord[] = [];
        // Critical first, so that an incident opened by both is named after the critical one.
        for (const level of ['critical', 'warning', 'info'] as const) {
          const threshold = rule.thresholds[level];
          if (threshold === undefined) continue;
          const record: AlarmRecord = {
            name: alarmName(rule, res.token, level),
            level,
            threshold,
            state: 'INSUFFICIENT_DATA',
            stateSince: origin,
            reason: 'Unchecked: initial alarm creation',
            history: [],
            actionsEnabled: true,
          };
          alarms.push(record);
        }
        const metric: MetricRef = {
          namespace: binding.namespace,
          name: binding.name,
          dimensions: dims,
          statistic: binding.statistic,
        };
        const periodValue = this.valueOf(binding, dims, () => this.limitsOf(rule.appliesTo));
        const group: AlarmGroup = {
          rule,
          resource: res.token,
          dimensions: dims,
          metric,
          periodValue,
          limit: res.limit,
          pagerDutyService: res.pagerDutyService,
          alarms,
        };
        this.groups.push(group);
        for (const alarm of alarms) this.byName.set(alarm.name, { group, alarm });
      }
    }
    // The alarms have existed for days: settle them on the calm past without announcing transitions.
    for (const group of this.groups) this.evaluateGroup(group, 0, origin - 2 * 24 * 60 * MINUTE, false);
  }

  find(name: string): { group: AlarmGroup; alarm: AlarmRecord } | undefined {
    return this.byName.get(name);
  }

  /** Evaluates the groups whose period ends at the end of `minute`. */
  evaluateMinute(minute: number): void {
    const end = minute + 1;
    const at = this.origin + end * MINUTE;
    for (const group of this.groups) {
      const periodMin = group.rule.evaluation.periodSeconds / 60;
      if (end % periodMin === 0) this.evaluateGroup(group, end, at, true);
    }
  }

  /**
   * How a binding's period value is computed from the sandbox's history, as CloudWatch would: a metric's
   * statistic, a rate (100 × sums), or metric math over inputs and limits. A metric the sandbox does not
   * produce gives no value (INSUFFICIENT_DATA), as an alarm on a metric nothing publishes does.
   */
  private valueOf(
    binding: MetricBinding,
    dims: Readonly<Record<string, string>>,
    limits: () => Readonly<Record<string, number>>,
  ): AlarmGroup['periodValue'] {
    const name = (metric: string) => metricNameOf({ namespace: binding.namespace, name: metric, dimensions: dims });
    const expression = binding.expression;
    if (expression) {
      const inputs = new Map(Object.entries(expression.inputs).map(([id, metric]) => [id, name(metric)] as const));
      return (start, minutes) => {
        const l = limits();
        return evaluateExpression(expression.text, (id) => {
          if (inputs.has(id)) {
            const n = inputs.get(id);
            return n === undefined ? undefined : this.history.aggregate(n, binding.statistic, start, minutes);
          }
          return l[id];
        });
      };
    }
    const numerator = name(binding.name);
    const denominator = binding.denominator ? name(binding.denominator) : undefined;
    if (!numerator || (binding.denominator && !denominator)) return () => undefined;
    if (denominator) {
      return (start, minutes) => {
        const num = this.history.aggregate(numerator, 'Sum', start, minutes);
        const den = this.history.aggregate(denominator, 'Sum', start, minutes);
        return num === undefined || den === undefined || den <= 0 ? undefined : (100 * num) / den;
      };
    }
    return (start, minutes) => this.history.aggregate(numerator, binding.statistic, start, minutes);
  }

  private evaluateGroup(group: AlarmGroup, endMinute: number, at: number, announce: boolean): void {
    const { rule } = group;
    const periodMin = rule.evaluation.periodSeconds / 60;
    const n = rule.evaluation.evaluationPeriods;
    const series: Point[] = [];
    const baseline: (Point | undefined)[] = [];
    const c = rule.comparison;
    const offset =
      (c.kind === 'ratio' || c.kind === 'drop') && c.reference !== 'limit'
        ? BASELINE_OFFSET_MIN[c.reference]
        : undefined;
    for (let k = 0; k < n; k++) {
      const start = endMinute - (n - k) * periodMin;
      const t = this.origin + start * MINUTE;
      const v = group.periodValue(start, periodMin);
      if (v !== undefined) series.push({ t, v });
      else series.push({ t, v: Number.NaN });
      if (offset !== undefined) {
        const b = group.periodValue(start - offset, periodMin);
        baseline.push(b === undefined ? undefined : { t: t - offset * MINUTE, v: b });
      }
    }
    const input = { series, baseline: offset !== undefined ? baseline : undefined, limit: group.limit };
    group.last = evaluate(rule, input);
    // Each CloudWatch alarm has one threshold: judge it alone, so its reason names its own threshold.
    for (const alarm of group.alarms) {
      const own = evaluate({ ...rule, thresholds: { [alarm.level]: alarm.threshold } }, input);
      const next: AlarmState = own.level === 'insufficient' ? 'INSUFFICIENT_DATA' : own.level === 'ok' ? 'OK' : 'ALARM';
      alarm.value = displayValue(rule, own.observed ?? own.value);
      if (next !== alarm.state) this.transition(group, alarm, next, at, own.reason, announce, alarm.state);
    }
  }

  private transition(
    group: AlarmGroup,
    alarm: AlarmRecord,
    to: AlarmState,
    at: number,
    reason: string,
    announce: boolean,
    from: AlarmState,
  ): void {
    alarm.state = to;
    alarm.stateSince = at;
    alarm.reason = reason;
    if (!announce) return;
    alarm.history.unshift({ at, from, to, reason });
    if (alarm.history.length > 100) alarm.history.length = 100;
    this.onTransition(group, alarm, from, at);
  }

  /** SetAlarmState: the alarm takes the state until its next evaluation, as in CloudWatch. */
  setState(name: string, to: AlarmState, reason: string, at: number): boolean {
    const found = this.byName.get(name);
    if (!found) return false;
    const from = found.alarm.state;
    if (from !== to) this.transition(found.group, found.alarm, to, at, reason, true, from);
    return true;
  }

  /** DisableAlarmActions / EnableAlarmActions: names it does not know are ignored, as CloudWatch does. */
  setActionsEnabled(names: readonly string[], enabled: boolean): void {
    for (const name of names) {
      const found = this.byName.get(name);
      if (found) found.alarm.actionsEnabled = enabled;
    }
  }

  toAlarms(): Alarm[] {
    const out: Alarm[] = [];
    for (const group of this.groups) {
      for (const alarm of group.alarms) out.push(toAlarm(group, alarm));
    }
    return out;
  }
}

/** Ratio and drop alarms report the compared quantity (as a metric-math alarm would), not the raw metric. */
function displayValue(rule: PolicyRule, v: number | undefined): number | undefined {
  if (v === undefined || Number.isNaN(v)) return undefined;
  const c = rule.comparison;
  if (c.kind === 'drop' || (c.kind === 'ratio' && c.reference === 'limit')) return v * 100;
  return v;
}

function displayUnit(rule: PolicyRule): string {
  const c = rule.comparison;
  if (c.kind === 'drop' || (c.kind === 'ratio' && c.reference === 'limit')) return 'percent';
  if (c.kind === 'ratio') return 'times';
  return rule.unit;
}

function toAlarm(group: AlarmGroup, alarm: AlarmRecord): Alarm {
  const { rule } = group;
  const threshold = displayValue(rule, alarm.threshold) ?? alarm.threshold;
  const on = group.resource ? ` (${group.resource})` : '';
  return {
    id: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarm.name}`,
    name: alarm.name,
    kind: 'metric',
    state: alarm.state,
    level: alarm.level,
    // Both languages, English first and Japanese in brackets (core/lang.ts): the cockpit shows the one it speaks.
    description: `${rule.description.en}${on}: the ${alarm.level} threshold of ${rule.title.en} (${rule.description.ja}${on}: ${rule.title.ja} の${levelJa(alarm.level)}閾値)`,
    reason: alarm.reason,
    metric: group.metric,
    threshold,
    comparison: 'GreaterThanOrEqualToThreshold',
    unit: displayUnit(rule),
    value: alarm.value,
    periodSeconds: rule.evaluation.periodSeconds,
    evaluationPeriods: rule.evaluation.evaluationPeriods,
    datapointsToAlarm: rule.evaluation.datapointsToAlarm,
    stateSince: alarm.stateSince,
    actions: [SANDBOX_TOPIC],
    okActions: [SANDBOX_TOPIC],
    insufficientDataActions: [],
    actionsEnabled: alarm.actionsEnabled,
    origins: ['cloudwatch'],
    ruleId: rule.id,
  };
}

function levelJa(level: AlertLevel): string {
  return level === 'critical' ? '緊急' : level === 'warning' ? '警告' : '情報';
}
