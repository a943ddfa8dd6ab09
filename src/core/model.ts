/**
 * Domain types shared by every layer. Times are epoch milliseconds (numbers) inside the program and
 * ISO-8601 strings only at the edges (JSON output, reports), so arithmetic on them stays cheap.
 */

/** The strategy's alert levels: 緊急, 警告, 情報. */
export type AlertLevel = 'critical' | 'warning' | 'info';
/** A level, or nothing to report. */
export type Health = AlertLevel | 'ok';

export const LEVEL_RANK: Readonly<Record<Health, number>> = { ok: 0, info: 1, warning: 2, critical: 3 };

/** The worse of two health values. */
export function worse(a: Health, b: Health): Health {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type PriorityName = 'P1' | 'P2' | 'P3' | 'P4';

/** One metric as CloudWatch names it; Prometheus-backed metrics use namespace "prometheus". */
export interface MetricRef {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic?: string;
}

export interface Point {
  /** Epoch ms of the start of the period the value summarises. */
  readonly t: number;
  readonly v: number;
}

/** The systems an alarm row comes from: a CloudWatch alarm, a Prometheus alerting rule, an alert Alertmanager holds. */
export type AlarmOrigin = 'cloudwatch' | 'prometheus' | 'alertmanager';

/**
 * Alertmanager is not sending an alert's notifications: a silence matches it, or another alert
 * inhibits it. The alert is still firing (and shown); nobody is paged for it.
 */
export interface Suppression {
  readonly kind: 'silenced' | 'inhibited';
  /** Silence ids (silenced), or the fingerprints of the inhibiting alerts. */
  readonly by: readonly string[];
  /** For a rule firing for several series: how many of them Alertmanager suppresses; all of them when absent. */
  readonly series?: { readonly suppressed: number; readonly of: number };
}

/** An alarm as every source reports it (CloudWatch alarm, Prometheus alert rule, sandbox alarm). */
export interface Alarm {
  /** Stable across refreshes: the ARN for CloudWatch, the name in the sandbox. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly state: AlarmState;
  /** The level this alarm raises while in ALARM. */
  readonly level: AlertLevel;
  readonly description?: string;
  readonly reason?: string;
  readonly metric?: MetricRef;
  readonly threshold?: number;
  /** CloudWatch's ComparisonOperator, e.g. GreaterThanOrEqualToThreshold. */
  readonly comparison?: string;
  /** Unit of value and threshold, a key of UNITS in policy/units.ts. */
  readonly unit?: string;
  /** The newest evaluated value, in unit. */
  readonly value?: number;
  readonly periodSeconds?: number;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly stateSince: number;
  /** What runs when it goes to ALARM (CloudWatch AlarmActions: SNS topics…; Alertmanager: its receivers). */
  readonly actions: readonly string[];
  /** CloudWatch: what runs when it returns to OK (OKActions). */
  readonly okActions?: readonly string[];
  /** CloudWatch: what runs when it goes to INSUFFICIENT_DATA. */
  readonly insufficientDataActions?: readonly string[];
  /** CloudWatch: whether the alarm runs its actions at all (DescribeAlarms ActionsEnabled); false pages nobody. */
  readonly actionsEnabled?: boolean;
  /** Where this row comes from; one row may be a Prometheus rule whose alerts Alertmanager holds. */
  readonly origins?: readonly AlarmOrigin[];
  /** Alertmanager suppresses its notifications (silenced or inhibited). */
  readonly suppressed?: Suppression;
  /** An alert's labels (Alertmanager): what a silence of exactly this alert matches. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The policy rule this alarm implements, when known. */
  readonly ruleId?: string;
}

/** The sign of an alarm's comparison (CloudWatch's ComparisonOperator; ≥ when it does not say). */
export function comparisonSign(comparison: string | undefined): string {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return '>';
    case 'LessThanThreshold':
    case 'LessThanLowerThreshold':
      return '<';
    case 'LessThanOrEqualToThreshold':
      return '≤';
    case 'LessThanLowerOrGreaterThanUpperThreshold':
      return 'outside';
    case 'GreaterThanUpperThreshold':
      return '>';
    default:
      return '≥';
  }
}

export interface AlarmHistoryItem {
  readonly at: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly reason: string;
}

export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  readonly id: string;
  readonly status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  readonly taskDefinition: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  readonly rolloutState: RolloutState;
  readonly rolloutReason?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ServiceEvent {
  readonly id: string;
  readonly at: number;
  readonly message: string;
}

export interface ScalingLimits {
  readonly min: number;
  readonly max: number;
}

/** An ECS service. */
export interface Service {
  /** The service ARN (or a sandbox id). */
  readonly id: string;
  readonly name: string;
  readonly cluster: string;
  readonly status: string;
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  readonly taskDefinition: string;
  readonly deployments: readonly Deployment[];
  readonly events: readonly ServiceEvent[];
  readonly scaling?: ScalingLimits;
}

export interface Database {
  readonly id: string;
  readonly engine: string;
  readonly instanceClass: string;
  readonly status: string;
  readonly connections?: number;
  readonly maxConnections?: number;
  readonly multiAz: boolean;
  /** The storage the instance has (RDS AllocatedStorage), when the source reports it. */
  readonly allocatedGiB?: number;
  /** Share of the allocated storage in use, in percent (from FreeStorageSpace); absent when unknown. */
  readonly storageUsedPercent?: number;
}

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
}

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface EscalationRule {
  readonly level: number;
  readonly delayMinutes: number;
  /** Who this level pages (resolved people; a schedule target resolves to whoever is on call). */
  readonly targets: readonly Person[];
}

export interface EscalationPolicy {
  readonly id: string;
  readonly name: string;
  readonly rules: readonly EscalationRule[];
}

export interface Incident {
  readonly id: string;
  readonly number?: number;
  readonly title: string;
  readonly status: IncidentStatus;
  readonly urgency: 'high' | 'low';
  readonly priority?: PriorityName;
  readonly service: { readonly id: string; readonly name: string };
  readonly createdAt: number;
  readonly acknowledgedAt?: number;
  readonly resolvedAt?: number;
  readonly assignees: readonly Person[];
  /** Escalation level (1-based) the incident is at now, and since when. */
  readonly escalationLevel: number;
  readonly escalatedAt: number;
  readonly escalationPolicyId?: string;
  /** Alarms (by name) grouped into this incident; the dedup key of the first one. */
  readonly alarmNames: readonly string[];
  readonly url?: string;
  /** An acknowledged incident that goes back to triggered at this time (a snooze, or the service's acknowledgement timeout). */
  readonly retriggersAt?: number;
}

export type OnCallRole = 'primary' | 'secondary' | 'manager';

export interface OnCallEntry {
  readonly level: number;
  readonly role: OnCallRole;
  readonly person: Person;
  readonly start?: number;
  readonly end?: number;
  readonly scheduleName?: string;
}

/** One shift of a rotation: who is primary and secondary from start to end. */
export interface Shift {
  readonly start: number;
  readonly end: number;
  readonly role: OnCallRole;
  readonly person: Person;
}

export type TimelineKind =
  | 'alarm'
  | 'incident.triggered'
  | 'incident.acknowledged'
  | 'incident.escalated'
  | 'incident.resolved'
  | 'incident.reassigned'
  | 'note'
  | 'action'
  | 'deployment';

/** One entry of an incident's timeline, whatever recorded it. */
export interface TimelineEntry {
  readonly id: string;
  readonly at: number;
  readonly kind: TimelineKind;
  readonly summary: string;
  readonly who?: string;
  /** Whether `who` is a person (a responder) or a system acting on its own (an integration, the pager's rules). */
  readonly agent?: 'person' | 'system';
  readonly incidentId?: string;
}

/** Where a snapshot came from, shown in the environment banner. */
export interface Environment {
  readonly kind: 'sandbox' | 'aws';
  readonly label: string;
  readonly account?: string;
  readonly region?: string;
  readonly production: boolean;
  /** The AWS settings the program talks to AWS with (configuration, environment, flags): commands run with them too. */
  readonly aws?: { readonly profile?: string; readonly region?: string; readonly endpointUrl?: string };
}
