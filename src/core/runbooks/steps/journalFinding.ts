import type { RunState, Slot } from '../runState.js';
import type { LogsStep, TracesStep } from '../schema.js';
import { runFindingStep } from './findingStep.js';

/**
 * Runs a logs or traces step and keeps what it found: shown on the step, journaled as step.finding (the
 * journal redacts it), and its values made the room's findings.<kind>.* variables for the steps after it.
 */
export async function findAndRecord(run: RunState, s: Slot<LogsStep | TracesStep>): Promise<void> {
  const { options } = run;
  const r = await runFindingStep(s.step, run.vars, {
    sources: options.sources,
    now: options.clock.now(),
    signal: run.stopController.signal,
    ...(options.logGroups ? { logGroups: options.logGroups } : {}),
  });
  if (r.record) {
    s.view.finding = r.record;
    run.record({ kind: 'step.finding', payload: { ...run.stepPayload(s), finding: r.record } });
    run.takeFindings(s.step.kind, r.vars ?? {});
  }
  run.done(s, r.summary);
}
