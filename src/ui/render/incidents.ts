import type { Incident } from '../../core/model.js';
import { nextEscalation, responseDeadline } from '../../core/policy/escalation.js';
import type { Policy } from '../../core/policy/types.js';
import { safe, screenLine, type Safe } from '../../core/sanitize.js';
import { formatDuration } from '../../core/time.js';
import type { SortSpec } from './alarms.js';
import type { ColumnSpec } from './columns.js';
import { EN, type Translate } from '../../core/i18n/index.js';

export const INCIDENT_COLUMNS: readonly ColumnSpec[] = [
  { header: 'PRI', width: 3 },
  { header: 'ID', width: 8 },
  { header: 'STATUS', width: 12 },
  { header: 'AGE', width: 6, align: 'right', drop: 4 },
  { header: 'ASSIGNEE', width: 16, drop: 1 },
  // When it escalates, or that it is snoozed and for how long: kept longer than the assignee.
  { header: 'ESCALATES', width: 16, drop: 2 },
  { header: 'RESPOND BY', width: 10, drop: 3 },
  // The title says what is wrong: it stays at every width.
  { header: 'TITLE', flex: 1, min: 30 },
];

export function incidentLabel(i: Incident): string {
  return i.number !== undefined ? `#${i.number}` : i.id;
}

/** "in 12m → secondary", "acknowledged", "last level", "–". */
export function escalationText(i: Incident, policy: Policy, now: number, t: Translate = EN): string {
  if (i.status === 'resolved') return '–';
  if (i.status === 'acknowledged')
    return i.retriggersAt !== undefined
      ? t('incident.snoozed', { duration: formatDuration(Math.max(0, i.retriggersAt - now), t.lang) })
      : t('incident.acknowledged');
  const next = nextEscalation(i, policy.escalation);
  if (!next) return t('incident.lastLevel');
  const role = t(`role.${next.toRole}`);
  return next.at > now
    ? t('incident.escalatesIn', { duration: formatDuration(next.at - now, t.lang), role })
    : t('incident.escalationDue', { role });
}

/** The incident's status in words. */
export function statusText(i: Incident, t: Translate = EN): string {
  return t(`incident.${i.status}`);
}

/** Time left under the priority's response target: "14m", "OVERDUE 3m", or "–". */
export function responseText(i: Incident, policy: Policy, now: number, t: Translate = EN): string {
  const due = responseDeadline(i, policy);
  if (due === undefined) return '–';
  return due >= now
    ? formatDuration(due - now, t.lang)
    : t('incident.overdue', { duration: formatDuration(now - due, t.lang) });
}

export function incidentCells(i: Incident, policy: Policy, now: number, t: Translate = EN): Safe[] {
  const end = i.resolvedAt ?? now;
  return [
    safe`${i.priority ?? '–'}`,
    screenLine(incidentLabel(i)),
    safe`${statusText(i, t)}`,
    safe`${formatDuration(Math.max(0, end - i.createdAt), t.lang)}`,
    screenLine(i.assignees.map((p) => p.name).join(', ') || '–'),
    screenLine(escalationText(i, policy, now, t)),
    screenLine(responseText(i, policy, now, t)),
    screenLine(i.title),
  ];
}

export function incidentHaystack(i: Incident): string {
  return `${incidentLabel(i)} ${i.id} ${i.priority ?? ''} ${i.status} ${i.title} ${i.service.name} ${i.assignees.map((p) => p.name).join(' ')}`;
}

const STATUS_RANK = { triggered: 0, acknowledged: 1, resolved: 2 } as const;

export const INCIDENT_SORTS: readonly SortSpec<Incident>[] = [
  {
    id: 'urgency',
    label: 'status, priority',
    compare: (a, b) =>
      STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
      (a.priority ?? 'P9').localeCompare(b.priority ?? 'P9') ||
      b.createdAt - a.createdAt,
  },
  { id: 'age', label: 'newest', compare: (a, b) => b.createdAt - a.createdAt },
  {
    id: 'priority',
    label: 'priority',
    compare: (a, b) => (a.priority ?? 'P9').localeCompare(b.priority ?? 'P9') || b.createdAt - a.createdAt,
  },
];
