import type { DecisionOption, DecisionStep } from './schema.js';
import type { TemplateVars } from './template.js';
import { evaluateWhen, resultText, type StepOutcome } from './when.js';

/**
 * Which answer of a decision fits the situation, by a deterministic rule:
 *
 *   1. the first option whose `when` holds (its conditions on variables and on earlier checks'
 *      results and decisions are all true; an unknown outcome does not count as true);
 *   2. otherwise the option marked `default: true`;
 *   3. otherwise the first option.
 *
 * The cockpit shows this as the suggestion (the responder decides); a headless drill takes it, which is
 * how a drill picks the remediation its scenario needs without a human: the runbook's checks look at
 * the world (a deployment shortly before the incident, a dependency down) and the options say which
 * answer each finding calls for.
 */
export interface Suggestion {
  readonly option: DecisionOption;
  readonly rule: 'when' | 'default' | 'first';
  /** Why, in words, for the responder and the journal. */
  readonly reason: string;
}

export function suggestOption(step: DecisionStep, vars: TemplateVars, outcomes: ReadonlyMap<string, StepOutcome>): Suggestion {
  for (const option of step.options) {
    if (option.when !== undefined && evaluateWhen(option.when, vars, outcomes) === 'yes') {
      return { option, rule: 'when', reason: `its condition holds (${describeWhen(option)})` };
    }
  }
  const byDefault = step.options.find((o) => o.default === true);
  if (byDefault) return { option: byDefault, rule: 'default', reason: 'no option\'s condition holds; this is the default' };
  return { option: step.options[0]!, rule: 'first', reason: 'no option\'s condition holds and none is the default; the first option' };
}

function describeWhen(option: DecisionOption): string {
  const list = option.when === undefined ? [] : Array.isArray(option.when) ? option.when : [option.when];
  return list
    .map((c) => {
      if (c.var !== undefined) return `${c.var} ${c.is !== undefined ? `is ${String(c.is)}` : `is not ${String(c.not)}`}`;
      if (c.result !== undefined) return `${c.step} ${resultText(c.result)}`;
      return `${c.step} chose ${String(c.chose)}`;
    })
    .join(' and ');
}
