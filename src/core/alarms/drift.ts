import type { AlertLevel } from '../model.js';
import type { PolicyRule } from '../policy/types.js';
import { ruleIdForAlarmName } from '../runbooks/match.js';
import type { CloudWatchAlarmSpec, CloudWatchExport, RunbookLookup } from './cloudwatch.js';
import { putMetricAlarmRequest, TREAT_MISSING } from './cloudwatch.js';
import { MANAGED_PREFIX, type AlarmTarget } from './inventory.js';
import type { PrometheusExport, PromRuleSpec } from './prometheusRules.js';
import { promDuration } from './prometheusRules.js';
import {
  deployedMetricRef,
  deployedPeriod,
  describeDeployedMetric,
  dimsKey,
  noDataFindings,
  type DeployedMetricAlarm,
} from './deployed.js';

export { evaluationWindowSeconds, noDataFindings, type DeployedMetricAlarm } from './deployed.js';

/**
 * What is deployed against what the policy asks for (pure): the findings `alarms audit` reports and
 * the plan `alarms apply` carries out. Only alarms whose names start with "vitascope-" are the
 * policy's; the rest belong to someone else and are only counted.
 */

export type DriftKind =
  | 'missing'
  | 'extra'
  | 'threshold'
  | 'period'
  | 'evaluation'
  | 'metric'
  | 'expression'
  | 'severity'
  | 'actions'
  | 'no-action'
  | 'no-runbook'
  | 'no-data'
  | 'broken';

export interface Finding {
  readonly target: AlarmTarget;
  readonly kind: DriftKind;
  readonly alarm: string;
  readonly ruleId?: string;
  readonly level?: AlertLevel;
  readonly message: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** Whether `alarms apply` puts it right (CloudWatch only). */
  readonly fixable: boolean;
}

export interface Note {
  readonly target: AlarmTarget;
  readonly alarm: string;
  readonly message: string;
}

export interface AuditResult {
  readonly findings: readonly Finding[];
  /** Deployed policy-named alarms the export does not manage (rules the target cannot express). */
  readonly notes: readonly Note[];
  readonly expected: number;
  /** Deployed alarms with the policy's prefix. */
  readonly deployed: number;
  /** Deployed alarms without it (someone else's), left out of the audit. */
  readonly ignored: number;
}

/** A deployed Prometheus alerting rule (the adapter's PromAlertingRule fits). */
export interface DeployedPromRule {
  readonly name: string;
  readonly query: string;
  readonly durationSeconds: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly health?: string;
  readonly lastError?: string;
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = [...new Set(a ?? [])].sort();
  const y = [...new Set(b ?? [])].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function squash(text: string | undefined): string {
  return (text ?? '').replace(/\s+/g, '');
}

function describeSpecMetric(s: CloudWatchAlarmSpec): string {
  const m = s.metric;
  if (m.kind === 'metric') return `${m.namespace} ${m.name} ${m.statistic}{${dimsKey(m.dimensions)}}`;
  return `${m.expression} with ${m.inputs.map((i) => `${i.id}=${i.namespace} ${i.name} ${i.stat}{${dimsKey(i.dimensions)}}`).join('; ')}`;
}

function metricMatches(s: CloudWatchAlarmSpec, d: DeployedMetricAlarm): boolean {
  const m = s.metric;
  if (d.ThresholdMetricId) return false;
  if (m.kind === 'metric') {
    if (d.Metrics?.length) return false;
    return (
      d.Namespace === m.namespace &&
      d.MetricName === m.name &&
      (d.Statistic ?? d.ExtendedStatistic) === m.statistic &&
      dimsKey(d.Dimensions) === dimsKey(m.dimensions)
    );
  }
  const metrics = d.Metrics ?? [];
  const returned = metrics.filter((q) => q.ReturnData !== false && q.Expression !== undefined);
  if (returned.length !== 1 || squash(returned[0]!.Expression) !== squash(m.expression)) return false;
  const stats = metrics.filter((q) => q.MetricStat);
  if (stats.length !== m.inputs.length) return false;
  return m.inputs.every((i) => {
    const q = stats.find((x) => x.Id === i.id)?.MetricStat;
    return (
      q !== undefined &&
      q.Metric?.Namespace === i.namespace &&
      q.Metric?.MetricName === i.name &&
      q.Stat === i.stat &&
      dimsKey(q.Metric?.Dimensions) === dimsKey(i.dimensions)
    );
  });
}

/** How a deployed alarm differs from its spec (runbooks are checked separately). */
export function compareCloudWatch(spec: CloudWatchAlarmSpec, d: DeployedMetricAlarm): Finding[] {
  const base = { target: 'cloudwatch' as const, alarm: spec.name, ruleId: spec.ruleId, level: spec.level };
  const out: Finding[] = [];
  if (d.Threshold === undefined || !near(d.Threshold, spec.threshold) || d.ComparisonOperator !== spec.comparison) {
    const op =
      d.ComparisonOperator === spec.comparison
        ? ''
        : ` (${d.ComparisonOperator ?? 'no comparison'}, policy ${spec.comparison})`;
    out.push({
      ...base,
      kind: 'threshold',
      message: `threshold ${d.Threshold ?? 'none'}, policy ${spec.threshold}${op}`,
      expected: spec.threshold,
      actual: d.Threshold,
      fixable: true,
    });
  }
  const period = deployedPeriod(d);
  if (period !== spec.periodSeconds)
    out.push({
      ...base,
      kind: 'period',
      message: `period ${period ?? 'none'} s, policy ${spec.periodSeconds} s`,
      expected: spec.periodSeconds,
      actual: period,
      fixable: true,
    });
  const n = d.EvaluationPeriods;
  const m = d.DatapointsToAlarm ?? n;
  const missing = d.TreatMissingData ?? 'missing';
  if (n !== spec.evaluationPeriods || m !== spec.datapointsToAlarm || missing !== spec.treatMissingData) {
    const was = `${m ?? '?'} of ${n ?? '?'} periods${missing !== TREAT_MISSING ? `, missing data ${missing}` : ''}`;
    out.push({
      ...base,
      kind: 'evaluation',
      message: `${was}, policy ${spec.datapointsToAlarm} of ${spec.evaluationPeriods}${missing !== spec.treatMissingData ? `, missing data ${spec.treatMissingData}` : ''}`,
      expected: {
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        treatMissingData: spec.treatMissingData,
      },
      actual: { evaluationPeriods: n, datapointsToAlarm: m, treatMissingData: missing },
      fixable: true,
    });
  }
  if (!metricMatches(spec, d))
    out.push({
      ...base,
      kind: 'metric',
      message: `watches ${describeDeployedMetric(d)}; policy: ${describeSpecMetric(spec)}`,
      fixable: true,
    });
  const hasActions = spec.alarmActions.length > 0;
  if (d.ActionsEnabled === false || !d.AlarmActions?.length) {
    const why = d.ActionsEnabled === false ? 'its actions are disabled' : 'it notifies nobody (no alarm action)';
    out.push({
      ...base,
      kind: 'no-action',
      message: `${why}${hasActions ? '' : '; no actions are configured for this level'}`,
      fixable: hasActions,
    });
  } else if (hasActions && (!sameSet(d.AlarmActions, spec.alarmActions) || !sameSet(d.OKActions, spec.okActions))) {
    out.push({
      ...base,
      kind: 'actions',
      message: `notifies ${[...(d.AlarmActions ?? [])].join(', ')} (OK: ${[...(d.OKActions ?? [])].join(', ') || 'none'}); configured: ${spec.alarmActions.join(', ')} (OK: ${spec.okActions.join(', ') || 'none'})`,
      expected: { alarmActions: spec.alarmActions, okActions: spec.okActions },
      actual: { alarmActions: d.AlarmActions, okActions: d.OKActions },
      fixable: true,
    });
  }
  return out;
}

/** CloudWatch: deployed metric alarms against the export. */
export function auditCloudWatch(
  expected: CloudWatchExport,
  deployed: readonly DeployedMetricAlarm[],
  options: {
    readonly rules: readonly PolicyRule[];
    readonly runbookFor: RunbookLookup;
    /** Datapoints of each alarm's metric in its evaluation window, and the time: alarms that see nothing are findings. */
    readonly data?: { readonly datapoints: ReadonlyMap<string, number | undefined>; readonly now: number };
  },
): AuditResult {
  const findings: Finding[] = [];
  const notes: Note[] = [];
  const ours = deployed.filter((d) => d.AlarmName?.startsWith(MANAGED_PREFIX));
  const byName = new Map(ours.map((d) => [d.AlarmName!, d]));
  const unmanaged = new Map(expected.notExported.flatMap((n) => n.names.map((name) => [name, n] as const)));
  const wanted = new Set(expected.alarms.map((a) => a.name));
  for (const spec of expected.alarms) {
    const d = byName.get(spec.name);
    if (!d) {
      findings.push({
        target: 'cloudwatch',
        kind: 'missing',
        alarm: spec.name,
        ruleId: spec.ruleId,
        level: spec.level,
        message: `not deployed (policy rule ${spec.ruleId}, ${spec.level})`,
        fixable: true,
      });
      continue;
    }
    findings.push(...compareCloudWatch(spec, d));
  }
  for (const d of ours) {
    const name = d.AlarmName!;
    const ruleId = ruleIdForAlarmName(name, options.rules);
    if (!wanted.has(name)) {
      const n = unmanaged.get(name);
      if (n)
        notes.push({
          target: 'cloudwatch',
          alarm: name,
          message: `deployed by hand: the policy cannot express rule ${n.ruleId} in CloudWatch, so it is not managed`,
        });
      else
        findings.push({
          target: 'cloudwatch',
          kind: 'extra',
          alarm: name,
          ruleId,
          message: ruleId
            ? `not in the policy for these resources (rule ${ruleId}); delete it or add its resource`
            : 'not in the policy',
          fixable: false,
        });
      // Our own alarms are checked for actions in compareCloudWatch; these only here.
      if (d.ActionsEnabled === false || !d.AlarmActions?.length)
        findings.push({
          target: 'cloudwatch',
          kind: 'no-action',
          alarm: name,
          ruleId,
          message: d.ActionsEnabled === false ? 'its actions are disabled' : 'it notifies nobody (no alarm action)',
          fixable: false,
        });
    }
    if (!options.runbookFor({ name, ruleId, metric: deployedMetricRef(d) }))
      findings.push({
        target: 'cloudwatch',
        kind: 'no-runbook',
        alarm: name,
        ruleId,
        message: 'no runbook matches it (only the default runbook would)',
        fixable: false,
      });
  }
  if (options.data) findings.push(...noDataFindings(ours, options.data.datapoints, options.data.now, options.rules));
  return {
    findings: sortFindings(findings),
    notes,
    expected: expected.alarms.length,
    deployed: ours.length,
    ignored: deployed.length - ours.length,
  };
}

const ORDER: readonly DriftKind[] = [
  'missing',
  'extra',
  'broken',
  'no-data',
  'threshold',
  'period',
  'evaluation',
  'metric',
  'expression',
  'severity',
  'actions',
  'no-action',
  'no-runbook',
];

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.target.localeCompare(b.target) ||
      ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) ||
      a.alarm.localeCompare(b.alarm),
  );
}

/** An expression split into what is compared and the trailing comparison with a number. */
export function splitComparison(expr: string): { base: string; op?: string; threshold?: number } {
  const m = /^(.*?)\s*(>=|<=|==|!=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/s.exec(expr.trim());
  if (!m) return { base: expr.trim() };
  return { base: m[1]!, op: m[2]!, threshold: Number(m[3]) };
}

/**
 * Whitespace-blind, blind to the empty matcher braces Prometheus drops when it prints a query, and to how
 * it writes a number (1073741824 comes back as 1.073741824e+09).
 */
export function normalisePromQL(expr: string): string {
  return expr
    .replace(/\s+/g, '')
    .replace(/\{\}/g, '')
    .replace(/(?<![\w.])(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w.])/g, (n) => String(Number(n)));
}

/** Prometheus: deployed alerting rules against the export. */
export function auditPrometheus(expected: PrometheusExport, deployed: readonly DeployedPromRule[]): AuditResult {
  const findings: Finding[] = [];
  const ours = deployed.filter((d) => d.name.startsWith(MANAGED_PREFIX));
  const byName = new Map<string, DeployedPromRule[]>();
  for (const d of ours) byName.set(d.name, [...(byName.get(d.name) ?? []), d]);
  const wanted = new Set(expected.rules.map((r) => r.alert));
  for (const spec of expected.rules) {
    const found = byName.get(spec.alert);
    const base = {
      target: 'prometheus' as const,
      alarm: spec.alert,
      ruleId: spec.ruleId,
      level: spec.level,
      fixable: false,
    };
    if (!found) {
      findings.push({
        ...base,
        kind: 'missing',
        message: `no alerting rule ${spec.alert} (policy rule ${spec.ruleId}, ${spec.level})`,
      });
      continue;
    }
    if (found.length > 1) findings.push({ ...base, kind: 'extra', message: `defined ${found.length} times` });
    for (const d of found) findings.push(...comparePrometheus(spec, d));
  }
  for (const [name, list] of byName) {
    if (wanted.has(name)) continue;
    const d = list[0]!;
    const ruleId = d.labels.policy_rule;
    findings.push({
      target: 'prometheus',
      kind: 'extra',
      alarm: name,
      ruleId,
      message: 'not in the policy',
      fixable: false,
    });
    if (!d.annotations.runbook && !d.annotations.runbook_url)
      findings.push({
        target: 'prometheus',
        kind: 'no-runbook',
        alarm: name,
        ruleId,
        message: 'no runbook or runbook_url annotation',
        fixable: false,
      });
  }
  return {
    findings: sortFindings(findings),
    notes: [],
    expected: expected.rules.length,
    deployed: ours.length,
    ignored: deployed.length - ours.length,
  };
}

export function comparePrometheus(spec: PromRuleSpec, d: DeployedPromRule): Finding[] {
  const base = {
    target: 'prometheus' as const,
    alarm: spec.alert,
    ruleId: spec.ruleId,
    level: spec.level,
    fixable: false,
  };
  const out: Finding[] = [];
  if (d.health === 'err')
    out.push({ ...base, kind: 'broken', message: `evaluation fails: ${d.lastError ?? 'no reason given'}` });
  const want = splitComparison(spec.expr);
  const got = splitComparison(d.query);
  if (got.op !== want.op || got.threshold === undefined || !near(got.threshold, want.threshold!))
    out.push({
      ...base,
      kind: 'threshold',
      message: `${got.op ?? 'no comparison'} ${got.threshold ?? ''}`.trim() + `, policy ${want.op} ${want.threshold}`,
      expected: want.threshold,
      actual: got.threshold,
    });
  if (normalisePromQL(got.base) !== normalisePromQL(want.base))
    out.push({
      ...base,
      kind: 'expression',
      message: `expression ${got.base}; policy: ${want.base}`,
      expected: want.base,
      actual: got.base,
    });
  if (d.durationSeconds !== spec.forSeconds)
    out.push({
      ...base,
      kind: 'evaluation',
      message: `for ${promDuration(d.durationSeconds)}, policy ${promDuration(spec.forSeconds)}`,
      expected: spec.forSeconds,
      actual: d.durationSeconds,
    });
  if (d.labels.severity !== spec.labels.severity)
    out.push({
      ...base,
      kind: 'severity',
      message: `severity ${d.labels.severity ?? 'none'}, policy ${spec.labels.severity}`,
      expected: spec.labels.severity,
      actual: d.labels.severity,
    });
  if (!d.annotations.runbook && !d.annotations.runbook_url)
    out.push({ ...base, kind: 'no-runbook', message: 'no runbook or runbook_url annotation' });
  return out;
}

/** Both targets' results as one. */
export function mergeAudits(results: readonly AuditResult[]): AuditResult {
  return {
    findings: results.flatMap((r) => r.findings),
    notes: results.flatMap((r) => r.notes),
    expected: results.reduce((s, r) => s + r.expected, 0),
    deployed: results.reduce((s, r) => s + r.deployed, 0),
    ignored: results.reduce((s, r) => s + r.ignored, 0),
  };
}

export type PlanAction = 'create' | 'update' | 'unchanged';

export interface PlanItem {
  readonly action: PlanAction;
  readonly spec: CloudWatchAlarmSpec;
  /** What differs, for updates. */
  readonly changes: readonly string[];
  /** The PutMetricAlarm request that carries it out (absent for unchanged). */
  readonly request?: Record<string, unknown>;
}

export interface ApplyPlan {
  readonly items: readonly PlanItem[];
  /** Policy-named alarms apply leaves alone (never deletes): extra ones and hand-made ones for inexpressible rules. */
  readonly leftAlone: readonly string[];
  /** Findings apply cannot put right (no runbook, no actions configured). */
  readonly unfixable: readonly Finding[];
}

/** What `alarms apply` would do: create what is missing, update what drifted, touch nothing else. */
export function planApply(
  expected: CloudWatchExport,
  deployed: readonly DeployedMetricAlarm[],
  options: { readonly rules: readonly PolicyRule[]; readonly runbookFor: RunbookLookup },
): ApplyPlan {
  const audit = auditCloudWatch(expected, deployed, options);
  const byAlarm = new Map<string, Finding[]>();
  for (const f of audit.findings) byAlarm.set(f.alarm, [...(byAlarm.get(f.alarm) ?? []), f]);
  const items = expected.alarms.map((spec): PlanItem => {
    const found = byAlarm.get(spec.name) ?? [];
    if (found.some((f) => f.kind === 'missing'))
      return { action: 'create', spec, changes: [], request: putMetricAlarmRequest(spec) };
    const fixable = found.filter((f) => f.fixable);
    return fixable.length
      ? {
          action: 'update',
          spec,
          changes: fixable.map((f) => `${f.kind}: ${f.message}`),
          request: putMetricAlarmRequest(spec),
        }
      : { action: 'unchanged', spec, changes: [] };
  });
  const wanted = new Set(expected.alarms.map((a) => a.name));
  const leftAlone = deployed
    .map((d) => d.AlarmName ?? '')
    .filter((n) => n.startsWith(MANAGED_PREFIX) && !wanted.has(n))
    .sort();
  return { items, leftAlone, unfixable: audit.findings.filter((f) => !f.fixable && wanted.has(f.alarm)) };
}
