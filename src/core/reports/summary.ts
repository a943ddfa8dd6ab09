import type { Point } from '../model.js';
import type { Policy } from '../policy/types.js';
import { firingsOf } from './alarms.js';
import { noRedaction } from './redact.js';
import { byPriority, mean, mtta, mttr, slope } from './stats.js';
import type { AlarmTransition, CapacityRow, Period, ReportIncident, SlaRow, SourceGap, SummaryReport, WeekRow } from './types.js';

/**
 * The executive view of the strategy's dashboards (経営ダッシュボード): SLA achievement, incidents by priority
 * with the MTTR trend week by week, alarm volume, and the capacity trend.
 *
 * Availability of a service: the share of 5-minute intervals with data in which it was up. Down means its
 * ECS health check failed (running tasks below desired: the ServiceUnhealthy metric the ecs-service-state
 * rule watches) or, for the API, the error rate (5xx / all requests) reached ERROR_RATE_DOWN_PERCENT, the
 * strategy's critical level for errors. Latency: the share of intervals whose p95 stayed within the
 * strategy's warning threshold for p95 (500 ms by default).
 */
export const AVAILABILITY_TARGET = 0.999;
export const LATENCY_SHARE_TARGET = 0.99;
export const ERROR_RATE_DOWN_PERCENT = 5;
export const SLA_STEP_SECONDS = 300;
const WEEK_MS = 7 * 24 * 60 * 60_000;

export interface ServiceSeries {
  readonly service: string;
  /** 1 while the service is unhealthy, 0 otherwise. */
  readonly unhealthy?: readonly Point[];
  /** Error rate in percent. */
  readonly errorRate?: readonly Point[];
  readonly p95?: readonly Point[];
}

export interface CapacitySeries {
  readonly label: string;
  readonly unit?: string;
  readonly warning?: number;
  /** Hourly values. */
  readonly points: readonly Point[];
}

export interface SummaryInput {
  readonly period: Period;
  readonly now: number;
  readonly policy: Policy;
  readonly environment: string;
  /** Incidents created in the period (journal and source merged). */
  readonly incidents: readonly ReportIncident[];
  readonly transitions: readonly AlarmTransition[];
  readonly services: readonly ServiceSeries[];
  readonly capacity: readonly CapacitySeries[];
  readonly gaps: readonly SourceGap[];
}

export function latencyTargetMs(policy: Policy): number {
  return policy.rules.find((r) => r.id === 'api-latency-p95')?.thresholds.warning ?? 500;
}

export function slaRow(s: ServiceSeries, targetMs: number): SlaRow {
  const down = new Set<number>();
  const seen = new Set<number>();
  for (const p of s.unhealthy ?? []) {
    if (!Number.isFinite(p.v)) continue;
    seen.add(p.t);
    if (p.v >= 1) down.add(p.t);
  }
  for (const p of s.errorRate ?? []) {
    if (!Number.isFinite(p.v)) continue;
    seen.add(p.t);
    if (p.v >= ERROR_RATE_DOWN_PERCENT) down.add(p.t);
  }
  const p95 = (s.p95 ?? []).filter((p) => Number.isFinite(p.v));
  const availability = seen.size ? 1 - down.size / seen.size : undefined;
  const latencyWithin = p95.length ? p95.filter((p) => p.v <= targetMs).length / p95.length : undefined;
  const met = availability === undefined ? undefined : availability >= AVAILABILITY_TARGET && (latencyWithin === undefined || latencyWithin >= LATENCY_SHARE_TARGET);
  return {
    service: s.service,
    ...(availability !== undefined ? { availability } : {}),
    availabilityTarget: AVAILABILITY_TARGET,
    intervals: seen.size,
    downIntervals: down.size,
    ...(latencyWithin !== undefined ? { latencyWithinTarget: latencyWithin, latencyTargetShare: LATENCY_SHARE_TARGET, latencyTargetMs: targetMs, worstP95Ms: Math.max(...p95.map((p) => p.v)) } : {}),
    ...(met !== undefined ? { met } : {}),
  };
}

export function weekBuckets(period: Period): Period[] {
  const out: Period[] = [];
  for (let t = period.from; t < period.to; t += WEEK_MS) out.push({ from: t, to: Math.min(period.to, t + WEEK_MS) });
  return out;
}

export function capacityRow(c: CapacitySeries, weeks: readonly Period[]): CapacityRow {
  const pts = c.points.filter((p) => Number.isFinite(p.v));
  const weeklyAverages = weeks.map((w) => mean(pts.filter((p) => p.t >= w.from && p.t < w.to).map((p) => p.v)));
  const max = pts.length ? Math.max(...pts.map((p) => p.v)) : undefined;
  const t0 = pts[0]?.t ?? 0;
  const perWeek = slope(pts.map((p) => ({ x: (p.t - t0) / WEEK_MS, y: p.v })));
  let weeksToWarning: number | undefined;
  if (perWeek !== undefined && perWeek > 0 && c.warning !== undefined && pts.length) {
    const xs = pts.map((p) => (p.t - t0) / WEEK_MS);
    const mx = mean(xs)!;
    const my = mean(pts.map((p) => p.v))!;
    const lastX = xs[xs.length - 1]!;
    const now = my + perWeek * (lastX - mx);
    // Beyond a year a straight line says nothing: left out.
    if (now < c.warning && (c.warning - now) / perWeek <= 52) weeksToWarning = (c.warning - now) / perWeek;
  }
  return {
    label: c.label,
    ...(c.unit ? { unit: c.unit } : {}),
    ...(c.warning !== undefined ? { warning: c.warning } : {}),
    weeklyAverages,
    ...(max !== undefined ? { max } : {}),
    ...(perWeek !== undefined ? { slopePerWeek: perWeek } : {}),
    ...(weeksToWarning !== undefined ? { weeksToWarning } : {}),
  };
}

export function buildSummary(input: SummaryInput): SummaryReport {
  const { period, policy } = input;
  const incidents = input.incidents.filter((i) => i.createdAt >= period.from && i.createdAt < period.to);
  const weeks = weekBuckets(period);
  const firings = [...firingsOf(input.transitions, period).values()].flat();
  const byAlarm = new Map<string, number>();
  for (const f of firings) byAlarm.set(f.alarmName, (byAlarm.get(f.alarmName) ?? 0) + 1);
  const targetMs = latencyTargetMs(policy);
  const weekRows: WeekRow[] = weeks.map((w) => {
    const inWeek = incidents.filter((i) => i.createdAt >= w.from && i.createdAt < w.to);
    const counts = { P1: 0, P2: 0, P3: 0, P4: 0, none: 0 };
    for (const i of inWeek) counts[i.priority ?? 'none'] += 1;
    return { start: w.from, end: w.to, incidents: counts, mtta: mtta(inWeek), mttr: mttr(inWeek), firings: firings.filter((f) => f.at >= w.from && f.at < w.to).length };
  });
  return {
    kind: 'summary',
    period,
    sla: input.services.map((s) => slaRow(s, targetMs)),
    totals: { incidents: incidents.length, mtta: mtta(incidents), mttr: mttr(incidents) },
    byPriority: byPriority(incidents, policy, true),
    weeks: weekRows,
    alarmVolume: {
      firings: firings.length,
      top: [...byAlarm.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 5)
        .map(([alarmName, n]) => ({ alarmName, firings: n })),
    },
    capacity: input.capacity.map((c) => capacityRow(c, weeks)),
    footer: { generatedAt: input.now, timeZone: policy.workingHours.timeZone, redaction: noRedaction().counts(), gaps: input.gaps, environment: input.environment },
  };
}
