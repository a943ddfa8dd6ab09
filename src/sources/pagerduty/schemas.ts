/**
 * What PagerDuty answers, checked with zod before it is mapped: tolerantly (unknown fields are fine, and
 * optional fields that are missing or odd are left to the tolerant readers of raw.ts), but what the
 * product relies on is required — an incident's id, status and creation time, a log entry's type and
 * time, an on-call's user and escalation level. Some of PagerDuty's own spec examples do not validate
 * against its full schemas (TESTING.md), so only these fields are required, never the whole schema.
 *
 * An answer that fails is a failed source with the reason ("GET /incidents: incidents[2].created_at: …"),
 * never an empty list: a malformed page must not read as "no incidents".
 */
import * as z from 'zod';
import { PagerDutyError } from './errors.js';

const id = z.string().min(1, 'expected a non-empty id');
const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO-8601 time');

/** An envelope of a classic paginated list: the items under `key` must be an array. */
export function listEnvelope(key: string) {
  return z.looseObject({ [key]: z.array(z.unknown()) });
}

export const incidentSchema = z.looseObject({
  id,
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  created_at: isoTime,
});

export const logEntrySchema = z.looseObject({ id, type: z.string().min(1), created_at: isoTime });

export const noteSchema = z.looseObject({ id, content: z.string(), created_at: isoTime });

export const onCallSchema = z.looseObject({
  user: z.looseObject({ id }),
  escalation_level: z.number().int().min(1),
  start: isoTime.nullish(),
  end: isoTime.nullish(),
});

export const escalationPolicySchema = z.looseObject({
  id,
  escalation_rules: z.array(
    z.looseObject({
      escalation_delay_in_minutes: z.number().int().min(0),
      targets: z.array(z.looseObject({ id, type: z.string().min(1) })),
    }),
  ),
});

export const prioritySchema = z.looseObject({ id, name: z.string().min(1) });

export const scheduleSchema = z.looseObject({ id });

/** The first problem of a failed parse as "path: message" (path like incidents[2].created_at). */
function problem(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0]!;
  let path = prefix;
  for (const part of issue.path) path += typeof part === 'number' ? `[${part}]` : `${path ? '.' : ''}${String(part)}`;
  return `${path || '(answer)'}: ${issue.message}`;
}

/** Throws a PagerDutyError naming the operation and the first bad field when `value` does not fit `schema`. */
export function checked<S extends z.ZodType>(operation: string, schema: S, value: unknown, path = ''): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new PagerDutyError(`${operation}: malformed answer: ${problem(r.error, path)}`, { malformed: true });
  return r.data;
}

/** Every item of a list checked (the first bad one fails the whole list, with its index). */
export function checkedItems<S extends z.ZodType>(
  operation: string,
  key: string,
  schema: S,
  items: readonly unknown[],
): z.infer<S>[] {
  return items.map((item, i) => checked(operation, schema, item, `${key}[${i}]`));
}
