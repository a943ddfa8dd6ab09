import type { Incident, Person } from '../model.js';
import type { Sources } from '../../sources/ports.js';
import { inertLine } from '../sanitize.js';
import { parseDuration } from '../time.js';
import { redactOutgoing } from '../reports/redact.js';

export type IncidentActionKind = 'acknowledge' | 'resolve' | 'escalate' | 'reassign' | 'note' | 'snooze';

export interface IncidentActionRequest {
  readonly kind: IncidentActionKind;
  readonly incident: Incident;
  readonly level?: number;
  readonly people?: readonly Person[];
  readonly text?: string;
  /** For a snooze: how long, e.g. 2h. */
  readonly duration?: string;
}

/** What the confirmation says: the action, its target, and what will change. Pure. */
export function describeIncidentAction(r: IncidentActionRequest): {
  title: string;
  target: string;
  lines: string[];
  danger: boolean;
} {
  const label = r.incident.number !== undefined ? `#${r.incident.number}` : r.incident.id;
  const title = inertLine(r.incident.title);
  const owner = r.incident.assignees.map((p) => inertLine(p.name)).join(', ') || 'nobody';
  switch (r.kind) {
    case 'acknowledge':
      return {
        title: `Acknowledge incident ${label}`,
        target: label,
        lines: [title, `Stops escalation; assigned to ${owner}.`],
        danger: false,
      };
    case 'resolve':
      return {
        title: `Resolve incident ${label}`,
        target: label,
        lines: [title, `Status ${r.incident.status} → resolved. If its alarms still fire, PagerDuty will page again.`],
        danger: true,
      };
    case 'escalate':
      return {
        title: `Escalate incident ${label} to level ${r.level}`,
        target: label,
        lines: [title, `From level ${r.incident.escalationLevel} to ${r.level}: pages whoever is on call there.`],
        danger: false,
      };
    case 'reassign':
      return {
        title: `Reassign incident ${label}`,
        target: label,
        lines: [title, `${owner} → ${(r.people ?? []).map((p) => inertLine(p.name)).join(', ')}`],
        danger: false,
      };
    case 'note':
      return {
        title: `Add a note to incident ${label}`,
        target: label,
        lines: [title, inertLine(r.text ?? '')],
        danger: false,
      };
    case 'snooze':
      return {
        title: `Snooze incident ${label} for ${r.duration}`,
        target: label,
        lines: [title, `Nobody is paged about it for ${r.duration}; then it is triggered again.`],
        danger: true,
      };
  }
}

/** Carries out an incident action through the IncidentActions port; resolves to a one-line result. */
export async function runIncidentAction(sources: Sources, r: IncidentActionRequest): Promise<string> {
  const port = sources.incidentActions;
  if (!port) throw new Error('incident actions are not available with these sources');
  const label = r.incident.number !== undefined ? `#${r.incident.number}` : r.incident.id;
  switch (r.kind) {
    case 'acknowledge':
      await port.acknowledge(r.incident.id);
      return `Acknowledged ${label}`;
    case 'resolve':
      await port.resolve(r.incident.id);
      return `Resolved ${label}`;
    case 'escalate':
      if (!r.level) throw new Error('escalate needs a level');
      await port.escalate(r.incident.id, r.level);
      return `Escalated ${label} to level ${r.level}`;
    case 'reassign':
      if (!r.people?.length) throw new Error('reassign needs someone');
      await port.reassign(r.incident.id, r.people);
      return `Reassigned ${label} to ${r.people.map((p) => p.name).join(', ')}`;
    case 'note':
      if (!r.text?.trim()) throw new Error('a note needs text');
      await port.addNote(r.incident.id, redactOutgoing(r.text.trim()));
      return `Note added to ${label}`;
    case 'snooze': {
      const ms = r.duration ? parseDuration(r.duration) : undefined;
      if (!ms) throw new Error('a snooze needs a duration');
      await port.snooze(r.incident.id, Math.round(ms / 1000));
      return `Snoozed ${label} for ${r.duration}`;
    }
  }
}
