import type { JournalEvent } from '../journal/index.js';
import type { Alarm, AlarmHistoryItem, Point } from '../model.js';
import { acted } from './actions.js';
import { incidentCovers } from './incidents.js';
import {
  directionOf,
  MIN_SUGGESTION_HISTORY_MS,
  peakBetween,
  suggestThreshold,
  suggestWindow,
  type Comparison,
  type ThresholdLimit,
} from './suggestions.js';
import type { ActionRun, AlarmRow, AlarmTransition, Firing, Period, ReportIncident } from './types.js';

// The suggestions live in suggestions.ts; these names stay importable from here.
export {
  directionOf,
  MIN_SUGGESTION_HISTORY_MS,
  niceAbove,
  peakBetween,
  niceAtMost,
  niceBelow,
  suggestThreshold,
  suggestWindow,
  type Comparison,
  type ThresholdLimit,
} from './suggestions.js';

/**
 * What the alarms did in a period, and which of them are noise. Definitions (the handoff's footer
 * repeats them):
 * - a firing is a transition into ALARM; it lasts until the alarm next leaves ALARM;
 * - an alarm flapped when it fired at least FLAP_FIRINGS times within any FLAP_WINDOW_MS;
 * - a firing is answered when someone acknowledged an incident covering it (PagerDuty grouped the alarm
 *   into it, the journal linked it, or its title names the alarm, and the incident was open during the
 *   firing) or an action was applied for it (on such an incident, or with no incident during the firing);
 *   it is unanswered when neither happened and no incident is left open for it: no incident at all, or
 *   only incidents that resolved by themselves untouched (one still open and unacknowledged is a page in
 *   progress, not noise yet);
 * - a noise candidate is an alarm with at least one unanswered firing.
 * Transitions come from the journal (what the cockpit saw) and from the alarm source's history; the two
 * are de-duplicated (same alarm, same new state, within DEDUP_MS).
 */

export const FLAP_WINDOW_MS = 60 * 60_000;
export const FLAP_FIRINGS = 3;
/** Unanswered firings of an alarm before a change of its threshold or duration is suggested. */
export const MIN_UNANSWERED_FOR_SUGGESTION = 2;
const DEDUP_MS = 90_000;
/** How far around a firing an incident may open or close and still be about it. */
const LINK_SLACK_MS = 2 * 60_000;

export function transitionsFromJournal(events: readonly JournalEvent[]): AlarmTransition[] {
  const out: AlarmTransition[] = [];
  for (const e of events) {
    if (e.kind !== 'alarm.transition') continue;
    const p = e.payload;
    out.push({
      alarmName: p.alarmName,
      at: e.at,
      from: p.from,
      to: p.to,
      ...(p.value !== undefined ? { value: p.value } : {}),
      ...(p.threshold !== undefined ? { threshold: p.threshold } : {}),
      ...(p.unit ? { unit: p.unit } : {}),
      ...(e.incidentId !== undefined ? { incidentId: e.incidentId } : {}),
      ...(p.reason ? { reason: p.reason } : {}),
      origin: 'journal',
    });
  }
  return out;
}

export function transitionsFromHistory(alarmName: string, items: readonly AlarmHistoryItem[]): AlarmTransition[] {
  return items.map((h) => ({
    alarmName,
    at: h.at,
    from: h.from,
    to: h.to,
    reason: h.reason,
    origin: 'alarm-history' as const,
  }));
}

/** Every transition once, ordered by alarm then time; the journal's copy wins (it knows the incident and value). */
export function mergeTransitions(
  journal: readonly AlarmTransition[],
  history: readonly AlarmTransition[],
): AlarmTransition[] {
  const byAlarm = new Map<string, AlarmTransition[]>();
  const push = (t: AlarmTransition) => {
    let l = byAlarm.get(t.alarmName);
    if (!l) byAlarm.set(t.alarmName, (l = []));
    l.push(t);
  };
  for (const t of journal) push(t);
  const journalCount = new Map<string, number>();
  for (const [name, l] of byAlarm) journalCount.set(name, l.length);
  for (const h of history) {
    const list = byAlarm.get(h.alarmName);
    const n = journalCount.get(h.alarmName) ?? 0;
    const i = list ? list.slice(0, n).findIndex((j) => j.to === h.to && Math.abs(j.at - h.at) <= DEDUP_MS) : -1;
    if (i >= 0) {
      const j = list![i]!;
      if (!j.alsoIn?.includes(h.origin)) list![i] = { ...j, alsoIn: [...(j.alsoIn ?? []), h.origin] };
      continue;
    }
    push(h);
  }
  const out: AlarmTransition[] = [];
  for (const name of [...byAlarm.keys()].sort()) out.push(...byAlarm.get(name)!.sort((a, b) => a.at - b.at));
  return out;
}

interface RawFiring {
  readonly alarmName: string;
  readonly at: number;
  readonly clearedAt?: number;
  readonly incidentIds: Set<string>;
  readonly values: number[];
}

/** Firings that began within the period, per alarm. Transitions must be grouped by alarm and ordered (mergeTransitions). */
export function firingsOf(transitions: readonly AlarmTransition[], period: Period): Map<string, RawFiring[]> {
  const out = new Map<string, RawFiring[]>();
  let current: { alarm: string; firing?: RawFiring & { clearedAt?: number } } | undefined;
  for (const t of transitions) {
    if (!current || current.alarm !== t.alarmName) current = { alarm: t.alarmName };
    if (t.to === 'ALARM') {
      if (current.firing && current.firing.clearedAt === undefined) {
        // Still in ALARM (a repeated transition, or one source missed the clearing): same firing.
        if (t.incidentId) current.firing.incidentIds.add(t.incidentId);
        if (t.value !== undefined) current.firing.values.push(t.value);
        continue;
      }
      const firing: RawFiring & { clearedAt?: number } = {
        alarmName: t.alarmName,
        at: t.at,
        incidentIds: new Set(t.incidentId ? [t.incidentId] : []),
        values: t.value !== undefined ? [t.value] : [],
      };
      current.firing = firing;
      if (t.at >= period.from && t.at < period.to) {
        let l = out.get(t.alarmName);
        if (!l) out.set(t.alarmName, (l = []));
        l.push(firing);
      }
    } else if (current.firing && current.firing.clearedAt === undefined) {
      (current.firing as { clearedAt?: number }).clearedAt = t.at;
      if (t.incidentId) current.firing.incidentIds.add(t.incidentId);
    }
  }
  return out;
}

/** Most firings that begin within any window of `windowMs` (firings ordered by time). */
export function maxInWindow(times: readonly number[], windowMs = FLAP_WINDOW_MS): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export interface AlarmContext {
  readonly incidents: readonly ReportIncident[];
  readonly actions: readonly ActionRun[];
  readonly period: Period;
}

/** Links each firing to its incidents and actions and says whether anyone answered it. */
export function linkFirings(raw: Map<string, RawFiring[]>, ctx: AlarmContext): Map<string, Firing[]> {
  const incidentsByAlarm = new Map<string, ReportIncident[]>();
  const byId = new Map(ctx.incidents.map((i) => [i.id, i]));
  for (const i of ctx.incidents) {
    for (const name of i.alarmNames) {
      let l = incidentsByAlarm.get(name);
      if (!l) incidentsByAlarm.set(name, (l = []));
      l.push(i);
    }
  }
  const actionsByIncident = new Map<string, ActionRun[]>();
  const loose: ActionRun[] = [];
  for (const a of ctx.actions) {
    if (!acted(a)) continue;
    if (a.incidentId === undefined) loose.push(a);
    else {
      let l = actionsByIncident.get(a.incidentId);
      if (!l) actionsByIncident.set(a.incidentId, (l = []));
      l.push(a);
    }
  }
  const titled = ctx.incidents.filter((i) => !i.alarmNames.length);
  const out = new Map<string, Firing[]>();
  for (const [alarm, firings] of raw) {
    const candidates = [...(incidentsByAlarm.get(alarm) ?? []), ...titled.filter((i) => incidentCovers(i, alarm))];
    out.set(
      alarm,
      firings.map((f) => {
        const end = f.clearedAt ?? ctx.period.to;
        const ids = new Set(f.incidentIds);
        for (const i of candidates) {
          const open = i.createdAt <= end + LINK_SLACK_MS && (i.resolvedAt ?? Infinity) >= f.at - LINK_SLACK_MS;
          if (open) ids.add(i.id);
        }
        const linked = [...ids].map((id) => byId.get(id)).filter((i): i is ReportIncident => i !== undefined);
        const acknowledged = linked.some((i) => i.acknowledgedAt !== undefined);
        let actions = 0;
        for (const id of ids) actions += actionsByIncident.get(id)?.length ?? 0;
        for (const a of loose) if (a.at >= f.at && a.at <= end) actions += 1;
        return {
          alarmName: alarm,
          at: f.at,
          ...(f.clearedAt !== undefined ? { clearedAt: f.clearedAt } : {}),
          incidentIds: [...ids],
          acknowledged,
          actions,
          // An incident still open and unacknowledged is a page in progress, not noise (yet).
          unanswered: !acknowledged && actions === 0 && linked.every((i) => i.status === 'resolved'),
          ...(f.values.length ? { peak: Math.max(...f.values) } : {}),
        };
      }),
    );
  }
  return out;
}

export interface AlarmAnalysis {
  readonly firings: Map<string, Firing[]>;
  readonly rows: AlarmRow[];
  readonly total: number;
}

export interface AnalysisInput extends AlarmContext {
  readonly transitions: readonly AlarmTransition[];
  readonly alarms: ReadonlyMap<string, Alarm>;
  /** Metric series per alarm name (alarms with unanswered firings), in the alarm's own unit. */
  readonly series?: ReadonlyMap<string, readonly Point[]>;
  /** Alarms whose metric is compared with its threshold directly (threshold suggestions make sense). */
  readonly absolute?: (alarmName: string) => boolean;
  /** How each alarm compares (default: from `absolute`, absolute or derived); only 'absolute' gets a threshold suggestion. */
  readonly comparison?: (alarmName: string) => Comparison;
  /** Where an alarm's threshold may not go: its next level, its unit's range (handoff.ts works it out from the policy). */
  readonly limit?: (alarmName: string) => ThresholdLimit;
}

/** Firings per alarm, linked, with flapping, noise and suggestions. */
export function analyseAlarms(input: AnalysisInput): AlarmAnalysis {
  const linked = linkFirings(firingsOf(input.transitions, input.period), input);
  const rows: AlarmRow[] = [];
  let total = 0;
  for (const [name, raw] of linked) {
    const alarm = input.alarms.get(name);
    const direction = directionOf(alarm);
    // A ratio or drop alarm compares a derived value: its raw metric is not in the threshold's unit. A
    // state alarm (up or down) has no threshold worth moving.
    const comparison: Comparison = input.comparison
      ? input.comparison(name)
      : (input.absolute ? input.absolute(name) : true)
        ? 'absolute'
        : 'derived';
    const absolute = comparison === 'absolute';
    const points = absolute ? input.series?.get(name)?.filter((p) => Number.isFinite(p.v)) : undefined;
    const historyMs = points?.length ? Math.max(...points.map((p) => p.t)) - Math.min(...points.map((p) => p.t)) : 0;
    const periodMs = (alarm?.periodSeconds ?? 60) * 1000;
    const firings = raw.map((f) => {
      if (!points) return f;
      const p = peakBetween(
        points,
        f.at - periodMs * (alarm?.evaluationPeriods ?? 1),
        f.clearedAt ?? input.period.to,
        direction,
      );
      if (p === undefined) return f;
      const peak = f.peak === undefined ? p : direction === 'above' ? Math.max(p, f.peak) : Math.min(p, f.peak);
      return { ...f, peak };
    });
    linked.set(name, firings);
    total += firings.length;
    const unanswered = firings.filter((f) => f.unanswered).length;
    const withoutIncident = firings.filter((f) => f.incidentIds.length === 0 && f.actions === 0).length;
    const selfResolved = firings.filter((f) => f.incidentIds.length > 0 && f.unanswered).length;
    const inWindow = maxInWindow(firings.map((f) => f.at));
    const timeInAlarmMs = firings.reduce((s, f) => s + ((f.clearedAt ?? input.period.to) - f.at), 0);
    const threshold =
      alarm?.threshold ?? input.transitions.find((t) => t.alarmName === name && t.threshold !== undefined)?.threshold;
    const unit = alarm?.unit ?? input.transitions.find((t) => t.alarmName === name && t.unit)?.unit;
    // A threshold from enough history only: peaks from a few hours say little about a week.
    const enough = absolute && historyMs >= MIN_SUGGESTION_HISTORY_MS;
    // One unanswered firing is an event, not a pattern: no change is suggested from it (a 40 % error burst
    // after a reboot, over in three minutes, is no reason to make the error-rate alarm slower).
    const pattern = unanswered >= MIN_UNANSWERED_FOR_SUGGESTION;
    const outcome =
      pattern && enough && threshold !== undefined
        ? suggestThreshold(threshold, direction, firings, unit, input.limit?.(name) ?? {})
        : undefined;
    const suggestion = typeof outcome === 'object' ? outcome : undefined;
    let reason: AlarmRow['noSuggestionReason'];
    if (unanswered > 0 && !suggestion) {
      if (!pattern) reason = 'one-firing';
      else if (comparison === 'state') reason = 'not-numeric';
      else if (comparison === 'derived') reason = 'not-absolute';
      else if (!points?.length) reason = 'no-metric-data';
      else if (!enough) reason = 'not-enough-data';
      else if (outcome === 'would-cross-next') reason = 'would-cross-next';
    }
    const currentMinutes =
      alarm?.periodSeconds !== undefined
        ? (alarm.periodSeconds * (alarm.datapointsToAlarm ?? alarm.evaluationPeriods ?? 1)) / 60
        : undefined;
    const window = pattern ? suggestWindow(firings, input.period.to, currentMinutes) : undefined;
    rows.push({
      alarmName: name,
      firings: firings.length,
      withoutIncident,
      selfResolved,
      unanswered,
      maxInWindow: inWindow,
      flapping: inWindow >= FLAP_FIRINGS,
      timeInAlarmMs,
      ...(suggestion ? { threshold: suggestion } : {}),
      ...(window ? { window } : {}),
      ...(reason && !suggestion ? { noSuggestionReason: reason } : {}),
      ...(reason === 'not-enough-data' ? { historyMs } : {}),
      ...(reason === 'would-cross-next' && input.limit?.(name).next !== undefined
        ? { nextLevel: { value: input.limit(name).next!, ...(unit ? { unit } : {}) } }
        : {}),
    });
  }
  rows.sort((a, b) => b.firings - a.firings || a.alarmName.localeCompare(b.alarmName));
  return { firings: linked, rows, total };
}
