import type { AlarmStateRecord, EventInput, IncidentRecord } from '../journal/index.js';
import type { Alarm, AlarmHistoryItem } from '../model.js';
import { ALARMS } from './who.js';
import { clip } from '../sanitize.js';
import { eventKey, journalAlarmId } from './keys.js';

/**
 * An alarm as its source says it is now, compared with what the journal last knew: the events that bring
 * the record up to date. Pure (recorder.ts reads the history when it is needed and appends).
 *
 * - First sight: an alarm in OK is a baseline (`alarm.observed`); one already in ALARM or
 *   INSUFFICIENT_DATA is a transition at its stateSince, from the state its history gives (or none).
 * - A change: every transition the history holds since the last known one, in order; without history,
 *   one transition from the last known state, at the alarm's stateSince.
 * - The same state, but since a later time: it left and came back between two looks (from the history).
 *
 * Keys (run, alarm, time, new state) make a transition recorded once however often it is seen.
 */

export interface AlarmContext {
  readonly run: string;
  /** When the recorder looked. */
  readonly now: number;
  /** Incidents of this run open in the journal (a transition of one of their alarms is linked to it). */
  readonly open: readonly IncidentRecord[];
  /** Whether this is the recorder's first look since it started (what it finds changed happened while it was closed). */
  readonly firstLook: boolean;
  /** Record only an observation of the alarm (its definition), in this state: nothing changed. */
  readonly observeOnly?: AlarmStateRecord['state'];
}

/** Whether the alarm needs its history read to be recorded. */
export function needsHistory(known: AlarmStateRecord | undefined, alarm: Alarm): boolean {
  if (!known) return alarm.state !== 'OK';
  return known.state !== alarm.state || alarm.stateSince > known.since;
}

/** Whether anything may need recording for the alarm (a later stateSince alone matters only if the history shows a change). */
export function alarmChanged(known: Pick<AlarmStateRecord, 'state' | 'since'> | undefined, alarm: Alarm): boolean {
  return !known || known.state !== alarm.state || alarm.stateSince > known.since;
}

function key(ctx: AlarmContext, alarm: Alarm, at: number, to: string): string {
  return eventKey('alarm', ctx.run, alarm.id, at, to);
}

export function alarmEvents(
  known: AlarmStateRecord | undefined,
  alarm: Alarm,
  history: readonly AlarmHistoryItem[] | undefined,
  ctx: AlarmContext,
): EventInput[] {
  if (!alarmChanged(known, alarm)) return [];
  const incident = ctx.open.find((i) => i.alarmNames.includes(alarm.name));
  const run = ctx.run ? { run: ctx.run } : {};
  const stateSince = alarm.stateSince > 0 ? Math.min(alarm.stateSince, ctx.now) : ctx.now;
  const definition = {
    ...(alarm.metric
      ? {
          metric: {
            namespace: alarm.metric.namespace,
            name: alarm.metric.name,
            dimensions: { ...alarm.metric.dimensions },
            ...(alarm.metric.statistic ? { statistic: alarm.metric.statistic } : {}),
          },
        }
      : {}),
    ...(alarm.periodSeconds ? { periodSeconds: alarm.periodSeconds } : {}),
    ...(alarm.evaluationPeriods ? { evaluationPeriods: alarm.evaluationPeriods } : {}),
    ...(alarm.datapointsToAlarm ? { datapointsToAlarm: alarm.datapointsToAlarm } : {}),
    ...(alarm.comparison ? { comparison: alarm.comparison } : {}),
    ...(alarm.ruleId ? { ruleId: alarm.ruleId } : {}),
    ...(alarm.threshold !== undefined && Number.isFinite(alarm.threshold) ? { threshold: alarm.threshold } : {}),
    ...(alarm.unit ? { unit: alarm.unit } : {}),
  };
  const current = {
    ...definition,
    level: alarm.level,
    ...(alarm.reason ? { reason: alarm.reason.slice(0, 1024) } : {}),
    ...(alarm.value !== undefined && Number.isFinite(alarm.value) ? { value: alarm.value } : {}),
    ...(alarm.threshold !== undefined && Number.isFinite(alarm.threshold) ? { threshold: alarm.threshold } : {}),
    ...(alarm.unit ? { unit: alarm.unit } : {}),
  };
  const base = (at: number) => ({
    who: ALARMS,
    at,
    ...(incident ? { incidentId: incident.id } : {}),
    ...(at < ctx.now - 120_000 || ctx.firstLook ? { seenAt: ctx.now } : {}),
  });
  const transition = (
    at: number,
    from: Alarm['state'] | undefined,
    to: Alarm['state'],
    extra: { reason?: string },
    via: 'live' | 'history',
  ): EventInput => {
    const { seenAt, ...b } = base(at);
    return {
      kind: 'alarm.transition',
      ...b,
      key: key(ctx, alarm, at, to),
      payload: {
        alarmId: journalAlarmId(alarm.id),
        alarmName: clip(alarm.name, 1024),
        ...(from ? { from } : {}),
        to,
        ...(to === alarm.state && at === stateSince ? current : { ...definition, level: alarm.level, ...extra }),
        ...run,
        via,
        ...(seenAt !== undefined ? { seenAt } : {}),
      },
    } as EventInput;
  };

  if (!known) {
    if (alarm.state === 'OK' || ctx.observeOnly) {
      const state = ctx.observeOnly ?? alarm.state;
      return [
        {
          kind: 'alarm.observed',
          who: ALARMS,
          at: ctx.now,
          key: eventKey(`observed:${ctx.run}:${alarm.id}:${alarm.metric ? 'defined' : 'seen'}`),
          payload: {
            alarmId: journalAlarmId(alarm.id),
            alarmName: alarm.name,
            state,
            since: stateSince,
            level: alarm.level,
            ...definition,
            ...run,
          },
        },
      ];
    }
    const entry = history?.filter((h) => h.to === alarm.state && h.at <= stateSince).sort((a, b) => b.at - a.at)[0];
    return [transition(stateSince, entry?.from, alarm.state, {}, 'history')];
  }

  // Transitions since the last known one, in order, as the history tells them.
  const items = (history ?? []).filter((h) => h.at > known.since && h.at <= ctx.now).sort((a, b) => a.at - b.at);
  const out: EventInput[] = [];
  let state = known.state;
  for (const h of items) {
    if (h.to === state) continue;
    out.push(
      transition(
        h.at,
        state,
        h.to,
        h.reason ? { reason: h.reason.slice(0, 1024) } : {},
        ctx.firstLook ? 'history' : 'live',
      ),
    );
    state = h.to;
  }
  if (state !== alarm.state) {
    // Without (enough) history: one transition from what was last known to what is now.
    out.push(transition(stateSince, state, alarm.state, {}, ctx.firstLook ? 'history' : 'live'));
  }
  // The same state since a later time and a history that shows nothing in between: nothing happened that
  // can be told (a source that dates its state by when it was asked, like a Prometheus rule with no alert).
  return out;
}
