import { reportTimeZone } from '../time.js';
import type { ActiveBlock } from './blocks.js';
import type { FollowUp, Handoff, JournalEvent } from '../journal/index.js';
import type { Alarm, Point, Shift, TimelineEntry } from '../model.js';
import type { Policy } from '../policy/types.js';
import type { LoadedRunbook } from '../runbooks/types.js';
import { matchRunbook } from '../runbooks/match.js';
import { actionRuns, followUpItem, isCheck } from './actions.js';
import { analyseAlarms } from './alarms.js';
import { AUTOMATION, handoffPeople } from './people.js';
import { comparisonOf, limitOf } from './suggestions.js';
import { noRedaction } from './redact.js';
import { byPriority, mtta, mttr } from './stats.js';
import type {
  AlarmTransition,
  ChangeItem,
  HandoffReport,
  Period,
  ReportIncident,
  Risk,
  ShiftRow,
  SourceGap,
} from './types.js';

/**
 * The weekly handoff, built from what was recorded: a pure function of the journal's data and the
 * sources' (gathered by gather.ts). Figures are defined in stats.ts (MTTA, MTTR) and alarms.ts (firings,
 * flapping, noise); the rendered footer repeats the definitions.
 */
export interface HandoffInput {
  readonly period: Period;
  readonly now: number;
  readonly policy: Policy;
  /** What the report was made from: "SANDBOX", "AWS 123456789012 · PagerDuty". */
  readonly environment: string;
  /** Incidents created in the period and every incident still open, journal and source merged. */
  readonly incidents: readonly ReportIncident[];
  /** Journal events of the period (alarm transitions, incident lifecycle, actions at least). */
  readonly events: readonly JournalEvent[];
  /** The incident source's log entries for the period's incidents (PagerDuty: the whole team's). */
  readonly logEntries: readonly TimelineEntry[];
  /** Alarm transitions of the period, journal and alarm history merged (alarms.mergeTransitions). */
  readonly transitions: readonly AlarmTransition[];
  readonly alarms: readonly Alarm[];
  /** Metric series of alarms with unanswered firings, for threshold suggestions. */
  readonly series?: ReadonlyMap<string, readonly Point[]>;
  /** Absolute comparison (a threshold suggestion applies) per alarm name. */
  readonly absolute?: (alarmName: string) => boolean;
  readonly followUps: readonly FollowUp[];
  /** Addresses blocked at the WAF and not lifted, whenever they were blocked (blocks.ts). */
  readonly blocks?: readonly ActiveBlock[];
  readonly handoffs: readonly Handoff[];
  readonly rotation: readonly Shift[];
  readonly nextRotation: readonly Shift[];
  /** The loaded runbooks; undefined when they could not be read (the section then says so through a gap). */
  readonly runbooks?: readonly LoadedRunbook[];
  readonly changes: readonly ChangeItem[];
  readonly gaps: readonly SourceGap[];
}

const TOP = 10;

function shiftRows(shifts: readonly Shift[]): ShiftRow[] {
  const order = { primary: 0, secondary: 1, manager: 2 } as const;
  return [...shifts]
    .sort((a, b) => a.start - b.start || order[a.role] - order[b.role])
    .map((s) => ({ role: s.role, person: s.person.name, start: s.start, end: s.end }));
}

/**
 * The rule of policy.outsideWorkingHours (weekends, and hours outside [start, end) on weekdays, in the
 * policy's time zone) with one date formatter for the whole report: that function builds a formatter per
 * call, which a week of a thousand pages notices. Remembered per UTC quarter-hour (every time zone's
 * offset is a multiple of 15 minutes, so the local hour and weekday cannot change within one).
 */
export function outsideHoursOf(policy: Policy): (t: number) => boolean {
  const QUARTER = 15 * 60_000;
  const { timeZone, start, end } = policy.workingHours;
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  const memo = new Map<number, boolean>();
  return (t) => {
    const q = Math.floor(t / QUARTER);
    let v = memo.get(q);
    if (v === undefined) {
      const parts = format.formatToParts(new Date(q * QUARTER));
      const weekday = parts.find((p) => p.type === 'weekday')?.value;
      const hour = Number(parts.find((p) => p.type === 'hour')?.value);
      memo.set(q, (v = weekday === 'Sat' || weekday === 'Sun' || hour < start || hour >= end));
    }
    return v;
  };
}

export { handoffPeople, type HandoffPeople } from './people.js';

export function buildHandoff(input: HandoffInput): HandoffReport {
  const { period, policy } = input;
  const outsideHours = outsideHoursOf(policy);
  const inPeriod = (t: number) => t >= period.from && t < period.to;

  // Who acknowledged what, from the log where the journal did not see it.
  const ackBy = new Map<string, string>();
  const escalatedIds = new Set<string>();
  const responders = new Set<string>();
  for (const e of input.logEntries) {
    if (e.incidentId === undefined) continue;
    if (e.kind === 'incident.acknowledged' && e.who && !ackBy.has(e.incidentId)) ackBy.set(e.incidentId, e.who);
    if (e.kind === 'incident.escalated') escalatedIds.add(e.incidentId);
    if (
      e.who &&
      inPeriod(e.at) &&
      !AUTOMATION.test(e.who) &&
      (e.kind === 'incident.acknowledged' ||
        e.kind === 'note' ||
        e.kind === 'action' ||
        e.kind === 'incident.resolved' ||
        e.kind === 'incident.reassigned')
    ) {
      responders.add(e.who);
    }
  }
  for (const e of input.events) {
    if (e.kind === 'incident.escalated' && e.incidentId) escalatedIds.add(e.incidentId);
    if (inPeriod(e.at) && e.kind !== 'alarm.transition' && e.kind !== 'incident.created')
      responders.add(e.who.name ?? e.who.id);
  }
  const incidents = input.incidents.map((i) =>
    i.acknowledgedBy || !ackBy.has(i.id) ? i : { ...i, acknowledgedBy: ackBy.get(i.id)! },
  );
  const periodIncidents = incidents.filter((i) => inPeriod(i.createdAt));
  // An incident of a sandbox run that ended is not open: its world is gone (it never resolved either).
  const open = incidents.filter((i) => i.status !== 'resolved' && i.endedWithRun === undefined);
  for (const i of periodIncidents) if ((i.escalationLevel ?? 1) > 1) escalatedIds.add(i.id);

  const actions = actionRuns(input.events).filter((a) => inPeriod(a.at));
  // PagerDuty bookkeeping (acknowledge, note, escalate) is in the incidents' timelines; the table is for
  // what changed the systems. Read-only commands are evidence, not actions: counted, not listed.
  const remediations = actions.filter((a) => !a.actionId.startsWith('pagerduty.') && !isCheck(a));
  const readOnlyChecks = actions.filter((a) => isCheck(a) && !a.dryRun).length;
  const readOnlyChecksDry = actions.filter((a) => isCheck(a) && a.dryRun).length;
  const followUps = input.followUps.map((f) => followUpItem(f, input.now));
  const openFollowUps = followUps
    .filter((f) => f.status === 'open')
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.createdAt - b.createdAt);
  const closedFollowUps = followUps.filter(
    (f) => f.status === 'closed' && f.closedAt !== undefined && inPeriod(f.closedAt),
  );

  const alarmsByName = new Map(input.alarms.map((a) => [a.name, a]));
  const analysis = analyseAlarms({
    transitions: input.transitions,
    alarms: alarmsByName,
    period,
    incidents,
    actions,
    ...(input.series ? { series: input.series } : {}),
    comparison: (name) => comparisonOf(policy, alarmsByName.get(name), name, input.absolute),
    limit: (name) => limitOf(policy, input.alarms, name),
  });
  const noise = analysis.rows
    .filter((r) => r.unanswered > 0)
    .sort((a, b) => b.unanswered - a.unanswered || b.firings - a.firings || a.alarmName.localeCompare(b.alarmName));
  const flapping = analysis.rows
    .filter((r) => r.flapping)
    .sort((a, b) => b.maxInWindow - a.maxInWindow || a.alarmName.localeCompare(b.alarmName));
  const withoutRunbook = input.runbooks
    ? analysis.rows
        .filter((r) => {
          const alarm = alarmsByName.get(r.alarmName);
          const match = matchRunbook(input.runbooks!, { alarm: alarm ?? { name: r.alarmName } }, policy.rules);
          return !match || match.tier === 'default';
        })
        .map((r) => ({ alarmName: r.alarmName, firings: r.firings }))
    : [];
  const inAlarmNow = input.alarms
    .filter((a) => a.state === 'ALARM')
    .map((a) => a.name)
    .sort();

  const pages = periodIncidents
    .filter((i) => outsideHours(i.createdAt))
    .map((i) => ({
      incidentId: i.id,
      title: i.title,
      ...(i.priority ? { priority: i.priority } : {}),
      at: i.createdAt,
      ...(i.acknowledgedBy ? { acknowledgedBy: i.acknowledgedBy } : {}),
    }));

  const notes = input.handoffs
    .filter((h) => inPeriod(h.at))
    .map((h) => ({
      id: h.id,
      at: h.at,
      from: h.from.name ?? h.from.id,
      ...(h.to ? { to: h.to.name ?? h.to.id } : {}),
      text: h.text,
      ...(h.acknowledged
        ? { acknowledgedBy: h.acknowledged.by.name ?? h.acknowledged.by.id, acknowledgedAt: h.acknowledged.at }
        : {}),
    }));

  const risks: Risk[] = [];
  for (const i of open)
    risks.push({
      kind: 'open-incident',
      incidentId: i.id,
      title: i.title,
      openMs: Math.max(0, input.now - i.createdAt),
    });
  for (const f of openFollowUps)
    risks.push({ kind: 'follow-up', id: f.id, text: f.text, owner: f.owner, overdue: f.overdue });
  for (const a of inAlarmNow) risks.push({ kind: 'in-alarm', alarmName: a });
  for (const r of noise.slice(0, 3)) risks.push({ kind: 'noise', alarmName: r.alarmName, unanswered: r.unanswered });
  const verifiedTargets = new Set(
    actions.filter((a) => a.outcome === 'verified').map((a) => `${a.actionId}|${a.target}`),
  );
  for (const a of actions)
    if (a.outcome === 'failed' && !isCheck(a) && !verifiedTargets.has(`${a.actionId}|${a.target}`))
      risks.push({ kind: 'failed-action', actionId: a.actionId, target: a.target });
  for (const b of input.blocks ?? []) risks.push({ kind: 'active-block', ...b });

  const changes = [
    ...input.changes.filter((c) => inPeriod(c.at)),
    // Changes to the systems: not the incidents' bookkeeping (in their timelines), not read-only checks.
    ...actions
      .filter(
        (a) =>
          (a.outcome === 'verified' || a.outcome === 'applied') &&
          !a.dryRun &&
          (a.category === 'remediation' || a.category === 'command'),
      )
      .map((a) => ({
        at: a.at,
        what: `${a.actionId} ${a.target}${a.changes.length ? `: ${a.changes.join('; ')}` : ''}`,
        ...(a.who ? { who: a.who } : {}),
      })),
  ]
    .sort((a, b) => b.at - a.at)
    .slice(0, 20);

  const rotation = shiftRows(input.rotation);
  const next = shiftRows(input.nextRotation);
  const people = handoffPeople(
    period,
    [...input.rotation, ...input.nextRotation],
    input.handoffs,
    incidents.filter((i) => inPeriod(i.createdAt)),
  );

  return {
    kind: 'handoff',
    period,
    people: { onCall: rotation, responders: [...responders].filter((r) => !AUTOMATION.test(r)).sort(), ...people },
    totals: {
      incidents: periodIncidents.length,
      mtta: mtta(periodIncidents),
      mttr: mttr(periodIncidents),
      escalated: periodIncidents.filter((i) => escalatedIds.has(i.id)).length,
    },
    byPriority: byPriority(periodIncidents, policy),
    incidents: periodIncidents,
    openIncidents: open,
    openFollowUps,
    closedFollowUps,
    actions: remediations,
    readOnlyChecks,
    readOnlyChecksDry,
    alarms: {
      firings: analysis.total,
      alarmsFired: analysis.rows.length,
      mostFired: analysis.rows.slice(0, TOP),
      flapping,
      noise,
      withoutRunbook,
      inAlarmNow,
    },
    outsideHours: { pages, total: periodIncidents.length },
    notes,
    next: { rotation: next, risks, changes },
    footer: {
      generatedAt: input.now,
      timeZone: reportTimeZone(policy.workingHours.timeZone),
      redaction: noRedaction().counts(),
      gaps: input.gaps,
      environment: input.environment,
    },
  };
}
