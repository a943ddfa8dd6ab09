import * as z from 'zod';
import type { AlertLevel } from '../model.js';
import type { PolicyRule, ResourceKind } from '../policy/types.js';

/**
 * What the policy's alarms are deployed on, and where they notify: the "alarms" section (proposed for
 * the configuration; read from a file given with --resources until then). The policy says what to
 * watch; this says which ECS services, databases, queues… exist in production, which SNS topics
 * each level notifies, and which backends hold the alarms.
 *
 *   {
 *     "targets": ["cloudwatch", "prometheus"],
 *     "actions": { "critical": ["arn:aws:sns:…:vitascope-pagerduty"], "warning": […], "info": […] },
 *     "okActions": true,
 *     "runbookBaseUrl": "https://github.com/vitascope/oncall/blob/main/runbooks/",
 *     "resources": {
 *       "ecs-service": [{ "token": "api", "dimensions": { "ClusterName": "vitascope-cluster", "ServiceName": "vitascope-api" } }],
 *       "rds-instance": [{ "token": "db", "dimensions": { "DBInstanceIdentifier": "vitascope-db" }, "limits": { "max_connections": 400 } }]
 *     }
 *   }
 *
 * The token is the middle of the alarm names: vitascope-<token>-<slug>-<level>. The "api" and
 * "product" kinds have no dimensions, so they have one instance each whether listed or not ("api"
 * and "" as tokens).
 */

export const RESOURCE_KINDS = [
  'ecs-service',
  'rds-instance',
  'sqs-queue',
  'lambda-function',
  'api',
  'dependency',
  'product',
] as const satisfies readonly ResourceKind[];

/** Where the policy's alarms live; audit checks these. */
export const ALARM_TARGETS = ['cloudwatch', 'prometheus'] as const;
export type AlarmTarget = (typeof ALARM_TARGETS)[number];

export interface AlarmResource {
  /** Middle of the alarm names; '' for the product-wide business alarms. */
  readonly token: string;
  /** Dimension values by CloudWatch dimension name (ClusterName, ServiceName, DBInstanceIdentifier…). */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Capacity limits by name, for ratio-to-limit rules (max_connections). */
  readonly limits?: Readonly<Record<string, number>>;
}

export interface AlarmInventory {
  readonly targets: readonly AlarmTarget[];
  readonly resources: Readonly<Record<ResourceKind, readonly AlarmResource[]>>;
  /** SNS topic (or other action) ARNs each level's alarms notify. */
  readonly actions: Readonly<Partial<Record<AlertLevel, readonly string[]>>>;
  /** Whether the return to OK notifies the same actions (PagerDuty then resolves the incident). */
  readonly okActions: boolean;
  /** Prefix for runbook links in Prometheus annotations: <base><runbook id>.yaml. */
  readonly runbookBaseUrl?: string;
}

const TOKEN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)?$/;
const token = z
  .string()
  .max(64)
  .regex(TOKEN, 'lower-case letters, digits and inner hyphens, e.g. api (or "" for none)');
const arn = z
  .string()
  .regex(
    /^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:\d*:.+$/,
    'an ARN such as arn:aws:sns:ap-northeast-1:123456789012:vitascope-pagerduty',
  );
const arns = z.array(arn).max(5, 'CloudWatch allows at most 5 actions per alarm state');

const resourceSchema = z
  .object({
    token,
    dimensions: z.record(z.string().min(1).max(255), z.string().min(1).max(1024)).default({}),
    limits: z.record(z.string().min(1), z.number().finite().positive()).optional(),
  })
  .strict();

/** The section as written (file or configuration). */
export const alarmsSectionSchema = z
  .object({
    targets: z.array(z.enum(ALARM_TARGETS)).min(1),
    actions: z.object({ critical: arns, warning: arns, info: arns }).partial().strict(),
    okActions: z.boolean(),
    runbookBaseUrl: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
    resources: z
      .object({
        'ecs-service': z.array(resourceSchema),
        'rds-instance': z.array(resourceSchema),
        'sqs-queue': z.array(resourceSchema),
        'lambda-function': z.array(resourceSchema),
        api: z.array(resourceSchema),
        dependency: z.array(resourceSchema),
        product: z.array(resourceSchema),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type AlarmsSection = z.infer<typeof alarmsSectionSchema>;

/** A problem with the section, by field path (resources.ecs-service.0.dimensions). */
export interface InventoryProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Single-instance kinds: their rules' metrics have no dimensions. */
const SINGLE: Partial<Record<ResourceKind, AlarmResource>> = {
  api: { token: 'api', dimensions: {} },
  product: { token: '', dimensions: {} },
};

/**
 * The inventory a section describes, checked against the policy's rules: every resource gives every
 * dimension its kind's rules need, single-instance kinds have at most one entry, and no two
 * resources of a kind share a token (their alarm names would collide).
 */
export function inventoryFrom(
  section: AlarmsSection,
  rules: readonly PolicyRule[],
): { inventory: AlarmInventory; problems: InventoryProblem[] } {
  const problems: InventoryProblem[] = [];
  const resources = {} as Record<ResourceKind, readonly AlarmResource[]>;
  for (const kind of RESOURCE_KINDS) {
    const given = section.resources?.[kind];
    const single = SINGLE[kind];
    if (single && given && given.length > 1)
      problems.push({
        path: ['resources', kind],
        message: `at most one entry: the ${kind} rules' metrics have no dimensions`,
      });
    const list: AlarmResource[] = given
      ? given.map((r) => ({ token: r.token, dimensions: r.dimensions, ...(r.limits ? { limits: r.limits } : {}) }))
      : single
        ? [single]
        : [];
    const needed = new Set(rules.filter((r) => r.appliesTo === kind).flatMap((r) => r.metric.dimensions));
    const tokens = new Set<string>();
    list.forEach((r, i) => {
      for (const d of needed)
        if (r.dimensions[d] === undefined)
          problems.push({
            path: ['resources', kind, i, 'dimensions', d],
            message: `missing: the ${kind} rules need the dimension ${d}`,
          });
      if (tokens.has(r.token))
        problems.push({
          path: ['resources', kind, i, 'token'],
          message: `"${r.token}" is used twice: alarm names would collide`,
        });
      tokens.add(r.token);
    });
    resources[kind] = list;
  }
  return {
    inventory: {
      targets: section.targets ?? ['cloudwatch'],
      resources,
      actions: section.actions ?? {},
      okActions: section.okActions ?? true,
      ...(section.runbookBaseUrl ? { runbookBaseUrl: section.runbookBaseUrl } : {}),
    },
    problems,
  };
}

/** The policy's alarm names: vitascope-<token>-<slug>-<level>, the token left out when empty. */
export function alarmName(rule: Pick<PolicyRule, 'alarmSlug'>, token: string, level: AlertLevel): string {
  return ['vitascope', token, rule.alarmSlug, level].filter(Boolean).join('-');
}

/** The prefix every alarm the policy manages starts with. */
export const MANAGED_PREFIX = 'vitascope-';

export const LEVELS_DESC: readonly AlertLevel[] = ['critical', 'warning', 'info'];

/** The rule's levels that have a threshold, critical first. */
export function levelsOf(rule: PolicyRule): { level: AlertLevel; threshold: number }[] {
  return LEVELS_DESC.filter((l) => rule.thresholds[l] !== undefined).map((level) => ({
    level,
    threshold: rule.thresholds[level]!,
  }));
}
