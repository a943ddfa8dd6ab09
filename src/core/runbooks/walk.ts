import type { RunState } from './runState.js';
import { conditionsOf, type When } from './schema.js';
import { runStep } from './steps/index.js';
import { waitFor } from './waiting.js';
import { evaluateWhen, resultText } from './when.js';

/**
 * The phases walk: detect → triage → investigate → resolve → postmortem, step by step, from where the
 * journal says. Steps already done or skipped are passed over; a step whose `when` does not hold is
 * skipped with the reason; every other step runs by its kind (steps/), which may jump ahead (a decision).
 */

function describeWhen(when: When | undefined): string {
  return conditionsOf(when)
    .map((c) => {
      if (c.var !== undefined) return `${c.var} ${c.is !== undefined ? `is ${String(c.is)}` : `is not ${String(c.not)}`}`;
      if (c.result !== undefined) return `${c.step} ${resultText(c.result)}`;
      return `${c.step} chose ${String(c.chose)}`;
    })
    .join(' and ');
}

/** Parameters without a value (null defaults) are asked for once, before the walk. */
export async function askParams(run: RunState): Promise<void> {
  for (const [name, dflt] of Object.entries(run.runbook.params)) {
    if (dflt !== null || Object.hasOwn(run.given, name)) continue;
    const v = await run.ask({ kind: 'param', name }, () => run.options.responder.param({ kind: 'param', name }));
    if (v !== undefined && v !== '') run.given[name] = v;
  }
  run.vars = run.makeVars();
}

/** Walks from the first step not yet done or skipped to the end, or until the walk is stopped. */
export async function walk(run: RunState): Promise<void> {
  const { slots, outcomes } = run;
  let at = 0;
  while (at < slots.length && !run.stopped) {
    const s = slots[at]!;
    if (s.view.status === 'done' || s.view.status === 'skipped') {
      at += 1;
      continue;
    }
    run.current = s.step.id;
    run.enter(s.phase);
    const when = evaluateWhen(s.step.when, run.vars, outcomes);
    if (when !== 'yes') {
      // A check without data neither passed nor failed: its branches are not taken, and the reason says why.
      const unjudged = conditionsOf(s.step.when).filter((c) => c.step !== undefined && c.result !== undefined && c.result !== 'no-data' && outcomes.get(c.step)?.result === 'no-data');
      run.skip(
        s,
        when === 'no' && unjudged.length
          ? `condition not known (${describeWhen(s.step.when)}): ${unjudged.map((c) => c.step).join(', ')} had no data`
          : when === 'no'
            ? `condition not met (${describeWhen(s.step.when)})`
            : `condition not known (${describeWhen(s.step.when)}): a step it depends on was skipped`,
      );
      at += 1;
      continue;
    }
    run.setStatus(s, 'running');
    run.record({ kind: 'step.started', payload: run.stepPayload(s) });
    const next = await runStep(run, s, at);
    await waitFor(run, run.options.stepTimeMs ?? 0);
    at = next ?? at + 1;
  }
  run.current = undefined;
}
