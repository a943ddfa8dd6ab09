import type { RunState } from './runState.js';
import { conditionsOf } from './schema.js';
import { runStep } from './steps/index.js';
import { waitFor } from './waiting.js';
import { notHolding, whenWords } from './conditionText.js';
import { evaluateWhen } from './when.js';

/**
 * The phases walk: detect → triage → investigate → resolve → postmortem, step by step, from where the
 * journal says. Steps already done or skipped are passed over; a step whose `when` does not hold is
 * skipped with the reason; every other step runs by its kind (steps/), which may jump ahead (a decision).
 */

/**
 * Parameters without a value are no longer asked before the walk: the step that needs one asks for it
 * (steps/params.ts), with the context the room has by then. Kept for the runner's order of work.
 */
export async function askParams(run: RunState): Promise<void> {
  run.vars = run.makeVars();
}

/** Walks from the first step not yet done or skipped to the end, or until the walk is stopped. */
export async function walk(run: RunState): Promise<void> {
  const { slots, outcomes } = run;
  let at = 0;
  run.rewindTo = undefined;
  run.handover = undefined;
  while (at < slots.length && !run.stopped) {
    const s = slots[at]!;
    if (s.view.status === 'done' || s.view.status === 'skipped') {
      // A decision taken earlier that handed the room over: this runbook's walk ends there (a resume too).
      run.handover = run.handoverOf(s);
      if (run.handover) break;
      at += 1;
      continue;
    }
    run.current = s.step.id;
    run.enter(s.phase);
    const when = evaluateWhen(s.step.when, run.vars, outcomes);
    if (when !== 'yes') {
      // A check without data neither passed nor failed: its branches are not taken, and the reason says why.
      const unjudged = conditionsOf(s.step.when).filter((c) => c.step !== undefined && c.result !== undefined && c.result !== 'no-data' && outcomes.get(c.step)?.result === 'no-data');
      const needs = whenWords(s.step.when, run.facts, run.stepById);
      const found = conditionsOf(s.step.when)
        .filter((c) => evaluateWhen(c, run.vars, outcomes) !== 'yes')
        .map((c) => notHolding(c, run.vars, outcomes, run.facts, run.stepById));
      run.skip(
        s,
        when === 'no' && unjudged.length
          ? `cannot tell: it is for when ${needs}, but ${unjudged.map((c) => notHolding(c, run.vars, outcomes, run.facts, run.stepById)).join(' and ')}`
          : when === 'no'
            ? `not needed: it is for when ${needs}; ${found.join(' and ')}`
            : `cannot tell: it is for when ${needs}, and ${found.join(' and ')}`,
      );
      at += 1;
      continue;
    }
    run.setStatus(s, 'running');
    run.record({ kind: 'step.started', payload: run.stepPayload(s) });
    const next = await runStep(run, s, at);
    run.handover = run.handoverOf(s);
    if (run.handover) {
      run.emit({ type: 'step', stepId: s.step.id, status: s.view.status });
      break;
    }
    await waitFor(run, run.options.stepTimeMs ?? 0);
    at = next ?? at + 1;
    // A step retried meanwhile (runner.retry) behind where the walk is: go back to it.
    if (run.rewindTo !== undefined) {
      at = Math.min(at, run.rewindTo);
      run.rewindTo = undefined;
    }
  }
  run.current = undefined;
}
