import * as z from 'zod';
import { parseDuration } from '../time.js';

/**
 * The remediation catalogue: every action a runbook may name, with its parameters. This file is the
 * contract between runbooks (which name actions and give parameters, possibly templated from the
 * incident) and the remediation engine (which plans, confirms, applies, verifies and journals them).
 *
 * Parameters are validated after templating. Durations are strings such as "2h" (core/time.ts).
 */

const name = z.string().min(1);
/** true/false, also as the strings "true"/"false" a template renders; anything else is an error (z.coerce would make "false" true). */
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const address = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()], { error: 'an IP address or CIDR' });
const duration = z.string().regex(/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/, 'a duration such as 30m or 2h');
/** Alarm actions stay off for at most a week: an alarm nobody remembers muting is worse than a noisy one. */
export const MAX_ACTIONS_DISABLED_MS = 7 * 24 * 3_600_000;
const muteDuration = duration.refine(
  (d) => (parseDuration(d) ?? 0) > 0 && (parseDuration(d) ?? Infinity) <= MAX_ACTIONS_DISABLED_MS,
  'more than nothing and at most 7d',
);

export const ACTION_PARAMS = {
  /** ECS UpdateService desiredCount. */
  'ecs.set-desired-count': z.object({ service: name, desired: z.coerce.number().int().min(0).max(1000) }).strict(),
  /** Application Auto Scaling RegisterScalableTarget on the service's desired count. */
  'autoscaling.set-limits': z
    .object({
      service: name,
      min: z.coerce.number().int().min(0).max(1000),
      max: z.coerce.number().int().min(1).max(1000),
    })
    .strict()
    .refine((p) => p.min <= p.max, { message: 'min must not exceed max', path: ['min'] }),
  /** ECS UpdateService forceNewDeployment: replace every task with a fresh one of the same revision. */
  'ecs.force-new-deployment': z.object({ service: name }).strict(),
  /** ECS UpdateService taskDefinition: the previous revision unless one is named. */
  'ecs.rollback': z.object({ service: name, taskDefinition: name.optional() }).strict(),
  /** RDS RebootDBInstance, with ForceFailover on a Multi-AZ instance. */
  'rds.reboot': z.object({ database: name, failover: flag.default(false) }).strict(),
  /** RDS ModifyDBInstance AllocatedStorage (applied immediately; storage can only grow). */
  'rds.grow-storage': z.object({ database: name, allocatedGiB: z.coerce.number().int().min(20).max(65_536) }).strict(),
  'pagerduty.acknowledge': z.object({ incident: name.optional() }).strict(),
  'pagerduty.escalate': z.object({ incident: name.optional(), level: z.coerce.number().int().min(1).max(10) }).strict(),
  'pagerduty.reassign': z.object({ incident: name.optional(), to: z.array(name).min(1) }).strict(),
  'pagerduty.add-note': z
    .object({ incident: name.optional(), text: z.string().trim().min(1, 'a note needs text') })
    .strict(),
  'pagerduty.resolve': z.object({ incident: name.optional() }).strict(),
  /** PagerDuty snooze: an acknowledged incident goes back to triggered after the duration (at most a week). */
  'pagerduty.snooze': z.object({ incident: name.optional(), duration }).strict(),
  /** Alertmanager silence: who and why are required, and it must end. */
  'alertmanager.silence': z
    .object({
      matchers: z.record(name, z.string()).refine((m) => Object.keys(m).length > 0, 'at least one matcher'),
      duration,
      comment: z.string().trim().min(1, 'a silence needs a comment'),
    })
    .strict(),
  /** CloudWatch DisableAlarmActions for a set time: the alarm still changes state, its actions (the page) do not run. */
  'cloudwatch.disable-alarm-actions': z
    .object({
      alarm: name,
      duration: muteDuration,
      reason: z.string().trim().min(1, 'say why, for whoever finds the alarm muted'),
    })
    .strict(),
  /** CloudWatch EnableAlarmActions: the alarm pages again. */
  'cloudwatch.enable-alarm-actions': z.object({ alarm: name, reason: z.string().trim().min(1).optional() }).strict(),
  /** Block a client address at the edge (the WAF IP set). */
  'waf.block-address': z.object({ address, reason: z.string().trim().min(1) }).strict(),
  /** Lift a block: the address's own entry leaves the WAF IP set. */
  'waf.unblock-address': z.object({ address, reason: z.string().trim().min(1) }).strict(),
  /** Run a command: an argument array (never a shell string), with a timeout; `readonly` (checked) needs no typed name. */
  'command.run': z
    .object({
      argv: z.array(z.string()).min(1),
      timeout: duration.default('60s'),
      cwd: z.string().optional(),
      readonly: flag.default(false),
    })
    .strict(),
} as const;

export type ActionId = keyof typeof ACTION_PARAMS;
export const ACTION_IDS = Object.keys(ACTION_PARAMS) as ActionId[];
export type ActionParams<A extends ActionId> = z.infer<(typeof ACTION_PARAMS)[A]>;

/**
 * How much harm an action can do. Dangerous actions against production need the target's name typed
 * to confirm; every action asks for confirmation naming its target.
 */
export const ACTION_DANGER: Record<ActionId, 'safe' | 'careful' | 'dangerous'> = {
  'ecs.set-desired-count': 'dangerous',
  'autoscaling.set-limits': 'careful',
  'ecs.force-new-deployment': 'dangerous',
  'ecs.rollback': 'dangerous',
  'rds.reboot': 'dangerous',
  'rds.grow-storage': 'careful',
  'pagerduty.acknowledge': 'safe',
  'pagerduty.escalate': 'careful',
  'pagerduty.reassign': 'careful',
  'pagerduty.add-note': 'safe',
  'pagerduty.resolve': 'careful',
  'pagerduty.snooze': 'careful',
  'alertmanager.silence': 'careful',
  'cloudwatch.disable-alarm-actions': 'careful',
  'cloudwatch.enable-alarm-actions': 'safe',
  // A block refuses every user behind the address (a carrier NAT, an office): the target typed in production.
  'waf.block-address': 'dangerous',
  'waf.unblock-address': 'careful',
  'command.run': 'dangerous',
};

export const ACTION_TITLES: Record<ActionId, string> = {
  'ecs.set-desired-count': 'Set the ECS service desired count',
  'autoscaling.set-limits': 'Set the autoscaling min/max',
  'ecs.force-new-deployment': 'Force a new ECS deployment',
  'ecs.rollback': 'Roll back to the previous task definition',
  'rds.reboot': 'Reboot the RDS instance',
  'rds.grow-storage': "Grow the RDS instance's storage",
  'pagerduty.acknowledge': 'Acknowledge the incident',
  'pagerduty.escalate': 'Escalate the incident',
  'pagerduty.reassign': 'Reassign the incident',
  'pagerduty.add-note': 'Add a note to the incident',
  'pagerduty.resolve': 'Resolve the incident',
  'pagerduty.snooze': 'Snooze the incident',
  'alertmanager.silence': 'Silence alerts in Alertmanager',
  'cloudwatch.disable-alarm-actions': "Disable a CloudWatch alarm's actions for a while",
  'cloudwatch.enable-alarm-actions': "Enable a CloudWatch alarm's actions again",
  'waf.block-address': 'Block a client address at the edge',
  'waf.unblock-address': 'Lift the block on a client address',
  'command.run': 'Run a command',
};

export function isActionId(id: string): id is ActionId {
  return Object.hasOwn(ACTION_PARAMS, id);
}
