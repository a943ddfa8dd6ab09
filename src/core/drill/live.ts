import { randomBytes } from 'node:crypto';
import type { Alarm, AlarmState, Incident } from '../model.js';
import { LEVEL_RANK } from '../model.js';
import type { IncidentSource, Sources } from '../../sources/ports.js';
import type { Clock } from '../actions/clock.js';
import { inertLine } from '../sanitize.js';
import type { DrillCommon, DrillIncident, DrillReport } from './types.js';
import { walkIncident } from './walk.js';

/**
 * `drill --live`: the same game day against the configured AWS account, touching nothing but the
 * alarms' state. For each exercised rule the drill picks the account's alarm (the scenario's alarm by
 * name, else the most severe alarm of the rule), forces it to ALARM with CloudWatch SetAlarmState,
 * opens a local drill incident, walks the matched runbook with EVERY action and command a dry run
 * (planned from the real state, journaled, never applied), then sets the alarm back to the state it
 * had (an alarm already in ALARM for real is left alone: a drill never hides a real alarm). CloudWatch
 * re-evaluates the alarm at its next period anyway; the alarm's own actions run as they would for a
 * real transition (that is the point of a game day: the page arrives).
 *
 * There is no sandbox to recover here, so "resolved" means: every exercised rule had an alarm, every
 * runbook was walked to its end, every action could be planned against the real resources, and the
 * alarms are back to the state they had.
 */

export interface LiveDrillOptions extends DrillCommon {
  readonly sources: Sources;
  readonly clock: Clock;
}

const REASON = 'vitascope-oncall drill';

/** The alarm of a rule the drill uses: the scenario's by name, else the most severe one of the rule. */
export function pickAlarm(alarms: readonly Alarm[], rule: string, fires: readonly string[]): Alarm | undefined {
  const ofRule = alarms.filter((a) => a.ruleId === rule);
  return ofRule.find((a) => fires.includes(a.name)) ?? [...ofRule].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level] || a.name.localeCompare(b.name))[0];
}

/** The drill's incidents answered locally; any other id goes to the configured incident source. */
function withDrillIncidents(sources: Sources, drills: Map<string, Incident>): Sources {
  const real = sources.incidents;
  const incidents: IncidentSource = {
    async listIncidents(filter, signal) {
      return [...drills.values(), ...((await real?.listIncidents(filter, signal)) ?? [])];
    },
    async getIncident(id) {
      return drills.get(id) ?? real?.getIncident(id);
    },
    async timeline(id) {
      return drills.has(id) ? [] : (real?.timeline(id) ?? []);
    },
  };
  return { ...sources, incidents, now: () => sources.now(), close: () => sources.close() };
}

export async function runLiveDrill(o: LiveDrillOptions): Promise<DrillReport> {
  const { scenario, journal } = o;
  const start = o.clock.now();
  const minute = () => Math.round((o.clock.now() - start) / 60_000);
  const stamp = () => `+${minute()}m`;
  const say = (text: string) => o.onLine?.(`${stamp().padEnd(6)} ${text}`);
  const runTag = o.runTag ?? `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  if (!o.sources.alarms || !o.sources.alarmDrill) throw new Error('drill --live needs CloudWatch alarms (AWS configured): SetAlarmState is how it starts');
  const drillPort = o.sources.alarmDrill;
  say(`drill ${scenario.name} --live on ${inertLine(o.sources.environment.label)}${o.sources.environment.account ? ` ${o.sources.environment.account}` : ''}: alarms are set with SetAlarmState, every action is a dry run`);

  const alarms = await o.sources.alarms.listAlarms();
  const picked = scenario.exercises.map((rule) => ({ rule, alarm: pickAlarm(alarms, rule, scenario.fires) }));
  const notExercised = picked.filter((p) => !p.alarm).map((p) => p.rule);
  if (notExercised.length) say(`no alarm of ${notExercised.join(', ')} in the account`);

  const drills = new Map<string, Incident>();
  const sources = withDrillIncidents(o.sources, drills);
  const incidents: DrillIncident[] = [];
  const restored: Record<string, AlarmState | 'missing'> = {};
  let completed = true;
  let restoredOk = true;
  let planFailures = 0;
  const real: string[] = [];
  for (const [i, { rule, alarm }] of picked.entries()) {
    if (!alarm) continue;
    if (alarm.state === 'ALARM') {
      // A drill must never hide a real alarm by setting it back afterwards.
      say(`${alarm.name} is in ALARM for real: not drilled`);
      real.push(alarm.name);
      continue;
    }
    await drillPort.setAlarmState(alarm.name, 'ALARM', `${REASON} ${scenario.name} by ${o.actor.name}: a game day (nothing else is changed)`);
    say(`SetAlarmState ${alarm.name} → ALARM`);
    const now = (await o.sources.alarms.listAlarms()).find((a) => a.name === alarm.name) ?? alarm;
    const at = o.clock.now();
    const id = `drill-${scenario.name}-${runTag}-${i + 1}`;
    const incident: Incident = {
      id,
      title: `DRILL: ${alarm.name} — ${scenario.title}`,
      status: 'triggered',
      urgency: 'low',
      service: { id: 'drill', name: 'vitascope-oncall drill' },
      createdAt: at,
      assignees: [o.actor],
      escalationLevel: 1,
      escalatedAt: at,
      alarmNames: [alarm.name],
    };
    drills.set(id, incident);
    journal.upsertIncident({ id, title: incident.title, status: 'triggered', source: 'local', createdAt: at });
    journal.append({ kind: 'incident.created', who: o.who, incidentId: id, at, payload: { title: incident.title, source: 'local' } });
    journal.append({
      kind: 'alarm.transition',
      who: o.who,
      incidentId: id,
      at,
      payload: { alarmId: alarm.id.slice(0, 512), alarmName: alarm.name, from: alarm.state, to: 'ALARM', level: alarm.level, reason: `${REASON} (SetAlarmState)` },
    });
    say(`incident ${id} (drill, local): ${alarm.name}, rule ${rule}`);
    let walked: Awaited<ReturnType<typeof walkIncident>>;
    try {
      walked = await walkIncident({ ...o, sources, incident, alarm: { ...now, state: 'ALARM' }, journalIncidentId: id, dryRun: true, stepTimeMs: 0, waits: false, stamp });
    } finally {
      // Back to where it was (OK, or INSUFFICIENT_DATA); CloudWatch re-evaluates it at its next period anyway.
      await drillPort.setAlarmState(alarm.name, alarm.state, `${REASON} ${scenario.name} finished: back to ${alarm.state} (CloudWatch re-evaluates at its next period)`);
      say(`SetAlarmState ${alarm.name} → ${alarm.state}`);
    }
    const after = (await o.sources.alarms.listAlarms()).find((a) => a.name === alarm.name)?.state;
    restored[alarm.name] = after ?? 'missing';
    if (after !== alarm.state) restoredOk = false;
    if (!walked || walked.result.status !== 'completed') completed = false;
    planFailures += journal.query({ incidentId: id, kinds: ['action.failed'] }).length;
    const endAt = o.clock.now();
    journal.append({ kind: 'incident.resolved', who: o.who, incidentId: id, at: endAt, payload: { resolution: 'drill finished; the alarm was set back to OK' } });
    journal.upsertIncident({ id, title: incident.title, status: 'resolved', source: 'local', createdAt: at, resolvedAt: endAt });
    incidents.push({
      journalId: id,
      sourceId: id,
      title: incident.title,
      rule,
      alarm: alarm.name,
      runbook: walked?.runbook ?? '(none)',
      openedAtMinute: Math.round((at - start) / 60_000),
      status: 'resolved',
      steps: walked?.steps ?? { done: 0, skipped: 0 },
      actions: walked?.actions ?? [],
      incomplete: walked?.result.incomplete ?? [],
    });
  }
  const resolved = incidents.length > 0 && notExercised.length === 0 && real.length === 0 && completed && planFailures === 0 && restoredOk;
  const reason = resolved
    ? 'every runbook walked with its actions planned (dry runs); alarms back to their state'
    : real.length
      ? `${real.join(', ')} in ALARM for real: a drill does not touch them`
      : incidents.length === 0
        ? 'no alarm of the exercised rules in the account'
        : notExercised.length
          ? `no alarm of ${notExercised.join(', ')} in the account`
          : planFailures
            ? `${planFailures} action(s) could not be planned against the account (see the journal)`
            : !restoredOk
              ? 'an alarm did not return to its state'
              : 'a runbook was not walked to its end';
  return {
    scenario: scenario.name,
    environment: 'live',
    resolved,
    reason,
    confirmed: false,
    incidents,
    notExercised,
    recovery: restored,
    minutes: { firstIncident: 0, end: minute() },
    journal: { path: journal.path, events: incidents.reduce((n, i) => n + journal.query({ incidentId: i.journalId }).length, 0) },
  };
}
