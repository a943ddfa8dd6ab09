import type { IncidentRecord, JournalEvent } from '../journal/index.js';
import type { Incident } from '../model.js';
import type { Origin, ReportIncident } from './types.js';

/**
 * One list of incidents from the journal and from PagerDuty (or the sandbox's pager). With PagerDuty
 * configured, incidents the rest of the team handled are in PagerDuty only; incidents this machine worked
 * are in both. They are merged by id:
 * - status: the further one (triggered < acknowledged < resolved); either side may be ahead;
 * - created: the earlier; acknowledged: the earliest acknowledgement either recorded;
 * - resolved: PagerDuty's time (the system of record), else the journal's;
 * - title, priority, service, assignees: PagerDuty's when it has them;
 * - alarms: PagerDuty's list, then any the journal linked to the incident.
 * Two records with the same id whose creation times are more than an hour apart, or whose alarms have
 * nothing in common, are different incidents (a sandbox id reused by another scenario run): the journal's
 * is kept. A journal id of the form "<source id>.<suffix>" (how a drill records the sandbox's incident)
 * matches that source id.
 */

const RANK = { triggered: 0, acknowledged: 1, resolved: 2 } as const;
const SAME_INCIDENT_MS = 60 * 60_000;

/** What the journal's events add to its incident rows: alarms linked to each incident and who acknowledged. */
export interface JournalLinks {
  readonly alarms: ReadonlyMap<string, readonly string[]>;
  readonly acknowledgedBy: ReadonlyMap<string, string>;
}

export function journalLinks(events: readonly JournalEvent[]): JournalLinks {
  const alarms = new Map<string, string[]>();
  const acknowledgedBy = new Map<string, string>();
  for (const e of events) {
    if (e.incidentId === undefined) continue;
    if (e.kind === 'alarm.transition') {
      let list = alarms.get(e.incidentId);
      if (!list) alarms.set(e.incidentId, (list = []));
      if (!list.includes(e.payload.alarmName)) list.push(e.payload.alarmName);
    } else if (e.kind === 'incident.acknowledged' && !acknowledgedBy.has(e.incidentId)) {
      acknowledgedBy.set(e.incidentId, e.who.name ?? e.who.id);
    }
  }
  return { alarms, acknowledgedBy };
}

export function fromJournal(r: IncidentRecord, links?: JournalLinks): ReportIncident {
  const ackBy = links?.acknowledgedBy.get(r.id);
  return {
    id: r.id,
    title: r.title,
    ...(r.priority ? { priority: r.priority } : {}),
    ...(r.service ? { service: r.service } : {}),
    status: r.status,
    createdAt: r.createdAt,
    ...(r.acknowledgedAt !== undefined ? { acknowledgedAt: r.acknowledgedAt } : {}),
    ...(r.resolvedAt !== undefined && r.status === 'resolved' ? { resolvedAt: r.resolvedAt } : {}),
    ...(ackBy ? { acknowledgedBy: ackBy } : {}),
    alarmNames: [...new Set([...(r.alarmNames ?? []), ...(links?.alarms.get(r.id) ?? [])])],
    assignees: [...(r.assignees ?? [])],
    ...(r.escalationLevel !== undefined ? { escalationLevel: r.escalationLevel } : {}),
    ...(r.url ? { url: r.url } : {}),
    origins: ['journal'],
    ...(r.run ? { run: r.run } : {}),
  };
}

export function fromSource(i: Incident, origin: Origin): ReportIncident {
  return {
    id: i.id,
    title: i.title,
    ...(i.priority ? { priority: i.priority } : {}),
    service: i.service,
    status: i.status,
    createdAt: i.createdAt,
    ...(i.acknowledgedAt !== undefined ? { acknowledgedAt: i.acknowledgedAt } : {}),
    ...(i.resolvedAt !== undefined && i.status === 'resolved' ? { resolvedAt: i.resolvedAt } : {}),
    alarmNames: [...i.alarmNames],
    assignees: i.assignees.map((p) => p.name),
    escalationLevel: i.escalationLevel,
    ...(i.url ? { url: i.url } : {}),
    origins: [origin],
  };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** Merges the journal's view (j) and the source's (s) of one incident. */
export function mergeTwo(j: ReportIncident, s: ReportIncident): ReportIncident {
  if (Math.abs(j.createdAt - s.createdAt) > SAME_INCIDENT_MS) return j;
  if (j.alarmNames.length && s.alarmNames.length && !j.alarmNames.some((a) => s.alarmNames.includes(a))) return j;
  const status = RANK[s.status] >= RANK[j.status] ? s.status : j.status;
  const acknowledgedAt = minDefined(j.acknowledgedAt, s.acknowledgedAt);
  const resolvedAt = status === 'resolved' ? (s.resolvedAt ?? j.resolvedAt) : undefined;
  const priority = s.priority ?? j.priority;
  const service = s.service ?? j.service;
  const url = s.url ?? j.url;
  const acknowledgedBy = j.acknowledgedBy ?? s.acknowledgedBy;
  return {
    id: j.id,
    title: s.title || j.title,
    ...(priority ? { priority } : {}),
    ...(service ? { service } : {}),
    status,
    createdAt: Math.min(j.createdAt, s.createdAt),
    ...(acknowledgedAt !== undefined ? { acknowledgedAt } : {}),
    ...(resolvedAt !== undefined ? { resolvedAt } : {}),
    ...(acknowledgedBy ? { acknowledgedBy } : {}),
    alarmNames: [...new Set([...s.alarmNames, ...j.alarmNames])],
    assignees: s.assignees.length ? s.assignees : j.assignees,
    ...(s.escalationLevel !== undefined
      ? { escalationLevel: s.escalationLevel }
      : j.escalationLevel !== undefined
        ? { escalationLevel: j.escalationLevel }
        : {}),
    ...(url ? { url } : {}),
    origins: [...new Set([...j.origins, ...s.origins])],
  };
}

/** The journal's incidents and the source's, merged by id and de-duplicated; oldest first. */
export function mergeIncidents(
  journal: readonly ReportIncident[],
  source: readonly ReportIncident[],
): ReportIncident[] {
  const byId = new Map<string, ReportIncident>();
  for (const j of journal) byId.set(j.id, byId.has(j.id) ? mergeTwo(byId.get(j.id)!, j) : j);
  // A drill records the sandbox's incident under "<source id>.<run>": the same incident.
  const byPrefix = new Map<string, string>();
  for (const id of byId.keys()) {
    const dot = id.lastIndexOf('.');
    if (dot > 0) byPrefix.set(id.slice(0, dot), id);
  }
  for (const s of source) {
    const id = byId.has(s.id) ? s.id : (byPrefix.get(s.id) ?? s.id);
    const j = byId.get(id);
    if (!j) byId.set(id, s);
    else {
      const merged = mergeTwo(j, { ...s, id });
      byId.set(id, merged);
    }
  }
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Whether an incident is about an alarm: PagerDuty grouped it in, the journal linked it, or its title names it. */
export function incidentCovers(i: ReportIncident, alarmName: string): boolean {
  return i.alarmNames.includes(alarmName) || i.title.includes(alarmName);
}
