import { RETRYABLE, stepOutcome } from './marks.js';
import { paramUses } from './paramPrompt.js';
import type { RunState } from './runState.js';

/**
 * Going back over finished steps from the room: retrying a step that failed (or was declined, or only
 * dry-run), and writing a note that was skipped. The journal keeps the earlier attempt; the new one is
 * recorded as the walk does it, so a resume sees the latest.
 */

/** Puts a finished step back for the walk; why not, in words, when it cannot be. */
export function retryStep(run: RunState, stepId: string): string | undefined {
  const i = run.byId.get(stepId);
  if (i === undefined) return 'no such step in this runbook';
  const s = run.slots[i]!;
  if (run.current === stepId && (s.view.status === 'running' || s.view.status === 'waiting')) return 'the step is running now';
  if (run.pending && 'stepId' in run.pending && run.pending.stepId === stepId) return 'the step is waiting for your answer now';
  const outcome = stepOutcome(s.view);
  const kind = s.step.kind;
  if (!(kind === 'action' || kind === 'command' || kind === 'check' || kind === 'query')) return 'only actions, commands, checks and queries can be retried';
  if (!RETRYABLE.has(outcome)) return `it ${outcome === 'passed' ? 'passed' : outcome === 'skipped' ? 'was skipped' : 'has not finished'}: nothing to retry`;
  // A value the responder gave is asked again (a wrong size, another address), offering the last one.
  for (const name of run.asked) {
    if (!paramUses(run.runbook, name).some((u) => u.step.id === stepId)) continue;
    run.previous[name] = run.given[name]!;
    delete run.given[name];
    run.asked.delete(name);
  }
  run.vars = run.makeVars();
  run.reset(s);
  return undefined;
}

/** Records a note step's text now, whenever the responder writes it. */
export function writeNote(run: RunState, stepId: string, text: string): string | undefined {
  const i = run.byId.get(stepId);
  if (i === undefined) return 'no such step in this runbook';
  const s = run.slots[i]!;
  if (s.step.kind !== 'note') return 'not a note';
  if (run.pending?.kind === 'note' && run.pending.stepId === stepId) return 'the note is the open question: answer it there';
  const t = text.trim();
  if (!t) return 'a note needs text';
  const step = s.step;
  run.record({ kind: 'note', payload: { text: t, step: { runbookId: run.runbook.id, stepId, ...(step.section ? { section: step.section } : {}) } } });
  const at = run.incomplete.indexOf(stepId);
  if (at >= 0) run.incomplete.splice(at, 1);
  s.view.reason = undefined;
  run.done(s, t);
  return undefined;
}
