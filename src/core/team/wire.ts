import * as z from 'zod';
import { redactOutgoing } from '../reports/redact.js';
import { inertText } from '../sanitize.js';
import type { PulledEvent, WireEvent } from './port.js';

/**
 * What an event looks like on its way to and from the team server.
 *
 * Out: the payload's text is redacted as a note mirrored to PagerDuty is (reports/redact.ts: secrets,
 * e-mail addresses, phone numbers, end-user ids, health values), except the fields that are identifiers
 * the product matches on (a runbook step's id, an action's run id, an alarm's id): those are never prose.
 * Who did it (the responder's configured name and id) travels as it is: it is what the team needs to see.
 *
 * In: the server is a source like any other. A row is validated (zod: shape, sizes, the team id) before
 * it is used, and every string is made inert (control characters shown, never obeyed); the journal then
 * validates the event by its kind, as it does what this machine records.
 */

/** Payload keys holding identifiers, not prose: left as they are by the outgoing redaction. */
const IDENTIFIERS = new Set([
  'runId',
  'actionId',
  'runbookId',
  'stepId',
  'alarmId',
  'run',
  'phase',
  'from',
  'state',
  'stage',
  'section',
  'source',
  'namespace',
  'id',
  'ruleId',
  'comparison',
  'statistic',
  'unit',
  'level',
  'via',
  'priority',
]);

function mapStrings(value: unknown, f: (s: string, key: string | undefined) => string, key?: string): unknown {
  if (typeof value === 'string') return f(value, key);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, f, k);
    return out;
  }
  return value;
}

/** The event as it leaves this machine: prose redacted. */
export function outgoing<E extends WireEvent>(event: E): E {
  return {
    ...event,
    payload: mapStrings(event.payload, (s, key) => (key !== undefined && IDENTIFIERS.has(key) ? s : redactOutgoing(s))),
  };
}

const name = z.string().min(1).max(512);
const json = z.unknown().refine((v) => v !== undefined, 'required');

/** A row of the server's events table, as the adapter reads it (bigints as strings). */
export const wireRow = z
  .object({
    id: z.union([z.string().regex(/^\d{1,19}$/), z.number().int().nonnegative()]).transform(String),
    team: name,
    origin: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'an installation id'),
    origin_seq: z.union([
      z
        .string()
        .regex(/^\d{1,15}$/)
        .transform(Number),
      z.number().int().positive(),
    ]),
    at: z.union([
      z
        .string()
        .regex(/^\d{1,15}$/)
        .transform(Number),
      z.number().int().nonnegative(),
    ]),
    kind: z.string().min(1).max(128),
    incident_id: name.nullable(),
    who: z.object({ kind: z.string().min(1).max(64), id: name, name: z.string().min(1).max(1024).optional() }).strict(),
    payload: json,
    refs: z
      .record(
        z.string().max(64),
        z.object({ origin: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/), seq: z.number().int().positive() }).strict(),
      )
      .nullable(),
    key: z.string().min(1).max(512).nullable(),
  })
  .strict();

export type WireRow = z.input<typeof wireRow>;

/** Why a row was refused, for `team status`. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/**
 * A row from the server as an event: refused (WireError naming the field) when malformed or of another
 * team; every string made inert.
 */
export function incoming(row: unknown, team: string): PulledEvent {
  const r = wireRow.safeParse(row);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new WireError(`a team event was refused: ${issue.path.join('.') || '(row)'}: ${issue.message}`);
  }
  const v = r.data;
  if (v.team !== team) throw new WireError(`a team event was refused: team: it belongs to another team`);
  const inert = (s: string) => inertText(s);
  return {
    serverId: v.id,
    origin: v.origin,
    originSeq: v.origin_seq,
    at: v.at,
    kind: inert(v.kind),
    ...(v.incident_id !== null ? { incidentId: inert(v.incident_id) } : {}),
    who: { kind: v.who.kind, id: inert(v.who.id), ...(v.who.name !== undefined ? { name: inert(v.who.name) } : {}) },
    payload: mapStrings(v.payload, inert),
    ...(v.refs ? { refs: v.refs } : {}),
    ...(v.key !== null ? { key: inert(v.key) } : {}),
  };
}
