import type * as z from 'zod';
import { appliedChanged, EVENT_SCHEMAS, WHO_KINDS } from './eventSchemas.js';

export {
  clampText,
  EVENT_SCHEMAS,
  INCIDENT_SOURCES,
  MAX_TEXT,
  NOTE_SECTIONS,
  PHASES,
  WHO_KINDS,
  whoSchema,
  type IncidentSource,
  type NoteSection,
  type Phase,
  type Who,
} from './eventSchemas.js';

/**
 * What the journal records: every event is a `kind` with a typed `payload`, plus who did or saw it, when
 * (epoch ms), and the incident it belongs to. Events are validated with zod when written, so that a
 * malformed event is refused with the field named instead of poisoning every report later. They are
 * read tolerantly: a kind this version does not know (written by a newer vitascope-oncall sharing the
 * file) comes back as an `unknown` event carrying the original kind and payload, and never crashes a
 * reader. Known kinds are not re-validated on read: they were validated on write, and resuming an
 * incident with 100,000 events must stay fast.
 */

export type EventKind = keyof typeof EVENT_SCHEMAS;
export const EVENT_KINDS = Object.keys(EVENT_SCHEMAS) as EventKind[];
const KNOWN = new Set<string>(EVENT_KINDS);

export function isEventKind(kind: string): kind is EventKind {
  return KNOWN.has(kind);
}

type Schemas = typeof EVENT_SCHEMAS;
/** An event as a caller writes it (at and key optional). */
export type EventInput = { [K in EventKind]: z.input<Schemas[K]> }[EventKind];
/** An event after validation and normalisation (trimmed, clamped), before it has a seq. */
export type ParsedEvent = { [K in EventKind]: z.output<Schemas[K]> }[EventKind];
type Recorded<E> = E extends unknown ? Omit<E, 'at'> & { readonly seq: number; readonly at: number } : never;
/** An event of a kind this version knows, as recorded. */
export type KnownEvent = Recorded<ParsedEvent>;
/** An event of a kind this version does not know (written by a newer version), kept as it was. */
export interface UnknownEvent {
  readonly kind: 'unknown';
  readonly originalKind: string;
  readonly seq: number;
  readonly at: number;
  readonly who: { readonly kind: string; readonly id: string; readonly name?: string };
  readonly incidentId?: string;
  readonly key?: string;
  readonly payload: unknown;
}
/** An event as read back from the journal. */
export type JournalEvent = KnownEvent | UnknownEvent;
export type EventOf<K extends EventKind> = Extract<KnownEvent, { kind: K }>;
export type PayloadOf<K extends EventKind> = EventOf<K>['payload'];

/** Where a validation problem is: "payload.text", "who.kind", "(event)". */
function fieldOf(issue: z.core.$ZodIssue): string {
  const p = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return [...p, issue.keys[0] ?? ''].filter(Boolean).join('.');
  return p.join('.') || '(event)';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? `s (also ${issue.keys.slice(1).join(', ')})` : ''}`;
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return 'required';
  return issue.message;
}

export type Validation = { ok: true; event: ParsedEvent } | { ok: false; field: string; message: string };

/** Validates one event as written; the first problem is reported by field. */
export function validateEvent(input: unknown): Validation {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return { ok: false, field: '(event)', message: 'an event must be an object' };
  const kind = (input as { kind?: unknown }).kind;
  if (typeof kind !== 'string')
    return { ok: false, field: 'kind', message: 'required: one of ' + EVENT_KINDS.join(', ') };
  if (!isEventKind(kind))
    return { ok: false, field: 'kind', message: `unknown event kind "${kind}" (one of ${EVENT_KINDS.join(', ')})` };
  const result = EVENT_SCHEMAS[kind].safeParse(input);
  if (result.success) return { ok: true, event: result.data as ParsedEvent };
  const issue = result.error.issues[0]!;
  return { ok: false, field: fieldOf(issue), message: describe(issue, input) };
}

/** A row of the events table, in the column order the journal selects (raw mode). */
export type EventRow = [
  seq: number,
  at: number,
  kind: string,
  incidentId: string | null,
  whoKind: string,
  whoId: string,
  whoName: string | null,
  payload: string,
  key: string | null,
];

/** The columns EventRow holds, for SELECT statements. */
export const EVENT_COLUMNS = 'seq, at, kind, incident_id, who_kind, who_id, who_name, payload, key';

/** Decodes a stored row; tolerant of kinds and who-kinds from newer versions and of unreadable payloads. */
export function decodeRow(row: EventRow): JournalEvent {
  const [seq, at, kind, incidentId, whoKind, whoId, whoName, payloadText, key] = row;
  let payload: unknown;
  let readable = true;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    payload = payloadText;
    readable = false;
  }
  const who: { kind: string; id: string; name?: string } =
    whoName === null ? { kind: whoKind, id: whoId } : { kind: whoKind, id: whoId, name: whoName };
  const known =
    readable &&
    isEventKind(kind) &&
    (WHO_KINDS as readonly string[]).includes(whoKind) &&
    payload !== null &&
    typeof payload === 'object';
  // An action.applied row from before `changed` existed gets it derived here, once, for every reader.
  if (known && kind === 'action.applied' && typeof (payload as { changed?: unknown }).changed !== 'boolean') {
    payload = { ...(payload as object), changed: appliedChanged(payload as { dryRun?: unknown; output?: unknown }) };
  }
  const event: Record<string, unknown> = known
    ? { kind, seq, at, who, payload }
    : { kind: 'unknown', originalKind: kind, seq, at, who, payload };
  if (incidentId !== null) event.incidentId = incidentId;
  if (key !== null) event.key = key;
  return event as unknown as JournalEvent;
}
