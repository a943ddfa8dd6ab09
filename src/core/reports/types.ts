import type { AlarmState, PriorityName } from '../model.js';
import type { NoteSection } from '../journal/events.js';
import type { ActionCategory } from './actions.js';
import type { FollowUpCandidate } from './followups.js';
import type { RedactionCounts } from './redact.js';
import type { ReportEvidence } from './evidence.js';

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
  /**
   * A sandbox incident left open when its run ended (the simulated world went with the program): when.
   * It is not "still open"; it never resolved.
   */
  readonly endedWithRun?: number;
  /** The sandbox run it belongs to ('' or absent for real sources). */
  readonly run?: string;
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
  /**
   * When the action happened: its first apply (the journal's action.applied), else when its outcome was
   * reached (a failure, a decline; a run that was only planned or confirmed, that stage's time).
   */
  readonly at: number;
  /** When it was planned (its first event); a confirmation can come minutes later. */
  readonly plannedAt: number;
  readonly outcome: 'verified' | 'applied' | 'failed' | 'declined' | 'confirmed' | 'planned';
  /** The sandbox run it acted in ('' for real sources). */
  readonly run: string;
  readonly dryRun: boolean;
  /** What the action is: a remediation, the incident's bookkeeping, a read-only check, or another command (actions.ts). */
  readonly category: ActionCategory;
  readonly plan?: string;
  readonly changes: readonly string[];
  readonly failedStage?: string;
  readonly error?: string;
  /** What was measured before and after, as the action recorded it. */
  readonly before?: string;
  readonly after?: string;
  /** When the change was applied (the first apply). */
  readonly appliedAt?: number;
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
  /**
   * Why there is no threshold suggestion: no metric data; less than MIN_SUGGESTION_HISTORY_MS of it
   * (`historyMs`); a derived comparison (baseline, drop, share of a limit); a state alarm; or every
   * threshold that would help reaches the next level (`nextLevel`).
   */
  readonly noSuggestionReason?:
    'no-metric-data' | 'not-enough-data' | 'not-absolute' | 'not-numeric' | 'would-cross-next' | 'one-firing';
  readonly historyMs?: number;
  readonly nextLevel?: { readonly value: number; readonly unit?: string };
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
  | {
      readonly kind: 'follow-up';
      readonly id: number;
      readonly text: string;
      readonly owner: string;
      readonly overdue: boolean;
    }
  | { readonly kind: 'in-alarm'; readonly alarmName: string }
  | { readonly kind: 'noise'; readonly alarmName: string; readonly unanswered: number }
  | { readonly kind: 'failed-action'; readonly actionId: string; readonly target: string }
  | {
      readonly kind: 'active-block';
      readonly address: string;
      readonly blockedAt: number;
      readonly who?: string;
      readonly reason?: string;
    };

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
  readonly people: {
    readonly onCall: readonly ShiftRow[];
    readonly responders: readonly string[];
    readonly outgoing?: string;
    readonly incoming?: string;
    /** When the on-call changes hands (the next primary shift's start). */
    readonly handoverAt?: number;
    /** Where the names come from: the rotation, else the handoff note and the acknowledgements (handoff.ts). */
    readonly outgoingFrom?: 'schedule' | 'handoff-note' | 'acknowledgements';
    readonly incomingFrom?: 'schedule' | 'handoff-acknowledgement';
  };
  readonly totals: {
    readonly incidents: number;
    readonly mtta: DurationStats;
    readonly mttr: DurationStats;
    readonly escalated: number;
  };
  readonly byPriority: readonly PriorityRow[];
  readonly incidents: readonly ReportIncident[];
  readonly openIncidents: readonly ReportIncident[];
  readonly openFollowUps: readonly FollowUpItem[];
  readonly closedFollowUps: readonly FollowUpItem[];
  /** Actions that changed (or tried to change) the systems; PagerDuty bookkeeping and read-only checks left out. */
  readonly actions: readonly ActionRun[];
  /** Read-only commands run or dry-run as evidence in the period: counted, not listed. */
  readonly readOnlyChecks: number;
  /** Read-only checks recorded as dry runs only (not run: the sandbox, or a dry run asked for). */
  readonly readOnlyChecksDry: number;
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
  readonly next: {
    readonly rotation: readonly ShiftRow[];
    readonly risks: readonly Risk[];
    readonly changes: readonly ChangeItem[];
  };
  readonly footer: Footer;
}

export interface TimelineItem {
  readonly at: number;
  /** alarm, incident.*, note, decision, action (concise), or any journal event kind (verbose). */
  readonly kind: string;
  readonly summary: string;
  readonly who?: string;
  readonly origins: readonly Origin[];
  /** An alarm transition's new state. */
  readonly alarmTo?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** An action run (concise timeline): its outcome and its before → after evidence. */
  readonly action?: {
    readonly runId: string;
    readonly actionId: string;
    readonly target: string;
    readonly outcome: ActionRun['outcome'];
    readonly dryRun: boolean;
    readonly before?: string;
    readonly after?: string;
    readonly error?: string;
  };
  /** A decision taken in the incident room: the question (the step's title) and the option chosen. */
  readonly decision?: {
    readonly stepId: string;
    readonly question: string;
    readonly option: string;
    readonly label: string;
  };
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

/** A note on the incident: the journal's (with the runbook step that asked for it and its postmortem section) or a teammate's from the incident source. */
export interface ReportNote {
  readonly at: number;
  readonly who?: string;
  readonly text: string;
  readonly origin: Origin;
  readonly runbookId?: string;
  readonly stepId?: string;
  readonly section?: NoteSection;
}

/** A decision taken in the incident room (a decision step): the question and the option chosen. */
export interface ReportDecision {
  readonly at: number;
  readonly who?: string;
  readonly stepId: string;
  readonly question: string;
  readonly label: string;
}

export interface IncidentReport {
  readonly kind: 'incident';
  readonly incident: ReportIncident;
  readonly impact: {
    readonly start: number;
    readonly end?: number;
    readonly durationMs?: number;
    readonly startSource: 'alarm' | 'incident';
    readonly endSource?: 'alarm' | 'resolution';
  };
  readonly services: readonly string[];
  readonly metrics: readonly MetricPeak[];
  /** No metrics because the incident is open and nothing was captured yet (sandbox): said so, not "no data". */
  readonly metricsMissing?: 'open';
  readonly detection: {
    readonly alarmName?: string;
    readonly alarmAt?: number;
    readonly triggeredAt: number;
    readonly acknowledgedAt?: number;
    readonly acknowledgedBy?: string;
    readonly timeToAcknowledgeMs?: number;
    readonly timeToResolveMs?: number;
    readonly escalations: number;
  };
  /**
   * When the service recovered: when the last of the incident's alarms went back to OK (`by: 'alarm'`), not
   * before the alarms that fired through a verified remediation's own outage are OK again (outageAlarms), or,
   * when no alarm recovery was recorded, when the incident was resolved (`by: 'resolution'`). The impact
   * window's end.
   */
  readonly recovery?: { readonly at: number; readonly by: 'alarm' | 'resolution' };
  /** The first verified remediation (a change to the system, made for real, verified): when it was applied. */
  readonly mitigation?: {
    readonly runId: string;
    readonly actionId: string;
    readonly target: string;
    readonly at: number;
    readonly verifiedAt?: number;
    readonly who?: string;
  };
  readonly timeline: readonly TimelineItem[];
  /** Concise: what a reader needs; verbose: every journal event (`--verbose`). */
  readonly timelineDetail: 'concise' | 'verbose';
  /** Actions taken (read-only checks left out). */
  readonly actions: readonly ActionRun[];
  /** Read-only commands run (or dry-run) as evidence: counted, not listed as actions. */
  readonly readOnlyChecks: number;
  /** Read-only checks recorded as dry runs only (not run: the sandbox, or a dry run asked for). */
  readonly readOnlyChecksDry: number;
  /** Runbook steps done and skipped in the incident room. */
  readonly steps: { readonly done: number; readonly skipped: number };
  readonly notes: readonly ReportNote[];
  readonly decisions: readonly ReportDecision[];
  /** What the room's logs and traces steps found (the journal's step.finding events), oldest first. */
  readonly evidence: readonly ReportEvidence[];
  readonly followUps: readonly FollowUpItem[];
  readonly status: {
    readonly status: ReportIncident['status'];
    readonly phase?: string;
    readonly alarmsStillInAlarm: readonly string[];
  };
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

/** A moment marked on a chart: a vertical line in the SVG, a letter under the text sparkline. */
export interface ChartMark {
  readonly kind: 'acknowledged' | 'mitigated' | 'recovered';
  readonly at: number;
}

export interface ChartRef {
  readonly label: string;
  readonly file: string;
  /** The span drawn: from before the first alarm to after the recovery (CHART_MARGIN_MS either side), up to the report's time. */
  readonly from: number;
  readonly to: number;
  /** One character per equal slice of [from, to): the slice's mean, blank where there is no data. */
  readonly sparkline: string;
  /** Under the sparkline: A (acknowledged), M (mitigated), R (recovered) at their slices. */
  readonly markLine: string;
  readonly marks: readonly ChartMark[];
}

/** A fact the postmortem draft puts under a prompt: what the data shows, for the author to judge. */
export type Hint =
  | { readonly kind: 'change-before'; readonly what: string; readonly beforeMs: number }
  | { readonly kind: 'first-alarm'; readonly alarmName: string; readonly at: number }
  | {
      readonly kind: 'peak';
      readonly label: string;
      readonly value: number;
      readonly unit?: string;
      readonly thresholds: readonly number[];
      /** 'below': the metric goes bad by falling (free space): its worst is its lowest. */
      readonly direction?: 'above' | 'below';
    }
  /** A verified remediation the alarms recovered after, within its verification: credited with the recovery. */
  | {
      readonly kind: 'action-verified';
      readonly actionId: string;
      readonly target: string;
      readonly recoveredAfterMs: number;
    }
  /** A verified remediation the alarms recovered only well after (beyond its verification): not credited. */
  | {
      readonly kind: 'recovered-after-verification';
      readonly actionId: string;
      readonly target: string;
      readonly afterMs: number;
    }
  /** A verified remediation applied after the alarms had already recovered. */
  | {
      readonly kind: 'recovered-before-action';
      readonly actionId: string;
      readonly target: string;
      readonly beforeMs: number;
    }
  /** The alarms recovered with no verified remediation before it. */
  | { readonly kind: 'recovered-without-action'; readonly at: number }
  /** No alarm recovery was recorded: the resolution stands for the recovery. */
  | {
      readonly kind: 'recovered-at-resolution';
      readonly at: number;
      readonly alarmsRecovered: number;
      readonly stillInAlarm: readonly string[];
    }
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
    readonly recovery: readonly Hint[];
    readonly wentWell: readonly Hint[];
    readonly wentBadly: readonly Hint[];
  };
  /** The responder's notes by the postmortem section their runbook step names (`section:`). */
  readonly sections: { readonly [S in NoteSection]?: readonly ReportNote[] };
  /** Notes without a section (a teammate's, one written outside a runbook step). */
  readonly otherNotes: readonly ReportNote[];
  /** The follow-ups recorded for the incident. */
  readonly actionItems: readonly FollowUpItem[];
  /** Follow-ups named in notes and decisions (an owner, a date) but not recorded: proposals (followups.ts). */
  readonly proposedFollowUps: readonly FollowUpCandidate[];
  readonly footer: Footer;
}

export interface SlaRow {
  readonly service: string;
  /** Share of the counted 5-minute intervals in which the service was up (summary.ts; the footer repeats the definition). */
  readonly availability?: number;
  readonly availabilityTarget: number;
  /** Intervals counted: those with metric data and those of P1/P2 incidents' windows (all of the period's without metric data). */
  readonly intervals: number;
  readonly downIntervals: number;
  /** Intervals with availability metric data. */
  readonly metricIntervals: number;
  /** How long P1/P2 incidents' impact windows on the service lasted within the period (overlaps once). */
  readonly incidentDowntimeMs: number;
  /** The P1/P2 incidents counted against the service. */
  readonly incidentIds: readonly string[];
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
  /** First to last point: a trend needs MIN_FORECAST_HISTORY_MS (summary.ts). */
  readonly historyMs: number;
  /** Change per week of the average, from a least-squares line through the hourly values (none from too short a history). */
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
  readonly alarmVolume: {
    readonly firings: number;
    /** How many alarms fired. */ readonly alarms: number;
    readonly top: readonly { readonly alarmName: string; readonly firings: number }[];
  };
  readonly capacity: readonly CapacityRow[];
  readonly footer: Footer;
}

export type Report = HandoffReport | IncidentReport | PostmortemDraft | SummaryReport;

/** An alarm's transitions, from whichever source saw them. */
export interface AlarmTransition {
  readonly alarmName: string;
  readonly at: number;
  /** Absent when nothing knew the state before (an alarm first seen already in ALARM). */
  readonly from?: AlarmState;
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
