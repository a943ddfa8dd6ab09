import { decidingWords, whyNot, type StepFacts } from './conditionText.js';
import type { DecisionOption, DecisionStep, Step } from './schema.js';
import type { TemplateVars } from './template.js';
import { evaluateWhen, type StepOutcome } from './when.js';

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
 *
 * The reason is worded from the live facts (conditionText.ts): the checks behind the suggestion by their
 * titles and what they found, and for a default, why each other answer does not apply.
 */
export interface Suggestion {
  readonly option: DecisionOption;
  readonly rule: 'when' | 'default' | 'first';
  /** Why, in words, for the responder and the journal. */
  readonly reason: string;
}

/** Without facts, a step is named by its id (a suggestion made with no runbook at hand). */
const bare: StepFacts = (id) => ({ title: id });

export function suggestOption(step: DecisionStep, vars: TemplateVars, outcomes: ReadonlyMap<string, StepOutcome>, facts: StepFacts = bare, steps?: (id: string) => Step | undefined): Suggestion {
  for (const option of step.options) {
    if (option.when !== undefined && evaluateWhen(option.when, vars, outcomes) === 'yes') {
      return { option, rule: 'when', reason: decidingWords(option.when, vars, outcomes, facts, steps) };
    }
  }
  const byDefault = step.options.find((o) => o.default === true);
  const option = byDefault ?? step.options[0]!;
  const others = whyNot(step, option.id, vars, outcomes, facts, steps);
  const usual = byDefault ? "the runbook's usual answer" : "the first answer (the runbook marks none as usual)";
  return { option, rule: byDefault ? 'default' : 'first', reason: others.length ? `${usual}; ${others.join('; ')}` : usual };
}
