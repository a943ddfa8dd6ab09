import type { MetricQuery } from '../../sources/ports.js';
import { expressionIdentifiers } from './expression.js';
import type { MetricBinding } from './types.js';

/** The capacity limits a binding's metric math needs (allocated_storage_gib…), none for the others. */
export function limitsNeeded(binding: MetricBinding): string[] {
  const e = binding.expression;
  return e
    ? expressionIdentifiers(e.text).filter((id) => !Object.hasOwn(e.inputs, id) && !/^(MAX|MIN)$/i.test(id))
    : [];
}

/**
 * The query that reads a rule's value the way its alarm computes it: the metric, a rate, or its metric
 * math with the resource's limits. Undefined when the math needs a limit that is not given.
 */
export function bindingQuery(
  id: string,
  binding: MetricBinding,
  dimensions: Readonly<Record<string, string>>,
  limits: Readonly<Record<string, number>> = {},
): MetricQuery | undefined {
  const metric = { namespace: binding.namespace, name: binding.name, dimensions };
  const e = binding.expression;
  if (e) {
    const needed = limitsNeeded(binding);
    if (needed.some((l) => limits[l] === undefined)) return undefined;
    return {
      id,
      metric,
      statistic: binding.statistic,
      expression: {
        text: e.text,
        inputs: e.inputs,
        ...(needed.length ? { constants: Object.fromEntries(needed.map((l) => [l, limits[l]!])) } : {}),
      },
    };
  }
  return {
    id,
    metric,
    statistic: binding.statistic,
    ...(binding.denominator ? { denominator: binding.denominator } : {}),
  };
}
