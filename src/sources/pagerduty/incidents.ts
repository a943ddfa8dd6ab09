/**
 * Incidents on PagerDuty: the IncidentSource (list, one, timeline) and the IncidentActions (acknowledge,
 * resolve, reassign, escalate, note). Every change is a PUT /incidents/{id} or POST .../notes with the
 * acting user's From header; requests PagerDuty would reject (an empty note, no one to assign, a level
 * below 1) are refused here, before anything is sent.
 */
import type { Incident, IncidentStatus, Person, TimelineEntry } from '../../core/model.js';
import type { IncidentActions, IncidentFilter, IncidentSource } from '../ports.js';
import type { PagerDutyClient, Query } from './client.js';
import { PagerDutyError } from './errors.js';
import { mapIncident, mapIncidents } from './incidentMap.js';
import { iso, obj, person } from './raw.js';
import { checked, checkedItems, incidentSchema, logEntrySchema, noteSchema } from './schemas.js';
import * as z from 'zod';
import { buildTimeline, mapNote, type PagerDutyNote } from './timelineMap.js';

const ONE_INCIDENT = z.looseObject({ incident: z.unknown().refine((v) => v !== undefined, 'expected the incident') });
const NOTES = z.looseObject({ notes: z.array(z.unknown()) });

function incidentPath(id: string, rest = ''): string {
  if (!id) throw new PagerDutyError('an incident id is required');
  return `/incidents/${encodeURIComponent(id)}${rest}`;
}

/** The query of GET /incidents for a filter. The API has no priority filter: priorities are filtered here. */
export function incidentQuery(filter: IncidentFilter, defaultServiceIds: readonly string[] = []): Query {
  const serviceIds = filter.serviceIds ?? defaultServiceIds;
  const open = filter.statuses !== undefined && filter.statuses.length > 0 && !filter.statuses.includes('resolved');
  return {
    'statuses[]': filter.statuses?.length ? filter.statuses : undefined,
    'urgencies[]': filter.urgencies?.length ? filter.urgencies : undefined,
    'service_ids[]': serviceIds.length > 0 ? serviceIds : undefined,
    'user_ids[]': filter.assigneeIds?.length ? filter.assigneeIds : undefined,
    since: filter.since !== undefined ? iso(filter.since) : undefined,
    until: filter.until !== undefined ? iso(filter.until) : undefined,
    // Without a range PagerDuty looks back one month only; an open incident older than that is still open.
    date_range: open && filter.since === undefined && filter.until === undefined ? 'all' : undefined,
  };
}

export class PagerDutyIncidents implements IncidentSource, IncidentActions {
  constructor(
    private readonly client: PagerDutyClient,
    private readonly options: { readonly serviceIds?: readonly string[] } = {},
  ) {}

  async listIncidents(filter: IncidentFilter = {}, signal?: AbortSignal): Promise<Incident[]> {
    const raw = await this.client.getAll(
      '/incidents',
      'incidents',
      incidentQuery(filter, this.options.serviceIds),
      signal,
    );
    const incidents = mapIncidents(checkedItems('PagerDuty GET /incidents', 'incidents', incidentSchema, raw));
    const priorities = filter.priorities;
    if (!priorities?.length) return incidents;
    return incidents.filter((i) => i.priority !== undefined && priorities.includes(i.priority));
  }

  /** GET /users/me: the token's user. An account-level API key has none (PagerDuty answers 400): undefined. */
  async whoAmI(signal?: AbortSignal): Promise<Person | undefined> {
    try {
      const body = obj(await this.client.get('/users/me', undefined, signal));
      return person(body?.user);
    } catch (error) {
      if (error instanceof PagerDutyError && (error.status === 400 || error.status === 404)) return undefined;
      throw error;
    }
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    try {
      const path = incidentPath(id);
      return mapIncident(checked(`PagerDuty GET ${path}`, ONE_INCIDENT, await this.client.get(path)).incident);
    } catch (error) {
      if (error instanceof PagerDutyError && error.status === 404) return undefined;
      throw error;
    }
  }

  async timeline(id: string): Promise<TimelineEntry[]> {
    const logPath = incidentPath(id, '/log_entries');
    const [entries, notes] = await Promise.all([
      this.client
        .getAll(logPath, 'log_entries')
        .then((items) => checkedItems(`PagerDuty GET ${logPath}`, 'log_entries', logEntrySchema, items)),
      this.notes(id),
    ]);
    return buildTimeline(id, entries, notes);
  }

  /** The incident's notes, oldest first (the endpoint is not paginated). */
  async notes(id: string, signal?: AbortSignal): Promise<PagerDutyNote[]> {
    const path = incidentPath(id, '/notes');
    const body = checked(`PagerDuty GET ${path}`, NOTES, await this.client.get(path, undefined, signal));
    return checkedItems(`PagerDuty GET ${path}`, 'notes', noteSchema, body.notes)
      .map(mapNote)
      .filter((n): n is PagerDutyNote => n !== undefined)
      .sort((a, b) => a.at - b.at);
  }

  acknowledge(id: string): Promise<void> {
    return this.setStatus(id, 'acknowledged');
  }

  resolve(id: string): Promise<void> {
    return this.setStatus(id, 'resolved');
  }

  async reassign(id: string, people: readonly Person[]): Promise<void> {
    const ids = [...new Set(people.map((p) => p.id).filter((p) => p.length > 0))];
    if (ids.length === 0) throw new PagerDutyError('refusing to reassign an incident to no one');
    await this.update(id, { assignments: ids.map((userId) => ({ assignee: { id: userId, type: 'user_reference' } })) });
  }

  async escalate(id: string, level: number): Promise<void> {
    if (!Number.isInteger(level) || level < 1)
      throw new PagerDutyError(`refusing to escalate to level ${level}: levels start at 1`);
    await this.update(id, { escalation_level: level });
  }

  async addNote(id: string, text: string): Promise<void> {
    if (text.trim() === '') throw new PagerDutyError('refusing to add an empty note');
    await this.client.write('POST', incidentPath(id, '/notes'), { note: { content: text } });
  }

  async snooze(id: string, seconds: number): Promise<void> {
    // PagerDuty takes whole seconds, from one second to a week.
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 604_800)
      throw new PagerDutyError(`refusing to snooze for ${seconds} s: PagerDuty snoozes from 1 second to 7 days`);
    await this.client.write('POST', incidentPath(id, '/snooze'), { duration: seconds });
  }

  private async setStatus(id: string, status: IncidentStatus): Promise<void> {
    await this.update(id, { status });
  }

  private async update(id: string, fields: Record<string, unknown>): Promise<void> {
    await this.client.write('PUT', incidentPath(id), { incident: { type: 'incident_reference', ...fields } });
  }
}
