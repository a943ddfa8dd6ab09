/**
 * The impact window of an incident: from the first of its alarms entering ALARM to the last of them back to
 * OK (the recovery), with the trigger and the resolution standing in where no transition was recorded; and
 * the alarms outside it that keep the service unrecovered because they fired through its remediation.
 */
import type { JournalEvent } from '../journal/index.js';
import { actionRuns, changedAt, isVerifiedRemediation } from './actions.js';
import { firingsOf } from './alarms.js';
import type { AlarmTransition, ReportIncident } from './types.js';

/** How far before the trigger an alarm's firing may begin and still be the incident's. */
export const LOOKBACK_MS = 6 * 60 * 60_000;

export interface ImpactWindow {
  readonly start: number;
  readonly end?: number;
  readonly startSource: 'alarm' | 'incident';
  readonly endSource?: 'alarm' | 'resolution';
  readonly firstAlarm?: { readonly name: string; readonly at: number };
}

/**
 * Alarms outside the incident firing through a verified remediation's own outage: in ALARM at some moment
 * from the remediation's apply to its verification, in a firing that began after the incident opened (what
 * fired before it is another story). A reboot that empties the connections clears the incident's alarm
 * while the API, its database down, fails 40 % of its requests: that alarm keeps the service unrecovered.
 */
export function outageAlarms(
  incident: ReportIncident,
  events: readonly JournalEvent[],
  transitions: readonly AlarmTransition[],
): string[] {
  const outages = actionRuns(events)
    .filter(isVerifiedRemediation)
    .map((r) => ({ from: changedAt(r), to: r.verifiedAt ?? changedAt(r) }));
  if (!outages.length) return [];
  const others = transitions.filter((t) => !incident.alarmNames.includes(t.alarmName));
  const names = new Set<string>();
  for (const [name, firings] of firingsOf(others, { from: incident.createdAt, to: Infinity })) {
    const during = firings.some((f) =>
      outages.some((o) => f.at <= o.to && (f.clearedAt === undefined || f.clearedAt > o.from)),
    );
    if (during) names.add(name);
  }
  return [...names].sort();
}

export function impactWindow(
  incident: ReportIncident,
  transitions: readonly AlarmTransition[],
  now: number,
  outage: readonly string[] = [],
): ImpactWindow {
  const until = incident.resolvedAt ?? now;
  const relevant = transitions.filter((t) => incident.alarmNames.includes(t.alarmName));
  const firings = [...firingsOf(relevant, { from: incident.createdAt - LOOKBACK_MS, to: until + 1 }).values()]
    .flat()
    .filter((f) => f.at <= until && (f.clearedAt ?? Infinity) >= incident.createdAt - 60_000);
  // The remediation's outage: its alarms' firings since the incident opened, whenever they cleared.
  const outageFirings = [
    ...firingsOf(
      transitions.filter((t) => outage.includes(t.alarmName)),
      { from: incident.createdAt, to: Infinity },
    ).values(),
  ].flat();
  const window = windowOf(incident, firings);
  if (window.end === undefined || window.endSource !== 'alarm' || !outageFirings.length) return window;
  // Not recovered while one of them still fires; else when the last of them cleared, if later.
  if (outageFirings.some((f) => f.clearedAt === undefined)) {
    const open: ImpactWindow = {
      start: window.start,
      startSource: window.startSource,
      ...(window.firstAlarm ? { firstAlarm: window.firstAlarm } : {}),
    };
    return incident.resolvedAt !== undefined && incident.resolvedAt > window.end
      ? { ...open, end: incident.resolvedAt, endSource: 'resolution' }
      : open;
  }
  const last = Math.max(...outageFirings.map((f) => f.clearedAt!));
  return last > window.end ? { ...window, end: last } : window;
}

function windowOf(
  incident: ReportIncident,
  firings: readonly (RawFiringLike & { clearedAt?: number })[],
): ImpactWindow {
  if (!firings.length) {
    return {
      start: incident.createdAt,
      startSource: 'incident',
      ...(incident.resolvedAt !== undefined ? { end: incident.resolvedAt, endSource: 'resolution' as const } : {}),
    };
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

type RawFiringLike = { readonly alarmName: string; readonly at: number };
