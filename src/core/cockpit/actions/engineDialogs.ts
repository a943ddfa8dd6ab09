import type { ActionEngine, ActionRequest, PreparedAction } from '../../actions/engine.js';
import { screenLine } from '../../sanitize.js';
import { changeText } from '../../actions/types.js';
import type { Dialog } from '../dialog.js';

/** A confirmation dialog for a prepared action: its plan, any conflicts, typed when the engine asks for it. */
export function confirmDialog(
  prepared: PreparedAction,
  conflicts: readonly string[],
  execute: (p: PreparedAction, typed?: string) => Promise<string>,
): Dialog {
  const plan = prepared.plan;
  const typed = prepared.confirmation.kind === 'typed' ? prepared.confirmation.text : undefined;
  return {
    kind: 'confirm',
    title: `${plan.title}: ${screenLine(plan.target)}`,
    target: typed ?? screenLine(plan.target),
    lines: [
      ...conflicts.map((c) => `Changed by someone else since the plan: ${screenLine(c)}`),
      screenLine(plan.summary),
      ...plan.changes.map((c) => screenLine(changeText(c))),
      ...plan.blastRadius.map((b) => `! ${screenLine(b)}`),
    ],
    danger: plan.danger !== 'safe',
    typed: typed !== undefined,
    value: '',
    run: () => execute(prepared, typed),
  };
}

/**
 * Plans a request with the engine and opens its confirmation; confirming executes it (a conflict opens
 * the new plan to confirm again), then `afterChange` refreshes what shows the target. A plan with
 * nothing to change is executed without asking, as the engine's run() does.
 */
export async function planAndConfirm(
  engine: ActionEngine,
  request: ActionRequest,
  openDialog: (d: Dialog) => void,
  afterChange: () => Promise<void>,
): Promise<void> {
  const execute = async (prepared: PreparedAction, typed?: string): Promise<string> => {
    const outcome = await engine.execute(
      prepared,
      typed !== undefined ? { answer: 'confirm', typed } : { answer: 'confirm' },
    );
    if (outcome.status === 'conflict') {
      openDialog(confirmDialog(outcome.prepared, outcome.conflicts, execute));
      return '';
    }
    await afterChange();
    if (outcome.status === 'failed') throw new Error(`${outcome.plan.title} failed: ${outcome.error}`);
    return `${outcome.plan.title}: ${screenLine(outcome.plan.target)} — ${outcome.status}`;
  };
  const prepared = await engine.prepare(request);
  if (prepared.plan.changes.length === 0) {
    openDialog({
      kind: 'message',
      title: prepared.plan.title,
      lines: [screenLine(prepared.plan.summary)],
      level: 'ok',
    });
    await engine.execute(prepared, { answer: 'confirm' });
    return;
  }
  openDialog(confirmDialog(prepared, [], execute));
}
