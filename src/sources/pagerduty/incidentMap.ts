/**
 * PagerDuty incident JSON → the Incident model. Pure and tolerant: anything optional may be missing or
 * malformed (PagerDuty's own examples do not always match its schemas); only an incident without an id
 * is dropped.
 */
import type { Incident, IncidentStatus } from '../../core/model.js';
import { boundIncident } from '../../core/bounds.js';
import { arr, int, obj, person, priorityName, ref, str, time, uniquePeople } from './raw.js';

const STATUSES: readonly IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];

function latest(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
}

function earliest(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.min(...known) : undefined;
}

export function mapIncident(value: unknown): Incident | undefined {
  const r = obj(value);
  const id = str(r?.id);
  if (!r || !id) return undefined;
  const status = STATUSES.find((s) => s === r.status) ?? 'triggered';
  const lastChange = time(r.last_status_change_at);
  const createdAt = time(r.created_at) ?? time(r.updated_at) ?? lastChange ?? 0;
  const assignments = arr(r.assignments).map(obj);
  const acknowledgedAt =
    earliest(arr(r.acknowledgements).map((a) => time(obj(a)?.at))) ??
    (status === 'acknowledged' ? lastChange : undefined);
  const resolvedAt = status === 'resolved' ? (time(r.resolved_at) ?? lastChange) : undefined;
  // Not in PagerDuty's published schema, but honoured when an account's API sends it.
  const level = int(r.escalation_level);
  const key = str(r.incident_key);
  const number = int(r.incident_number);
  const priority = priorityName(obj(r.priority)?.summary) ?? priorityName(obj(r.priority)?.name);
  const policy = str(obj(r.escalation_policy)?.id);
  const url = str(r.html_url);
  // PagerDuty announces the end of a snooze (or of the acknowledgement timeout) as a pending "unacknowledge".
  const retriggersAt =
    status === 'acknowledged'
      ? earliest(
          arr(r.pending_actions)
            .map(obj)
            .filter((a) => a?.type === 'unacknowledge')
            .map((a) => time(a?.at)),
        )
      : undefined;
  return boundIncident({
    id,
    ...(number !== undefined ? { number } : {}),
    title: str(r.title) ?? str(r.summary) ?? id,
    status,
    urgency: r.urgency === 'low' ? 'low' : 'high',
    ...(priority ? { priority } : {}),
    service: ref(r.service) ?? { id: '', name: 'unknown service' },
    createdAt,
    ...(acknowledgedAt !== undefined ? { acknowledgedAt } : {}),
    ...(resolvedAt !== undefined ? { resolvedAt } : {}),
    assignees: uniquePeople(assignments.map((a) => person(a?.assignee))),
    escalationLevel: level !== undefined && level >= 1 ? level : 1,
    escalatedAt: latest(assignments.map((a) => time(a?.at))) ?? lastChange ?? createdAt,
    ...(policy ? { escalationPolicyId: policy } : {}),
    alarmNames: key ? [key] : [],
    ...(url ? { url } : {}),
    ...(retriggersAt !== undefined ? { retriggersAt } : {}),
  });
}

export function mapIncidents(values: readonly unknown[]): Incident[] {
  return values.map(mapIncident).filter((i): i is Incident => i !== undefined);
}
