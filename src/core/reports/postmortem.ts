import type { Point } from '../model.js';
import type { Policy } from '../policy/types.js';
import { acted } from './actions.js';
import { sparkline } from './charts.js';
import type { ChangeItem, Hint, ImpactFigures, IncidentReport, PostmortemDraft } from './types.js';

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
    ...(peakUsers !== undefined && badShare !== undefined ? { usersAffectedEstimate: Math.round(peakUsers * badShare) } : {}),
    ...(syncFailures !== undefined ? { syncFailures: Math.round(syncFailures) } : {}),
  };
}

/** A file-name-safe slug. */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'chart';
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
    if (mtr.peak !== undefined) rootCause.push({ kind: 'peak', label: mtr.metricTitle?.en ?? mtr.label, value: mtr.peak, ...(mtr.unit ? { unit: mtr.unit } : {}), thresholds: mtr.thresholds.map((t) => t.value) });
  }
  const target = input.policy.priorities.find((p) => p.name === r.incident.priority)?.responseTargetMinutes;
  if (r.detection.timeToAcknowledgeMs !== undefined && target !== undefined) {
    const within = r.detection.timeToAcknowledgeMs <= target * 60_000;
    const h: Hint = { kind: 'ack', afterMs: r.detection.timeToAcknowledgeMs, targetMs: target * 60_000, within };
    (within ? wentWell : wentBadly).push(h);
  }
  if (r.detection.escalations > 0) wentBadly.push({ kind: 'escalated', times: r.detection.escalations });
  for (const a of r.actions) {
    if (a.outcome === 'verified') wentWell.push({ kind: 'action-verified', actionId: a.actionId, target: a.target });
    else if (a.outcome === 'failed') wentBadly.push({ kind: 'action-failed', actionId: a.actionId, target: a.target, error: a.error ?? '' });
  }
  const steps = r.timeline.filter((t) => t.kind === 'step.done').length;
  const skipped = r.timeline.filter((t) => t.kind === 'step.skipped').length;
  if (steps || skipped) (skipped > steps ? wentBadly : wentWell).push({ kind: 'runbook', done: steps, skipped });

  const charts = r.metrics
    .filter((x) => x.points.length)
    .map((x) => ({ label: x.label, file: `${slug(r.incident.id)}-${slug(x.label)}.svg`, sparkline: sparkline(x.points.map((p) => p.v)) }));

  return {
    kind: 'postmortem',
    report: r,
    impact: impactFigures(r, input.impactSeries, input.latencyTargetMs),
    charts,
    hints: { rootCause, trigger, detection, wentWell, wentBadly },
    actionItems: r.followUps,
    footer: r.footer,
  };
}

/** Whether the incident's actions fixed it (for the recovery line): the last verified action. */
export function recoveryAction(r: IncidentReport): { actionId: string; target: string } | undefined {
  const verified = r.actions.filter((a) => a.outcome === 'verified');
  const last = verified[verified.length - 1] ?? r.actions.filter(acted).pop();
  return last && { actionId: last.actionId, target: last.target };
}
