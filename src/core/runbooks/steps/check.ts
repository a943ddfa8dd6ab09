import { formatDuration, parseDuration } from '../../time.js';
import { evaluateCheck, type CheckResult } from '../checks.js';
import { outcomeText } from '../progress.js';
import type { StepRunner } from '../runState.js';
import type { CheckStep } from '../schema.js';
import { pollUntil } from '../waiting.js';

/** A check is judged live; with `wait:` it polls until it passes (a failure or no data yet may both change). */
export const runCheck: StepRunner<CheckStep> = async (run, s) => {
  const step = s.step;
  const { clock, sources } = run.options;
  const ctx = () => ({ sources, now: clock.now(), ...(run.incidentStart !== undefined ? { incidentStart: run.incidentStart } : {}) });
  const judge = () => evaluateCheck(step, run.vars, ctx());
  let r: CheckResult = await judge();
  const waitMs = step.wait && run.options.waits !== false ? (parseDuration(step.wait) ?? 0) : 0;
  if (r.result !== 'pass' && waitMs > 0) {
    const since = clock.now();
    let last: CheckResult = r;
    await pollUntil(run, s, since, since + waitMs, async () => (last = await judge()).result === 'pass');
    r = { ...last, detail: `${last.detail} (${last.result === 'pass' ? 'after' : 'waited'} ${formatDuration(clock.now() - since)})` };
  }
  run.outcomes.set(step.id, { result: r.result });
  s.view.result = r.result;
  run.done(s, outcomeText({ result: r.result }, r.detail));
};
