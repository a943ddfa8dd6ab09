import type { AlertLevel, Health, Point } from '../model.js';
import type { PolicyRule } from './types.js';
import { formatValue } from './units.js';

/** What the evaluator is given: the rule's metric, one value per period, oldest first. */
export interface EvaluationInput {
  readonly series: readonly Point[];
  /**
   * For ratio and drop rules against a previous window: the value of the same period a day or a week
   * earlier, aligned by index with series (baseline[i] belongs to series[i]). A missing or zero
   * baseline makes that period impossible to judge, like a missing datapoint.
   */
  readonly baseline?: readonly (Point | undefined)[];
  /** For ratio rules against a limit (max_connections). */
  readonly limit?: number;
}

export interface Evaluation {
  /** 'insufficient' when too few periods could be judged (CloudWatch's INSUFFICIENT_DATA). */
  readonly level: Health | 'insufficient';
  /** The newest value, in the rule's unit. */
  readonly value?: number;
  /** What was compared with the threshold for the newest period: the value, a ratio, a drop or a run. */
  readonly observed?: number;
  /** The baseline or limit behind observed. */
  readonly reference?: number;
  /** The threshold of the level reached, or of the lowest level when nothing is breached. */
  readonly threshold?: number;
  /** Periods in the window that breach that threshold. */
  readonly breaching: number;
  readonly reason: string;
}

const LEVELS_DESC: readonly AlertLevel[] = ['critical', 'warning', 'info'];

/** The compared quantity for one period, or undefined when the period cannot be judged. */
export function observe(
  rule: PolicyRule,
  value: number | undefined,
  reference: number | undefined,
): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const c = rule.comparison;
  switch (c.kind) {
    case 'absolute':
    case 'consecutive':
    case 'state':
      return value;
    case 'ratio':
      return reference !== undefined && reference > 0 ? value / reference : undefined;
    case 'drop':
      return reference !== undefined && reference > 0 ? (reference - value) / reference : undefined;
  }
}

/** ≥ with a tolerance for binary fractions, so 0.3 of 1000 is a 30 % drop however it was computed. */
export function breaches(observed: number, threshold: number): boolean {
  return observed >= threshold - 1e-9 * Math.max(1, Math.abs(threshold));
}

/**
 * Evaluates a rule over its window the way CloudWatch does: the highest level for which at least
 * datapointsToAlarm of the last evaluationPeriods periods breach the threshold.
 */
export function evaluate(rule: PolicyRule, input: EvaluationInput): Evaluation {
  const { evaluationPeriods: n, datapointsToAlarm: m } = rule.evaluation;
  const start = Math.max(0, input.series.length - n);
  const observed: (number | undefined)[] = [];
  const references: (number | undefined)[] = [];
  for (let i = start; i < input.series.length; i++) {
    const reference = referenceFor(rule, input, i);
    references.push(reference);
    observed.push(observe(rule, input.series[i]?.v, reference));
  }
  const newest = input.series[input.series.length - 1]?.v;
  const newestObserved = observed[observed.length - 1];
  const newestReference = references[references.length - 1];
  const judged = observed.filter((o): o is number => o !== undefined);

  for (const level of LEVELS_DESC) {
    const threshold = rule.thresholds[level];
    if (threshold === undefined) continue;
    const count = judged.filter((o) => breaches(o, threshold)).length;
    if (count >= m) {
      return {
        level,
        value: newest,
        observed: newestObserved,
        reference: newestReference,
        threshold,
        breaching: count,
        reason: describe(rule, level, newest, newestObserved, newestReference, threshold, count),
      };
    }
  }
  const lowest = lowestThreshold(rule);
  if (judged.length < m) {
    return {
      level: 'insufficient',
      value: newest,
      observed: newestObserved,
      reference: newestReference,
      threshold: lowest?.threshold,
      breaching: 0,
      reason: `${rule.title.en}: ${judged.length} of the ${m} periods needed could be evaluated${missingReferenceNote(rule, newestReference)}`,
    };
  }
  const count = lowest ? judged.filter((o) => breaches(o, lowest.threshold)).length : 0;
  return {
    level: 'ok',
    value: newest,
    observed: newestObserved,
    reference: newestReference,
    threshold: lowest?.threshold,
    breaching: count,
    reason: describe(rule, 'ok', newest, newestObserved, newestReference, lowest?.threshold, count),
  };
}

function referenceFor(rule: PolicyRule, input: EvaluationInput, i: number): number | undefined {
  const c = rule.comparison;
  if (c.kind === 'ratio' && c.reference === 'limit') return input.limit;
  if (c.kind === 'ratio' || c.kind === 'drop') return input.baseline?.[i]?.v;
  return undefined;
}

function lowestThreshold(rule: PolicyRule): { level: AlertLevel; threshold: number } | undefined {
  for (const level of ['info', 'warning', 'critical'] as const) {
    const threshold = rule.thresholds[level];
    if (threshold !== undefined) return { level, threshold };
  }
  return undefined;
}

function missingReferenceNote(rule: PolicyRule, reference: number | undefined): string {
  const c = rule.comparison;
  if ((c.kind === 'ratio' || c.kind === 'drop') && !(reference !== undefined && reference > 0)) {
    return c.kind === 'ratio' && c.reference === 'limit'
      ? ` (no ${c.limitName ?? 'limit'} known)`
      : ` (no baseline ${phrase(c.reference)})`;
  }
  return '';
}

function phrase(reference: 'previous-day' | 'previous-week' | 'limit'): string {
  return reference === 'previous-day' ? 'a day earlier' : reference === 'previous-week' ? 'a week earlier' : 'limit';
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10} %`;
}

/** The reason in words, e.g. "CPU utilisation 93.5 % ≥ 90 % (critical) in 2 of the last 2 periods of 1 min". */
function describe(
  rule: PolicyRule,
  level: Health,
  value: number | undefined,
  observed: number | undefined,
  reference: number | undefined,
  threshold: number | undefined,
  count: number,
): string {
  const { evaluationPeriods: n, periodSeconds } = rule.evaluation;
  const period =
    periodSeconds % 3600 === 0
      ? `${periodSeconds / 3600} h`
      : periodSeconds % 60 === 0
        ? `${periodSeconds / 60} min`
        : `${periodSeconds} s`;
  const window = n === 1 ? `in the last period of ${period}` : `in ${count} of the last ${n} periods of ${period}`;
  const title = rule.title.en;
  const v = formatValue(value, rule.unit);
  const c = rule.comparison;
  const breached = level !== 'ok';
  if (threshold === undefined) return `${title}: no threshold`;
  const tail = breached ? ` (${level}) ${window}` : '';
  switch (c.kind) {
    case 'absolute':
      return breached
        ? `${title} ${v} ≥ ${formatValue(threshold, rule.unit)}${tail}`
        : `${title} ${v}, below ${formatValue(threshold, rule.unit)}`;
    case 'consecutive':
      return breached
        ? `${value ?? 0} ${title.toLowerCase()} in a row from one address ≥ ${threshold}${tail}`
        : `${value ?? 0} ${title.toLowerCase()} in a row at most, below ${threshold}`;
    case 'state':
      return breached ? `${rule.description.en}${tail}` : `${title}: healthy`;
    case 'ratio': {
      if (c.reference === 'limit') {
        const of = `${c.limitName ?? 'the limit'} ${formatValue(reference, rule.unit)}`;
        return breached
          ? `${title} ${v} = ${pct(observed ?? 0)} of ${of} ≥ ${pct(threshold)}${tail}`
          : `${title} ${v} = ${pct(observed ?? 0)} of ${of}, below ${pct(threshold)}`;
      }
      const x = `${Math.round((observed ?? 0) * 100) / 100} ×`;
      const against = `${v} against ${formatValue(reference, rule.unit)} ${phrase(c.reference)}`;
      return breached
        ? `${title} ${x} normal (${against}) ≥ ${threshold} ×${tail}`
        : `${title} ${x} normal (${against}), below ${threshold} ×`;
    }
    case 'drop': {
      const against = `${v} against ${formatValue(reference, rule.unit)} ${phrase(c.reference)}`;
      const how = (observed ?? 0) >= 0 ? `${pct(observed ?? 0)} lower` : `${pct(-(observed ?? 0))} higher`;
      return breached
        ? `${title} ${how} (${against}), a drop ≥ ${pct(threshold)}${tail}`
        : `${title} ${how} (${against}), a drop below ${pct(threshold)}`;
    }
  }
}
