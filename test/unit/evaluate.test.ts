import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/policy/evaluate.js';
import { DEFAULT_RULES } from '../../src/core/policy/rules.js';
import type { PolicyRule } from '../../src/core/policy/types.js';
import type { AlertLevel, Point } from '../../src/core/model.js';

const BASELINE = 1000;
const LIMIT = 400;

/** The raw metric value whose compared quantity (value, ratio, drop…) is `observed`. */
function valueFor(rule: PolicyRule, observed: number): number {
  const c = rule.comparison;
  if (c.kind === 'ratio') return observed * (c.reference === 'limit' ? LIMIT : BASELINE);
  if (c.kind === 'drop') return BASELINE * (1 - observed);
  return observed;
}

/** Just under a threshold: one step for whole-number comparisons, a hair for the others. */
function justBelow(rule: PolicyRule, threshold: number): number {
  const c = rule.comparison;
  if (c.kind === 'consecutive' || c.kind === 'state') return threshold - 1;
  return threshold - Math.max(1e-6, threshold * 1e-4);
}

function input(rule: PolicyRule, observedPerPeriod: readonly number[]) {
  const series: Point[] = observedPerPeriod.map((o, i) => ({ t: i * 60_000, v: valueFor(rule, o) }));
  const baseline = series.map((p) => ({ t: p.t - 7 * 86_400_000, v: BASELINE }));
  return { series, baseline, limit: LIMIT };
}

const LEVELS: readonly AlertLevel[] = ['info', 'warning', 'critical'];

function levelBelow(rule: PolicyRule, level: AlertLevel): AlertLevel | 'ok' {
  const lower = LEVELS.slice(0, LEVELS.indexOf(level)).filter((l) => rule.thresholds[l] !== undefined);
  return lower.length ? lower[lower.length - 1]! : 'ok';
}

describe('the policy evaluator on every row of the strategy tables', () => {
  it('has all eighteen rows', () => {
    expect(DEFAULT_RULES.map((r) => r.id)).toHaveLength(18);
    expect(new Set(DEFAULT_RULES.map((r) => r.id)).size).toBe(18);
  });

  for (const rule of DEFAULT_RULES) {
    for (const level of LEVELS) {
      const threshold = rule.thresholds[level];
      if (threshold === undefined) continue;
      const n = rule.evaluation.evaluationPeriods;
      const m = rule.evaluation.datapointsToAlarm;

      it(`${rule.id}: exactly at the ${level} threshold (${threshold}) is ${level}`, () => {
        const result = evaluate(rule, input(rule, Array(n).fill(threshold)));
        expect(result.level).toBe(level);
        expect(result.breaching).toBe(n);
        expect(result.reason).toContain(level);
      });

      it(`${rule.id}: just below the ${level} threshold is ${levelBelow(rule, level)}`, () => {
        const result = evaluate(rule, input(rule, Array(n).fill(justBelow(rule, threshold))));
        expect(result.level).toBe(levelBelow(rule, level));
      });

      it(`${rule.id}: ${level} needs ${m} of the last ${n} periods`, () => {
        const below = justBelow(rule, threshold);
        const enough = [...Array(n - m).fill(below), ...Array(m).fill(threshold)];
        expect(evaluate(rule, input(rule, enough)).level).toBe(level);
        if (m > 1) {
          const tooFew = [...Array(n - m + 1).fill(below), ...Array(m - 1).fill(threshold)];
          expect(evaluate(rule, input(rule, tooFew)).level).toBe(levelBelow(rule, level));
        }
      });
    }
  }
});

const rule = (id: string) => DEFAULT_RULES.find((r) => r.id === id)!;

describe('baselines and reasons', () => {
  it('judges network traffic against the same window a week earlier', () => {
    const r = rule('network-traffic');
    const series = [
      { t: 0, v: 3300 },
      { t: 300_000, v: 3600 },
    ];
    const result = evaluate(r, {
      series,
      baseline: [
        { t: -1, v: 1100 },
        { t: -1, v: 1200 },
      ],
    });
    expect(result.level).toBe('warning');
    expect(result.observed).toBeCloseTo(3, 6);
    expect(result.reference).toBe(1200);
    expect(result.reason).toMatch(/3 × normal .*a week earlier.* ≥ 3 ×/);
  });

  it('reports a drop against the previous day as a percentage', () => {
    const r = rule('active-sessions');
    const series = [0, 1, 2].map((i) => ({ t: i, v: 650 }));
    const baseline = [0, 1, 2].map((i) => ({ t: i, v: 1000 }));
    const result = evaluate(r, { series, baseline });
    expect(result.level).toBe('warning');
    expect(result.reason).toContain('35 % lower');
    expect(result.reason).toContain('a day earlier');
  });

  it('a rise is not a drop', () => {
    const r = rule('daily-active-users');
    const result = evaluate(r, { series: [{ t: 0, v: 1500 }], baseline: [{ t: 0, v: 1000 }] });
    expect(result.level).toBe('ok');
    expect(result.reason).toContain('50 % higher');
  });

  it('cannot judge a ratio without its baseline, or against a zero baseline', () => {
    const r = rule('api-call-rate');
    expect(evaluate(r, { series: [{ t: 0, v: 5000 }] }).level).toBe('insufficient');
    const zero = evaluate(r, { series: [{ t: 0, v: 5000 }], baseline: [{ t: 0, v: 0 }] });
    expect(zero.level).toBe('insufficient');
    expect(zero.reason).toContain('no baseline a week earlier');
  });

  it('judges RDS connections against max_connections', () => {
    const r = rule('rds-connections');
    const series = [0, 1, 2].map((t) => ({ t, v: 320 }));
    const at = evaluate(r, { series, limit: 400 });
    expect(at.level).toBe('warning');
    expect(at.reason).toContain('80 % of max_connections 400 conns');
    expect(evaluate(r, { series: series.map((p) => ({ ...p, v: 319 })), limit: 400 }).level).toBe('ok');
    expect(evaluate(r, { series }).level).toBe('insufficient');
  });

  it('says why in words, with units', () => {
    const r = rule('cpu-utilization');
    const result = evaluate(r, {
      series: [
        { t: 0, v: 93.46 },
        { t: 60_000, v: 95.2 },
      ],
    });
    expect(result.reason).toBe('CPU utilisation 95.2 % ≥ 90 % (critical) in 2 of the last 2 periods of 1 min');
    const ok = evaluate(r, {
      series: [
        { t: 0, v: 40 },
        { t: 60_000, v: 45.24 },
      ],
    });
    expect(ok.reason).toBe('CPU utilisation 45.2 %, below 70 %');
    const latency = evaluate(rule('api-latency-p95'), { series: [0, 1, 2].map((t) => ({ t, v: 1234 })) });
    expect(latency.reason).toContain('1.23 s ≥ 1 s (critical)');
  });

  it('counts a missing datapoint as not breaching and reports insufficient data when too few remain', () => {
    const r = rule('api-latency-p95');
    const result = evaluate(r, {
      series: [
        { t: 0, v: 1200 },
        { t: 1, v: Number.NaN },
        { t: 2, v: 1200 },
      ],
    });
    expect(result.level).toBe('insufficient');
    expect(evaluate(r, { series: [] }).level).toBe('insufficient');
  });

  it('judges only the last evaluationPeriods points', () => {
    const r = rule('cpu-utilization');
    const old = [
      { t: 0, v: 99 },
      { t: 1, v: 99 },
    ];
    expect(evaluate(r, { series: [...old, { t: 2, v: 10 }, { t: 3, v: 10 }] }).level).toBe('ok');
  });
});
