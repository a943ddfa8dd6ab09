import * as z from 'zod';
import { DEFAULT_RULES } from './rules.js';
import { expressionIdentifiers } from './expression.js';
import type { MetricBinding, Policy, PolicyRule } from './types.js';

const priorityName = z.enum(['P1', 'P2', 'P3', 'P4']);

/**
 * Where a rule's metric lives, as the user's own (custom metrics keep working by configuration): any of
 * namespace, name, statistic, dimension names, a denominator (null: none), or metric math.
 */
const bindingOverride = z
  .object({
    namespace: z.string().min(1).max(255),
    name: z.string().min(1).max(255),
    statistic: z.enum(['Average', 'Maximum', 'Minimum', 'Sum']),
    dimensions: z.array(z.string().min(1).max(255)).max(30),
    denominator: z.string().min(1).max(255).nullable(),
    expression: z
      .object({
        text: z
          .string()
          .min(1)
          .max(1024)
          .refine(readable, 'CloudWatch metric math such as 100 - 100 * free / (allocated_storage_gib * 1073741824)'),
        inputs: z.record(
          z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, 'an id such as free (a lower-case letter first)'),
          z.string().min(1).max(255),
        ),
        label: z.string().min(1).max(255),
      })
      .strict()
      .nullable(),
  })
  .partial()
  .strict();
const threshold = z.number().finite().nonnegative().nullable();

const ruleOverride = z
  .object({
    enabled: z.boolean(),
    info: threshold,
    warning: threshold,
    critical: threshold,
    periodSeconds: z
      .number()
      .int()
      .min(10)
      .max(86_400)
      .refine((s) => s % 10 === 0 || s % 60 === 0, 'a multiple of 10 s or of 60 s'),
    evaluationPeriods: z.number().int().min(1).max(100),
    datapointsToAlarm: z.number().int().min(1).max(100),
    priority: z.object({ info: priorityName, warning: priorityName, critical: priorityName }).partial().strict(),
    /** The metric the rule watches (the cockpit, reports, the sandbox, and the alarms unless alarmMetric). */
    metric: bindingOverride,
    /** The metric the exported CloudWatch alarm watches instead (AWS's own), e.g. the load balancer's. */
    alarmMetric: bindingOverride,
  })
  .partial()
  .strict();

const ruleIds = DEFAULT_RULES.map((r) => r.id) as [string, ...string[]];

/** What users may change of the policy in their configuration (policy.*). */
export const policyOverridesSchema = z
  .object({
    rules: z.partialRecord(z.enum(ruleIds), ruleOverride),
    priorities: z.partialRecord(
      priorityName,
      z.object({ responseTargetMinutes: z.number().int().positive() }).partial().strict(),
    ),
    escalation: z
      .object({ delayMinutes: z.number().int().min(1).max(1440) })
      .partial()
      .strict(),
    workingHours: z
      .object({
        timeZone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Tokyo'),
        start: z.number().int().min(0).max(23),
        end: z.number().int().min(1).max(24),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type PolicyOverrides = z.infer<typeof policyOverridesSchema>;

function readable(text: string): boolean {
  try {
    expressionIdentifiers(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A binding with the user's changes. Naming another metric (namespace or name) without new metric math
 * drops the rule's own, which was written for the metrics it replaces.
 */
function overrideBinding(base: MetricBinding, o: z.infer<typeof bindingOverride> | undefined): MetricBinding {
  if (!o) return base;
  const { denominator, expression, ...rest } = o;
  const renamed = rest.namespace !== undefined || rest.name !== undefined;
  const out: MetricBinding = { ...base, ...rest };
  const withDenominator =
    denominator === null
      ? (({ denominator: _d, ...b }) => b)(out)
      : denominator !== undefined
        ? { ...out, denominator }
        : out;
  if (expression === null || (expression === undefined && renamed))
    return (({ expression: _e, ...b }) => b)(withDenominator);
  return expression ? { ...withDenominator, expression } : withDenominator;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// The defaults live in defaults.ts (which loads no zod); exported here as before.
export { DEFAULT_POLICY } from './defaults.js';

/** A problem with an override, named by its path under policy. */
export interface OverrideProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The default policy with the user's overrides applied. Overrides that would make a rule
 * contradictory (warning above critical, more datapoints than periods) are reported, not applied.
 */
export function applyOverrides(
  base: Policy,
  overrides: PolicyOverrides | undefined,
): { policy: Policy; problems: OverrideProblem[] } {
  const problems: OverrideProblem[] = [];
  if (!overrides) return { policy: base, problems };
  const rules = base.rules.map((rule): PolicyRule => {
    const o = overrides.rules?.[rule.id];
    if (!o) return rule;
    const thresholds = { ...rule.thresholds };
    for (const level of ['info', 'warning', 'critical'] as const) {
      const v = o[level];
      if (v === null) delete thresholds[level];
      else if (v !== undefined) thresholds[level] = v;
    }
    const evaluation = {
      periodSeconds: o.periodSeconds ?? rule.evaluation.periodSeconds,
      evaluationPeriods: o.evaluationPeriods ?? rule.evaluation.evaluationPeriods,
      datapointsToAlarm: o.datapointsToAlarm ?? o.evaluationPeriods ?? rule.evaluation.datapointsToAlarm,
    };
    const at = `policy.rules.${rule.id}`;
    if (evaluation.datapointsToAlarm > evaluation.evaluationPeriods) {
      problems.push({
        path: `${at}.datapointsToAlarm`,
        message: `must be at most evaluationPeriods (${evaluation.evaluationPeriods})`,
      });
      return rule;
    }
    const ordered = [thresholds.info, thresholds.warning, thresholds.critical].filter(
      (t): t is number => t !== undefined,
    );
    if (ordered.some((t, i) => i > 0 && t < ordered[i - 1]!)) {
      problems.push({ path: at, message: 'thresholds must rise with the level (info ≤ warning ≤ critical)' });
      return rule;
    }
    if (ordered.length === 0 && o.enabled !== false) {
      problems.push({ path: at, message: 'a rule needs at least one threshold (or enabled: false)' });
      return rule;
    }
    const alarmMetric = o.alarmMetric
      ? overrideBinding(rule.alarmMetric ?? rule.metric, o.alarmMetric)
      : rule.alarmMetric;
    return {
      ...rule,
      thresholds,
      evaluation,
      enabled: o.enabled ?? rule.enabled,
      priority: { ...rule.priority, ...o.priority },
      metric: overrideBinding(rule.metric, o.metric),
      ...(alarmMetric ? { alarmMetric } : {}),
    };
  });
  const priorities = base.priorities.map((p) => {
    const o = overrides.priorities?.[p.name];
    return o?.responseTargetMinutes !== undefined ? { ...p, responseTargetMinutes: o.responseTargetMinutes } : p;
  });
  const delay = overrides.escalation?.delayMinutes;
  const escalation =
    delay === undefined ? base.escalation : base.escalation.map((e) => ({ ...e, delayMinutes: delay }));
  const workingHours = { ...base.workingHours, ...overrides.workingHours };
  if (workingHours.end <= workingHours.start) {
    problems.push({ path: 'policy.workingHours', message: 'end must be after start' });
  }
  return {
    policy: {
      rules,
      priorities,
      escalation,
      workingHours: workingHours.end > workingHours.start ? workingHours : base.workingHours,
    },
    problems,
  };
}
