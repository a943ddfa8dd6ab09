import type { CheckOutcome } from './checks.js';
import { patternMatches } from './match.js';
import { conditionsOf, type Condition, type When } from './schema.js';
import type { TemplateVars } from './template.js';

/**
 * Whether a step applies (its `when`). Conditions are data, never expressions: a variable against
 * globs, or an earlier step's outcome. An outcome that is not known yet (the check has not run, the
 * decision is not taken) is "pending": the cockpit shows the step greyed out instead of guessing.
 */

export interface StepOutcome {
  /** A check's last result; no-data satisfies neither `result: pass` nor `result: fail`. */
  readonly result?: CheckOutcome;
  /** A decision's chosen option id. */
  readonly chose?: string;
}

export type WhenResult = 'yes' | 'no' | 'pending';

/** A check's outcome in a sentence: "passed", "failed", "had no data". */
export function resultText(result: CheckOutcome): string {
  return result === 'pass' ? 'passed' : result === 'fail' ? 'failed' : 'had no data';
}

const list = (g: string | readonly string[] | undefined): readonly string[] => (g === undefined ? [] : typeof g === 'string' ? [g] : g);

/** All conditions must hold: any "no" makes it no, otherwise any "pending" makes it pending. */
export function evaluateWhen(when: When | undefined, vars: TemplateVars, outcomes: ReadonlyMap<string, StepOutcome>): WhenResult {
  const results = conditionsOf(when).map((c) => evaluateCondition(c, vars, outcomes));
  return results.includes('no') ? 'no' : results.includes('pending') ? 'pending' : 'yes';
}

function evaluateCondition(when: Condition, vars: TemplateVars, outcomes: ReadonlyMap<string, StepOutcome>): WhenResult {
  if (when.var !== undefined) {
    const v = Object.hasOwn(vars, when.var) ? vars[when.var] : undefined;
    if (v === undefined) return 'pending';
    const text = String(v);
    if (when.is !== undefined && !list(when.is).some((p) => patternMatches(p, text))) return 'no';
    if (when.not !== undefined && list(when.not).some((p) => patternMatches(p, text))) return 'no';
    return 'yes';
  }
  if (when.step !== undefined) {
    const o = outcomes.get(when.step);
    if (when.result !== undefined) return o?.result === undefined ? 'pending' : o.result === when.result ? 'yes' : 'no';
    if (when.chose !== undefined) return o?.chose === undefined ? 'pending' : list(when.chose).includes(o.chose) ? 'yes' : 'no';
  }
  return 'yes';
}
