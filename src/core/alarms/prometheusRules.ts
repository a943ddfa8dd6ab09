import { expressionIdentifiers, toPromQL } from '../policy/expression.js';
import { stringify } from 'yaml';
import type { AlertLevel, PriorityName } from '../model.js';
import type { PolicyRule } from '../policy/types.js';
import { UNITS } from '../policy/units.js';
import {
  DEFAULT_APP_METRICS,
  errorRateExpr,
  p95Expr,
  rateWindowSeconds,
  requestRateExpr,
  selectionMatchers,
  type AppMetrics,
} from '../appMetrics.js';
import { limitUnknown, tidy, type NotExported, type RunbookLookup } from './cloudwatch.js';
import { alarmName, levelsOf, type AlarmInventory, type AlarmResource } from './inventory.js';

/**
 * The policy as Prometheus alerting rules (pure). One rule per policy rule and level, over all the
 * resources Prometheus sees (the resources are labels of the alerts), except ratios to a capacity
 * limit, which need each resource's limit and so get one rule per resource.
 *
 * Where the values come from:
 * - the app's own metrics under the configured names (prometheus.metrics.*; by default what
 *   prometheus_client exposes for the strategy's code: app_request_count_total and the
 *   app_request_latency_seconds histogram, of the series whose job is vitascope-api): p95 latency,
 *   error rate and API call rate are computed from them by the same builders as the named Prometheus
 *   queries (core/appMetrics.ts). A rule file cannot ask the server which name it has: it uses the
 *   configured counter name exactly (`doctor` says when the server has only the plain one);
 * - everything CloudWatch measures (ECS, RDS, SQS, Lambda, the Vitascope/* custom metrics) under the
 *   names the Prometheus CloudWatch exporter gives them: aws_ecs_cpuutilization_average{cluster_name,
 *   service_name}, i.e. snake_case(namespace)_snake_case(metric)_snake_case(statistic), dimensions as
 *   snake_case labels; aggregated over the rule's period with the rule's statistic (avg/max/min/sum
 *   _over_time).
 *
 * Comparisons: a ratio to the same window a day or a week earlier divides by the same expression with
 * `offset 1d` / `offset 1w` (a zero or absent baseline yields no value, so no alert); a drop is
 * 1 − value / baseline. Every expression ends in `>= threshold`, so the threshold can be read back.
 *
 * `for:` is (datapointsToAlarm − 1) × period: the expression already averages one period, so a
 * condition that holds for that long has breached datapointsToAlarm consecutive periods. Prometheus
 * has no "M of N": for the rules that ask for M of N periods (error rate: 2 of 3) the condition must
 * hold M periods in a row, which is stricter.
 */

export interface PromRuleSpec {
  readonly alert: string;
  readonly group: string;
  readonly ruleId: string;
  readonly level: AlertLevel;
  readonly expr: string;
  readonly threshold: number;
  readonly forSeconds: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where the metric comes from: the app's own exposition or the CloudWatch exporter. */
  readonly source: 'app' | 'cloudwatch-exporter';
}

export interface PrometheusExport {
  readonly rules: readonly PromRuleSpec[];
  readonly notExported: readonly NotExported[];
}

/** The CloudWatch exporter's snake_case: a boundary before each upper-case letter that follows a lower-case one or a digit. */
export function snake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

/** The series name the CloudWatch exporter gives a metric and statistic: aws_ecs_cpuutilization_average. */
export function exporterName(namespace: string, name: string, statistic: string): string {
  return `${snake(namespace)}_${snake(name)}_${snake(statistic)}`;
}

/** A PromQL duration for seconds, as Prometheus prints it (1w, 1d, 1h, 5m, 30s). */
export function promDuration(seconds: number): string {
  for (const [unit, size] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const OVER_TIME: Readonly<Record<PolicyRule['metric']['statistic'], { agg: string; fn: string }>> = {
  Average: { agg: 'avg', fn: 'avg_over_time' },
  Maximum: { agg: 'max', fn: 'max_over_time' },
  Minimum: { agg: 'min', fn: 'min_over_time' },
  Sum: { agg: 'sum', fn: 'sum_over_time' },
};

interface ValueExpr {
  /** The value in the rule's unit (times scale), at an optional offset (" offset 1w"). */
  build(offset: string): string;
  /** Labels that tell resources apart. */
  readonly labels: readonly string[];
  /** Multiplies a threshold of the rule's unit into the expression's unit. */
  readonly scale: number;
  readonly source: PromRuleSpec['source'];
  /** The unit the value is in, for the summary. */
  readonly unit: string;
}

/** The app-metric rules: PromQL on the app's own metrics, built as the named queries build it. */
const APP: Readonly<Record<string, (window: string, names: AppMetrics) => ValueExpr>> = {
  'api-latency-p95': (window, names) => ({
    build: (offset) => p95Expr(names, { matchers: selectionMatchers(names), window, offset }),
    labels: [],
    scale: 0.001,
    source: 'app',
    unit: 's',
  }),
  'error-rate': (window, names) => ({
    build: (offset) => errorRateExpr(names, { matchers: selectionMatchers(names), window, offset }),
    labels: [],
    scale: 1,
    source: 'app',
    unit: '%',
  }),
  'api-call-rate': (window, names) => ({
    build: (offset) => requestRateExpr(names, { matchers: selectionMatchers(names), window, offset }),
    labels: [],
    scale: 1,
    source: 'app',
    unit: 'req/s',
  }),
};

function selector(series: string, matchers: Readonly<Record<string, string>>): string {
  const parts = Object.entries(matchers)
    .map(([k, v]) => `${k}=${promString(v)}`)
    .sort();
  return parts.length ? `${series}{${parts.join(',')}}` : series;
}

function exporterValue(rule: PolicyRule, window: string, resource?: AlarmResource): ValueExpr {
  const m = rule.metric;
  const labels = m.dimensions.map(snake);
  const { agg, fn } = OVER_TIME[m.statistic];
  const by = labels.length ? `${agg} by (${labels.join(', ')}) ` : agg;
  const matchers = resource
    ? Object.fromEntries(m.dimensions.map((d) => [snake(d), resource.dimensions[d] ?? '']))
    : {};
  const of = (name: string, o: string) =>
    `${by}(${fn}(${selector(exporterName(m.namespace, name, m.statistic), matchers)}[${window}]${o}))`;
  const unit = rule.unit === 'percent' ? '%' : UNITS[rule.unit].symbol;
  if (!m.denominator) return { build: (o) => of(m.name, o), labels, scale: 1, source: 'cloudwatch-exporter', unit };
  return {
    build: (o) => `100 * (${of(m.name, o)} or 0 * ${of(m.denominator!, o)}) / (${of(m.denominator!, o)} > 0)`,
    labels,
    scale: 1,
    source: 'cloudwatch-exporter',
    unit: '%',
  };
}

/**
 * A rule whose metric is metric math (Container Insights counts, RDS free storage against the allocated
 * size) over the CloudWatch exporter's series. Limits (allocated_storage_gib) differ per resource, so a
 * rule that needs one is written per resource, like the connections rule; one whose limit is not known
 * is listed as not exported.
 */
function expressionRules(
  rule: PolicyRule,
  window: string,
  levels: readonly { level: AlertLevel; threshold: number }[],
  inventory: AlarmInventory,
  runbookFor: RunbookLookup,
  notExported: NotExported[],
): PromRuleSpec[] {
  const e = rule.metric.expression!;
  const m = rule.metric;
  const labels = m.dimensions.map(snake);
  const { agg, fn } = OVER_TIME[m.statistic];
  const by = labels.length ? `${agg} by (${labels.join(', ')}) ` : agg;
  const limits = expressionIdentifiers(e.text).filter((id) => !Object.hasOwn(e.inputs, id) && !/^(MAX|MIN)$/i.test(id));
  const unit = rule.unit === 'percent' ? '%' : UNITS[rule.unit].symbol;
  const make = (resource: AlarmResource | undefined, token: string): PromRuleSpec[] => {
    const matchers = resource
      ? Object.fromEntries(m.dimensions.map((d) => [snake(d), resource.dimensions[d] ?? '']))
      : {};
    const expr = toPromQL(
      e.text,
      (id) =>
        Object.hasOwn(e.inputs, id)
          ? `${by}(${fn}(${selector(exporterName(m.namespace, e.inputs[id]!, m.statistic), matchers)}[${window}]))`
          : undefined,
      resource?.limits ?? {},
    );
    return levels.map(({ level, threshold }) =>
      spec(
        rule,
        level,
        alarmName(rule, token, level),
        expr,
        threshold,
        `${who(labels)}${rule.title.en}: ${e.label} ${valueText(unit)} (threshold ${threshold}${unit ? ` ${unit}` : ''})`,
        'cloudwatch-exporter',
        runbookFor,
        inventory,
      ),
    );
  };
  if (limits.length === 0) return make(undefined, '');
  const out: PromRuleSpec[] = [];
  for (const resource of inventory.resources[rule.appliesTo] ?? []) {
    const unknown = limits.filter((l) => resource.limits?.[l] === undefined);
    if (unknown.length) {
      notExported.push({
        ruleId: rule.id,
        names: levels.map((l) => alarmName(rule, resource.token, l.level)),
        reason: `${unknown.join(', ')} of ${resource.token || rule.appliesTo} is not known: give it as limits.${unknown[0]} of the resource`,
      });
      continue;
    }
    out.push(...make(resource, resource.token));
  }
  return out;
}

const OFFSET = { 'previous-day': '1d', 'previous-week': '1w' } as const;
const EARLIER = { 'previous-day': 'a day', 'previous-week': 'a week' } as const;

function group(rule: PolicyRule): string {
  return `vitascope-${rule.layer}`;
}

function who(labels: readonly string[]): string {
  return labels.length ? `{{ $labels.${labels.join(' }}/{{ $labels.')} }}: ` : '';
}

function valueText(unit: string): string {
  if (unit === '%') return '{{ $value | printf "%.1f" }} %';
  if (unit === 's') return '{{ $value | printf "%.3f" }} s';
  return `{{ $value | humanize }}${unit ? ` ${unit}` : ''}`;
}

function spec(
  rule: PolicyRule,
  level: AlertLevel,
  alert: string,
  expr: string,
  threshold: number,
  summary: string,
  source: PromRuleSpec['source'],
  runbookFor: RunbookLookup,
  inventory: AlarmInventory,
): PromRuleSpec {
  const priority: PriorityName | undefined = rule.priority[level];
  const runbook = runbookFor({ name: alert, ruleId: rule.id });
  const e = rule.evaluation;
  return {
    alert,
    group: group(rule),
    ruleId: rule.id,
    level,
    expr: `${expr} >= ${threshold}`,
    threshold,
    forSeconds: (e.datapointsToAlarm - 1) * e.periodSeconds,
    labels: { severity: level, ...(priority ? { priority } : {}), policy_rule: rule.id },
    annotations: {
      summary,
      description: `${rule.description.en} (policy rule ${rule.id}, ${level}${priority ? `, ${priority}` : ''}).`,
      ...(runbook ? { runbook } : {}),
      ...(runbook && inventory.runbookBaseUrl ? { runbook_url: `${inventory.runbookBaseUrl}${runbook}.yaml` } : {}),
    },
    source,
  };
}

/** The Prometheus alerting rules of the policy, and what they cannot express; the app's metrics under `names`. */
export function prometheusRules(
  rules: readonly PolicyRule[],
  inventory: AlarmInventory,
  runbookFor: RunbookLookup = () => undefined,
  names: AppMetrics = DEFAULT_APP_METRICS,
): PrometheusExport {
  const out: PromRuleSpec[] = [];
  const notExported: NotExported[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    // Over at least four scrapes: a rate over a window no longer than the scrape interval is empty, and
    // the rule could never fire (Prometheus's default scrape_interval is 1m, the rules' periods often 1m).
    const window = promDuration(rateWindowSeconds(names, rule.evaluation.periodSeconds));
    const c = rule.comparison;
    const levels = levelsOf(rule);
    if (c.kind === 'ratio' && c.reference === 'limit') {
      const limitName = c.limitName ?? 'limit';
      for (const resource of inventory.resources[rule.appliesTo] ?? []) {
        const limit = resource.limits?.[limitName];
        if (limit === undefined) {
          notExported.push({
            ruleId: rule.id,
            names: levels.map((l) => alarmName(rule, resource.token, l.level)),
            reason: limitUnknown(limitName, resource, rule),
          });
          continue;
        }
        const value = exporterValue(rule, window, resource);
        for (const { level, threshold } of levels) {
          const summary = `${who(value.labels)}${rule.title.en} at {{ $value | humanizePercentage }} of ${limitName} (${limit}), threshold ${tidy(threshold * 100)} %`;
          out.push(
            spec(
              rule,
              level,
              alarmName(rule, resource.token, level),
              `${value.build('')} / ${limit}`,
              threshold,
              summary,
              value.source,
              runbookFor,
              inventory,
            ),
          );
        }
      }
      continue;
    }
    if (!APP[rule.id] && rule.metric.expression) {
      out.push(...expressionRules(rule, window, levels, inventory, runbookFor, notExported));
      continue;
    }
    const value = APP[rule.id]?.(window, names) ?? exporterValue(rule, window);
    // Rules on metrics without dimensions have one instance: name them like their CloudWatch alarm.
    const token = rule.metric.dimensions.length === 0 ? (inventory.resources[rule.appliesTo]?.[0]?.token ?? '') : '';
    for (const { level, threshold } of levels) {
      const alert = alarmName(rule, token, level);
      let expr: string;
      let summary: string;
      let t = threshold;
      if (c.kind === 'ratio' || c.kind === 'drop') {
        const reference = c.reference as keyof typeof OFFSET;
        const now = value.build('');
        const before = value.build(` offset ${OFFSET[reference]}`);
        if (c.kind === 'ratio') {
          expr = `${now} / (${before} > 0)`;
          summary = `${who(value.labels)}${rule.title.en} at {{ $value | printf "%.2f" }} × the same window ${EARLIER[reference]} earlier (threshold ${threshold} ×)`;
        } else {
          expr = `(1 - ${now} / (${before} > 0))`;
          summary = `${who(value.labels)}${rule.title.en} {{ $value | humanizePercentage }} below the same window ${EARLIER[reference]} earlier (threshold ${tidy(threshold * 100)} %)`;
        }
      } else {
        expr = value.build('');
        t = tidy(threshold * value.scale);
        summary = `${who(value.labels)}${rule.title.en} ${valueText(value.unit)} (threshold ${t}${value.unit ? ` ${value.unit}` : ''})`;
      }
      out.push(spec(rule, level, alert, expr, t, summary, value.source, runbookFor, inventory));
    }
  }
  return { rules: out, notExported };
}

/** The rules file (YAML) for an export, with a header and what could not be expressed as comments. */
export function prometheusRulesYaml(exported: PrometheusExport, header: readonly string[] = []): string {
  const groups: { name: string; rules: Record<string, unknown>[] }[] = [];
  for (const r of exported.rules) {
    let g = groups.find((x) => x.name === r.group);
    if (!g) groups.push((g = { name: r.group, rules: [] }));
    g.rules.push({
      alert: r.alert,
      expr: r.expr,
      ...(r.forSeconds > 0 ? { for: promDuration(r.forSeconds) } : {}),
      labels: { ...r.labels },
      annotations: { ...r.annotations },
    });
  }
  const lines = header.map((h) => `# ${h}`.trimEnd());
  const body = stringify({ groups }, { lineWidth: 0 });
  const tail: string[] = [];
  if (exported.notExported.length) {
    tail.push('', '# NOT EXPORTED:');
    for (const n of exported.notExported) tail.push(`# ${n.ruleId} (${n.names.join(', ')}): ${n.reason}`);
  }
  return `${[...lines, body.trimEnd(), ...tail].join('\n')}\n`;
}
