import type { FollowUp, JournalEvent } from '../journal/index.js';
import type { Alarm, Point, TimelineEntry } from '../model.js';
import type { Policy } from '../policy/types.js';
import { actionRuns, followUpItem } from './actions.js';
import { directionOf, firingsOf } from './alarms.js';
import { noRedaction } from './redact.js';
import { mergeTimeline } from './timeline.js';
import type { AlarmTransition, IncidentReport, MetricPeak, Origin, ReportIncident, SourceGap } from './types.js';

/**
 * The report of one incident, from its journal events, the incident source's log, its alarms' history
 * and metrics. Impact window: from the first of the incident's alarms entering ALARM (the firing that was
 * in ALARM at the trigger, or began before the resolution) to the last of them returning to OK; the
 * trigger and the resolution stand in where no alarm transition was recorded.
 */
export interface IncidentInput {
  readonly incident: ReportIncident;
  readonly now: number;
  readonly policy: Policy;
  readonly environment: string;
  /** Every journal event of the incident. */
  readonly events: readonly JournalEvent[];
  readonly logEntries: readonly TimelineEntry[];
  readonly logOrigin: Origin;
  /** Transitions of the incident's alarms around it, merged (alarms.mergeTransitions). */
  readonly transitions: readonly AlarmTransition[];
  /** The incident's alarms as the alarm source knows them now. */
  readonly alarms: readonly Alarm[];
  /** Metric series per alarm name, covering the impact window with some margin. */
  readonly series: ReadonlyMap<string, readonly Point[]>;
  readonly followUps: readonly FollowUp[];
  readonly gaps: readonly SourceGap[];
  /** Alarms whose metric is compared with their threshold directly (others are shown without a threshold line). */
  readonly comparable?: ReadonlySet<string>;
  /** The unit of an alarm's metric where it differs from the alarm's own. */
  readonly metricUnits?: ReadonlyMap<string, string>;
  /** What each alarm's metric is, from its policy rule. */
  readonly titles?: ReadonlyMap<string, { readonly en: string; readonly ja: string }>;
}

/** How far before the trigger an alarm's firing may begin and still be the incident's. */
const LOOKBACK_MS = 6 * 60 * 60_000;
const SERVICE_DIMENSIONS = ['ServiceName', 'DBInstanceIdentifier', 'QueueName', 'FunctionName', 'Dependency'];

export interface ImpactWindow {
  readonly start: number;
  readonly end?: number;
  readonly startSource: 'alarm' | 'incident';
  readonly endSource?: 'alarm' | 'resolution';
  readonly firstAlarm?: { readonly name: string; readonly at: number };
}

export function impactWindow(incident: ReportIncident, transitions: readonly AlarmTransition[], now: number): ImpactWindow {
  const until = incident.resolvedAt ?? now;
  const relevant = transitions.filter((t) => incident.alarmNames.includes(t.alarmName));
  const firings = [...firingsOf(relevant, { from: incident.createdAt - LOOKBACK_MS, to: until + 1 }).values()]
    .flat()
    .filter((f) => f.at <= until && (f.clearedAt ?? Infinity) >= incident.createdAt - 60_000);
  if (!firings.length) {
    return { start: incident.createdAt, startSource: 'incident', ...(incident.resolvedAt !== undefined ? { end: incident.resolvedAt, endSource: 'resolution' as const } : {}) };
  }
  const first = firings.reduce((a, b) => (b.at < a.at ? b : a));
  const start = Math.min(first.at, incident.createdAt);
  const allCleared = firings.every((f) => f.clearedAt !== undefined);
  const end = allCleared ? Math.max(...firings.map((f) => f.clearedAt!)) : incident.resolvedAt;
  return {
    start,
    startSource: first.at <= incident.createdAt ? 'alarm' : 'incident',
    ...(end !== undefined ? { end, endSource: allCleared ? ('alarm' as const) : ('resolution' as const) } : {}),
    firstAlarm: { name: first.alarmName, at: first.at },
  };
}

function peakOf(points: readonly Point[], from: number, to: number, direction: 'above' | 'below'): Point | undefined {
  let best: Point | undefined;
  for (const p of points) {
    if (p.t < from || p.t > to || !Number.isFinite(p.v)) continue;
    if (!best || (direction === 'above' ? p.v > best.v : p.v < best.v)) best = p;
  }
  return best;
}

/** "CPUUtilization vitascope-cluster/vitascope-api": the metric's name and its dimension values. */
function metricLabel(alarm: Alarm): string {
  const m = alarm.metric!;
  const dims = Object.keys(m.dimensions)
    .sort()
    .map((k) => m.dimensions[k])
    .filter(Boolean);
  return `${m.name}${dims.length ? ` ${dims.join('/')}` : ''}`;
}

export function buildIncidentReport(input: IncidentInput): IncidentReport {
  const { incident, now } = input;
  const window = impactWindow(incident, input.transitions, now);
  const end = window.end ?? now;
  const alarmsByName = new Map(input.alarms.map((a) => [a.name, a]));

  const services = new Set<string>();
  if (incident.service) services.add(incident.service.name);
  for (const name of incident.alarmNames) {
    const dims = alarmsByName.get(name)?.metric?.dimensions ?? {};
    for (const d of SERVICE_DIMENSIONS) if (dims[d]) services.add(dims[d]);
  }

  // One entry per metric: the warning and critical alarms on the same metric share its series and peak.
  const byMetric = new Map<string, { names: string[]; alarm?: Alarm; points: readonly Point[] }>();
  for (const name of incident.alarmNames) {
    const alarm = alarmsByName.get(name);
    const points = input.series.get(name);
    if (!points) continue;
    const key = alarm?.metric ? metricLabel(alarm) : name;
    const group = byMetric.get(key);
    if (group) group.names.push(name);
    else byMetric.set(key, { names: [name], ...(alarm ? { alarm } : {}), points });
  }
  const metrics: MetricPeak[] = [];
  for (const [label, g] of byMetric) {
    const direction = directionOf(g.alarm);
    const peak = peakOf(g.points, window.start - (g.alarm?.periodSeconds ?? 60) * 1000, end, direction);
    const title = input.titles?.get(g.names[0]!);
    const thresholds = g.names
      .filter((n) => !input.comparable || input.comparable.has(n))
      .map((n) => ({ alarmName: n, value: alarmsByName.get(n)?.threshold }))
      .filter((t): t is { alarmName: string; value: number } => t.value !== undefined)
      .sort((a, b) => (direction === 'above' ? a.value - b.value : b.value - a.value));
    metrics.push({
      label,
      ...(title ? { metricTitle: title } : {}),
      alarmNames: g.names,
      ...((input.metricUnits?.get(g.names[0]!) ?? g.alarm?.unit) ? { unit: input.metricUnits?.get(g.names[0]!) ?? g.alarm!.unit! } : {}),
      ...(peak ? { peak: peak.v, peakAt: peak.t } : {}),
      thresholds,
      direction,
      points: [...g.points],
    });
  }

  const timeline = mergeTimeline(input.events, input.logEntries, input.transitions.filter((t) => t.at >= window.start - LOOKBACK_MS && t.at <= end + LOOKBACK_MS && incident.alarmNames.includes(t.alarmName)), input.logOrigin);
  const escalations = timeline.filter((t) => t.kind === 'incident.escalated').length;
  const ackBy = incident.acknowledgedBy ?? timeline.find((t) => t.kind === 'incident.acknowledged' && t.who)?.who;
  let phase: string | undefined;
  for (const e of input.events) if (e.kind === 'phase.entered') phase = e.payload.phase;
  const notes = [
    ...input.events.flatMap((e) => (e.kind === 'note' ? [{ at: e.at, who: e.who.name ?? e.who.id, text: e.payload.text }] : [])),
    ...timeline.filter((t) => t.kind === 'note' && !t.origins.includes('journal')).map((t) => ({ at: t.at, ...(t.who ? { who: t.who } : {}), text: t.summary })),
  ].sort((a, b) => a.at - b.at);

  return {
    kind: 'incident',
    incident: ackBy && !incident.acknowledgedBy ? { ...incident, acknowledgedBy: ackBy } : incident,
    impact: {
      start: window.start,
      ...(window.end !== undefined ? { end: window.end, durationMs: window.end - window.start } : {}),
      startSource: window.startSource,
      ...(window.endSource ? { endSource: window.endSource } : {}),
    },
    services: [...services],
    metrics,
    detection: {
      ...(window.firstAlarm ? { alarmName: window.firstAlarm.name, alarmAt: window.firstAlarm.at } : {}),
      triggeredAt: incident.createdAt,
      ...(incident.acknowledgedAt !== undefined ? { acknowledgedAt: incident.acknowledgedAt, timeToAcknowledgeMs: incident.acknowledgedAt - incident.createdAt } : {}),
      ...(ackBy ? { acknowledgedBy: ackBy } : {}),
      ...(incident.resolvedAt !== undefined ? { timeToResolveMs: incident.resolvedAt - incident.createdAt } : {}),
      escalations,
    },
    timeline,
    actions: actionRuns(input.events),
    notes,
    followUps: input.followUps.filter((f) => f.incidentId === incident.id).map((f) => followUpItem(f, now)),
    status: {
      status: incident.status,
      ...(phase ? { phase } : {}),
      alarmsStillInAlarm: incident.alarmNames.filter((n) => alarmsByName.get(n)?.state === 'ALARM'),
    },
    footer: { generatedAt: now, timeZone: input.policy.workingHours.timeZone, redaction: noRedaction().counts(), gaps: input.gaps, environment: input.environment },
  };
}
