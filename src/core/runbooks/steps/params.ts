import { answerParam, paramPrompt } from '../paramPrompt.js';
import type { RunState, Slot } from '../runState.js';
import type { ActionStep, CommandStep } from '../schema.js';
import { renderValue, type TemplateValue } from '../template.js';

/**
 * Parameters are asked for when a step needs them, not when the room opens: by then the room has
 * looked at the incident (a logs step's address, the database's allocation), so the question comes
 * with what it is for, the current value and a suggestion (paramPrompt.ts). What the responder gave is
 * remembered so that a retry can offer it again.
 */
export async function askMissing(run: RunState, s: Slot, missing: ReadonlySet<string>): Promise<string | undefined> {
  const step = s.step;
  const withNow = step.kind === 'action' ? (renderValue(step.with ?? {}, run.vars) as Record<string, TemplateValue | undefined>) : {};
  for (const variable of missing) {
    const m = /^params\.(.+)$/.exec(variable);
    if (!m || !Object.hasOwn(run.runbook.params, m[1]!)) continue;
    const name = m[1]!;
    const prompt = await paramPrompt(
      run.runbook,
      name,
      step.kind === 'action' || step.kind === 'command' ? (step as ActionStep | CommandStep) : undefined,
      { sources: run.options.sources, alarm: run.options.alarm, vars: run.vars, signal: run.stopController.signal, ...(Object.hasOwn(run.previous, name) ? { previous: run.previous[name] } : {}) },
      withNow,
    );
    const given = await run.ask(prompt, () => run.options.responder.param(prompt));
    if (given === undefined || given === '') continue;
    // The room checks as the responder types; a drill's value or a script's is checked here.
    const checked = answerParam(prompt, String(given));
    if (checked.error) return `${name}: ${checked.error}`;
    if (checked.value !== undefined) {
      run.given[name] = checked.value;
      run.asked.add(name);
    }
  }
  run.vars = run.makeVars();
  return undefined;
}
