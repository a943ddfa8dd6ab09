import type { VerifyRequest } from '../../actions/engine.js';
import { isActionId } from '../../actions/catalogue.js';
import { REMEDIATIONS } from '../../actions/registry.js';
import type { ComparisonOp } from '../../actions/types.js';
import { parseDuration } from '../../time.js';
import type { RunState, StepRunner } from '../runState.js';
import type { ActionStep } from '../schema.js';
import { render, renderValue } from '../template.js';
import { act, missingValues } from './act.js';
import { askMissing } from './params.js';

/** How long a remediation waits for its alarm unless the step or the options say otherwise. */
export const DEFAULT_VERIFY_TIMEOUT_MS = 20 * 60_000;

/**
 * What the engine waits for after applying: the step's alarm or metric, or by default a remediation's
 * alarm (the one the room was opened for) back to OK; nothing with `verify: false`.
 */
function verifyFor(run: RunState, step: ActionStep): VerifyRequest | undefined {
  if (step.verify === false) return undefined;
  const { vars } = run;
  const timeoutMs = (step.verify?.timeout && parseDuration(step.verify.timeout)) || run.options.verifyTimeoutMs || DEFAULT_VERIFY_TIMEOUT_MS;
  const v = step.verify;
  if (v?.alarm) return { alarm: render(v.alarm, vars).text, ...(v.state ? { state: v.state } : {}), timeoutMs };
  if (v?.metric && v.op && v.value !== undefined) {
    const m = v.metric;
    return {
      metric: {
        metric: {
          namespace: m.namespace,
          name: m.name,
          dimensions: Object.fromEntries(Object.entries(m.dimensions).map(([k, x]) => [k, render(x, vars).text])),
          ...(m.statistic ? { statistic: m.statistic } : {}),
        },
        op: v.op as ComparisonOp,
        value: v.value,
      },
      timeoutMs,
    };
  }
  const alarm = vars['alarm.name'];
  return isActionId(step.action) && REMEDIATIONS.has(step.action) && alarm !== undefined ? { alarm: String(alarm), timeoutMs } : undefined;
}

/** An action step: its templated parameters through the engine (plan → confirm → apply → verify). */
export const runAction: StepRunner<ActionStep> = async (run, s) => {
  const step = s.step;
  let missing = new Set<string>();
  let params = renderValue(step.with, run.vars, missing) as Record<string, unknown>;
  if (missing.size > 0) {
    const invalid = await askMissing(run, s, missing);
    if (invalid) return missingValues(run, s, step.action, step.action, [...missing], invalid);
    missing = new Set<string>();
    params = renderValue(step.with, run.vars, missing) as Record<string, unknown>;
  }
  if (missing.size > 0) return missingValues(run, s, step.action, step.action, [...missing]);
  const verify = verifyFor(run, step);
  await act(run, s, { action: step.action, params, dryRun: run.dryRun, ...(verify ? { verify } : {}) });
};
