import { randomBytes } from 'node:crypto';
import type { ActionRequest } from '../../actions/engine.js';
import { ConfirmationError, ReadOnlyError } from '../../actions/errors.js';
import type { ActionOutcome } from '../../actions/types.js';
import type { RunState, Slot } from '../runState.js';
import type { ActionStep, CommandStep } from '../schema.js';
import { beginWaiting, endWaiting } from '../waiting.js';

/**
 * What action and command steps share: the remediation engine's plan → confirm → apply → verify, with
 * the responder asked to confirm, the verification shown as a wait, and the outcome as the step's output.
 */

function describeOutcome(o: ActionOutcome): string {
  return o.status === 'failed' ? `failed (${o.stage}): ${o.error}${o.output ? `\n${o.output}` : ''}` : `${o.status}: ${o.output}`;
}

/** Runs an action through the engine, asking the responder to confirm; the step records the outcome. */
export async function act(run: RunState, s: Slot<ActionStep | CommandStep>, request: ActionRequest): Promise<void> {
  const step = s.step;
  const { clock } = run.options;
  const control = new AbortController();
  const onStop = () => control.abort(new Error('stopped'));
  const stopSignal = run.stopController.signal;
  stopSignal.addEventListener('abort', onStop, { once: true });
  try {
    const outcome = await run.engine.run(
      {
        ...request,
        signal: control.signal,
        onStage: (stage, plan) => {
          s.view.action = { runId: s.view.action?.runId ?? '', status: stage, plan };
          if (stage === 'verifying') {
            run.verifying = control;
            const since = clock.now();
            beginWaiting(run, s, `verifying: ${plan.title} (${plan.target})`, since, since + plan.verify.timeoutMs);
          }
          run.emit({ type: 'action', stepId: step.id, status: stage });
        },
      },
      async (prepared, conflicts) => {
        s.view.action = { runId: prepared.runId, status: 'planned', plan: prepared.plan };
        run.emit({ type: 'action', stepId: step.id, status: 'planned' });
        const p = { kind: 'confirm' as const, stepId: step.id, step, prepared, ...(conflicts ? { conflicts } : {}) };
        return run.ask(p, () => run.options.responder.confirm(p));
      },
    );
    if (run.waiting?.stepId === step.id) endWaiting(run, step.id);
    run.actions.push({ stepId: step.id, outcome });
    s.view.action = { runId: outcome.runId, status: outcome.status, plan: outcome.plan };
    run.emit({ type: 'action', stepId: step.id, status: outcome.status });
    run.done(s, describeOutcome(outcome));
  } catch (error) {
    run.waiting = undefined;
    // Read-only and a wrong typed name are refusals; anything else stopped the plan (bad parameters,
    // an unknown target, a capability the sources lack). Both are already in the journal.
    const refused = error instanceof ReadOnlyError || error instanceof ConfirmationError;
    run.done(s, `${refused ? 'refused' : 'failed (plan)'}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    run.verifying = undefined;
    stopSignal.removeEventListener('abort', onStop);
  }
}

/** A templated field had no value: the step fails at plan, journaled as the engine would have. */
export function missingValues(run: RunState, s: Slot, action: string, target: string, missing: readonly string[], invalid?: string): void {
  const names = missing.map((m) => m.replace(/^params\./, '').replace(/^alarm\.dimensions\./, "the alarm's "));
  const error = invalid
    ? `the value given for ${invalid}; retry the step to give another`
    : `no value for ${names.join(', ')}: retry the step and give ${names.length > 1 ? 'them' : 'it'}`;
  run.record({
    kind: 'action.failed',
    payload: { runId: `act-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`, actionId: action, target, ...(run.dryRun ? { dryRun: true } : {}), stage: 'plan', error },
  });
  run.done(s, `failed (plan): ${error}`);
}
