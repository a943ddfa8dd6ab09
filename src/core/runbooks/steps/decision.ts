import { suggestOption } from '../decide.js';
import { outcomeText } from '../progress.js';
import type { StepRunner } from '../runState.js';
import { PHASES, type DecisionStep, type Phase } from '../schema.js';

/**
 * A decision records the responder's choice (or the suggestion) and goes to its branch: a later step
 * or phase. The steps jumped over are journaled as skipped; returns the index to continue from.
 */
export const runDecision: StepRunner<DecisionStep> = async (run, s, at) => {
  const step = s.step;
  const suggestion = suggestOption(step, run.vars, run.outcomes);
  const p = { kind: 'decision' as const, stepId: step.id, step, suggestion };
  const answer = await run.ask(p, () => run.options.responder.decide(p));
  const option = step.options.find((o) => o.id === answer) ?? suggestion.option;
  run.outcomes.set(step.id, { chose: option.id });
  s.view.chose = option.id;
  const why = option.id === suggestion.option.id ? ` (suggested: ${suggestion.reason})` : '';
  run.done(s, outcomeText({ chose: option.id }, `${option.label}${why}`));
  const { slots } = run;
  const target = (PHASES as readonly string[]).includes(option.goto)
    ? slots.findIndex((x) => PHASES.indexOf(x.phase) >= PHASES.indexOf(option.goto as Phase))
    : (run.byId.get(option.goto) ?? -1);
  const to = target < 0 ? slots.length : target;
  if (to <= at + 1) return undefined;
  const reason = `decision ${step.id} chose ${option.id}: went to ${option.goto}`;
  for (let i = at + 1; i < to; i++) {
    const j = slots[i]!;
    if (j.view.status === 'pending') run.skip(j, reason);
  }
  return to;
};
