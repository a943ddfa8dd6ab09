/**
 * The recorder's two comparisons (core/record/alarms.ts, incidents.ts): what the source says now against
 * what the journal last recorded, into the events that bring the journal up to date. Pure functions, fed
 * the shapes the sources give.
 */
import { describe, expect, it } from 'vitest';
import type { AlarmStateRecord, EventInput, IncidentRecord } from '../../../src/core/journal/index.js';
import type { Alarm, Incident, TimelineEntry } from '../../../src/core/model.js';
import { alarmEvents } from '../../../src/core/record/alarms.js';
import { differs, incidentEvents } from '../../../src/core/record/incidents.js';
import { identity, PAGER } from '../../../src/core/record/who.js';

const T = Date.UTC(2026, 11, 4, 1, 0, 0);
const MIN = 60_000;
const me = identity({ kind: 'local', id: 'aiko@vitascope.example', name: 'Aiko Tanaka' }, 'aiko@vitascope.example');

const alarm = (state: Alarm['state'], since: number): Alarm => ({
  id: 'arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:vitascope-api-high-cpu-critical',
  name: 'vitascope-api-high-cpu-critical',
  kind: 'metric',
  state,
  level: 'critical',
  stateSince: since,
  actions: [],
  threshold: 90,
  unit: 'percent',
  value: 93,
  metric: {
    namespace: 'AWS/ECS',
    name: 'CPUUtilization',
    dimensions: { ClusterName: 'vitascope-cluster', ServiceName: 'vitascope-api' },
    statistic: 'Average',
  },
});
const known = (state: AlarmStateRecord['state'], since: number): AlarmStateRecord => ({
  run: '',
  alarmId: alarm('OK', 0).id,
  alarmName: alarm('OK', 0).name,
  state,
  since,
  seq: 1,
});
const ctx = { run: '', now: T + 30 * MIN, open: [] as IncidentRecord[], firstLook: false };
const transitions = (events: readonly EventInput[]) =>
  events
    .filter((e) => e.kind === 'alarm.transition')
    .map((e) => (e.kind === 'alarm.transition' ? [e.at, e.payload.from, e.payload.to] : []));

describe('alarm changes', () => {
  it('records INSUFFICIENT_DATA → OK as it was, not an invented ALARM → OK', () => {
    const events = alarmEvents(known('INSUFFICIENT_DATA', T), alarm('OK', T + 5 * MIN), undefined, ctx);
    expect(transitions(events)).toEqual([[T + 5 * MIN, 'INSUFFICIENT_DATA', 'OK']]);
  });

  it('records every transition the history holds since the last known one, in order, each with its previous state', () => {
    const history = [
      { at: T + 2 * MIN, from: 'OK' as const, to: 'ALARM' as const, reason: 'crossed' },
      { at: T + 9 * MIN, from: 'ALARM' as const, to: 'OK' as const, reason: 'cleared' },
      { at: T + 20 * MIN, from: 'OK' as const, to: 'ALARM' as const, reason: 'crossed again' },
      // Before what the journal knows: already recorded, not again.
      { at: T - 10 * MIN, from: 'ALARM' as const, to: 'OK' as const, reason: 'old' },
    ];
    const events = alarmEvents(known('OK', T), alarm('ALARM', T + 20 * MIN), history, { ...ctx, firstLook: true });
    expect(transitions(events)).toEqual([
      [T + 2 * MIN, 'OK', 'ALARM'],
      [T + 9 * MIN, 'ALARM', 'OK'],
      [T + 20 * MIN, 'OK', 'ALARM'],
    ]);
    // Seen at start-up: they happened while the program was closed.
    expect(
      events.every((e) => e.kind === 'alarm.transition' && e.payload.via === 'history' && e.payload.seenAt === ctx.now),
    ).toBe(true);
    // The last one carries the alarm's current reading and what it watches (a report charts it from the journal).
    expect(events[2]).toMatchObject({
      payload: { value: 93, threshold: 90, unit: 'percent', metric: { name: 'CPUUtilization' } },
    });
  });

  it('records nothing when the state and its time are what the journal knows', () => {
    expect(alarmEvents(known('ALARM', T), alarm('ALARM', T), undefined, ctx)).toEqual([]);
  });

  it('an alarm first seen in OK is a baseline; one first seen in ALARM is a transition from what its history says, or from nothing known', () => {
    expect(alarmEvents(undefined, alarm('OK', T), undefined, ctx).map((e) => e.kind)).toEqual(['alarm.observed']);
    expect(
      transitions(
        alarmEvents(
          undefined,
          alarm('ALARM', T),
          [{ at: T, from: 'INSUFFICIENT_DATA', to: 'ALARM', reason: 'x' }],
          ctx,
        ),
      ),
    ).toEqual([[T, 'INSUFFICIENT_DATA', 'ALARM']]);
    expect(transitions(alarmEvents(undefined, alarm('ALARM', T), undefined, ctx))).toEqual([[T, undefined, 'ALARM']]);
  });

  it('the same event key for the same transition, so seeing it again records nothing', () => {
    const a = alarmEvents(known('OK', T), alarm('ALARM', T + MIN), undefined, ctx);
    const b = alarmEvents(
      known('OK', T),
      alarm('ALARM', T + MIN),
      [{ at: T + MIN, from: 'OK', to: 'ALARM', reason: 'x' }],
      { ...ctx, now: ctx.now + MIN },
    );
    expect(a.map((e) => e.key)).toEqual(b.map((e) => e.key));
  });
});

const record = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  id: 'PABC123',
  title: 'API CPU high',
  priority: 'P2',
  status: 'triggered',
  source: 'pagerduty',
  createdAt: T,
  updatedAt: T,
  run: '',
  escalationLevel: 1,
  assignees: ['Aiko Tanaka'],
  alarmNames: ['vitascope-api-high-cpu-critical'],
  ...over,
});
const incident = (over: Partial<Incident> = {}): Incident => ({
  id: 'PABC123',
  title: 'API CPU high',
  status: 'triggered',
  urgency: 'high',
  priority: 'P2',
  service: { id: 'PSVC', name: 'Vitascope API' },
  createdAt: T,
  assignees: [{ id: 'PAIKO', name: 'Aiko Tanaka' }],
  escalationLevel: 1,
  escalatedAt: T,
  alarmNames: ['vitascope-api-high-cpu-critical'],
  ...over,
});
const ictx = { journalId: 'PABC123', run: '', source: 'pagerduty' as const, me, pager: PAGER, now: T + 60 * MIN };
const entry = (
  id: string,
  at: number,
  kind: TimelineEntry['kind'],
  summary: string,
  who: string,
  agent: 'person' | 'system' = 'person',
): TimelineEntry => ({ id, at, kind, summary, who, agent, incidentId: 'PABC123' });

describe('incident changes', () => {
  it('replays what happened while the program was closed, in order, by whoever the log names', () => {
    const log = [
      entry('L1', T, 'incident.triggered', 'Triggered', 'CloudWatch', 'system'),
      entry('L2', T + 3 * MIN, 'incident.acknowledged', 'Acknowledged by Kenji Sato', 'Kenji Sato'),
      entry('L3', T + 33 * MIN, 'incident.triggered', 'Unacknowledged: the snooze ended', 'PagerDuty', 'system'),
      entry('L4', T + 35 * MIN, 'incident.acknowledged', 'Acknowledged by Aiko Tanaka', 'Aiko Tanaka'),
      entry('L5', T + 50 * MIN, 'incident.resolved', 'Resolved by Aiko Tanaka', 'Aiko Tanaka'),
    ];
    const now = incident({ status: 'resolved', acknowledgedAt: T + 3 * MIN, resolvedAt: T + 50 * MIN });
    expect(differs(record(), now)).toBe(true);
    const events = incidentEvents(record(), now, log, ictx);
    expect(events.map((e) => [e.kind, e.at, e.who.kind, e.who.name])).toEqual([
      ['incident.acknowledged', T + 3 * MIN, 'pagerduty', 'Kenji Sato'],
      ['incident.unacknowledged', T + 33 * MIN, 'system', 'PagerDuty'],
      ['incident.acknowledged', T + 35 * MIN, 'local', 'Aiko Tanaka'],
      ['incident.resolved', T + 50 * MIN, 'local', 'Aiko Tanaka'],
    ]);
  });

  it("without a log: the incident's own times, the author unknown", () => {
    const events = incidentEvents(
      record(),
      incident({ status: 'resolved', acknowledgedAt: T + 4 * MIN, resolvedAt: T + 40 * MIN }),
      undefined,
      ictx,
    );
    expect(events.map((e) => [e.kind, e.at, e.who.id])).toEqual([
      ['incident.acknowledged', T + 4 * MIN, 'unknown'],
      ['incident.resolved', T + 40 * MIN, 'unknown'],
    ]);
  });

  it('a new incident: created at its own time with its alarms and people, then what it went through', () => {
    const log = [
      entry('L1', T, 'incident.triggered', 'Triggered', 'CloudWatch', 'system'),
      entry('L2', T + 30 * MIN, 'incident.escalated', 'Escalated to level 2: Kenji Sato', 'PagerDuty', 'system'),
    ];
    const now = incident({
      escalationLevel: 2,
      escalatedAt: T + 30 * MIN,
      assignees: [{ id: 'PKENJI', name: 'Kenji Sato' }],
    });
    const events = incidentEvents(undefined, now, log, ictx);
    expect(events.map((e) => e.kind)).toEqual(['incident.created', 'incident.escalated']);
    expect(events[0]).toMatchObject({
      at: T,
      payload: { alarmNames: ['vitascope-api-high-cpu-critical'], source: 'pagerduty' },
    });
    expect(events[1]).toMatchObject({
      at: T + 30 * MIN,
      who: { kind: 'system', name: 'PagerDuty' },
      payload: { level: 2, to: ['Kenji Sato'] },
    });
  });

  it('a priority raised and an alarm grouped in are recorded; nothing when nothing differs', () => {
    const now = incident({
      priority: 'P1',
      alarmNames: ['vitascope-api-high-cpu-critical', 'vitascope-api-error-rate-critical'],
    });
    const events = incidentEvents(record(), now, [], ictx);
    expect(events.map((e) => [e.kind, e.payload])).toEqual([
      ['incident.alarm-added', { alarmName: 'vitascope-api-error-rate-critical', via: 'live' }],
      ['incident.priority-changed', { from: 'P2', to: 'P1', via: 'live' }],
    ]);
    expect(differs(record(), incident())).toBe(false);
  });

  it('a change of assignees is dated by the log entry that assigned them, never by an older assignment', () => {
    const log = [
      entry('L1', T, 'incident.reassigned', 'Assigned to Aiko Tanaka (primary on call), P2', 'PagerDuty', 'system'),
      entry(
        'L2',
        T + 11 * MIN,
        'incident.escalated',
        'Escalated to level 2: Kenji Sato (secondary) by Aiko Tanaka',
        'Aiko Tanaka',
      ),
    ];
    // The escalation was journaled (by the action) without its assignee: the record still says Aiko.
    const rec = record({ escalationLevel: 2, updatedAt: T + 11 * MIN });
    const now = incident({
      escalationLevel: 2,
      escalatedAt: T + 11 * MIN,
      assignees: [{ id: 'PKENJI', name: 'Kenji Sato' }],
    });
    expect(incidentEvents(rec, now, log, ictx).map((e) => [e.kind, e.at, e.who.name, e.payload])).toEqual([
      ['incident.reassigned', T + 11 * MIN, 'Aiko Tanaka', { to: ['Kenji Sato'], via: 'history' }],
    ]);
    // Back to Aiko with only the opening's entry naming her: when is not known, so it is the moment seen.
    const back = incidentEvents(
      record({ escalationLevel: 2, assignees: ['Kenji Sato'], updatedAt: T + 11 * MIN }),
      incident({ escalationLevel: 2, escalatedAt: T + 11 * MIN }),
      log,
      ictx,
    );
    expect(back.map((e) => [e.kind, e.at, e.who.id, e.payload])).toEqual([
      ['incident.reassigned', ictx.now, 'unknown', { to: ['Aiko Tanaka'], via: 'live' }],
    ]);
  });

  it("teammates' notes from the source are journaled once each, never the journal's own mirrored notes", () => {
    const log = [
      entry('N1', T + MIN, 'note', 'Looks like the mobile release', 'Maya Chen'),
      entry('N2', T + 2 * MIN, 'note', '[vitascope-oncall vo-1] incident journal, 3 events:', 'Aiko Tanaka'),
    ];
    const events = incidentEvents(
      record({ status: 'resolved' }),
      incident({ status: 'resolved', resolvedAt: T + 9 * MIN }),
      log,
      ictx,
    );
    expect(events.map((e) => [e.kind, e.who.kind, e.who.name, e.key])).toEqual([
      ['note', 'pagerduty', 'Maya Chen', 'PABC123:log:N1'],
    ]);
  });
});
