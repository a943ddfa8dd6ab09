/**
 * What the AWS SDK hands back, checked where the SDK does not: it deserialises by shape and never
 * requires a field, so an answer without an alarm's name, a service's counts or a DB instance's status
 * would map to '' or 0 and read as healthy. The fields the product relies on are required here (zod,
 * tolerant of everything else); an answer without them is a failed call naming the field.
 */
import * as z from 'zod';
import { AwsApiError } from './calls.js';

const name = z.string().min(1, 'expected a non-empty name');

export const alarmSchema = z.looseObject({ AlarmName: name, StateValue: z.string().min(1) });

export const ecsServiceSchema = z
  .looseObject({
    serviceName: z.string().optional(),
    serviceArn: z.string().optional(),
    desiredCount: z.number().int(),
    runningCount: z.number().int(),
  })
  .refine((s) => !!(s.serviceName || s.serviceArn), 'expected serviceName or serviceArn');

export const dbInstanceSchema = z.looseObject({ DBInstanceIdentifier: name, DBInstanceStatus: z.string().min(1) });

/** Every item checked; the first that fails throws an AwsApiError naming the API, the resource and the field. */
export function checkedItems<T>(
  api: string,
  resource: string | undefined,
  key: string,
  schema: z.ZodType,
  items: readonly T[] | undefined,
): T[] {
  return (items ?? []).map((item, i) => {
    const r = schema.safeParse(item);
    if (r.success) return item;
    const issue = r.error.issues[0]!;
    const path = [`${key}[${i}]`, ...issue.path.map(String)].join('.');
    throw new AwsApiError(api, resource, new Error(`malformed answer: ${path}: ${issue.message}`));
  });
}
