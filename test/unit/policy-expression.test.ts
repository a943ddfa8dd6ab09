/** The metric math the policy's rules use (core/policy/expression.ts): evaluated as CloudWatch would, and written as PromQL. */
import { describe, expect, it } from 'vitest';
import {
  evaluateExpression,
  expressionIdentifiers,
  substituteIdentifiers,
  toPromQL,
} from '../../src/core/policy/expression.js';

describe('metric math', () => {
  const state = 'MAX([desired - running, deployments - 1])';
  it('evaluates MAX/MIN, arithmetic and precedence; a missing value or a division by zero is no value', () => {
    const v = (values: Record<string, number>) => (id: string) => values[id];
    expect(evaluateExpression(state, v({ desired: 2, running: 2, deployments: 1 }))).toBe(0);
    expect(evaluateExpression(state, v({ desired: 3, running: 1, deployments: 1 }))).toBe(2);
    expect(evaluateExpression(state, v({ desired: 2, running: 2, deployments: 2 }))).toBe(1);
    expect(
      evaluateExpression(
        '100 - 100 * free / (allocated_storage_gib * 1073741824)',
        v({ free: 50 * 1073741824, allocated_storage_gib: 200 }),
      ),
    ).toBe(75);
    expect(evaluateExpression('MIN([a, b, 3]) + -a * 2', v({ a: 1, b: 5 }))).toBe(-1);
    expect(evaluateExpression(state, v({ desired: 2, running: 2 }))).toBeUndefined();
    expect(evaluateExpression('a / b', v({ a: 1, b: 0 }))).toBeUndefined();
  });
  it('names its identifiers, refuses what it cannot read, and substitutes limits', () => {
    expect(expressionIdentifiers(state)).toEqual(['deployments', 'desired', 'running']);
    expect(() => expressionIdentifiers('100 - ')).toThrow(/ends too early/);
    expect(() => expressionIdentifiers('a ; b')).toThrow(/cannot read/);
    expect(
      substituteIdentifiers('100 - 100 * free / (allocated_storage_gib * 1073741824)', { allocated_storage_gib: 200 }),
    ).toBe('100 - 100 * free / (200 * 1073741824)');
  });
  it('writes MAX as (a >= b) or b in PromQL', () => {
    expect(toPromQL(state, (id) => `s_${id}`)).toBe(
      '(((s_desired - s_running) >= (s_deployments - 1)) or (s_deployments - 1))',
    );
    expect(() => toPromQL('a * limit', (id) => (id === 'a' ? 's_a' : undefined))).toThrow(/no value for limit/);
    expect(toPromQL('a * limit', (id) => (id === 'a' ? 's_a' : undefined), { limit: 2 })).toBe('(s_a * 2)');
  });
});
