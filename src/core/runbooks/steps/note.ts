import type { StepRunner } from '../runState.js';
import type { NoteStep } from '../schema.js';

/** A note is the responder's words, journaled as a note; a required note left unwritten makes the run incomplete. */
export const runNote: StepRunner<NoteStep> = async (run, s) => {
  const step = s.step;
  const p = { kind: 'note' as const, stepId: step.id, step };
  const text = (await run.ask(p, () => run.options.responder.note(p)))?.trim();
  if (text) {
    // The note names its step (and the postmortem section it belongs to), so that reports can place it.
    run.record({ kind: 'note', payload: { text, step: { runbookId: run.runbook.id, stepId: step.id, ...(step.section ? { section: step.section } : {}) } } });
    run.done(s, text);
  } else if (step.required) {
    run.incomplete.push(step.id);
    run.skip(s, 'required note not written: the runbook is not complete without it');
  } else {
    run.skip(s, 'no note written');
  }
};
