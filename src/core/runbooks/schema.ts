import * as z from 'zod';
import { ACTION_IDS } from '../actions/catalogue.js';
import { NOTE_SECTIONS } from '../journal/events.js';
import { parseDuration } from '../time.js';
import { PHASES, type Phase, type StepKind } from './phases.js';

/**
 * The runbook format, as zod schemas. A runbook is a YAML file a responder follows through the
 * strategy's five phases (検知 → トリアージ → 調査 → 解決 → 事後分析). It is data, not code: every
 * step is one of a few kinds the cockpit knows how to show and run, and the only dynamic part is a
 * tiny `{{variable}}` substitution (template.ts).
 *
 * Every object is strict, so a misspelt key is reported by name instead of being silently ignored
 * (a step that is skipped because of a typo is the kind of thing nobody notices until 3 a.m.).
 * Rules that tie several fields together (exactly one subject per check, known template variables,
 * decision targets, action parameters against the catalogue) live in lint.ts, where each error can
 * point at the field that is wrong.
 */

export { PHASES, STEP_KINDS, type Phase, type StepKind } from './phases.js';

/**
 * The Prometheus queries a runbook may name, built on the app's request counter and latency histogram
 * under the names the configuration gives them (prometheus.metrics.*; prometheus_client's
 * app_request_count_total and app_request_latency_seconds by default, see core/appMetrics.ts).
 * The Prometheus adapter (src/sources/prometheus/queries.ts) knows them under its own ids; this maps
 * the runbook names onto them so that a runbook never spells PromQL, nor a metric name, for the
 * everyday questions.
 */
export const NAMED_QUERIES = {
  'p95-latency': 'p95_latency_seconds',
  'p95-latency-by-endpoint': 'p95_latency_seconds_by_endpoint',
  'error-rate': 'error_rate_percent',
  'error-rate-by-endpoint': 'error_rate_percent_by_endpoint',
  'request-rate': 'request_rate_per_second',
  'request-rate-by-endpoint': 'request_rate_per_second_by_endpoint',
} as const;
export type NamedQueryName = keyof typeof NAMED_QUERIES;
export const NAMED_QUERY_NAMES = Object.keys(NAMED_QUERIES) as NamedQueryName[];

/**
 * What a `check` on a service can ask; see core/status.ts serviceCondition for "steady".
 * - no-recent-deployment: no deployment started within `within` (default 6h). A failing one points at a
 *   regression: the usual reason to roll back.
 * - unchanged-since-incident: no deployment (a release, a rollback, a forced redeploy) started since the
 *   incident began. A failing one means someone already acted on the service: watch that take effect
 *   instead of rolling back a rollback.
 */
export const SERVICE_CONDITIONS = ['running-equals-desired', 'steady', 'rollout-completed', 'no-recent-deployment', 'unchanged-since-incident', 'below-max-capacity'] as const;
export type ServiceConditionCheck = (typeof SERVICE_CONDITIONS)[number];

export const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ComparisonOp = (typeof COMPARISONS)[number];

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export const STATISTICS = ['Average', 'Maximum', 'Minimum', 'Sum', 'SampleCount', 'p95', 'p99'] as const;

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const kebab = z.string().regex(KEBAB, 'kebab-case: lower-case letters, digits and single hyphens, e.g. api-high-cpu');
const text = z.string().trim().min(1, 'text, not empty');
const duration = z.string().refine((s) => parseDuration(s) !== undefined, 'a duration with a unit, e.g. 30s, 5m, 1h');

/** A pattern is a /regular expression/ (flags allowed) or a glob where * is any run and ? one character. */
export function isRegexPattern(p: string): boolean {
  return /^\/.+\/[a-z]*$/.test(p);
}

function validPattern(p: string): boolean {
  if (!isRegexPattern(p)) return true;
  const m = /^\/(.+)\/([a-z]*)$/.exec(p)!;
  try {
    new RegExp(m[1]!, m[2]);
    return true;
  } catch {
    return false;
  }
}

export const pattern = z
  .string()
  .min(1, 'a glob such as vitascope-*-high-cpu-* or a /regular expression/')
  .refine(validPattern, 'this /regular expression/ does not compile; write a glob (* and ?) or a valid /regex/');

/**
 * What a runbook answers. Criteria are alternatives: the runbook applies when an alarm's name, rule,
 * metric or the incident's PagerDuty service matches any entry. `dimensions` narrows the others (every
 * listed dimension must match), or matches on its own when nothing else is given. match.ts ranks the
 * runbooks that apply: explicit alarm name > rule id > metric > dimensions > service > the default.
 */
export const matchesSchema = z
  .object({
    /** Alarm names: globs (vitascope-*-high-cpu-*) or /regex/. */
    alarms: z.array(pattern).min(1, 'at least one alarm name pattern'),
    /** Policy rule ids (src/core/policy/rules.ts), e.g. cpu-utilization. */
    rules: z.array(kebab).min(1, 'at least one policy rule id'),
    /** CloudWatch namespace and metric name (globs), e.g. { namespace: AWS/ECS, name: CPUUtilization }. */
    metrics: z
      .array(z.object({ namespace: pattern, name: pattern.optional() }).strict())
      .min(1, 'at least one { namespace, name }'),
    /** Metric dimension → glob, e.g. { ServiceName: vitascope-api }. */
    dimensions: z.record(z.string().min(1), pattern),
    /** PagerDuty service names (globs), e.g. "Vitascope Database". */
    services: z.array(pattern).min(1, 'at least one PagerDuty service name'),
  })
  .partial()
  .strict();
export type RunbookMatches = z.infer<typeof matchesSchema>;

/** A CloudWatch metric, as model.ts MetricRef; dimension values may be templated. */
export const metricRefSchema = z
  .object({
    namespace: text,
    name: text,
    dimensions: z.record(z.string().min(1), z.string()).default({}),
    statistic: z.enum(STATISTICS).optional(),
  })
  .strict();
export type RunbookMetricRef = z.infer<typeof metricRefSchema>;

const globs = z.union([pattern, z.array(pattern).min(1)]);

/**
 * When a step applies. A condition is either on a variable (`var: alarm.dimensions.ServiceName` with
 * `is:`/`not:` globs) or on an earlier step's outcome (`step: cpu-still-high` with `result: fail` for a
 * check — or `pass`, or `no-data` when it could not be judged — `chose: rollback` for a decision). A list means all of them. Nothing else: conditions are
 * data, never expressions.
 */
export const conditionSchema = z
  .object({
    var: z.string().min(1),
    is: globs,
    not: globs,
    step: kebab,
    /** A check's outcome; no-data is neither pass nor fail. */
    result: z.enum(['pass', 'fail', 'no-data']),
    /** An option id, or a list of them (any). */
    chose: z.union([kebab, z.array(kebab).min(1)]),
  })
  .partial()
  .strict();
export type Condition = z.infer<typeof conditionSchema>;
export const whenSchema = z.union([conditionSchema, z.array(conditionSchema).min(1, 'at least one condition')]);
export type When = z.infer<typeof whenSchema>;

/** The conditions of a `when`, as a list (all must hold). */
export function conditionsOf(when: When | undefined): readonly Condition[] {
  return when === undefined ? [] : Array.isArray(when) ? when : [when as Condition];
}

const base = {
  /** Unique in the runbook; decisions and `when` refer to steps by it. */
  id: kebab,
  title: text,
  /** Guidance shown under the title: what to look for, why this step exists. */
  description: text.optional(),
  when: whenSchema.optional(),
};

/** A condition shown live as pass, fail or no data: exactly one of alarm, metric, rule, service (lint.ts). */
export const checkStepSchema = z
  .object({
    ...base,
    kind: z.literal('check'),
    /** An alarm name (templated); passes when the alarm is in `state` (OK unless given). */
    alarm: z.string().min(1).optional(),
    state: z.enum(ALARM_STATES).optional(),
    /** A metric compared with `op value`. */
    metric: metricRefSchema.optional(),
    /** A policy rule on a resource; passes when the rule evaluates OK, or when `op value` holds. */
    rule: kebab.optional(),
    resource: z.string().min(1).optional(),
    op: z.enum(COMPARISONS).optional(),
    value: z.number().finite().optional(),
    /** An ECS service (templated) and the condition it must be in. */
    service: z.string().min(1).optional(),
    condition: z.enum(SERVICE_CONDITIONS).optional(),
    /** For condition no-recent-deployment: how recent is recent (default 6h). */
    within: duration.optional(),
    /**
     * With a metric and `op value`: passes when the metric, going on at its current rate (a straight line
     * fitted over the last `trend`, default 30m), meets `op value` within this long, e.g. free storage
     * reaching 0 within 24h. Says how long until it does, or that it is not heading there.
     */
    forecast: duration.optional(),
    /** With forecast: the window the current rate is measured over (default 30m). */
    trend: duration.optional(),
    /**
     * Wait up to this long for the check to pass (a recovery to show, a provider to come back) before
     * moving on; without it the check is judged once. The cockpit shows the wait and lets the responder
     * stop it; a drill advances simulated time.
     */
    wait: duration.optional(),
  })
  .strict();

/** Something to look at: a named Prometheus query, raw PromQL, or a CloudWatch metric (lint.ts: exactly one). */
export const queryStepSchema = z
  .object({
    ...base,
    kind: z.literal('query'),
    query: z.enum(NAMED_QUERY_NAMES).optional(),
    promql: text.optional(),
    metric: metricRefSchema.optional(),
    /** How far back to look. */
    range: duration.default('1h'),
    show: z.enum(['value', 'graph']).default('graph'),
  })
  .strict();

/**
 * How an action proves it worked: an alarm back in a state (OK unless given), or a metric condition,
 * within a timeout. Remediations (ECS, autoscaling, RDS, WAF) verify {{alarm.name}} returning to OK by
 * default; `verify: false` turns that off (the check steps after it judge instead).
 */
export const actionVerifySchema = z
  .object({
    alarm: z.string().min(1).optional(),
    state: z.enum(ALARM_STATES).optional(),
    metric: metricRefSchema.optional(),
    op: z.enum(COMPARISONS).optional(),
    value: z.number().finite().optional(),
    timeout: duration.optional(),
  })
  .strict();
export type ActionVerify = z.infer<typeof actionVerifySchema>;

/** A remediation from the catalogue (core/actions/catalogue.ts); parameters are templated, then validated. */
export const actionStepSchema = z
  .object({
    ...base,
    kind: z.literal('action'),
    action: z.enum(ACTION_IDS as [string, ...string[]], { error: () => `an action of the catalogue: ${ACTION_IDS.join(', ')}` }),
    with: z.record(z.string(), z.unknown()).default({}),
    verify: z.union([z.literal(false), actionVerifySchema]).optional(),
  })
  .strict();

const argv = z
  .array(z.string({ error: 'a string (quote numbers and flags that YAML would read otherwise)' }), {
    error: (issue) =>
      typeof issue.input === 'string'
        ? 'an argument array such as [aws, ecs, describe-services], not a shell string (runbook commands never go through a shell)'
        : 'an argument array such as [aws, ecs, describe-services]',
  })
  .min(1, 'at least the program to run');

/** A program run with an argument array (never a shell), each element templated on its own; output is captured. */
export const commandStepSchema = z
  .object({
    ...base,
    kind: z.literal('command'),
    command: argv,
    timeout: duration.default('60s'),
    cwd: z.string().min(1).optional(),
    /** It only reads (aws … describe/get/list, logs tail; kubectl get…; checked by the linter): no typed confirmation. */
    readonly: z.boolean().optional(),
  })
  .strict();

/**
 * The responder's own words (first assessment, impact, root cause), recorded in the journal. `section`
 * says where the note goes in the postmortem draft (impact, timeline, root-cause, findings, prevention, …);
 * it travels with the note into the journal.
 */
export const noteStepSchema = z
  .object({
    ...base,
    kind: z.literal('note'),
    /** The runbook cannot be finished without it. */
    required: z.boolean().default(false),
    section: z.enum(NOTE_SECTIONS).optional(),
  })
  .strict();

/**
 * One answer to a decision. `when` says in which situation this answer is the right one (the same
 * conditions as a step's: variables, earlier checks' results, earlier decisions); `default` marks the
 * answer to take when no option's `when` holds. The cockpit shows the suggestion; a headless drill
 * takes it (decide.ts).
 */
export const decisionOptionSchema = z
  .object({
    id: kebab,
    label: text,
    goto: kebab,
    when: whenSchema.optional(),
    default: z.boolean().optional(),
    /**
     * Hands the room over to another runbook (its id) when chosen: the room switches to it, and the
     * journal keeps the steps of both. `goto` still says where this runbook would go on if it comes back.
     */
    handover: kebab.optional(),
  })
  .strict();
export type DecisionOption = z.infer<typeof decisionOptionSchema>;

/** A question (the title) with options, each going to a later step id or a later phase. */
export const decisionStepSchema = z
  .object({
    ...base,
    kind: z.literal('decision'),
    options: z.array(decisionOptionSchema).min(2, 'at least two options'),
  })
  .strict();

export const linkStepSchema = z
  .object({
    ...base,
    kind: z.literal('link'),
    url: z.string().min(1),
  })
  .strict();

/**
 * A service's log lines of the incident's window, grouped into patterns and compared with the window before
 * it: the room shows the patterns that appeared or grew, the address behind most of one, a revision they
 * name, with the lines behind them. Its findings become variables (findings.logs.*) that later steps use.
 */
export const logsStepSchema = z
  .object({
    ...base,
    kind: z.literal('logs'),
    /** The service whose logs to read (templated), e.g. "{{alarm.dimensions.ServiceName}}". */
    service: z.string().min(1),
    /** Log groups (templated); the service's from the configuration when absent. */
    groups: z.array(z.string().min(1)).min(1).optional(),
    /** Only lines containing this text (templated; case-sensitive, as CloudWatch's filter terms are). */
    filter: z.string().min(1).optional(),
    /** The window: this long up to now, compared with as long before it. */
    window: duration.default('30m'),
  })
  .strict();

/**
 * A service's traces of the incident's window: the span that changed most against the window before (more of
 * it per request, or slower), the slowest and failing requests with their critical paths (findings.traces.*).
 */
export const tracesStepSchema = z
  .object({
    ...base,
    kind: z.literal('traces'),
    service: z.string().min(1),
    window: duration.default('30m'),
  })
  .strict();

export const stepSchema = z.discriminatedUnion('kind', [
  checkStepSchema,
  queryStepSchema,
  actionStepSchema,
  commandStepSchema,
  noteStepSchema,
  decisionStepSchema,
  linkStepSchema,
  logsStepSchema,
  tracesStepSchema,
]);

export type CheckStep = z.infer<typeof checkStepSchema>;
export type QueryStep = z.infer<typeof queryStepSchema>;
export type ActionStep = z.infer<typeof actionStepSchema>;
export type CommandStep = z.infer<typeof commandStepSchema>;
export type NoteStep = z.infer<typeof noteStepSchema>;
export type DecisionStep = z.infer<typeof decisionStepSchema>;
export type LinkStep = z.infer<typeof linkStepSchema>;
export type LogsStep = z.infer<typeof logsStepSchema>;
export type TracesStep = z.infer<typeof tracesStepSchema>;
export type Step = z.infer<typeof stepSchema>;

export const STEP_SCHEMAS: Readonly<Record<StepKind, z.ZodType>> = {
  check: checkStepSchema,
  query: queryStepSchema,
  action: actionStepSchema,
  command: commandStepSchema,
  note: noteStepSchema,
  decision: decisionStepSchema,
  link: linkStepSchema,
  logs: logsStepSchema,
  traces: tracesStepSchema,
};

const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
export const paramName = z.string().regex(PARAM_NAME, 'a parameter name: a letter, then letters, digits or _');
/** A parameter's default; null means the responder supplies it when the runbook starts. */
export const paramValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: 'a string, number, boolean, or null (asked when the runbook starts)',
});
export type ParamValue = z.infer<typeof paramValue>;

const phaseList = z.array(stepSchema).default([]);

export const runbookSchema = z
  .object({
    id: kebab,
    /** The title in English; the English screen shows only this. */
    title: text,
    /** The title in Japanese (the strategy's name for the alert), shown by the Japanese screen and reports. */
    titleJa: text.optional(),
    description: text.optional(),
    priority: z.enum(['P1', 'P2', 'P3', 'P4']),
    matches: matchesSchema.default({}),
    params: z.record(paramName, paramValue).default({}),
    phases: z
      .object({
        detect: phaseList,
        triage: phaseList,
        investigate: phaseList,
        resolve: phaseList,
        postmortem: phaseList,
      })
      .strict(),
  })
  .strict();

export type Runbook = z.infer<typeof runbookSchema>;

/** The id of the runbook that matches anything, after everything else. */
export const DEFAULT_RUNBOOK_ID = 'default';

/** Every step of a runbook with its phase and index, in order. */
export function stepsOf(runbook: Runbook): { phase: Phase; index: number; step: Step }[] {
  return PHASES.flatMap((phase) => runbook.phases[phase].map((step, index) => ({ phase, index, step })));
}

/** A runbook's title in a language: the Japanese one where the runbook gives it, else its (English) title. */
export function runbookTitle(runbook: Pick<Runbook, 'title' | 'titleJa'>, lang: 'en' | 'ja' = 'en'): string {
  return lang === 'ja' && runbook.titleJa ? runbook.titleJa : runbook.title;
}
