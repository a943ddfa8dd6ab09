import { describeEvent, type JournalEvent } from '../journal/index.js';
import type { TimelineEntry } from '../model.js';
import { actionRuns, changedAt, isCheck } from './actions.js';
import type { ActionRun, AlarmTransition, Origin, TimelineItem } from './types.js';

/**
 * One complete timeline of an incident: the journal's events, the incident source's log entries
 * (PagerDuty, or the sandbox's pager) and the alarm history, merged, de-duplicated and in order.
 *
 * De-duplication:
 * - alarm transitions arrive already merged (alarms.ts); the journal's alarm.transition events are not
 *   taken again;
 * - notes the journal mirrored to PagerDuty (their text starts with "[vitascope-oncall ") are the journal's
 *   own events coming back: dropped;
 * - a lifecycle entry (triggered/created, acknowledged, escalated, resolved) in both the journal and the log
 *   within LIFECYCLE_MS is one entry; so is a note with the same text within NOTE_MS;
 * - a log entry about an alarm ("Alert added: NAME …") within LIFECYCLE_MS of that alarm's transition is
 *   the same moment: one entry.
 * The kept entry lists every origin that recorded it.
 *
 * Concise (the default): what a reader needs — alarm transitions, the incident's state changes (triggered,
 * acknowledged, escalated, reassigned, priority, resolved: every `incident.*` kind), decisions taken in the
 * room, one row per action with its outcome and before → after (read-only checks left out: they are
 * evidence, counted elsewhere), and notes. Verbose: every journal event as recorded (steps started, done
 * and skipped, phases, each stage of each action).
 */

const LIFECYCLE_MS = 2 * 60_000;
const NOTE_MS = 5 * 60_000;
const MIRROR_MARK = '[vitascope-oncall ';

/** The journal's and the log's names for the same lifecycle step. */
const CANONICAL: Readonly<Record<string, string>> = {
  'incident.created': 'incident.triggered',
  'incident.triggered': 'incident.triggered',
  'incident.acknowledged': 'incident.acknowledged',
  'incident.escalated': 'incident.escalated',
  'incident.resolved': 'incident.resolved',
};

/** Order within one instant: the alarm before the incident it opened, the incident before what was done in it. */
const RANK: Readonly<Record<string, number>> = {
  alarm: 0,
  'incident.created': 1,
  'incident.triggered': 1,
  'incident.reassigned': 2,
  'incident.escalated': 3,
  'incident.acknowledged': 4,
};

interface Item {
  at: number;
  kind: string;
  summary: string;
  who?: string;
  origins: Origin[];
  alarmName?: string;
  to?: string;
  action?: TimelineItem['action'];
  decision?: TimelineItem['decision'];
}

export interface TimelineOptions {
  /** Every journal event (steps, phases, each stage of an action) instead of the concise timeline. */
  readonly verbose?: boolean;
}

/** PagerDuty actions whose effect the journal records as the incident's own event. */
const MIRRORED_BY_INCIDENT: Readonly<Record<string, string>> = {
  'pagerduty.acknowledge': 'incident.acknowledged',
  'pagerduty.escalate': 'incident.escalated',
  'pagerduty.resolve': 'incident.resolved',
};

/** A decision as a room step records it: "chose <option>: <label>" (runbooks/progress.ts outcomeText). */
const DECISION = /^chose ([a-z0-9]+(?:-[a-z0-9]+)*): ([\s\S]*)$/;

function kindOf(e: JournalEvent): string {
  return e.kind === 'unknown' ? e.originalKind : e.kind;
}

function actionSummary(a: ActionRun): string {
  const evidence = a.before !== undefined || a.after !== undefined ? ` (${a.before ?? '–'} → ${a.after ?? '–'})` : '';
  return `${a.actionId} on ${a.target}${a.dryRun ? ' (dry run)' : ''}: ${a.outcome}${a.error ? `: ${a.error}` : ''}${evidence}`;
}

export interface RoomDecision {
  readonly at: number;
  readonly who: string;
  readonly runbookId: string;
  readonly stepId: string;
  /** The decision step's title. */
  readonly question: string;
  readonly option: string;
  /** The chosen option's label, with the suggestion's reason when the suggestion was taken. */
  readonly label: string;
}

/**
 * The decisions taken in the incident room: decision steps' outputs. A note step records the note twice
 * (as a note and as its step's output); its output is the responder's text, never a decision, whatever
 * it starts with.
 */
export function roomDecisions(events: readonly JournalEvent[]): RoomDecision[] {
  const noteSteps = new Set<string>();
  for (const e of events)
    if (e.kind === 'note' && e.payload.step) noteSteps.add(`${e.payload.step.runbookId}|${e.payload.step.stepId}`);
  const noteTexts = new Set(events.flatMap((e) => (e.kind === 'note' ? [e.payload.text] : [])));
  const out: RoomDecision[] = [];
  for (const e of events) {
    if (e.kind !== 'step.done' || !e.payload.output) continue;
    const m = DECISION.exec(e.payload.output);
    if (!m || noteSteps.has(`${e.payload.runbookId}|${e.payload.stepId}`) || noteTexts.has(e.payload.output)) continue;
    out.push({
      at: e.at,
      who: e.who.name ?? e.who.id,
      runbookId: e.payload.runbookId,
      stepId: e.payload.stepId,
      question: e.payload.title ?? e.payload.stepId,
      option: m[1]!,
      label: m[2]!,
    });
  }
  return out;
}

/** The journal's events as the concise timeline shows them. */
function conciseItems(events: readonly JournalEvent[]): Item[] {
  const items: Item[] = [];
  const incidentKinds: { kind: string; at: number }[] = [];
  for (const e of events) {
    const kind = kindOf(e);
    const who = e.who.name ?? e.who.id;
    if (kind.startsWith('incident.')) {
      incidentKinds.push({ kind, at: e.at });
      items.push({ at: e.at, kind, summary: describeEvent(e), who, origins: ['journal'] });
    } else if (e.kind === 'note') {
      // The kind column already says it is a note: the text alone.
      items.push({ at: e.at, kind: 'note', summary: e.payload.text, who, origins: ['journal'] });
    }
  }
  for (const d of roomDecisions(events)) {
    items.push({
      at: d.at,
      kind: 'decision',
      summary: `${d.question}: ${d.label}`,
      who: d.who,
      origins: ['journal'],
      decision: { stepId: d.stepId, question: d.question, option: d.option, label: d.label },
    });
  }
  for (const a of actionRuns(events)) {
    // A read-only check is evidence; a note posted to PagerDuty is the note (or the journal mirrored), already here.
    if (isCheck(a) || a.actionId === 'pagerduty.add-note') continue;
    const at = changedAt(a);
    const mirrored = MIRRORED_BY_INCIDENT[a.actionId];
    if (
      mirrored &&
      a.outcome !== 'failed' &&
      incidentKinds.some((k) => k.kind === mirrored && Math.abs(k.at - at) <= LIFECYCLE_MS)
    )
      continue;
    items.push({
      at,
      kind: 'action',
      summary: actionSummary(a),
      ...(a.who ? { who: a.who } : {}),
      origins: ['journal'],
      action: {
        runId: a.runId,
        actionId: a.actionId,
        // A command is its command line (its plan), not the program's name.
        target: a.actionId === 'command.run' && a.plan ? a.plan : a.target,
        outcome: a.outcome,
        dryRun: a.dryRun,
        ...(a.before !== undefined ? { before: a.before } : {}),
        ...(a.after !== undefined ? { after: a.after } : {}),
        ...(a.error !== undefined ? { error: a.error } : {}),
      },
    });
  }
  return items;
}

function alarmSummary(t: AlarmTransition): string {
  return `${t.alarmName}: ${t.from ?? '?'} → ${t.to}${t.reason ? ` (${t.reason})` : ''}`;
}

export function mergeTimeline(
  events: readonly JournalEvent[],
  log: readonly TimelineEntry[],
  transitions: readonly AlarmTransition[],
  logOrigin: Origin = 'pagerduty',
  options: TimelineOptions = {},
): TimelineItem[] {
  const items: Item[] = [];
  for (const t of transitions)
    items.push({
      at: t.at,
      kind: 'alarm',
      summary: alarmSummary(t),
      origins: [t.origin, ...(t.alsoIn ?? [])],
      alarmName: t.alarmName,
      to: t.to,
    });
  const own = events.filter((e) => e.kind !== 'alarm.transition');
  if (options.verbose) {
    for (const e of own)
      items.push({
        at: e.at,
        kind: kindOf(e),
        summary: describeEvent(e),
        who: e.who.name ?? e.who.id,
        origins: ['journal'],
      });
  } else items.push(...conciseItems(own));
  const journalItems = [...items];
  for (const entry of log) {
    if (entry.kind === 'note' && entry.summary.startsWith(MIRROR_MARK)) continue;
    const canonical = CANONICAL[entry.kind];
    const same = journalItems.find((j) => {
      if (canonical) return CANONICAL[j.kind] === canonical && Math.abs(j.at - entry.at) <= LIFECYCLE_MS;
      if (entry.kind === 'note')
        return (
          j.kind === 'note' &&
          Math.abs(j.at - entry.at) <= NOTE_MS &&
          (j.summary === entry.summary || j.summary === `note: ${entry.summary}`)
        );
      if (entry.kind === 'alarm') {
        if (
          j.kind !== 'alarm' ||
          j.alarmName === undefined ||
          !entry.summary.includes(j.alarmName) ||
          Math.abs(j.at - entry.at) > LIFECYCLE_MS
        )
          return false;
        // The same direction: a log entry saying the alarm is OK or resolved is its recovery, not its firing.
        const saysOk = /\b(OK|resolved)\b/i.test(entry.summary.split(j.alarmName).join(' '));
        return saysOk === (j.to !== 'ALARM');
      }
      return false;
    });
    if (same) {
      if (!same.origins.includes(logOrigin)) same.origins.push(logOrigin);
      same.who ??= entry.who;
      continue;
    }
    items.push({
      at: entry.at,
      kind: entry.kind,
      summary: entry.summary,
      ...(entry.who ? { who: entry.who } : {}),
      origins: [logOrigin],
    });
  }
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => a.it.at - b.it.at || (RANK[a.it.kind] ?? 9) - (RANK[b.it.kind] ?? 9) || a.i - b.i)
    .map(({ it }) => ({
      at: it.at,
      kind: it.kind,
      summary: it.summary,
      ...(it.who ? { who: it.who } : {}),
      origins: it.origins,
      ...(it.kind === 'alarm' && it.to ? { alarmTo: it.to as AlarmTransition['to'] } : {}),
      ...(it.action ? { action: it.action } : {}),
      ...(it.decision ? { decision: it.decision } : {}),
    }));
}
