import { suggestOption } from '../decide.js';
import { outcomeText } from '../progress.js';
import type { StepRunner } from '../runState.js';
import { conditionsOf, PHASES, type DecisionStep, type Phase } from '../schema.js';
import { askMissing } from './params.js';

/**
 * A decision records the responder's choice (or the suggestion) and goes to its branch: a later step
 * or phase. The steps jumped over are journaled as skipped; returns the index to continue from.
 */
export const runDecision: StepRunner<DecisionStep> = async (run, s, at) => {
  const step = s.step;
  // An option that depends on a value the responder gives (the address to block) asks for it first, with its context.
  const wanted = new Set(
    step.options.flatMap((o) => conditionsOf(o.when).flatMap((c) => (c.var?.startsWith('params.') && run.vars[c.var] === undefined && Object.hasOwn(run.runbook.params, c.var.slice(7)) ? [c.var] : []))),
  );
  if (wanted.size) await askMissing(run, s, wanted);
  const suggestion = suggestOption(step, run.vars, run.outcomes, run.facts, run.stepById);
  const p = { kind: 'decision' as const, stepId: step.id, step, suggestion };
  const answer = await run.ask(p, () => run.options.responder.decide(p));
  const option = step.options.find((o) => o.id === answer) ?? suggestion.option;
  run.outcomes.set(step.id, { chose: option.id });
  s.view.chose = option.id;
  const why = option.id === suggestion.option.id ? ` (suggested: ${suggestion.reason})` : '';
  run.done(s, outcomeText({ chose: option.id }, `${option.label}${why}`));
  s.view.choseLabel = option.label;
  const { slots } = run;
  const target = (PHASES as readonly string[]).includes(option.goto)
    ? slots.findIndex((x) => PHASES.indexOf(x.phase) >= PHASES.indexOf(option.goto as Phase))
    : (run.byId.get(option.goto) ?? -1);
  const to = target < 0 ? slots.length : target;
  if (to <= at + 1) return undefined;
  const reason = `you chose “${option.label}” at “${step.title}”`;
  for (let i = at + 1; i < to; i++) {
    const j = slots[i]!;
    if (j.view.status === 'pending') run.skip(j, reason);
  }
  return to;
};
