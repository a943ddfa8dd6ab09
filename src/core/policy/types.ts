import type { AlertLevel, PriorityName } from '../model.js';
import type { Unit } from './units.js';

export type Layer = 'infra' | 'app' | 'business';

/**
 * How a rule compares its metric with its thresholds.
 * - absolute: the value itself (CPU ≥ 70 %).
 * - ratio: the value over a reference: the same window a week earlier ("normal") or a capacity limit
 *   such as max_connections; the threshold is the factor (3 × normal, 0.8 of the limit).
 * - drop: how far the value fell below the same window a day or a week earlier, as a fraction (0.3 = 30 %).
 * - consecutive: a run length (authentication failures in a row from one address).
 * - state: 1 while a condition holds (service unhealthy, dependency down), 0 otherwise.
 */
export type Comparison =
  | { readonly kind: 'absolute' }
  | {
      readonly kind: 'ratio';
      readonly reference: 'previous-day' | 'previous-week' | 'limit';
      readonly limitName?: string;
    }
  | { readonly kind: 'drop'; readonly reference: 'previous-day' | 'previous-week' }
  | { readonly kind: 'consecutive' }
  | { readonly kind: 'state' };

export type ResourceKind =
  'ecs-service' | 'rds-instance' | 'sqs-queue' | 'lambda-function' | 'api' | 'dependency' | 'product';

export interface Thresholds {
  readonly info?: number;
  readonly warning?: number;
  readonly critical?: number;
}

/** CloudWatch-style evaluation: M of the last N periods must breach. */
export interface EvaluationWindow {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** Where the rule's metric lives (CloudWatch names; Prometheus-fed metrics are published there too). */
export interface MetricBinding {
  readonly namespace: string;
  readonly name: string;
  readonly statistic: 'Average' | 'Maximum' | 'Minimum' | 'Sum';
  /** Dimension names; values come from the resource the alarm watches. */
  readonly dimensions: readonly string[];
  /** When set, the value is 100 × name / denominator (a rate in percent). */
  readonly denominator?: string;
  /**
   * When set, the value is this metric math over input metrics of the same namespace, dimensions and
   * statistic (`inputs`: id → metric name) and the resource's capacity limits (any other identifier, e.g.
   * allocated_storage_gib): what an exported CloudWatch alarm computes, and what the sandbox evaluates.
   */
  readonly expression?: MetricExpression;
}

/** CloudWatch metric math for a rule (policy/expression.ts evaluates the subset used). */
export interface MetricExpression {
  readonly text: string;
  readonly inputs: Readonly<Record<string, string>>;
  /** What the value is, in words (the CloudWatch expression's label). */
  readonly label: string;
}

export interface Bilingual {
  readonly en: string;
  readonly ja: string;
}

/** One row of the strategy's metric tables. */
export interface PolicyRule {
  readonly id: string;
  readonly layer: Layer;
  readonly title: Bilingual;
  readonly description: Bilingual;
  readonly unit: Unit;
  readonly comparison: Comparison;
  readonly thresholds: Thresholds;
  readonly evaluation: EvaluationWindow;
  /** The incident priority an alarm of each level opens. */
  readonly priority: Partial<Record<AlertLevel, PriorityName>>;
  /** What the rule watches: the cockpit, reports and the sandbox read it. */
  readonly metric: MetricBinding;
  /**
   * What an exported CloudWatch alarm watches instead, where AWS's own metric carries the signal but
   * needs resource dimensions the cockpit does not know (the API's load balancer): `metric` otherwise.
   */
  readonly alarmMetric?: MetricBinding;
  readonly appliesTo: ResourceKind;
  /** Middle of the alarm name: vitascope-<resource>-<slug>-<level>. */
  readonly alarmSlug: string;
  readonly enabled: boolean;
}

export type Channel = 'phone' | 'email' | 'chat' | 'ticket';

export interface PriorityDef {
  readonly name: PriorityName;
  readonly label: Bilingual;
  readonly description: Bilingual;
  /** Minutes from the page to the first response; undefined for "next sprint". */
  readonly responseTargetMinutes?: number;
  readonly responseTarget: Bilingual;
  /** P1 and P2 are answered around the clock; P3 and P4 in working hours. */
  readonly aroundTheClock: boolean;
  readonly channels: readonly Channel[];
  readonly urgency: 'high' | 'low';
}

export interface EscalationLevelDef {
  readonly level: number;
  readonly role: 'primary' | 'secondary' | 'manager';
  /** Minutes an unacknowledged incident waits at this level before moving on. */
  readonly delayMinutes: number;
}

export interface Policy {
  readonly rules: readonly PolicyRule[];
  readonly priorities: readonly PriorityDef[];
  readonly escalation: readonly EscalationLevelDef[];
  /** Working hours for "pages outside working hours": local hours [start, end) on weekdays. */
  readonly workingHours: { readonly timeZone: string; readonly start: number; readonly end: number };
}
