import type { Alarm, AlarmState, Incident } from '../model.js';
import { LEVEL_RANK } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import { simulatedClock, type Simulated } from '../actions/clock.js';
import { attachMirror } from '../runbooks/mirror.js';
import { inertLine } from '../sanitize.js';
import type { DrillIncident, DrillCommon, DrillReport } from './types.js';
import { remedied, walkIncident } from './walk.js';
import type { Policy } from '../policy/types.js';
import { TimelineRecorder } from '../record/recorder.js';
import { EVIDENCE_AFTER_MS } from '../record/evidence.js';
import { identity } from '../record/who.js';
import type { Clock } from '../actions/clock.js';

/**
 * The sandbox drill: a game day on the frozen sandbox, whose clock only the drill moves.
 *
 *  1. Advance minute by minute until every rule the scenario exercises has an alarm in ALARM inside an
 *     open incident (at most until firesBy + 30 minutes).
 *  2. Work the incidents in the order they opened: record each in the journal (incident, the alarm's
 *     transitions), match its runbook, walk it with the stand-in responder (decisions by the runbook's
 *     rule, notes as a stated placeholder, actions confirmed only with --yes). Every wait of the walk —
 *     a step's time, a check's `wait:`, an action's verification — advances the sandbox.
 *  3. Wait until the scenario's recovery alarms are OK (or the time limit), record how the incidents
 *     ended, and mirror the timeline to the incidents as notes.
 *
 * Resolved means: a remediation was applied and verified (not a dry run), and every recovery alarm is
 * OK at the end. Without --yes nothing is applied, so a drill cannot resolve even when the scenario
 * recovers on its own (a partner outage ends by itself).
 */

export interface SandboxDrillOptions extends DrillCommon {
  readonly sources: Sources;
  /** The sandbox's clock and a way to advance it. */
  readonly world: Simulated;
  /** The sandbox's time zero: minutes are counted from it. */
  readonly origin: number;
  /** Simulated time a step takes the stand-in responder (default 20 s). */
  readonly stepTimeMs?: number;
  /** The latest simulated time to run to, from the scenario's start (default: enough for the scenario). */
  readonly limitMs?: number;
  /**
   * Mirror the journal's timeline to the incidents as notes through the outbox, the sandbox's
   * addNote standing in for PagerDuty's. The journal must be opened with `mirror: true`.
   */
  readonly mirror?: boolean;
  /** The monitoring policy (for the evidence the recorder keeps of each incident). */
  readonly policy: Policy;
}

const MINUTE = 60_000;

/** The drill's clock, with the timeline recorder looking at the world after every move of its time. */
function recordingClock(inner: Clock, look: () => Promise<void>): Clock {
  return {
    now: () => inner.now(),
    pollMs: inner.pollMs,
    async wait(ms, signal) {
      await inner.wait(ms, signal);
      await look();
    },
  };
}

interface Found {
  readonly rule: string;
  readonly alarm: Alarm;
  readonly incident: Incident;
}

/** For each exercised rule: its alarm in ALARM (most severe first) and the open incident holding it. */
async function firing(sources: Sources, exercises: readonly string[]): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  if (!sources.alarms || !sources.incidents) return found;
  const [alarms, incidents] = await Promise.all([
    sources.alarms.listAlarms(),
    sources.incidents.listIncidents({ statuses: ['triggered', 'acknowledged'] }),
  ]);
  for (const rule of exercises) {
    const candidates = alarms
      .filter((a) => a.ruleId === rule && a.state === 'ALARM')
      .sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level]);
    for (const alarm of candidates) {
      const incident = incidents.find((i) => i.alarmNames.includes(alarm.name));
      if (incident) {
        found.set(rule, { rule, alarm, incident });
        break;
      }
    }
  }
  return found;
}

async function alarmStates(
  sources: Sources,
  names: readonly string[],
): Promise<Record<string, AlarmState | 'missing'>> {
  const alarms = (await sources.alarms?.listAlarms()) ?? [];
  return Object.fromEntries(names.map((n) => [n, alarms.find((a) => a.name === n)?.state ?? 'missing']));
}

const allOk = (states: Record<string, AlarmState | 'missing'>) => Object.values(states).every((s) => s === 'OK');

export async function runSandboxDrill(o: SandboxDrillOptions): Promise<DrillReport> {
  const { sources, journal, scenario } = o;
  // The one timeline: the drill records what the world does (alarms, incidents, who acknowledged) as the
  // cockpit does, through the recorder, after every minute it moves the world on.
  const recorder = new TimelineRecorder({
    journal,
    sources,
    policy: o.policy,
    me: identity(o.who, o.actor.email),
    ...(o.mirror ? { incidentSource: 'pagerduty' as const } : {}),
  });
  recorder.start('drill');
  const look = async () => {
    const [alarms, incidents] = await Promise.all([
      sources.alarms?.listAlarms(),
      sources.incidents?.listIncidents({ since: o.origin - 24 * 60 * MINUTE }),
    ]);
    await recorder.observe({ ...(alarms ? { alarms } : {}), ...(incidents ? { incidents } : {}) });
  };
  const clock = recordingClock(simulatedClock(o.world), look);
  const minute = () => Math.round((o.world.now() - o.origin) / MINUTE);
  const stamp = () => `+${minute()}m`;
  const say = (text: string) => o.onLine?.(`${stamp().padEnd(6)} ${text}`);
  const limit =
    o.origin +
    (o.limitMs ??
      (Math.max(scenario.firesBy, scenario.remedyFrom ?? 0) + (scenario.recoversWithin ?? 30) + 240) * MINUTE);
  const sourceIdOf = new Map<string, string>();
  const actions = sources.incidentActions;
  const mirror =
    o.mirror && actions
      ? attachMirror({
          journal,
          now: () => o.world.now(),
          addNote: (journalId, text) => actions.addNote(sourceIdOf.get(journalId) ?? journalId, text),
          existingNotes: async (journalId) =>
            ((await sources.incidents?.timeline(sourceIdOf.get(journalId) ?? journalId)) ?? [])
              .filter((e) => e.kind === 'note')
              .map((e) => e.summary),
        })
      : undefined;

  say(
    `drill ${scenario.name}: ${inertLine(scenario.title)} — exercises ${scenario.exercises.join(', ') || 'nothing'}${o.yes ? '' : ' (no --yes: every action is a dry run)'}`,
  );

  // 1. Let the scenario play until its alarms have opened incidents.
  const fireLimit = Math.min(limit, o.origin + (scenario.firesBy + 30) * MINUTE);
  let found = await firing(sources, scenario.exercises);
  while (found.size < scenario.exercises.length && o.world.now() < fireLimit) {
    await clock.wait(MINUTE);
    found = await firing(sources, scenario.exercises);
  }
  const notExercised = scenario.exercises.filter((r) => !found.has(r));
  if (notExercised.length) say(`no incident for ${notExercised.join(', ')} by minute ${minute()}`);

  // 2. Work the incidents in the order they opened.
  const order = [...found.values()].sort(
    (a, b) =>
      a.incident.createdAt - b.incident.createdAt ||
      scenario.exercises.indexOf(a.rule) - scenario.exercises.indexOf(b.rule),
  );
  const recorded = new Map<string, string>();
  const results: { found: Found; journalId: string; walked: Awaited<ReturnType<typeof walkIncident>> }[] = [];
  let firstIncident: number | undefined;
  const started = order.length ? minute() : undefined;
  for (const f of order) {
    let journalId = recorded.get(f.incident.id);
    if (!journalId) {
      // The sandbox's ids carry the run's tag: the journal keeps them as they are.
      journalId = f.incident.id;
      recorded.set(f.incident.id, journalId);
      sourceIdOf.set(journalId, f.incident.id);
      await look();
    }
    firstIncident ??= Math.round((f.incident.createdAt - o.origin) / MINUTE);
    say(
      `incident ${f.incident.id} ${f.incident.priority ?? ''} "${inertLine(f.incident.title)}" (${f.alarm.name}, rule ${f.rule})`,
    );
    const current = (await sources.incidents?.getIncident(f.incident.id)) ?? f.incident;
    const walked = await walkIncident({
      ...o,
      sources,
      clock,
      incident: current,
      alarm: f.alarm,
      journalIncidentId: journalId,
      dryRun: false,
      stepTimeMs: o.stepTimeMs ?? 20_000,
      waits: true,
      stamp,
      ...(mirror ? { onPhase: () => mirror.poke() } : {}),
    });
    results.push({ found: f, journalId, walked });
    await mirror?.flush();
  }

  // 3. Until the scenario's alarms have recovered, or the limit.
  const recovers = scenario.recovers ?? [];
  const recoveryLimit = Math.min(limit, o.world.now() + Math.max(30, 2 * (scenario.recoversWithin ?? 15)) * MINUTE);
  let recovery = await alarmStates(sources, recovers);
  while (!allOk(recovery) && o.world.now() < recoveryLimit) {
    await clock.wait(MINUTE);
    recovery = await alarmStates(sources, recovers);
  }
  // When the scenario recovered: the last of its recovery alarms' returns to OK (from their history).
  let recoveredAt: number | undefined;
  if (allOk(recovery)) {
    const at = await Promise.all(
      recovers.map(
        async (n) => (await sources.alarms?.alarmHistory(n).catch(() => []))?.find((h) => h.to === 'OK')?.at,
      ),
    );
    recoveredAt = Math.round((Math.max(o.origin, ...at.map((t) => t ?? o.world.now())) - o.origin) / MINUTE);
  }
  say(`recovery: ${recovers.map((n) => `${n} ${recovery[n]}`).join(', ') || 'nothing to recover'}`);
  // A while after the recovery too, so that the record shows the calm after it (the evidence's charts).
  const settleUntil = Math.min(limit, o.world.now() + EVIDENCE_AFTER_MS);
  if (allOk(recovery)) while (o.world.now() < settleUntil) await clock.wait(MINUTE);
  await look();

  const incidents: DrillIncident[] = [];
  for (const { found: f, journalId, walked } of results) {
    const now = (await sources.incidents?.getIncident(f.incident.id)) ?? f.incident;
    incidents.push({
      journalId,
      sourceId: f.incident.id,
      title: f.incident.title,
      ...(f.incident.priority ? { priority: f.incident.priority } : {}),
      rule: f.rule,
      alarm: f.alarm.name,
      runbook: walked?.runbook ?? '(none)',
      openedAtMinute: Math.round((f.incident.createdAt - o.origin) / MINUTE),
      status: now.status,
      steps: walked?.steps ?? { done: 0, skipped: 0 },
      actions: walked?.actions ?? [],
      incomplete: walked?.result.incomplete ?? [],
    });
  }
  await recorder.close('the drill ended');
  const mirrored = await mirror?.flush();

  const anyRemedy = results.some((r) => r.walked?.result.actions.some((a) => remedied(a.outcome)));
  // When the first verified remediation was applied, from the journal.
  const verifiedRuns = new Set(
    results.flatMap(
      (r) => r.walked?.result.actions.filter((a) => remedied(a.outcome)).map((a) => a.outcome.runId) ?? [],
    ),
  );
  const appliedAt = results
    .flatMap((r) => journal.query({ incidentId: r.journalId, kinds: ['action.applied'] }))
    .filter((e) => verifiedRuns.has((e.payload as { runId: string }).runId))
    .map((e) => e.at);
  const remediedAt = appliedAt.length ? Math.round((Math.min(...appliedAt) - o.origin) / MINUTE) : undefined;
  const resolved = anyRemedy && allOk(recovery) && results.length > 0;
  const reason = resolved
    ? `remediated and verified; ${recovers.join(', ') || 'the alarms'} OK`
    : results.length === 0
      ? 'no incident of the exercised rules opened'
      : !o.yes
        ? 'actions were dry runs (no --yes): nothing was remediated'
        : !anyRemedy
          ? 'no remediation was applied and verified'
          : `not recovered by minute ${minute()}: ${recovers.filter((n) => recovery[n] !== 'OK').join(', ')}`;
  const journalEvents = [...new Set(results.map((r) => r.journalId))].reduce(
    (n, id) => n + journal.query({ incidentId: id }).length,
    0,
  );
  return {
    scenario: scenario.name,
    environment: 'sandbox',
    resolved,
    reason,
    confirmed: o.yes,
    incidents,
    notExercised,
    recovery,
    minutes: {
      ...(firstIncident !== undefined ? { firstIncident } : {}),
      ...(started !== undefined ? { started } : {}),
      ...(remediedAt !== undefined ? { remedied: remediedAt } : {}),
      ...(recoveredAt !== undefined && resolved ? { recovered: recoveredAt } : {}),
      end: minute(),
      ...(resolved && firstIncident !== undefined && recoveredAt !== undefined
        ? { toResolve: recoveredAt - firstIncident }
        : {}),
    },
    journal: { path: journal.path, events: journalEvents },
    ...(mirrored ? { mirror: { notes: mirrored.notes, events: mirrored.events, failed: mirrored.failed } } : {}),
  };
}
