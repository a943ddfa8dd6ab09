import type { NoteSection } from '../journal/events.js';
import type { Point } from '../model.js';
import type { Policy } from '../policy/types.js';
import { changedAt, isVerifiedRemediation } from './actions.js';
import { markLine, sparklineOver } from './charts.js';
import { followUpCandidates } from './followups.js';
import type {
  ChangeItem,
  ChartMark,
  Hint,
  ImpactFigures,
  IncidentReport,
  PostmortemDraft,
  ReportNote,
} from './types.js';

/**
 * The postmortem draft: the incident report's facts arranged as a blameless postmortem, with the impact
 * computed from the metrics, charts of the key metrics, and under each prompt what the data shows.
 *
 * Impact figures, over the impact window:
 * - requests and failed requests: sums of the request count and the 5xx count;
 * - slow requests, at least: in every interval whose p95 latency was above the target, at least 5 % of
 *   that interval's requests were slower than the target (that is what p95 means);
 * - users affected (estimate): the most active users/sessions seen in the window × the share of requests
 *   that failed or were slow; a floor to correct, not a count;
 * - failed syncs: the sum of the health-data sync failures.
 */
export interface ImpactSeries {
  readonly requests?: readonly Point[];
  readonly errors?: readonly Point[];
  readonly p95?: readonly Point[];
  readonly users?: readonly Point[];
  readonly syncFailures?: readonly Point[];
}

export interface PostmortemInput {
  readonly report: IncidentReport;
  readonly policy: Policy;
  readonly impactSeries: ImpactSeries;
  /** Deployments and other changes around the incident. */
  readonly changes: readonly ChangeItem[];
  /** The latency target in ms (the API p95 warning threshold). */
  readonly latencyTargetMs: number;
}

const CHANGE_LOOKBACK_MS = 3 * 60 * 60_000;

function within(points: readonly Point[] | undefined, from: number, to: number): Point[] | undefined {
  return points?.filter((p) => p.t >= from && p.t < to && Number.isFinite(p.v));
}

function sum(points: readonly Point[] | undefined): number | undefined {
  if (!points || !points.length) return undefined;
  return points.reduce((s, p) => s + p.v, 0);
}

export function impactFigures(report: IncidentReport, series: ImpactSeries, latencyTargetMs: number): ImpactFigures {
  const from = report.impact.start;
  const to = report.impact.end ?? report.footer.generatedAt;
  const requestsIn = within(series.requests, from, to);
  const requests = sum(requestsIn);
  const failed = sum(within(series.errors, from, to));
  let slow: number | undefined;
  const p95 = within(series.p95, from, to);
  if (p95 && requestsIn) {
    const byT = new Map(requestsIn.map((p) => [p.t, p.v]));
    slow = 0;
    for (const p of p95) if (p.v > latencyTargetMs) slow += Math.ceil(0.05 * (byT.get(p.t) ?? 0));
  }
  const users = within(series.users, from, to);
  const peakUsers = users && users.length ? Math.max(...users.map((p) => p.v)) : undefined;
  const badShare = requests && requests > 0 ? Math.min(1, ((failed ?? 0) + (slow ?? 0)) / requests) : undefined;
  const syncFailures = sum(within(series.syncFailures, from, to));
  return {
    ...(report.impact.durationMs !== undefined ? { durationMs: report.impact.durationMs } : {}),
    ...(requests !== undefined ? { requests: Math.round(requests) } : {}),
    ...(failed !== undefined ? { failedRequests: Math.round(failed) } : {}),
    ...(slow !== undefined ? { slowRequestsAtLeast: slow } : {}),
    ...(peakUsers !== undefined && badShare !== undefined
      ? { usersAffectedEstimate: Math.round(peakUsers * badShare) }
      : {}),
    ...(syncFailures !== undefined ? { syncFailures: Math.round(syncFailures) } : {}),
  };
}

/** A file-name-safe slug. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'chart'
  );
}

/** How much of the metrics before the first alarm and after the recovery the charts show. */
export const CHART_MARGIN_MS = 30 * 60_000;
/** How long after a remediation's verification the alarms' recovery may be recorded and still be its doing (the recorder sees a transition on its next poll). */
const VERIFY_SLACK_MS = 2 * 60_000;
const MARK_LETTER: Readonly<Record<ChartMark['kind'], string>> = { acknowledged: 'A', mitigated: 'M', recovered: 'R' };

/** The span the charts cover: CHART_MARGIN_MS before the first alarm to CHART_MARGIN_MS after the recovery, never past the report's time. */
export function chartSpan(r: IncidentReport): { from: number; to: number } {
  const first = Math.min(r.impact.start, r.detection.alarmAt ?? Infinity);
  const end = r.recovery?.at ?? r.footer.generatedAt;
  return { from: first - CHART_MARGIN_MS, to: Math.min(r.footer.generatedAt, end + CHART_MARGIN_MS) };
}

/** The moments the charts mark: acknowledged, mitigated (the first verified remediation), recovered. */
export function chartMarks(r: IncidentReport): ChartMark[] {
  const marks: ChartMark[] = [];
  if (r.detection.acknowledgedAt !== undefined) marks.push({ kind: 'acknowledged', at: r.detection.acknowledgedAt });
  if (r.mitigation) marks.push({ kind: 'mitigated', at: r.mitigation.at });
  if (r.recovery) marks.push({ kind: 'recovered', at: r.recovery.at });
  return marks;
}

/**
 * What the recovery owes to the actions: a verified remediation is credited when the alarms recovered
 * after it was applied and no later than its verification (plus VERIFY_SLACK_MS); one verified long before
 * the recovery is not (the facts say how long before); one applied after the recovery is said to have come
 * after it; with none, the alarms recovered without one.
 */
function recoveryHints(r: IncidentReport): { recovery: Hint[]; credited: Hint[] } {
  const recovery: Hint[] = [];
  const credited: Hint[] = [];
  const rec = r.recovery;
  if (!rec) return { recovery, credited };
  if (rec.by === 'resolution') {
    // Resolved with some of its alarms still firing (or none recorded back to OK): say which.
    const recovered = r.timeline.filter((t) => t.kind === 'alarm' && t.alarmTo === 'OK').length;
    recovery.push({
      kind: 'recovered-at-resolution',
      at: rec.at,
      alarmsRecovered: recovered,
      stillInAlarm: r.status.alarmsStillInAlarm,
    });
    return { recovery, credited };
  }
  const remediations = r.actions.filter(isVerifiedRemediation).sort((a, b) => changedAt(a) - changedAt(b));
  const before = remediations.filter((a) => changedAt(a) <= rec.at);
  const credit = before.find((a) => rec.at <= (a.verifiedAt ?? changedAt(a)) + VERIFY_SLACK_MS);
  if (credit) {
    const h: Hint = {
      kind: 'action-verified',
      actionId: credit.actionId,
      target: credit.target,
      recoveredAfterMs: rec.at - changedAt(credit),
    };
    recovery.push(h);
    credited.push(h);
  } else if (!before.length) recovery.push({ kind: 'recovered-without-action', at: rec.at });
  else
    for (const a of before)
      recovery.push({
        kind: 'recovered-after-verification',
        actionId: a.actionId,
        target: a.target,
        afterMs: rec.at - (a.verifiedAt ?? changedAt(a)),
      });
  for (const a of remediations.filter((x) => changedAt(x) > rec.at))
    recovery.push({
      kind: 'recovered-before-action',
      actionId: a.actionId,
      target: a.target,
      beforeMs: changedAt(a) - rec.at,
    });
  return { recovery, credited };
}

export function buildPostmortem(input: PostmortemInput): PostmortemDraft {
  const r = input.report;
  const start = r.impact.start;
  const rootCause: Hint[] = [];
  const trigger: Hint[] = [];
  const detection: Hint[] = [];
  const wentWell: Hint[] = [];
  const wentBadly: Hint[] = [];

  for (const ch of input.changes) {
    if (ch.at <= start && ch.at >= start - CHANGE_LOOKBACK_MS) {
      const h: Hint = { kind: 'change-before', what: ch.what, beforeMs: start - ch.at };
      trigger.push(h);
      rootCause.push(h);
    }
  }
  if (r.detection.alarmName && r.detection.alarmAt !== undefined) {
    trigger.push({ kind: 'first-alarm', alarmName: r.detection.alarmName, at: r.detection.alarmAt });
    detection.push({ kind: 'first-alarm', alarmName: r.detection.alarmName, at: r.detection.alarmAt });
    const lead = r.detection.triggeredAt - r.detection.alarmAt;
    if (lead > 0) detection.push({ kind: 'alarm-lead', leadMs: lead });
  }
  for (const mtr of r.metrics) {
    if (mtr.peak !== undefined)
      rootCause.push({
        kind: 'peak',
        label: mtr.metricTitle?.en ?? mtr.label,
        value: mtr.peak,
        ...(mtr.unit ? { unit: mtr.unit } : {}),
        thresholds: mtr.thresholds.map((t) => t.value),
        ...(mtr.direction === 'below' ? { direction: 'below' as const } : {}),
      });
  }
  // Acknowledging within the target is a fact about the acknowledgement, not about the recovery.
  const target = input.policy.priorities.find((p) => p.name === r.incident.priority)?.responseTargetMinutes;
  if (r.detection.timeToAcknowledgeMs !== undefined && target !== undefined) {
    const within = r.detection.timeToAcknowledgeMs <= target * 60_000;
    const h: Hint = { kind: 'ack', afterMs: r.detection.timeToAcknowledgeMs, targetMs: target * 60_000, within };
    (within ? wentWell : wentBadly).push(h);
  }
  // Escalated because nobody answered: before the first acknowledgement (a responder paging for help later is not that).
  const unanswered = r.timeline.filter(
    (t) =>
      t.kind === 'incident.escalated' &&
      (r.detection.acknowledgedAt === undefined || t.at < r.detection.acknowledgedAt),
  ).length;
  if (unanswered > 0) wentBadly.push({ kind: 'escalated', times: unanswered });
  const { recovery, credited } = recoveryHints(r);
  wentWell.push(...credited);
  for (const a of r.actions)
    if (a.outcome === 'failed')
      wentBadly.push({ kind: 'action-failed', actionId: a.actionId, target: a.target, error: a.error ?? '' });
  const { done, skipped } = r.steps;
  if (done || skipped) (skipped > done ? wentBadly : wentWell).push({ kind: 'runbook', done, skipped });

  const span = chartSpan(r);
  const marks = chartMarks(r);
  const lettered = marks.map((m) => ({ at: m.at, letter: MARK_LETTER[m.kind] }));
  const charts = r.metrics
    .filter((x) => x.points.some((p) => p.t >= span.from && p.t <= span.to))
    .map((x) => ({
      label: x.label,
      file: `${slug(r.incident.id)}-${slug(x.label)}.svg`,
      from: span.from,
      to: span.to,
      sparkline: sparklineOver(x.points, span.from, span.to),
      markLine: markLine(lettered, span.from, span.to),
      marks,
    }));

  const sections: { [S in NoteSection]?: ReportNote[] } = {};
  const otherNotes: ReportNote[] = [];
  for (const n of r.notes) {
    if (n.section) (sections[n.section] ??= []).push(n);
    else otherNotes.push(n);
  }

  return {
    kind: 'postmortem',
    report: r,
    impact: impactFigures(r, input.impactSeries, input.latencyTargetMs),
    charts,
    hints: { rootCause, trigger, detection, recovery, wentWell, wentBadly },
    sections,
    otherNotes,
    actionItems: r.followUps,
    proposedFollowUps: followUpCandidates(r.notes, r.decisions, r.followUps, r.footer.timeZone),
    footer: r.footer,
  };
}
