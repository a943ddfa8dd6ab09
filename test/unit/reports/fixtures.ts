import type { EventInput, Journal, Who } from '../../../src/core/journal/index.js';
import type { Alarm, AlarmHistoryItem, Incident, Point, TimelineEntry } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import type { GatherContext } from '../../../src/core/reports/index.js';
import type { MetricQuery, Sources } from '../../../src/sources/ports.js';
import { shiftsBetween } from '../../../src/sources/sandbox/oncall.js';
import { tempJournal } from '../journal/helpers.js';
import { TimelineRecorder } from '../../../src/core/record/recorder.js';
import { identity } from '../../../src/core/record/who.js';

/**
 * A constructed on-call week, written through the journal API, with every raw timestamp kept here so
 * that tests compute MTTA and MTTR themselves. The week starts Monday 2026-01-05 10:00 Asia/Tokyo (the
 * sandbox rotation's hand-over moment); working hours are the policy's (09:00–18:00 JST, weekdays).
 */
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const WEEK_START = Date.UTC(2026, 0, 5, 1, 0, 0);
export const WEEK_END = WEEK_START + 7 * DAY;

export const aiko: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };
export const kenji: Who = { kind: 'pagerduty', id: 'PUKENJ', name: 'Kenji Sato' };

export const NO_RUNBOOK_ALARM = 'legacy-report-export-stalled';

export interface PlannedIncident {
  readonly id: string;
  readonly title: string;
  readonly priority: 'P1' | 'P2' | 'P3' | 'P4';
  readonly createdAt: number;
  readonly ackAt?: number;
  readonly resolvedAt?: number;
  readonly alarm?: {
    readonly name: string;
    readonly firedAt: number;
    readonly clearedAt?: number;
    readonly value: number;
    readonly threshold: number;
  };
}

/** The week's incidents: raw timestamps the tests compute their figures from. */
export const INCIDENTS: readonly PlannedIncident[] = [
  {
    id: 'INC-1',
    title: 'RDS connections above 80 % of max_connections',
    priority: 'P1',
    createdAt: WEEK_START + 1 * HOUR, // Mon 11:00 JST: working hours
    ackAt: WEEK_START + 1 * HOUR + 4 * MIN,
    resolvedAt: WEEK_START + 1 * HOUR + 50 * MIN,
    alarm: {
      name: 'vitascope-db-connections-warning',
      firedAt: WEEK_START + 58 * MIN,
      clearedAt: WEEK_START + 1 * HOUR + 45 * MIN,
      value: 86,
      threshold: 80,
    },
  },
  {
    id: 'INC-2',
    title: 'API CPU saturated',
    priority: 'P2',
    createdAt: WEEK_START + 1 * DAY + 14 * HOUR, // Wed 00:00 JST: outside
    ackAt: WEEK_START + 1 * DAY + 14 * HOUR + 12 * MIN,
    resolvedAt: WEEK_START + 1 * DAY + 16 * HOUR,
    alarm: {
      name: 'vitascope-api-high-cpu-critical',
      firedAt: WEEK_START + 1 * DAY + 14 * HOUR - MIN,
      clearedAt: WEEK_START + 1 * DAY + 15 * HOUR + 50 * MIN,
      value: 97.5,
      threshold: 90,
    },
  },
  {
    id: 'INC-3',
    title: 'Sync queue backlog',
    priority: 'P3',
    createdAt: WEEK_START + 3 * DAY + 2 * HOUR, // Thu 12:00 JST
    ackAt: WEEK_START + 3 * DAY + 2 * HOUR + 30 * MIN,
    alarm: {
      name: 'vitascope-sync-queue-depth-warning',
      firedAt: WEEK_START + 3 * DAY + 2 * HOUR - 2 * MIN,
      value: 1450,
      threshold: 1000,
    },
  },
  {
    id: 'INC-4',
    title: 'API p95 latency above 500 ms',
    priority: 'P2',
    createdAt: WEEK_START + 4 * DAY + 12 * HOUR, // Fri 22:00 JST: outside
    resolvedAt: WEEK_START + 4 * DAY + 12 * HOUR + 20 * MIN, // resolved by itself, never acknowledged
    alarm: {
      name: 'vitascope-api-high-latency-warning',
      firedAt: WEEK_START + 4 * DAY + 12 * HOUR,
      clearedAt: WEEK_START + 4 * DAY + 12 * HOUR + 20 * MIN,
      value: 620,
      threshold: 500,
    },
  },
  {
    id: 'INC-5',
    title: 'New registrations dropped 35 % week on week',
    priority: 'P4',
    createdAt: WEEK_START + 5 * DAY, // Sat 10:00 JST: weekend
    ackAt: WEEK_START + 5 * DAY + 1 * HOUR,
    resolvedAt: WEEK_START + 5 * DAY + 3 * HOUR,
    // An alarm no runbook but the default one matches.
    alarm: {
      name: NO_RUNBOOK_ALARM,
      firedAt: WEEK_START + 5 * DAY - MIN,
      clearedAt: WEEK_START + 5 * DAY + 3 * HOUR,
      value: 1,
      threshold: 1,
    },
  },
];

/** The noisy alarm: fires four times with no incident and no action; three of them within an hour (flapping). */
export const NOISE_ALARM = 'vitascope-worker-high-memory-warning';
export const NOISE_FIRINGS: readonly { readonly at: number; readonly value: number }[] = [
  { at: WEEK_START + 2 * DAY + 3 * HOUR, value: 81.2 },
  { at: WEEK_START + 2 * DAY + 3 * HOUR + 20 * MIN, value: 82.5 },
  { at: WEEK_START + 2 * DAY + 3 * HOUR + 40 * MIN, value: 80.4 },
  { at: WEEK_START + 6 * DAY, value: 83.9 },
];
export const NOISE_DURATION = 5 * MIN;

/** Personal data and secrets planted in the journal and in the incident source. */
export const PLANTED = {
  email: 'aiko.tanaka@vitascope.example',
  phone: '+81 90-1234-5678',
  userId: 'usr_8f3k2j9d',
  glucose: '180 mg/dL',
  pagerDutyToken: 'y_NbAkKc66ryYTWUXYEu',
  awsKey: 'AKIAIOSFODNN7EXAMPLE',
};

const transition = (
  name: string,
  at: number,
  from: 'OK' | 'ALARM',
  to: 'OK' | 'ALARM',
  value: number,
  threshold: number,
  incidentId?: string,
): EventInput => ({
  kind: 'alarm.transition',
  at,
  who: { kind: 'local', id: 'cockpit', name: 'cockpit' },
  ...(incidentId ? { incidentId } : {}),
  payload: {
    alarmId: name,
    alarmName: name,
    from,
    to,
    value,
    threshold,
    level: 'warning',
    ...(name === NOISE_ALARM ? { unit: 'percent' } : {}),
  },
});

/** Writes the constructed week into a journal. */
export function writeWeek(j: Journal): void {
  const events: EventInput[] = [];
  for (const i of INCIDENTS) {
    if (i.alarm) {
      events.push(transition(i.alarm.name, i.alarm.firedAt, 'OK', 'ALARM', i.alarm.value, i.alarm.threshold, i.id));
      if (i.alarm.clearedAt !== undefined)
        events.push(
          transition(i.alarm.name, i.alarm.clearedAt, 'ALARM', 'OK', i.alarm.threshold - 10, i.alarm.threshold, i.id),
        );
    }
    events.push({
      kind: 'incident.created',
      at: i.createdAt,
      who: aiko,
      incidentId: i.id,
      payload: {
        title: i.title,
        priority: i.priority,
        source: 'local',
        service: { id: 'PSVCAPI', name: 'Vitascope API' },
      },
    });
    if (i.ackAt !== undefined)
      events.push({
        kind: 'incident.acknowledged',
        at: i.ackAt,
        who: i.id === 'INC-2' ? kenji : aiko,
        incidentId: i.id,
        payload: {},
      });
    if (i.resolvedAt !== undefined)
      events.push({ kind: 'incident.resolved', at: i.resolvedAt, who: aiko, incidentId: i.id, payload: {} });
  }
  for (const n of NOISE_FIRINGS) {
    events.push(transition(NOISE_ALARM, n.at, 'OK', 'ALARM', n.value, 80));
    events.push(transition(NOISE_ALARM, n.at + NOISE_DURATION, 'ALARM', 'OK', 74, 80));
  }
  // INC-1: a reboot, planned → verified, with its evidence.
  const reboot = { runId: 'run-reboot', actionId: 'rds.reboot', target: 'vitascope-db' };
  const t1 = WEEK_START + 1 * HOUR + 20 * MIN;
  events.push(
    {
      kind: 'phase.entered',
      at: t1 - 5 * MIN,
      who: aiko,
      incidentId: 'INC-1',
      payload: { phase: 'resolve', from: 'investigate' },
    },
    {
      kind: 'action.planned',
      at: t1,
      who: aiko,
      incidentId: 'INC-1',
      payload: {
        ...reboot,
        plan: {
          summary: 'Reboot vitascope-db without failover',
          changes: ['connections 344 → 0 after a 2-minute outage'],
        },
      },
    },
    {
      kind: 'action.confirmed',
      at: t1 + MIN,
      who: aiko,
      incidentId: 'INC-1',
      payload: { ...reboot, typedTarget: true },
    },
    {
      kind: 'action.applied',
      at: t1 + 2 * MIN,
      who: aiko,
      incidentId: 'INC-1',
      payload: { ...reboot, output: 'RebootDBInstance accepted' },
    },
    {
      kind: 'action.verified',
      at: t1 + 12 * MIN,
      who: aiko,
      incidentId: 'INC-1',
      payload: {
        ...reboot,
        params: { before: 'DatabaseConnections 344', after: 'DatabaseConnections 37' },
        output: 'vitascope-db-connections-warning is OK',
      },
    },
    {
      kind: 'note',
      at: t1 + 15 * MIN,
      who: aiko,
      incidentId: 'INC-1',
      payload: {
        text: `User ${PLANTED.userId} reported blood glucose ${PLANTED.glucose} not syncing; call ${PLANTED.phone}. Token PAGERDUTY_TOKEN=${PLANTED.pagerDutyToken}`,
      },
    },
  );
  // INC-2: the autoscaling limits raised, verified.
  const scale = {
    runId: 'run-scale',
    actionId: 'autoscaling.set-limits',
    target: 'vitascope-api',
    params: { service: 'vitascope-api', min: 4, max: 8 },
  };
  const t2 = WEEK_START + 1 * DAY + 14 * HOUR + 20 * MIN;
  events.push(
    {
      kind: 'action.planned',
      at: t2,
      who: kenji,
      incidentId: 'INC-2',
      payload: { ...scale, plan: { summary: 'Raise the autoscaling limits', changes: ['min 2 → 4', 'max 3 → 8'] } },
    },
    { kind: 'action.applied', at: t2 + MIN, who: kenji, incidentId: 'INC-2', payload: scale },
    {
      kind: 'action.verified',
      at: t2 + 15 * MIN,
      who: kenji,
      incidentId: 'INC-2',
      payload: { ...scale, output: 'CPUUtilization 58 % (was 97 %)' },
    },
  );
  // INC-3: a failed action with no verification.
  const t3 = WEEK_START + 3 * DAY + 3 * HOUR;
  const scaleWorker = { runId: 'run-worker', actionId: 'ecs.set-desired-count', target: 'vitascope-worker' };
  events.push(
    {
      kind: 'action.planned',
      at: t3,
      who: aiko,
      incidentId: 'INC-3',
      payload: { ...scaleWorker, plan: { summary: 'Scale the worker to 6 tasks', changes: ['desired 2 → 6'] } },
    },
    {
      kind: 'action.failed',
      at: t3 + MIN,
      who: aiko,
      incidentId: 'INC-3',
      payload: {
        ...scaleWorker,
        stage: 'apply',
        error: 'AccessDeniedException: not authorised to perform ecs:UpdateService',
      },
    },
  );
  j.appendMany(events);
  j.addFollowUp({
    text: `Cap the reporting job's connection pool (ask ${PLANTED.email})`,
    owner: 'Kenji Sato',
    who: aiko,
    incidentId: 'INC-1',
    dueAt: WEEK_START + 3 * DAY,
    at: WEEK_START + 2 * HOUR,
  });
  const closed = j.addFollowUp({
    text: 'Raise the API autoscaling maximum permanently',
    owner: 'Maya Chen',
    who: kenji,
    incidentId: 'INC-2',
    at: WEEK_START + 2 * DAY,
  });
  j.closeFollowUp(closed.id, { who: kenji, resolution: 'Terraform change merged', at: WEEK_START + 4 * DAY });
  j.addFollowUp({
    text: 'Drain the sync queue faster after gateway outages',
    owner: 'Aiko Tanaka',
    who: aiko,
    incidentId: 'INC-3',
    at: WEEK_START + 3 * DAY + 4 * HOUR,
  });
  j.addHandoff({
    text: `The reporting job is the usual suspect for DB connections.\nIf it climbs again call me on ${PLANTED.phone} or mail ${PLANTED.email}.`,
    who: aiko,
    at: WEEK_START + 7 * DAY - HOUR,
  });
}

export function weekJournal(): Journal {
  const j = tempJournal();
  writeWeek(j);
  return j;
}

/** MTTA and MTTR of the planned incidents created in [from, to), computed from the raw timestamps. */
export function expectedFigures(
  from = WEEK_START,
  to = WEEK_END,
): { mtta: number; mttr: number; acked: number; resolved: number } {
  const ins = INCIDENTS.filter((i) => i.createdAt >= from && i.createdAt < to);
  const acks = ins.filter((i) => i.ackAt !== undefined).map((i) => i.ackAt! - i.createdAt);
  const res = ins.filter((i) => i.resolvedAt !== undefined).map((i) => i.resolvedAt! - i.createdAt);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mtta: avg(acks), mttr: avg(res), acked: acks.length, resolved: res.length };
}

export interface FakeSourceOptions {
  readonly now?: number;
  /** Incidents the team handled elsewhere (PagerDuty), with their log entries. */
  readonly incidents?: readonly Incident[];
  readonly logs?: Readonly<Record<string, readonly TimelineEntry[]>>;
  readonly alarms?: readonly Alarm[];
  readonly history?: Readonly<Record<string, readonly AlarmHistoryItem[]>>;
  readonly series?: Readonly<Record<string, readonly Point[]>>;
}

/** A small fake of the ports, for pure-data tests (the sandbox and the real adapters have their own tests). */
export function fakeSources(o: FakeSourceOptions = {}): Sources {
  return {
    environment: { kind: 'aws', label: 'TEST', production: true },
    now: () => o.now ?? WEEK_END,
    ...(o.incidents
      ? {
          incidents: {
            listIncidents: async (f) =>
              o.incidents!.filter(
                (i) =>
                  (!f?.statuses || f.statuses.includes(i.status)) &&
                  (!f?.since || i.createdAt >= f.since) &&
                  (!f?.until || i.createdAt < f.until),
              ),
            getIncident: async (id) => o.incidents!.find((i) => i.id === id),
            timeline: async (id) => [...(o.logs?.[id] ?? [])],
          },
        }
      : {}),
    ...(o.alarms
      ? {
          alarms: {
            listAlarms: async () => [...o.alarms!],
            alarmHistory: async (name, range) =>
              (o.history?.[name] ?? []).filter((h) => !range || (h.at >= range.from && h.at < range.to)),
          },
        }
      : {}),
    ...(o.series
      ? {
          metrics: {
            getSeries: async (queries: readonly MetricQuery[], range) =>
              queries.map((q) => ({
                id: q.id,
                points: (o.series![q.id] ?? []).filter((p) => p.t >= range.start && p.t < range.end),
              })),
          },
        }
      : {}),
    onCall: {
      onCallNow: async () => [],
      rotation: async (from, to) => shiftsBetween(from, to),
      escalationPolicies: async () => [],
    },
    close: async () => {},
  };
}

/** As the report commands make it for real sources: the journal is brought up to date from them first. */
export function context(journal: Journal, sources: Sources, now = WEEK_END): GatherContext {
  const me = identity(aiko);
  return {
    journal,
    sources,
    policy: DEFAULT_POLICY,
    now,
    environment: 'TEST',
    logOrigin: 'pagerduty',
    sync: (scope) => new TimelineRecorder({ journal, sources, policy: DEFAULT_POLICY, me }).backfill(scope),
  };
}
