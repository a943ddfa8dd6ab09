import { outcomeOf } from './progress.js';
import type { RunState } from './runState.js';

/**
 * Restores steps, outcomes and the phase from the journal: what a resume continues from, whether the
 * room was left in this process or another. Steps of other runbooks, or no longer in this one, are
 * ignored; a check's result and a decision's choice are read back from their recorded output.
 */
export function restore(run: RunState): void {
  const state = run.options.journal.incidentState(run.options.journalIncidentId);
  for (const st of state.steps) {
    if (st.runbookId !== run.runbook.id) continue;
    const i = run.byId.get(st.stepId);
    if (i === undefined) continue;
    const s = run.slots[i]!;
    if (st.status === 'done') {
      s.view.status = 'done';
      if (st.output !== undefined) s.view.output = st.output;
      const o = outcomeOf(s.step.kind, st.output);
      if (o) {
        run.outcomes.set(s.step.id, o);
        if (o.result) s.view.result = o.result;
        if (o.chose) {
          s.view.chose = o.chose;
          const option = s.step.kind === 'decision' ? s.step.options.find((x) => x.id === o.chose) : undefined;
          if (option) s.view.choseLabel = option.label;
        }
      }
    } else if (st.status === 'skipped') {
      s.view.status = 'skipped';
      if (st.reason !== undefined) s.view.reason = st.reason;
    }
  }
  run.phase = state.phase;
  // The findings of steps already run, in order, so that a resumed room fills the same values.
  for (const e of run.options.journal.query({ incidentId: run.options.journalIncidentId, kinds: ['step.finding'] })) {
    if (e.kind !== 'step.finding' || e.payload.runbookId !== run.runbook.id) continue;
    const i = run.byId.get(e.payload.stepId);
    if (i !== undefined) run.slots[i]!.view.finding = e.payload.finding;
    run.takeFindings(e.payload.finding.kind, e.payload.finding.values);
  }
}
