import { reportTimeZone } from '../time.js';
import type { Point, PriorityName } from '../model.js';
import type { Policy } from '../policy/types.js';
import { firingsOf } from './alarms.js';
import { impactWindow } from './incident.js';
import { noRedaction } from './redact.js';
import { byPriority, mean, mtta, mttr, slope } from './stats.js';
import type {
  AlarmTransition,
  CapacityRow,
  Period,
  ReportIncident,
  SlaRow,
  SourceGap,
  SummaryReport,
  WeekRow,
} from './types.js';

/**
 * The executive view of the strategy's dashboards (経営ダッシュボード): SLA achievement, incidents by priority
 * with the MTTR trend week by week, alarm volume, and the capacity trend.
 *
 * Availability of a service: the share of 5-minute intervals in which it was up. An interval is down when
 * it overlaps the impact window (first alarm → recovery, incident.ts) of a P1 or P2 incident on the
 * service (an incident on no service of the table — the database, a dependency — counts against each:
 * which one it took down cannot be told, and a P1 is never beside 100 %), or when the availability
 * metrics say so: its ECS health check failed (running tasks below desired: the ServiceUnhealthy metric
 * the ecs-service-state rule watches) or, for the API, the error rate (5xx / all requests) reached
 * ERROR_RATE_DOWN_PERCENT, the strategy's critical level for errors. The intervals counted are those with
 * metric data and those of the incidents' windows; with no metric data at all, every interval of the
 * period up to now. Latency: the share of intervals whose p95 stayed within the strategy's warning
 * threshold for p95 (500 ms by default).
 *
 * Capacity: a trend only from MIN_FORECAST_HISTORY_MS of history; a shorter series is shown without one.
 */
export const AVAILABILITY_TARGET = 0.999;
export const LATENCY_SHARE_TARGET = 0.99;
export const ERROR_RATE_DOWN_PERCENT = 5;
export const SLA_STEP_SECONDS = 300;
/** The priorities whose impact windows count as unavailable time. */
export const SLA_PRIORITIES: readonly PriorityName[] = ['P1', 'P2'];
const WEEK_MS = 7 * 24 * 60 * 60_000;
/** Least history (first to last point) a capacity trend is drawn from. */
export const MIN_FORECAST_HISTORY_MS = WEEK_MS;

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

/** A span a P1/P2 incident took a service down for. */
export interface DownWindow {
  readonly incidentId: string;
  readonly from: number;
  readonly to: number;
}

/** "Vitascope API", "vitascope-api" → "vitascope-api": names compared without case or punctuation. */
function token(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Whether a name (a PagerDuty service, an alarm) names the service: its token, whole, among the name's words. */
function names(name: string, service: string): boolean {
  const n = `-${token(name)}-`;
  return n.includes(`-${token(service)}-`);
}

/**
 * The windows P1 and P2 incidents took each service down for: each incident's impact window (first
 * alarm → recovery; still open: up to now), clipped to the period, on the services its PagerDuty service
 * or its alarms name — on every service when they name none.
 */
export function downWindows(
  incidents: readonly ReportIncident[],
  transitions: readonly AlarmTransition[],
  services: readonly string[],
  period: Period,
  now: number,
): Map<string, DownWindow[]> {
  const out = new Map<string, DownWindow[]>(services.map((s) => [s, []]));
  const until = Math.min(period.to, now);
  for (const i of incidents) {
    if (!i.priority || !SLA_PRIORITIES.includes(i.priority)) continue;
    const w = impactWindow(i, transitions, now);
    const from = Math.max(period.from, w.start);
    const to = Math.min(until, w.end ?? until);
    if (!(to > from)) continue;
    const on = services.filter(
      (s) => (i.service !== undefined && names(i.service.name, s)) || i.alarmNames.some((a) => names(a, s)),
    );
    for (const s of on.length ? on : services) out.get(s)!.push({ incidentId: i.id, from, to });
  }
  return out;
}

/** Total length of a set of windows, overlaps counted once. */
function coveredMs(windows: readonly DownWindow[]): number {
  let total = 0;
  let end = -Infinity;
  for (const w of [...windows].sort((a, b) => a.from - b.from)) {
    const from = Math.max(w.from, end);
    if (w.to > from) total += w.to - from;
    end = Math.max(end, w.to);
  }
  return total;
}

export function slaRow(
  s: ServiceSeries,
  targetMs: number,
  context: { readonly period: Period; readonly now: number; readonly down?: readonly DownWindow[] } = {
    period: { from: 0, to: Infinity },
    now: Infinity,
  },
): SlaRow {
  const step = SLA_STEP_SECONDS * 1000;
  const { period } = context;
  const origin = Number.isFinite(period.from) ? period.from : 0;
  const slot = (t: number) => Math.floor((t - origin) / step);
  const inPeriod = (t: number) => t >= period.from && t < period.to;
  const down = new Set<number>();
  const seen = new Set<number>();
  for (const p of s.unhealthy ?? []) {
    if (!Number.isFinite(p.v) || !inPeriod(p.t)) continue;
    seen.add(slot(p.t));
    if (p.v >= 1) down.add(slot(p.t));
  }
  for (const p of s.errorRate ?? []) {
    if (!Number.isFinite(p.v) || !inPeriod(p.t)) continue;
    seen.add(slot(p.t));
    if (p.v >= ERROR_RATE_DOWN_PERCENT) down.add(slot(p.t));
  }
  const windows = context.down ?? [];
  const incidentSlots = new Set<number>();
  for (const w of windows) for (let k = slot(w.from); k <= slot(w.to - 1); k++) incidentSlots.add(k);
  const metricIntervals = seen.size;
  for (const k of incidentSlots) down.add(k);
  let intervals: number | undefined;
  if (metricIntervals > 0) intervals = new Set([...seen, ...incidentSlots]).size;
  else if (incidentSlots.size > 0 && Number.isFinite(period.to))
    intervals = Math.ceil((Math.min(period.to, context.now) - period.from) / step);
  const p95 = (s.p95 ?? []).filter((p) => Number.isFinite(p.v) && inPeriod(p.t));
  const availability = intervals ? Math.max(0, 1 - down.size / intervals) : undefined;
  const latencyWithin = p95.length ? p95.filter((p) => p.v <= targetMs).length / p95.length : undefined;
  const met =
    availability === undefined
      ? undefined
      : availability >= AVAILABILITY_TARGET && (latencyWithin === undefined || latencyWithin >= LATENCY_SHARE_TARGET);
  const incidentIds = [...new Set(windows.map((w) => w.incidentId))];
  return {
    service: s.service,
    ...(availability !== undefined ? { availability } : {}),
    availabilityTarget: AVAILABILITY_TARGET,
    intervals: intervals ?? 0,
    downIntervals: availability !== undefined ? down.size : 0,
    metricIntervals,
    incidentDowntimeMs: coveredMs(windows),
    incidentIds,
    ...(latencyWithin !== undefined
      ? {
          latencyWithinTarget: latencyWithin,
          latencyTargetShare: LATENCY_SHARE_TARGET,
          latencyTargetMs: targetMs,
          worstP95Ms: Math.max(...p95.map((p) => p.v)),
        }
      : {}),
    ...(met !== undefined ? { met } : {}),
  };
}

export function weekBuckets(period: Period): Period[] {
  const out: Period[] = [];
  for (let t = period.from; t < period.to; t += WEEK_MS) out.push({ from: t, to: Math.min(period.to, t + WEEK_MS) });
  return out;
}

export function capacityRow(c: CapacitySeries, weeks: readonly Period[]): CapacityRow {
  const pts = c.points.filter((p) => Number.isFinite(p.v)).sort((a, b) => a.t - b.t);
  const weeklyAverages = weeks.map((w) => mean(pts.filter((p) => p.t >= w.from && p.t < w.to).map((p) => p.v)));
  const max = pts.length ? Math.max(...pts.map((p) => p.v)) : undefined;
  const t0 = pts[0]?.t ?? 0;
  const historyMs = pts.length ? pts[pts.length - 1]!.t - t0 : 0;
  // A line through a few hours projected over weeks says nothing: no trend from less than a week.
  const perWeek =
    historyMs >= MIN_FORECAST_HISTORY_MS ? slope(pts.map((p) => ({ x: (p.t - t0) / WEEK_MS, y: p.v }))) : undefined;
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
    historyMs,
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
    return {
      start: w.from,
      end: w.to,
      incidents: counts,
      mtta: mtta(inWeek),
      mttr: mttr(inWeek),
      firings: firings.filter((f) => f.at >= w.from && f.at < w.to).length,
    };
  });
  const down = downWindows(
    incidents,
    input.transitions,
    input.services.map((s) => s.service),
    period,
    input.now,
  );
  return {
    kind: 'summary',
    period,
    sla: input.services.map((s) => slaRow(s, targetMs, { period, now: input.now, down: down.get(s.service) ?? [] })),
    totals: { incidents: incidents.length, mtta: mtta(incidents), mttr: mttr(incidents) },
    byPriority: byPriority(incidents, policy, true),
    weeks: weekRows,
    alarmVolume: {
      firings: firings.length,
      alarms: byAlarm.size,
      top: [...byAlarm.entries()]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 5)
        .map(([alarmName, n]) => ({ alarmName, firings: n })),
    },
    capacity: input.capacity.map((c) => capacityRow(c, weeks)),
    footer: {
      generatedAt: input.now,
      timeZone: reportTimeZone(policy.workingHours.timeZone),
      redaction: noRedaction().counts(),
      gaps: input.gaps,
      environment: input.environment,
    },
  };
}
