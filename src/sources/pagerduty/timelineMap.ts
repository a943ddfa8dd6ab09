/**
 * An incident's log entries and notes → one ordered timeline. PagerDuty writes an annotate log entry for
 * every note; when the note itself is at hand (it carries the full text and author) the log entry is
 * dropped so that a note appears once.
 */
import type { TimelineEntry, TimelineKind } from '../../core/model.js';
import { boundTimelineEntry } from '../../core/bounds.js';
import { clip, TEXT_LIMITS } from '../../core/sanitize.js';
import { obj, ref, str, time } from './raw.js';

/** Log entry type (without the "_log_entry" suffix) → timeline kind; anything else is an 'action'. */
export const LOG_ENTRY_KINDS: Readonly<Record<string, TimelineKind>> = {
  trigger: 'incident.triggered',
  unacknowledge: 'incident.triggered',
  acknowledge: 'incident.acknowledged',
  escalate: 'incident.escalated',
  exhaust_escalation_path: 'incident.escalated',
  repeat_escalation_path: 'incident.escalated',
  resolve: 'incident.resolved',
  assign: 'incident.reassigned',
  delegate: 'incident.reassigned',
  annotate: 'note',
};

/** A note on an incident (GET /incidents/{id}/notes). */
export interface PagerDutyNote {
  readonly id: string;
  readonly at: number;
  readonly content: string;
  readonly who?: string;
}

export function logEntryKind(type: unknown): TimelineKind {
  const base = (str(type) ?? '').replace(/_log_entry(_reference)?$/, '');
  return LOG_ENTRY_KINDS[base] ?? 'action';
}

export function mapNote(value: unknown): PagerDutyNote | undefined {
  const r = obj(value);
  const id = str(r?.id);
  const at = time(r?.created_at);
  if (!r || !id || at === undefined) return undefined;
  const who = ref(r.user)?.name;
  return {
    id: clip(id, TEXT_LIMITS.name),
    at,
    content: clip(typeof r.content === 'string' ? r.content : '', TEXT_LIMITS.text),
    ...(who ? { who: clip(who, TEXT_LIMITS.name) } : {}),
  };
}

export function mapLogEntry(value: unknown, incidentId: string): TimelineEntry | undefined {
  const r = obj(value);
  const id = str(r?.id);
  const at = time(r?.created_at);
  if (!r || !id || at === undefined) return undefined;
  const kind = logEntryKind(r.type);
  // An annotate entry's channel summary holds the note's text; its own summary only says "Note added".
  const summary = (kind === 'note' ? str(obj(r.channel)?.summary) : undefined) ?? str(r.summary) ?? str(r.type) ?? kind;
  const who = ref(r.agent)?.name;
  // user_reference is a person; service/integration references are PagerDuty acting on its own rules.
  const agentType = str(obj(r.agent)?.type);
  const agent =
    agentType === undefined ? undefined : agentType.startsWith('user') ? ('person' as const) : ('system' as const);
  return boundTimelineEntry({
    id: `pd-log:${id}`,
    at,
    kind,
    summary,
    ...(who ? { who } : {}),
    ...(agent ? { agent } : {}),
    incidentId,
  });
}

/** Within this many ms, an annotate log entry is taken to be the record of a note. */
const SAME_NOTE_MS = 2_000;

export function buildTimeline(
  incidentId: string,
  logEntries: readonly unknown[],
  notes: readonly PagerDutyNote[],
): TimelineEntry[] {
  const fromNotes: TimelineEntry[] = notes.map((n) => ({
    id: `pd-note:${n.id}`,
    at: n.at,
    kind: 'note',
    summary: n.content,
    ...(n.who ? { who: n.who, agent: 'person' as const } : {}),
    incidentId,
  }));
  const fromLog = logEntries
    .map((e) => mapLogEntry(e, incidentId))
    .filter((e): e is TimelineEntry => e !== undefined)
    .filter((e) => e.kind !== 'note' || !notes.some((n) => Math.abs(n.at - e.at) <= SAME_NOTE_MS));
  return [...fromLog, ...fromNotes].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}
