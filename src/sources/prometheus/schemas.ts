/**
 * What Prometheus and Alertmanager answer, checked with zod before it is read: tolerantly (unknown
 * fields are fine; optional ones are read leniently by the clients), but what the product relies on is
 * required. A sample is [seconds, "value"]; a vector item has its metric and value; an alerting rule its
 * name, query and alerts; an alert its labels and state; an Alertmanager alert its fingerprint, labels,
 * start and status. An answer that fails is an HttpApiError naming the field ("malformed answer:
 * data.result[3].value: …"), so the source fails with the reason instead of reading as "nothing firing".
 */
import * as z from 'zod';
import { HttpApiError } from './http.js';

const isoTime = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an RFC 3339 time');
/** Labels and annotations: string values (Prometheus and Alertmanager never send others). */
const labels = z.record(z.string(), z.string());

/** The {status, data, warnings} envelope of Prometheus's /api/v1 answers. */
export const envelopeSchema = z.looseObject({
  status: z.string(),
  data: z.unknown().optional(),
  warnings: z.array(z.unknown()).optional(),
  errorType: z.unknown().optional(),
  error: z.unknown().optional(),
});

export const sampleSchema = z.tuple([z.number(), z.union([z.string(), z.number()])]);

export const vectorSchema = z.looseObject({
  resultType: z.literal('vector'),
  result: z.array(z.looseObject({ metric: labels, value: sampleSchema })),
});

export const scalarSchema = z.looseObject({ resultType: z.literal('scalar'), result: sampleSchema });

export const matrixSchema = z.looseObject({
  resultType: z.literal('matrix'),
  result: z.array(z.looseObject({ metric: labels, values: z.array(sampleSchema) })),
});

export const promAlertSchema = z.looseObject({
  labels,
  annotations: labels.optional(),
  state: z.enum(['firing', 'pending', 'inactive']),
  activeAt: z.string().optional(),
  value: z.union([z.string(), z.number()]).optional(),
});

export const rulesSchema = z.looseObject({
  groups: z.array(
    z.looseObject({
      name: z.string(),
      file: z.string().optional(),
      rules: z.array(z.looseObject({ type: z.string() })),
    }),
  ),
});

/** An alerting rule (type "alerting"); recording rules are skipped unchecked. */
export const alertingRuleSchema = z.looseObject({
  type: z.literal('alerting'),
  name: z.string().min(1),
  query: z.string(),
  alerts: z.array(promAlertSchema),
});

export const alertsSchema = z.looseObject({ alerts: z.array(promAlertSchema) });

export const targetsSchema = z.looseObject({
  activeTargets: z.array(z.looseObject({ scrapeUrl: z.string(), health: z.string() })),
});

export const alertmanagerAlertSchema = z.looseObject({
  fingerprint: z.string().min(1),
  labels,
  annotations: labels.optional(),
  startsAt: isoTime,
  status: z.looseObject({
    state: z.enum(['active', 'suppressed', 'unprocessed']),
    silencedBy: z.array(z.string()),
    inhibitedBy: z.array(z.string()),
  }),
});

export const silenceSchema = z.looseObject({
  id: z.string().min(1),
  matchers: z.array(z.looseObject({ name: z.string(), value: z.string(), isRegex: z.boolean() })),
  startsAt: isoTime,
  endsAt: isoTime,
  status: z.looseObject({ state: z.enum(['active', 'pending', 'expired']) }),
});

function problem(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0]!;
  let path = prefix;
  for (const part of issue.path) path += typeof part === 'number' ? `[${part}]` : `${path ? '.' : ''}${String(part)}`;
  return `${path || '(answer)'}: ${issue.message}`;
}

/** `value` as `schema` says, or an HttpApiError (errorType "malformed") naming the server, the call and the field. */
export function checkedAnswer<S extends z.ZodType>(
  server: string,
  what: string,
  schema: S,
  value: unknown,
  path = '',
): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HttpApiError(`${server} answered malformed data to ${what}: ${problem(r.error, path)}`, {
    what,
    errorType: 'malformed',
  });
}
