import type { AlarmState, PriorityName } from '../model.js';
import type { RedactionCounts } from './redact.js';

/**
 * The report models: what the builders produce and the renderers (Markdown, JSON; English, Japanese)
 * write. Conventions the JSON renderer relies on: instants are epoch ms in fields named `at`, `from`,
 * `to`, `start`, `end`, `t` or ending in `At`; durations are ms in fields ending in `Ms`.
 */

export type Lang = 'en' | 'ja';
export type ReportKind = 'handoff' | 'incident' | 'postmortem' | 'summary';

/** Where a piece of data came from. */
export type Origin = 'journal' | 'pagerduty' | 'sandbox' | 'alarm-history';

export interface Period {
  readonly from: number;
  readonly to: number;
}

/** A source the report wanted and could not read: the report says what it is missing. */
export interface SourceGap {
  readonly source: string;
  readonly error: string;
  /** Left out on purpose (a limit of the report), not a source that failed. */
  readonly limited?: true;
}

/** An incident as the reports see it: the journal's record and PagerDuty's merged into one. */
export interface ReportIncident {
  readonly id: string;
  readonly title: string;
  readonly priority?: PriorityName;
  readonly service?: { readonly id: string; readonly name: string };
  readonly status: 'triggered' | 'acknowledged' | 'resolved';
  readonly createdAt: number;
  readonly acknowledgedAt?: number;
  readonly resolvedAt?: number;
  readonly acknowledgedBy?: string;
  readonly alarmNames: readonly string[];
  readonly assignees: readonly string[];
  readonly escalationLevel?: number;
  readonly url?: string;
  readonly origins: readonly Origin[];
}

/** Mean and median of a set of durations, and how many there were. */
export interface DurationStats {
  readonly count: number;
  readonly meanMs?: number;
  readonly medianMs?: number;
}

export interface PriorityRow {
  readonly priority: PriorityName | 'none';
  readonly incidents: number;
  readonly open: number;
  readonly mtta: DurationStats;
  readonly mttr: DurationStats;
  /** Acknowledged later than the priority's response target. */
  /** Acknowledged later than the priority's response target. */
  readonly missedResponseTarget: number;
}

export interface ActionRun {
  readonly runId: string;
  readonly actionId: string;
  readonly target: string;
  readonly incidentId?: string;
  readonly who?: string;
  readonly at: number;
  readonly outcome: 'verified' | 'applied' | 'failed' | 'confirmed' | 'planned';
  readonly dryRun: boolean;
  readonly plan?: string;
  readonly changes: readonly string[];
  readonly failedStage?: string;
  readonly error?: string;
  /** What was measured before and after, as the action recorded it. */
  readonly before?: string;
  readonly after?: string;
  readonly verifiedAt?: number;
}

export interface FollowUpItem {
  readonly id: number;
  readonly incidentId?: string;
  readonly text: string;
  readonly owner: string;
  readonly createdAt: number;
  readonly dueAt?: number;
  readonly overdue: boolean;
  readonly status: 'open' | 'closed';
  readonly closedAt?: number;
  readonly resolution?: string;
}

export interface Firing {
  readonly alarmName: string;
  readonly at: number;
  /** When it left ALARM (undefined: still in ALARM at the end of the period). */
  readonly clearedAt?: number;
  readonly incidentIds: readonly string[];
  readonly acknowledged: boolean;
  readonly actions: number;
  /** No action was taken and no one acknowledged an incident for it (none was opened, or it resolved by itself). */
  readonly unanswered: boolean;
  readonly peak?: number;
}

export interface ThresholdSuggestion {
  readonly current: number;
  readonly suggested: number;
  /** Unanswered firings the suggested threshold would have avoided, out of `unanswered`. */
  readonly avoided: number;
  readonly unanswered: number;
  /** Answered firings it would also have avoided (0 unless no threshold spares them all). */
  readonly lostAnswered: number;
  readonly unit?: string;
  readonly direction: 'above' | 'below';
}

export interface WindowSuggestion {
  /** Minutes a breach would have to last before the alarm fires. */
  readonly minutes: number;
  readonly avoided: number;
  readonly unanswered: number;
  readonly lostAnswered: number;
}

export interface AlarmRow {
  readonly alarmName: string;
  readonly firings: number;
  readonly withoutIncident: number;
  readonly selfResolved: number;
  readonly unanswered: number;
  /** Most firings within any flapping window. */
  readonly maxInWindow: number;
  readonly flapping: boolean;
  readonly timeInAlarmMs: number;
  readonly threshold?: ThresholdSuggestion;
  readonly window?: WindowSuggestion;
  readonly noSuggestionReason?: 'no-metric-data' | 'not-absolute';
}

export interface OutsideHoursPage {
  readonly incidentId: string;
  readonly title: string;
  readonly priority?: PriorityName;
  readonly at: number;
  readonly acknowledgedBy?: string;
}

export interface ShiftRow {
  readonly role: string;
  readonly person: string;
  readonly start: number;
  readonly end: number;
}

export interface HandoffNoteItem {
  readonly id: number;
  readonly at: number;
  readonly from: string;
  readonly to?: string;
  readonly text: string;
  readonly acknowledgedBy?: string;
  readonly acknowledgedAt?: number;
}

export interface ChangeItem {
  readonly at: number;
  readonly what: string;
  readonly who?: string;
}

/** Something the incoming responder should know about. */
export type Risk =
  | { readonly kind: 'open-incident'; readonly incidentId: string; readonly title: string; readonly openMs: number }
  | { readonly kind: 'follow-up'; readonly id: number; readonly text: string; readonly owner: string; readonly overdue: boolean }
  | { readonly kind: 'in-alarm'; readonly alarmName: string }
  | { readonly kind: 'noise'; readonly alarmName: string; readonly unanswered: number }
  | { readonly kind: 'failed-action'; readonly actionId: string; readonly target: string }
  | { readonly kind: 'active-block'; readonly address: string; readonly blockedAt: number; readonly who?: string; readonly reason?: string };

export interface Footer {
  readonly generatedAt: number;
  readonly timeZone: string;
  readonly redaction: RedactionCounts;
  readonly gaps: readonly SourceGap[];
  readonly environment: string;
}

export interface HandoffReport {
  readonly kind: 'handoff';
  readonly period: Period;
  readonly people: { readonly onCall: readonly ShiftRow[]; readonly responders: readonly string[]; readonly outgoing?: string; readonly incoming?: string };
  readonly totals: { readonly incidents: number; readonly mtta: DurationStats; readonly mttr: DurationStats; readonly escalated: number };
  readonly byPriority: readonly PriorityRow[];
  readonly incidents: readonly ReportIncident[];
  readonly openIncidents: readonly ReportIncident[];
  readonly openFollowUps: readonly FollowUpItem[];
  readonly closedFollowUps: readonly FollowUpItem[];
  readonly actions: readonly ActionRun[];
  readonly alarms: {
    readonly firings: number;
    readonly alarmsFired: number;
    readonly mostFired: readonly AlarmRow[];
    readonly flapping: readonly AlarmRow[];
    readonly noise: readonly AlarmRow[];
    readonly withoutRunbook: readonly { readonly alarmName: string; readonly firings: number }[];
    readonly inAlarmNow: readonly string[];
  };
  readonly outsideHours: { readonly pages: readonly OutsideHoursPage[]; readonly total: number };
  readonly notes: readonly HandoffNoteItem[];
  readonly next: { readonly rotation: readonly ShiftRow[]; readonly risks: readonly Risk[]; readonly changes: readonly ChangeItem[] };
  readonly footer: Footer;
}

export interface TimelineItem {
  readonly at: number;
  readonly kind: string;
  readonly summary: string;
  readonly who?: string;
  readonly origins: readonly Origin[];
}

/** One metric of an incident (the alarms on the same metric share it), its peak and the alarms' thresholds. */
export interface MetricPeak {
  /** The metric as the source names it: "CPUUtilization vitascope-cluster/vitascope-api". */
  readonly label: string;
  /** What the metric is, from the policy rule ("CPU utilisation" / "CPU 使用率"). */
  readonly metricTitle?: { readonly en: string; readonly ja: string };
  readonly alarmNames: readonly string[];
  readonly unit?: string;
  readonly peak?: number;
  readonly peakAt?: number;
  /** Each alarm's threshold, the one crossed first (lowest for an alarm on rising values) first. */
  readonly thresholds: readonly { readonly alarmName: string; readonly value: number }[];
  readonly direction: 'above' | 'below';
  readonly points: readonly { readonly t: number; readonly v: number }[];
}

export interface IncidentReport {
  readonly kind: 'incident';
  readonly incident: ReportIncident;
  readonly impact: { readonly start: number; readonly end?: number; readonly durationMs?: number; readonly startSource: 'alarm' | 'incident'; readonly endSource?: 'alarm' | 'resolution' };
  readonly services: readonly string[];
  readonly metrics: readonly MetricPeak[];
  readonly detection: { readonly alarmName?: string; readonly alarmAt?: number; readonly triggeredAt: number; readonly acknowledgedAt?: number; readonly acknowledgedBy?: string; readonly timeToAcknowledgeMs?: number; readonly timeToResolveMs?: number; readonly escalations: number };
  readonly timeline: readonly TimelineItem[];
  readonly actions: readonly ActionRun[];
  readonly notes: readonly { readonly at: number; readonly who?: string; readonly text: string }[];
  readonly followUps: readonly FollowUpItem[];
  readonly status: { readonly status: ReportIncident['status']; readonly phase?: string; readonly alarmsStillInAlarm: readonly string[] };
  readonly footer: Footer;
}

export interface ImpactFigures {
  readonly durationMs?: number;
  /** Requests served during the impact window, and how many of them failed (5xx). */
  readonly requests?: number;
  readonly failedRequests?: number;
  /** Requests slower than the latency target, estimated from p95 above it (5 % of each such interval's requests at least). */
  readonly slowRequestsAtLeast?: number;
  /** Active users during the window (peak of the DAU/session metric) and the share of requests that failed, applied to them. */
  readonly usersAffectedEstimate?: number;
  readonly syncFailures?: number;
}

export interface ChartRef {
  readonly label: string;
  readonly file: string;
  readonly sparkline: string;
}

/** A fact the postmortem draft puts under a prompt: what the data shows, for the author to judge. */
export type Hint =
  | { readonly kind: 'change-before'; readonly what: string; readonly beforeMs: number }
  | { readonly kind: 'first-alarm'; readonly alarmName: string; readonly at: number }
  | { readonly kind: 'peak'; readonly label: string; readonly value: number; readonly unit?: string; readonly thresholds: readonly number[] }
  | { readonly kind: 'action-verified'; readonly actionId: string; readonly target: string }
  | { readonly kind: 'action-failed'; readonly actionId: string; readonly target: string; readonly error: string }
  | { readonly kind: 'ack'; readonly afterMs: number; readonly targetMs: number; readonly within: boolean }
  | { readonly kind: 'escalated'; readonly times: number }
  | { readonly kind: 'runbook'; readonly done: number; readonly skipped: number }
  | { readonly kind: 'alarm-lead'; readonly leadMs: number };

export interface PostmortemDraft {
  readonly kind: 'postmortem';
  readonly report: IncidentReport;
  readonly impact: ImpactFigures;
  readonly charts: readonly ChartRef[];
  readonly hints: {
    readonly rootCause: readonly Hint[];
    readonly trigger: readonly Hint[];
    readonly detection: readonly Hint[];
    readonly wentWell: readonly Hint[];
    readonly wentBadly: readonly Hint[];
  };
  readonly actionItems: readonly FollowUpItem[];
  readonly footer: Footer;
}

export interface SlaRow {
  readonly service: string;
  /** Share of intervals with data in which the service was up (see the footer's definition). */
  readonly availability?: number;
  readonly availabilityTarget: number;
  readonly intervals: number;
  readonly downIntervals: number;
  /** Share of intervals whose p95 latency was within the target (API only). */
  readonly latencyWithinTarget?: number;
  readonly latencyTargetShare?: number;
  readonly latencyTargetMs?: number;
  readonly worstP95Ms?: number;
  readonly met?: boolean;
}

export interface WeekRow {
  readonly start: number;
  readonly end: number;
  readonly incidents: Readonly<Record<PriorityName | 'none', number>>;
  readonly mttr: DurationStats;
  readonly mtta: DurationStats;
  readonly firings: number;
}

export interface CapacityRow {
  readonly label: string;
  readonly unit?: string;
  readonly warning?: number;
  readonly weeklyAverages: readonly (number | undefined)[];
  readonly max?: number;
  /** Change per week of the average, from a least-squares line through the hourly values. */
  readonly slopePerWeek?: number;
  /** Weeks until the trend line reaches the warning threshold (undefined: flat, falling or no threshold). */
  readonly weeksToWarning?: number;
}

export interface SummaryReport {
  readonly kind: 'summary';
  readonly period: Period;
  readonly sla: readonly SlaRow[];
  readonly totals: { readonly incidents: number; readonly mtta: DurationStats; readonly mttr: DurationStats };
  readonly byPriority: readonly PriorityRow[];
  readonly weeks: readonly WeekRow[];
  readonly alarmVolume: { readonly firings: number; readonly top: readonly { readonly alarmName: string; readonly firings: number }[] };
  readonly capacity: readonly CapacityRow[];
  readonly footer: Footer;
}

export type Report = HandoffReport | IncidentReport | PostmortemDraft | SummaryReport;

/** An alarm's transitions, from whichever source saw them. */
export interface AlarmTransition {
  readonly alarmName: string;
  readonly at: number;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly value?: number;
  readonly threshold?: number;
  readonly unit?: string;
  readonly incidentId?: string;
  readonly reason?: string;
  readonly origin: Origin;
  /** Other sources that recorded the same transition (de-duplicated into this one). */
  readonly alsoIn?: readonly Origin[];
}
