import type { EventInput, IncidentRecord, IncidentSource } from '../journal/index.js';
import type { Incident, TimelineEntry } from '../model.js';
import { whoOf, type Identity } from './who.js';
import type { Who } from '../journal/index.js';
import { clip } from '../sanitize.js';
import { eventKey } from './keys.js';

/** The journal keeps labels (titles, names, reasons) to 1024 characters: longer ones are cut, marked. */
const label = (text: string): string => clip(text, 1024);

/**
 * An incident as the source says it is, compared with what the journal last recorded of it: the events
 * that bring the record up to date. Pure (recorder.ts fetches and appends).
 *
 * The source's log (PagerDuty's log entries, the sandbox pager's) is replayed for what happened since the
 * record's last change, in order, so that an acknowledgement, a snooze's end and a resolution while the
 * program was closed are each recorded, at their own time and by whoever did them. What the log does not
 * explain (it could not be read, or is silent) is recorded from the incident's own fields, with the
 * author unknown. Every event has an idempotency key, so seeing the same change again records nothing.
 */

export interface IncidentContext {
  /** The journal's id of the incident (the source's id). */
  readonly journalId: string;
  readonly run: string;
  readonly source: IncidentSource;
  readonly me: Identity;
  /** Who opened it: PagerDuty, or the sandbox's pager. */
  readonly pager: Who;
  /** When the recorder saw it (for changes the source gives no time of). */
  readonly now: number;
}

type Status = Incident['status'];

/** What differs between the record and the source (nothing: no log needs to be read). */
export function differs(record: IncidentRecord | undefined, incident: Incident): boolean {
  if (!record) return true;
  if (record.status !== incident.status) return record.status !== 'resolved';
  if (incident.priority && record.priority !== incident.priority) return true;
  if (incident.alarmNames.some((n) => !record.alarmNames.includes(n))) return true;
  if ((record.escalationLevel ?? 1) !== incident.escalationLevel) return true;
  if (
    record.assignees !== undefined &&
    !sameNames(
      record.assignees,
      incident.assignees.map((p) => p.name),
    )
  )
    return true;
  return false;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

const LEVEL = /\blevel\s*(\d+)/i;
/** Notes this program mirrored to the incident: the journal's own events coming back. */
const MIRROR_MARK = '[vitascope-oncall ';

/**
 * Notes written at the source (a teammate in PagerDuty's web app, a responder's own note there): journaled
 * once each, as PagerDuty users' notes (never mirrored back: the outbox mirrors only this keyboard's events).
 */
export function notesOf(log: readonly TimelineEntry[] | undefined, ctx: IncidentContext): EventInput[] {
  return (log ?? [])
    .filter((e) => e.kind === 'note' && e.summary.trim() !== '' && !e.summary.startsWith(MIRROR_MARK))
    .map((e) => {
      const name = (e.who ?? 'PagerDuty').slice(0, 512);
      return {
        kind: 'note' as const,
        who: { kind: 'pagerduty' as const, id: name, name },
        incidentId: ctx.journalId,
        at: e.at,
        key: eventKey(`${ctx.journalId}:log:${e.id}`),
        payload: { text: e.summary },
      };
    });
}

/** The events that bring the record (undefined: not yet journaled) in line with the source. */
export function incidentEvents(
  record: IncidentRecord | undefined,
  incident: Incident,
  log: readonly TimelineEntry[] | undefined,
  ctx: IncidentContext,
): EventInput[] {
  const id = ctx.journalId;
  const out: EventInput[] = [];
  const names = incident.assignees.map((p) => label(p.name));
  let status: Status;
  let level: number;
  let assignees: readonly string[];
  let since: number;
  if (!record) {
    // First seen already escalated: it opened at level 1, with people the source no longer says; the
    // escalations are recorded from the log below (or from its fields when there is no log).
    const escalatedSince = incident.escalationLevel > 1;
    out.push({
      kind: 'incident.created',
      who: ctx.pager,
      incidentId: id,
      at: incident.createdAt,
      key: eventKey(`${id}:created`),
      payload: {
        title: label(incident.title),
        ...(incident.priority ? { priority: incident.priority } : {}),
        service: incident.service.id
          ? { id: clip(incident.service.id, 512), name: label(incident.service.name || incident.service.id) }
          : { id: 'unknown', name: label(incident.service.name || 'unknown service') },
        source: ctx.source,
        ...(incident.url ? { url: incident.url } : {}),
        alarmNames: incident.alarmNames.map(label),
        ...(incident.number !== undefined ? { number: incident.number } : {}),
        ...(names.length && !escalatedSince ? { assignees: names } : {}),
        escalationLevel: 1,
        ...(ctx.run ? { run: ctx.run } : {}),
      },
    });
    out.push(...notesOf(log, ctx));
    status = 'triggered';
    level = 1;
    assignees = escalatedSince ? [] : names;
    since = incident.createdAt;
  } else {
    for (const name of incident.alarmNames) {
      if (record.alarmNames.includes(name)) continue;
      const entry = log?.find((e) => e.kind === 'alarm' && e.summary.includes(name) && e.at >= record.createdAt);
      out.push({
        kind: 'incident.alarm-added',
        who: whoOf(entry, ctx.me, ctx.pager),
        incidentId: id,
        at: entry?.at ?? ctx.now,
        key: eventKey(`${id}:alarm:${name}`),
        payload: { alarmName: label(name), via: entry ? 'history' : 'live' },
      });
    }
    if (incident.priority && record.priority !== incident.priority) {
      const entry = [...(log ?? [])]
        .reverse()
        .find((e) => /priority/i.test(e.summary) && e.summary.includes(incident.priority!));
      const at = entry?.at ?? ctx.now;
      out.push({
        kind: 'incident.priority-changed',
        who: whoOf(entry, ctx.me, ctx.pager),
        incidentId: id,
        at,
        key: eventKey(`${id}:priority:${incident.priority}:${at}`),
        payload: {
          ...(record.priority ? { from: record.priority } : {}),
          to: incident.priority,
          via: entry ? 'history' : 'live',
        },
      });
    }
    out.push(...notesOf(log, ctx));
    if (record.status === 'resolved') {
      // Resolved already: what is left to learn is how far it escalated on the way.
      if (incident.escalationLevel > (record.escalationLevel ?? 1)) {
        const entry = [...(log ?? [])].reverse().find((e) => e.kind === 'incident.escalated');
        const at = incident.escalatedAt || entry?.at || ctx.now;
        out.push({
          kind: 'incident.escalated',
          who: whoOf(entry, ctx.me, ctx.pager),
          incidentId: id,
          at,
          key: eventKey(`${id}:escalated:${incident.escalationLevel}:${at}`),
          payload: { level: incident.escalationLevel, via: 'history' },
        });
      }
      return out;
    }
    status = record.status;
    level = record.escalationLevel ?? incident.escalationLevel;
    assignees = record.assignees ?? names;
    since = record.updatedAt;
  }

  // Replay the log since the record's last change: the state changes in the order they happened.
  const entries = (log ?? [])
    .filter((e) => e.at >= since && e.at >= incident.createdAt)
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  const lastEscalation = [...entries].reverse().find((e) => e.kind === 'incident.escalated');
  let sawCreation = !record ? false : true;
  for (const e of entries) {
    const who = whoOf(e, ctx.me, ctx.pager);
    const common = { who, incidentId: id, at: e.at, key: eventKey(`${id}:log:${e.id}`) } as const;
    if (e.kind === 'incident.triggered') {
      // The first "triggered" is the incident opening (recorded as created); later ones are re-triggers.
      if (!sawCreation) {
        sawCreation = true;
        continue;
      }
      if (status === 'acknowledged') {
        out.push({ ...common, kind: 'incident.unacknowledged', payload: { reason: label(e.summary), via: 'history' } });
        status = 'triggered';
      }
    } else if (e.kind === 'incident.acknowledged') {
      if (status === 'triggered') {
        out.push({ ...common, kind: 'incident.acknowledged', payload: { via: 'history' } });
        status = 'acknowledged';
      }
    } else if (e.kind === 'incident.escalated') {
      const parsed = LEVEL.exec(e.summary);
      const isLast = e === lastEscalation;
      const to = parsed ? Number(parsed[1]) : isLast ? incident.escalationLevel : undefined;
      if (to !== undefined && to >= 1 && to !== level) {
        out.push({
          ...common,
          kind: 'incident.escalated',
          payload: {
            level: to,
            ...(isLast && names.length ? { to: names } : {}),
            reason: label(e.summary),
            via: 'history',
          },
        });
        level = to;
        if (isLast) assignees = names;
      }
      // PagerDuty re-triggers an acknowledged incident it escalates.
      if (to !== undefined && status === 'acknowledged') {
        out.push({
          ...common,
          key: eventKey(`${id}:log:${e.id}:retriggered`),
          kind: 'incident.unacknowledged',
          payload: { reason: label(`escalated: ${e.summary}`), via: 'history' },
        });
        status = 'triggered';
      }
    } else if (e.kind === 'incident.resolved') {
      out.push({
        ...common,
        kind: 'incident.resolved',
        payload: { resolution: label(e.summary) || 'resolved', via: 'history' },
      });
      status = 'resolved';
      break;
    }
  }

  // What the log did not explain: from the incident's own fields, the author unknown unless the log names one.
  // The newest log entry of those kinds, in the whole log: the entry may be a moment older than the record's
  // last change (the journal's clock and the source's differ by the time a call takes).
  const latest = (...kinds: TimelineEntry['kind'][]) =>
    [...(log ?? [])]
      .sort((a, b) => a.at - b.at)
      .reverse()
      .find((e) => kinds.includes(e.kind));
  if (incident.escalationLevel !== level && status !== 'resolved') {
    const at = incident.escalatedAt || ctx.now;
    out.push({
      kind: 'incident.escalated',
      who: whoOf(latest('incident.escalated'), ctx.me),
      incidentId: id,
      at,
      key: eventKey(`${id}:escalated:${incident.escalationLevel}:${at}`),
      payload: { level: incident.escalationLevel, ...(names.length ? { to: names } : {}), via: 'live' },
    });
    assignees = names;
  }
  if (!sameNames(assignees, names) && names.length && incident.status !== 'resolved') {
    const entry = assignedBy(log, names, assignees);
    const at = entry?.at ?? ctx.now;
    out.push({
      kind: 'incident.reassigned',
      who: whoOf(entry, ctx.me),
      incidentId: id,
      at,
      key: eventKey(`${id}:assigned:${names.join(',')}:${at}`),
      payload: { to: names, via: entry ? 'history' : 'live' },
    });
  }
  if (status !== incident.status) {
    if (incident.status === 'resolved') {
      // Acknowledged on the way, and the log did not say: the source's acknowledgement time.
      if (
        status === 'triggered' &&
        incident.acknowledgedAt !== undefined &&
        incident.acknowledgedAt >= since &&
        record?.acknowledgedAt === undefined
      ) {
        out.push({
          kind: 'incident.acknowledged',
          who: whoOf(latest('incident.acknowledged'), ctx.me),
          incidentId: id,
          at: incident.acknowledgedAt,
          key: eventKey(`${id}:acknowledged:${incident.acknowledgedAt}`),
          payload: { via: 'history' },
        });
      }
      const at = incident.resolvedAt ?? ctx.now;
      out.push({
        kind: 'incident.resolved',
        who: whoOf(latest('incident.resolved'), ctx.me),
        incidentId: id,
        at,
        key: eventKey(`${id}:resolved`),
        payload: { via: incident.resolvedAt !== undefined ? 'history' : 'live' },
      });
    } else if (incident.status === 'acknowledged') {
      const at =
        incident.acknowledgedAt !== undefined && incident.acknowledgedAt >= since ? incident.acknowledgedAt : ctx.now;
      out.push({
        kind: 'incident.acknowledged',
        who: whoOf(latest('incident.acknowledged'), ctx.me),
        incidentId: id,
        at,
        key: eventKey(`${id}:acknowledged:${at}`),
        payload: { via: 'live' },
      });
    } else {
      const at = ctx.now;
      // Back to triggered: a snooze or timeout ended, or someone escalated it (PagerDuty re-triggers then).
      const cause = latest('incident.triggered', 'incident.escalated');
      out.push({
        kind: 'incident.unacknowledged',
        who: whoOf(cause, ctx.me),
        incidentId: id,
        at,
        key: eventKey(`${id}:unacknowledged:${at}`),
        payload: { ...(cause ? { reason: label(cause.summary) } : {}), via: 'live' },
      });
    }
  }
  return out;
}

/**
 * The log entry that gave the incident the people it has now: the newest assignment or escalation naming
 * them all, provided it is newer than the newest one naming the people the record still says (otherwise the
 * entry is the assignment they had before, e.g. the opening's, and dating the change by it would put it
 * back in time). An escalation assigns too: the pager's "Escalated to level 2: Kenji Sato". Undefined: the
 * log does not say when; the caller records the change as seen now.
 */
function assignedBy(
  log: readonly TimelineEntry[] | undefined,
  names: readonly string[],
  before: readonly string[],
): TimelineEntry | undefined {
  const assigning = (log ?? [])
    .filter((e) => e.kind === 'incident.reassigned' || e.kind === 'incident.escalated')
    .sort((a, b) => b.at - a.at || b.id.localeCompare(a.id));
  // Whom an entry assigned, not who did it: "Reassigned to Kenji Sato by Aiko Tanaka" names Aiko as its author.
  const assigned = (e: TimelineEntry) =>
    e.who && e.summary.endsWith(` by ${e.who}`) ? e.summary.slice(0, -` by ${e.who}`.length) : e.summary;
  const naming = (people: readonly string[]) =>
    people.length ? assigning.find((e) => people.every((n) => assigned(e).includes(n))) : undefined;
  const now = naming(names);
  if (!now) return undefined;
  const then = naming(before);
  if (then && (then.at > now.at || (then.at === now.at && then.id.localeCompare(now.id) > 0))) return undefined;
  return now;
}
