/**
 * Ports: the small interfaces every source implements, the sandbox and the real adapters alike.
 * Nothing above this file knows which one it talks to. Read ports list and fetch; capability ports
 * change the world and exist only where the source supports the action (k9s's Scalable, Restartable…).
 */
import type {
  Alarm,
  AlarmHistoryItem,
  AlarmState,
  Database,
  Environment,
  EscalationPolicy,
  Incident,
  IncidentStatus,
  MetricRef,
  OnCallEntry,
  Person,
  Point,
  PriorityName,
  ScalingLimits,
  Service,
  Shift,
  TimelineEntry,
} from '../core/model.js';
import type { LogSource, TraceSource } from './logPorts.js';

export type * from './logPorts.js';

export interface AlarmSource {
  listAlarms(signal?: AbortSignal): Promise<Alarm[]>;
  alarmHistory(alarmName: string, range?: { from: number; to: number }): Promise<AlarmHistoryItem[]>;
}

export interface MetricQuery {
  /** Caller's key for the result. */
  readonly id: string;
  readonly metric: MetricRef;
  /** CloudWatch statistic; defaults to the metric's own. */
  readonly statistic?: string;
  /** When set, the series is 100 × metric / denominator, as the policy's rate rules want. */
  readonly denominator?: string;
  /**
   * When set, the series is this metric math over `inputs` (id → metric name, same namespace, dimensions
   * and statistic) with `constants` for the other identifiers (a resource's limits), as the rule's
   * expression binding says (policy/types.ts MetricExpression).
   */
  readonly expression?: {
    readonly text: string;
    readonly inputs: Readonly<Record<string, string>>;
    readonly constants?: Readonly<Record<string, number>>;
  };
}

export interface MetricSeries {
  readonly id: string;
  readonly points: Point[];
}

export interface MetricSource {
  /** Series of one value per step from start (inclusive) to end (exclusive), oldest first. */
  getSeries(
    queries: readonly MetricQuery[],
    range: { start: number; end: number; stepSeconds: number },
  ): Promise<MetricSeries[]>;
}

/** One endpoint's part of the API's traffic over a window (or the whole API's, for the total). */
export interface EndpointPart {
  /** The endpoint label's value (a path such as /api/v1/sync); methods of one path are together. */
  readonly endpoint: string;
  readonly requestsPerSecond: number;
  /** Answers with a 5xx status, per second. */
  readonly errorsPerSecond: number;
  /** The 95th percentile of the response time; undefined where the window had no requests. */
  readonly p95Seconds?: number;
}

/** The API's request rate, 5xx rate and p95 over one window, endpoint by endpoint and in total. */
export interface EndpointBreakdown {
  /** The end of the window (epoch ms) and its length. */
  readonly at: number;
  readonly windowSeconds: number;
  /** The label the endpoints are told apart by (prometheus.metrics.labels.endpoint: endpoint, handler…). */
  readonly label: string;
  readonly total: Omit<EndpointPart, 'endpoint'>;
  readonly endpoints: readonly EndpointPart[];
}

/** Where the API's traffic went, endpoint by endpoint (Prometheus's app metrics, or the sandbox's). */
export interface EndpointBreakdownSource {
  endpointBreakdown(
    window: { readonly end: number; readonly seconds: number },
    signal?: AbortSignal,
  ): Promise<EndpointBreakdown>;
}

export interface ServiceSource {
  listServices(signal?: AbortSignal): Promise<Service[]>;
}

export interface DatabaseSource {
  listDatabases(signal?: AbortSignal): Promise<Database[]>;
}

export interface IncidentFilter {
  readonly statuses?: readonly IncidentStatus[];
  readonly since?: number;
  readonly until?: number;
  readonly urgencies?: readonly ('high' | 'low')[];
  readonly priorities?: readonly PriorityName[];
  readonly serviceIds?: readonly string[];
  readonly assigneeIds?: readonly string[];
}

export interface IncidentSource {
  listIncidents(filter?: IncidentFilter, signal?: AbortSignal): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** The incident's log entries and notes as one ordered timeline. */
  timeline(id: string): Promise<TimelineEntry[]>;
  /**
   * The user the credentials act as (PagerDuty's GET /users/me), when the source has one: undefined for
   * an account-level key, which acts as nobody in particular.
   */
  whoAmI?(signal?: AbortSignal): Promise<Person | undefined>;
}

export interface OnCallSource {
  /** Who is on call now, one entry per escalation level. */
  onCallNow(signal?: AbortSignal): Promise<OnCallEntry[]>;
  /** Every shift overlapping [from, to). */
  rotation(from: number, to: number): Promise<Shift[]>;
  escalationPolicies(): Promise<EscalationPolicy[]>;
}

// ---- capability ports ----

export interface Scalable {
  setDesiredCount(serviceId: string, desired: number): Promise<void>;
}

export interface AutoScalable {
  getScalingLimits(serviceId: string): Promise<ScalingLimits | undefined>;
  setScalingLimits(serviceId: string, limits: ScalingLimits): Promise<void>;
}

export interface Redeployable {
  forceNewDeployment(serviceId: string): Promise<void>;
  /** The task definition the service ran before the current one, if known. */
  previousTaskDefinition(serviceId: string): Promise<string | undefined>;
  setTaskDefinition(serviceId: string, taskDefinition: string): Promise<void>;
}

export interface Rebootable {
  rebootDatabase(databaseId: string, options: { failover: boolean }): Promise<void>;
}

/** A database's allocated storage, read and grown (RDS ModifyDBInstance AllocatedStorage). */
export interface StorageResizable {
  getStorage(databaseId: string): Promise<{ allocatedGiB: number; usedPercent?: number; maxAllocatedGiB?: number }>;
  setAllocatedStorage(databaseId: string, allocatedGiB: number): Promise<void>;
}

export interface IncidentActions {
  acknowledge(incidentId: string): Promise<void>;
  resolve(incidentId: string): Promise<void>;
  reassign(incidentId: string, people: readonly Person[]): Promise<void>;
  escalate(incidentId: string, level: number): Promise<void>;
  addNote(incidentId: string, text: string): Promise<void>;
  /** Snoozes an acknowledged incident: it goes back to triggered after `seconds`. */
  snooze(incidentId: string, seconds: number): Promise<void>;
}

export interface Silence {
  readonly id: string;
  readonly matchers: readonly { name: string; value: string; isRegex: boolean }[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly state: 'active' | 'pending' | 'expired';
}

export interface Silenceable {
  listSilences(): Promise<Silence[]>;
  createSilence(silence: Omit<Silence, 'id' | 'state'>): Promise<string>;
  expireSilence(id: string): Promise<void>;
}

/** For drills: force an alarm's state (CloudWatch SetAlarmState). */
export interface AlarmDrill {
  setAlarmState(alarmName: string, state: AlarmState, reason: string): Promise<void>;
}

/** One CloudWatch alarm's actions as DescribeAlarms tells them, and whether they run. */
export interface AlarmActionsState {
  readonly name: string;
  /** ActionsEnabled: false, the alarm changes state and runs none of them. */
  readonly enabled: boolean;
  /** Run on a transition to ALARM, to OK, to INSUFFICIENT_DATA (SNS topics, Auto Scaling policies, …). */
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
}

/**
 * Whether CloudWatch alarms run their actions (DisableAlarmActions / EnableAlarmActions): the switch that
 * really stops an alarm's page, which goes CloudWatch → SNS → PagerDuty and which no silence touches.
 */
export interface AlarmActionsSwitch {
  /** The named alarms' actions; names CloudWatch does not know are left out. */
  readActions(names: readonly string[], signal?: AbortSignal): Promise<AlarmActionsState[]>;
  setActionsEnabled(names: readonly string[], enabled: boolean): Promise<void>;
}

/** One subscription of an SNS topic: who or what a notification reaches. */
export interface TopicSubscription {
  /** email, sms, https, lambda, sqs, … */
  readonly protocol: string;
  /** Where it goes, with any secret part of a URL left out (an integration key in its path or query). */
  readonly endpoint: string;
}

/** Who an SNS topic notifies (SNS ListSubscriptionsByTopic). */
export interface TopicDirectory {
  subscriptions(topicArn: string, signal?: AbortSignal): Promise<TopicSubscription[]>;
}

/** Block a client address at the edge (a WAF IP set in AWS). */
export interface AddressBlocker {
  /** Adds the address (or CIDR) to the blocked set; one already covered by the set is left as it is. */
  blockAddress(address: string, reason: string): Promise<void>;
  /** Removes the address's own entry (not a wider range that covers it); none is a change of nothing. */
  unblockAddress(address: string, reason: string): Promise<void>;
  /** The blocked set now: its name, its size, and the entries that cover the address. */
  blocked(address: string, signal?: AbortSignal): Promise<BlockedSet>;
}

export interface BlockedSet {
  /** The set's name (the WAF IP set, or the sandbox's). */
  readonly name: string;
  /** How many entries (addresses and CIDRs) it holds. */
  readonly size: number;
  /** Whether one of its entries covers the whole address or CIDR asked about. */
  readonly covers: boolean;
  /** Those entries (the address's own, a wider range), as the set writes them. */
  readonly coveredBy: readonly string[];
}

/** A simulated world (the sandbox): what it is, and for frozen ones, a way to move its time. */
export interface Simulation {
  readonly scenario: string;
  readonly seed: number;
  /** This run's tag (part of its incident ids); undefined when the sandbox was made without one (tests). */
  readonly run?: string;
  /** Headless sandboxes look at one moment; only advance() moves them. */
  readonly frozen: boolean;
  advance(ms: number): void;
}

/** Every port a source set may offer; the read ports a cockpit needs, capabilities where supported. */
export interface Sources {
  readonly environment: Environment;
  /** The current time as the sources see it: the wall clock, or the sandbox's simulated clock. */
  now(): number;
  /** CloudWatch's alarms (or the sandbox's). */
  readonly alarms?: AlarmSource;
  /** Alerts from Prometheus's rules or Alertmanager, polled on their own. */
  readonly alerts?: AlarmSource;
  readonly metrics?: MetricSource;
  /** The API's traffic by endpoint (Prometheus when configured, the sandbox's own). */
  readonly endpoints?: EndpointBreakdownSource;
  readonly services?: ServiceSource;
  readonly databases?: DatabaseSource;
  readonly incidents?: IncidentSource;
  readonly onCall?: OnCallSource;
  readonly scalable?: Scalable;
  readonly autoScalable?: AutoScalable;
  readonly redeployable?: Redeployable;
  readonly rebootable?: Rebootable;
  readonly storageResizable?: StorageResizable;
  readonly incidentActions?: IncidentActions;
  readonly silences?: Silenceable;
  readonly alarmDrill?: AlarmDrill;
  /** CloudWatch alarms' actions, switched off and on (what muting a CloudWatch alarm does). */
  readonly alarmActions?: AlarmActionsSwitch;
  /** SNS topics' subscriptions, for saying who an alarm's actions reach. */
  readonly topics?: TopicDirectory;
  readonly addressBlocker?: AddressBlocker;
  /** Log lines by service (CloudWatch Logs, or the sandbox's). */
  readonly logs?: LogSource;
  /** Traces by service (X-Ray, or the sandbox's). */
  readonly traces?: TraceSource;
  /** Present only on the sandbox: it is a simulation, not production. */
  readonly simulation?: Simulation;
  /** Releases timers and connections. */
  close(): Promise<void>;
}
