import { randomBytes } from 'node:crypto';
import type { AlarmState, Incident } from '../model.js';
import type { IncidentSource, Sources } from '../../sources/ports.js';
import type { Clock } from '../actions/clock.js';
import { ReadOnlyError } from '../actions/errors.js';
import { UndoList } from './undo.js';
import { inertLine } from '../sanitize.js';
import type { DrillCommon, DrillIncident, DrillReport } from './types.js';
import { walkIncident } from './walk.js';
import { previewLiveDrill, topicText, type LiveDrillPreflight } from './livePreflight.js';

export {
  describePreflight,
  liveDrillConsent,
  pickAlarm,
  previewLiveDrill,
  type LiveConsent,
  type LiveDrillPreflight,
} from './livePreflight.js';

const REASON = 'vitascope-oncall drill';

/**
 * `drill --live`: the same game day against the configured AWS account, touching nothing but the
 * alarms' state. For each exercised rule the drill picks the account's alarm (the scenario's alarm by
 * name, else the most severe alarm of the rule), forces it to ALARM with CloudWatch SetAlarmState,
 * opens a local drill incident, walks the matched runbook with EVERY action and command a dry run
 * (planned from the real state, journaled, never applied), then sets the alarm back to the state it
 * had (an alarm already in ALARM for real is left alone: a drill never hides a real alarm). CloudWatch
 * re-evaluates the alarm at its next period anyway; the alarm's own actions run as they would for a
 * real transition (that is the point of a game day: the page arrives), unless `noActions`: then the
 * drilled alarms' actions are disabled for the drill and enabled again after it, even when it is
 * interrupted (the command runs the UndoList on Ctrl-C and SIGTERM).
 *
 * Before anything changes, previewLiveDrill says what will fire: every drilled alarm's actions on ALARM
 * and on the way back, and who their SNS topics reach where readable; in production the command asks for
 * the account id typed (liveDrillConsent). Read-only mode refuses the whole drill, and the ports it would
 * change through refuse too (readOnlySources), where the calls happen.
 *
 * There is no sandbox to recover here, so "resolved" means: every exercised rule had an alarm, every
 * runbook was walked to its end, every action could be planned against the real resources, and the
 * alarms are back to the state they had.
 */

export interface LiveDrillOptions extends DrillCommon {
  readonly sources: Sources;
  readonly clock: Clock;
  /** What previewLiveDrill said (and the responder agreed to); read again when not given. */
  readonly preflight?: LiveDrillPreflight;
  /** Disable the drilled alarms' actions for the drill's duration (nobody is paged), enabled again after. */
  readonly noActions?: boolean;
  /** Where each change registers its undo; the command runs what is left on Ctrl-C and SIGTERM. */
  readonly undo?: UndoList;
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
  // Read-only: refused here, and the ports refuse every changing call too.
  if (o.readonly) throw new ReadOnlyError('drill --live (it sets alarm states with SetAlarmState)');
  const ports = o.sources;
  const start = o.clock.now();
  const minute = () => Math.round((o.clock.now() - start) / 60_000);
  const stamp = () => `+${minute()}m`;
  const say = (text: string) => o.onLine?.(`${stamp().padEnd(6)} ${text}`);
  const runTag = o.runTag ?? `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  if (!ports.alarms || !ports.alarmDrill)
    throw new Error('drill --live needs CloudWatch alarms (AWS configured): SetAlarmState is how it starts');
  const drillPort = ports.alarmDrill;
  const noActions = o.noActions ?? o.preflight?.noActions ?? false;
  const preflight = o.preflight ?? (await previewLiveDrill({ sources: ports, scenario, noActions }));
  const undo = o.undo ?? new UndoList();
  say(
    `drill ${scenario.name} --live on ${inertLine(ports.environment.label)}${ports.environment.account ? ` ${ports.environment.account}` : ''}: alarms are set with SetAlarmState, every action is a dry run${noActions ? '; their actions are off for the drill' : ''}`,
  );

  const notExercised = preflight.notExercised;
  if (notExercised.length) say(`no alarm of ${notExercised.join(', ')} in the account`);
  const real = [...preflight.real];
  for (const name of real) say(`${name} is in ALARM for real: not drilled`);

  // --no-actions: off before the first state is forced, on again after the last is set back.
  const muted = noActions ? preflight.drilled.filter((d) => d.actionsEnabled).map((d) => d.alarm.name) : [];
  let unmute: (() => Promise<void>) | undefined;
  if (muted.length) {
    if (!ports.alarmActions)
      throw new Error(
        'drill --live --no-actions needs CloudWatch alarm actions (DisableAlarmActions), which these sources do not offer',
      );
    const switcher = ports.alarmActions;
    await switcher.setActionsEnabled(muted, false);
    unmute = undo.add(`EnableAlarmActions ${muted.join(', ')}`, async () => {
      await switcher.setActionsEnabled(muted, true);
      say(`EnableAlarmActions ${muted.join(', ')}: their actions run again`);
    });
    say(`DisableAlarmActions ${muted.join(', ')}: nobody is paged by the drill`);
  }

  const drills = new Map<string, Incident>();
  const sources = withDrillIncidents(o.sources, drills);
  const incidents: DrillIncident[] = [];
  const restored: Record<string, AlarmState | 'missing'> = {};
  let completed = true;
  let restoredOk = true;
  let planFailures = 0;
  try {
    for (const [i, { rule, alarm }] of preflight.drilled.entries()) {
      // A drill must never hide a real alarm by setting it back afterwards: look again right before.
      const current = (await ports.alarms.listAlarms()).find((a) => a.name === alarm.name);
      if (current?.state === 'ALARM') {
        say(`${alarm.name} went into ALARM for real since the preview: not drilled`);
        real.push(alarm.name);
        continue;
      }
      const putBack = undo.add(`SetAlarmState ${alarm.name} → ${alarm.state}`, async () => {
        await drillPort.setAlarmState(
          alarm.name,
          alarm.state,
          `${REASON} ${scenario.name} finished: back to ${alarm.state} (CloudWatch re-evaluates at its next period)`,
        );
        say(`SetAlarmState ${alarm.name} → ${alarm.state}`);
      });
      await drillPort.setAlarmState(
        alarm.name,
        'ALARM',
        `${REASON} ${scenario.name} by ${o.actor.name}: a game day (nothing else is changed)`,
      );
      say(`SetAlarmState ${alarm.name} → ALARM`);
      const now = (await ports.alarms.listAlarms()).find((a) => a.name === alarm.name) ?? alarm;
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
      journal.append({
        kind: 'incident.created',
        who: o.who,
        incidentId: id,
        at,
        payload: { title: incident.title, source: 'local' },
      });
      journal.append({
        kind: 'alarm.transition',
        who: o.who,
        incidentId: id,
        at,
        payload: {
          alarmId: alarm.id.slice(0, 512),
          alarmName: alarm.name,
          from: alarm.state,
          to: 'ALARM',
          level: alarm.level,
          reason: `${REASON} (SetAlarmState)`,
        },
      });
      say(`incident ${id} (drill, local): ${alarm.name}, rule ${rule}`);
      let walked: Awaited<ReturnType<typeof walkIncident>>;
      try {
        walked = await walkIncident({
          ...o,
          sources,
          incident,
          alarm: { ...now, state: 'ALARM' },
          journalIncidentId: id,
          dryRun: true,
          stepTimeMs: 0,
          waits: false,
          stamp,
        });
      } finally {
        // Back to where it was (OK, or INSUFFICIENT_DATA); CloudWatch re-evaluates it at its next period anyway.
        await putBack();
      }
      const after = (await ports.alarms.listAlarms()).find((a) => a.name === alarm.name)?.state;
      restored[alarm.name] = after ?? 'missing';
      if (after !== alarm.state) restoredOk = false;
      if (!walked || walked.result.status !== 'completed') completed = false;
      planFailures += journal.query({ incidentId: id, kinds: ['action.failed'] }).length;
      const endAt = o.clock.now();
      journal.append({
        kind: 'incident.resolved',
        who: o.who,
        incidentId: id,
        at: endAt,
        payload: { resolution: 'drill finished; the alarm was set back to OK' },
      });
      journal.upsertIncident({
        id,
        title: incident.title,
        status: 'resolved',
        source: 'local',
        createdAt: at,
        resolvedAt: endAt,
      });
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
  } finally {
    await unmute?.();
  }
  const resolved =
    incidents.length > 0 &&
    notExercised.length === 0 &&
    real.length === 0 &&
    completed &&
    planFailures === 0 &&
    restoredOk;
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
    live: {
      noActions,
      alarms: preflight.drilled.map((d) => ({
        alarm: d.alarm.name,
        actionsEnabled: d.actionsEnabled,
        onAlarm: d.onAlarm.map(topicText),
        onReturn: d.onReturn.map(topicText),
      })),
    },
    journal: {
      path: journal.path,
      events: incidents.reduce((n, i) => n + journal.query({ incidentId: i.journalId }).length, 0),
    },
  };
}
