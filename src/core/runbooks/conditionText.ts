import type { Condition, DecisionStep, Runbook, Step } from './schema.js';
import { conditionsOf, stepsOf, type When } from './schema.js';
import type { TemplateVars } from './template.js';
import { evaluateWhen, type StepOutcome } from './when.js';

/**
 * Conditions said for a person, from the runbook's own words: a step by its title, a decision's answer
 * by its label, a variable by what it names ("the alarm's service"), and what the live facts were (a
 * check's recorded detail). Never an internal id: `remedy chose scale` reads "you chose “…: scale out”".
 */

/** What the room knows of an earlier step: its title, and what it found (a check's detail). */
export interface StepFact {
  readonly title: string;
  readonly detail?: string;
}

export type StepFacts = (stepId: string) => StepFact | undefined;

/** Facts from a runbook alone: titles, no details (for a suggestion made outside a walk). */
export function runbookFacts(runbook: Runbook): StepFacts {
  const byId = new Map<string, Step>(stepsOf(runbook).map(({ step }) => [step.id, step]));
  return (id) => {
    const s = byId.get(id);
    return s ? { title: s.title } : undefined;
  };
}

const DIMENSION_WORDS: Readonly<Record<string, string>> = {
  ServiceName: 'service',
  ClusterName: 'cluster',
  DBInstanceIdentifier: 'database',
  QueueName: 'queue',
  FunctionName: 'function',
  Dependency: 'dependency',
};

/** A parameter's name as words: allocatedGiB → "allocated GiB", previousVersion → "previous version". */
export function spokenName(name: string): string {
  return name
    .replace(/_/g, ' ')
    .replace(/([a-z])(?=[A-Z][a-z])/g, '$1 ')
    .split(' ')
    .map((w) => (/^[A-Z][a-z]+$/.test(w) ? w.toLowerCase() : w))
    .join(' ');
}

/** A variable as words: alarm.dimensions.ServiceName → "the alarm's service". */
export function variableWords(name: string): string {
  const [head, second, third] = name.split('.');
  if (head === 'alarm' && second === 'dimensions' && third) return `the alarm's ${DIMENSION_WORDS[third] ?? third}`;
  if (head === 'params' && second) return `the ${spokenName(second)}`;
  if (head === 'findings' && third) return `the ${spokenName(third)} found in the ${second}`;
  if (head && second) return `the ${head}'s ${second}`;
  return name;
}

const list = (g: string | readonly string[] | undefined): readonly string[] => (g === undefined ? [] : typeof g === 'string' ? [g] : g);
const either = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`);

function optionLabel(step: Step | undefined, id: string): string {
  const o = step?.kind === 'decision' ? step.options.find((x) => x.id === id) : undefined;
  return o ? `“${o.label}”` : id;
}

/** One condition as a sentence, with the live detail behind it when the room has one. */
export function conditionWords(c: Condition, facts: StepFacts, steps?: (id: string) => Step | undefined, detail = true): string {
  if (c.var !== undefined) {
    const what = variableWords(c.var);
    if (c.is !== undefined) return list(c.is).includes('*') ? `${what} is known` : `${what} is ${either(list(c.is))}`;
    return `${what} is not ${either(list(c.not))}`;
  }
  const f = c.step !== undefined ? facts(c.step) : undefined;
  const title = f ? `“${f.title}”` : 'an earlier step';
  if (c.result !== undefined) {
    const verdict = c.result === 'pass' ? 'passed' : c.result === 'fail' ? 'failed' : 'had no data';
    return `${title} ${verdict}${detail && f?.detail ? ` (${f.detail})` : ''}`;
  }
  return `you chose ${either(list(c.chose).map((id) => optionLabel(c.step ? steps?.(c.step) : undefined, id)))} at ${title}`;
}

/** A `when` as one sentence (all its conditions), as the runbook states it (no live details). */
export function whenWords(when: When | undefined, facts: StepFacts, steps?: (id: string) => Step | undefined): string {
  return conditionsOf(when)
    .map((c) => conditionWords(c, facts, steps, false))
    .join(' and ');
}

/**
 * The conditions of a `when` that decide it, said as they are now: the ones that do not hold when it
 * does not, all of them when it does. "“No deployment in 6 h” failed (vitascope-api:43 deployed 12 min ago)".
 */
export function decidingWords(when: When | undefined, vars: TemplateVars, outcomes: ReadonlyMap<string, StepOutcome>, facts: StepFacts, steps?: (id: string) => Step | undefined): string {
  const conditions = conditionsOf(when);
  const failing = conditions.filter((c) => evaluateWhen(c, vars, outcomes) !== 'yes');
  return (failing.length ? failing : conditions).map((c) => conditionWords(c, facts, steps)).join(' and ');
}

/** A condition negated for a person: what was found instead of what the option needed. */
export function notHolding(c: Condition, vars: TemplateVars, outcomes: ReadonlyMap<string, StepOutcome>, facts: StepFacts, steps?: (id: string) => Step | undefined): string {
  const r = evaluateWhen(c, vars, outcomes);
  if (c.var !== undefined) {
    const v = vars[c.var];
    return v === undefined ? `${variableWords(c.var)} is not known yet` : `${variableWords(c.var)} is ${String(v)}`;
  }
  const f = c.step !== undefined ? facts(c.step) : undefined;
  const title = f ? `“${f.title}”` : 'an earlier step';
  const o = c.step !== undefined ? outcomes.get(c.step) : undefined;
  if (c.result !== undefined) {
    if (r === 'pending' || !o?.result) return `${title} has not been judged`;
    const verdict = o.result === 'pass' ? 'passed' : o.result === 'fail' ? 'failed' : 'had no data';
    return `${title} ${verdict}${f?.detail ? ` (${f.detail})` : ''}`;
  }
  if (!o?.chose) return `${title} is not decided yet`;
  return `you chose ${optionLabel(c.step ? steps?.(c.step) : undefined, o.chose)} at ${title}`;
}

/** Why a decision's other options were not suggested: each one's first condition that does not hold. */
export function whyNot(step: DecisionStep, exceptId: string, vars: TemplateVars, outcomes: ReadonlyMap<string, StepOutcome>, facts: StepFacts, steps?: (id: string) => Step | undefined): string[] {
  const out: string[] = [];
  for (const o of step.options) {
    if (o.id === exceptId || o.when === undefined) continue;
    const c = conditionsOf(o.when).find((x) => evaluateWhen(x, vars, outcomes) !== 'yes');
    if (c) out.push(`not “${o.label}”: ${notHolding(c, vars, outcomes, facts, steps)}`);
  }
  return out;
}

/**
 * The data the room's steps work with, said as facts for the screen: the alarm's dimensions (its service,
 * database…), the runbook's parameters as given or templated, and what the steps found (findings.*).
 */
export function roomFacts(vars: TemplateVars): { readonly label: string; readonly value: string }[] {
  const out: { label: string; value: string }[] = [];
  const seen = new Set<string>();
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined || v === '') continue;
    if (!(k.startsWith('alarm.dimensions.') || k.startsWith('params.') || k.startsWith('findings.'))) continue;
    const value = String(v);
    // A param templated from a dimension says the same thing twice: once is enough.
    if (k.startsWith('params.') && seen.has(value)) continue;
    seen.add(value);
    out.push({ label: variableWords(k).replace(/^the /, ''), value });
  }
  return out;
}
