import { ConfirmationError } from './errors.js';
import type { ActionPlan, ConfirmAnswer, Confirmation } from './types.js';

/**
 * The guard rails' rules, in one place so that the cockpit, `drill` and the tests agree:
 * - every action is confirmed, naming its target;
 * - a dangerous action against production is confirmed by typing the target's name (k9s's "type the
 *   name to delete"), so that a reflexive "y" cannot reboot the wrong database;
 * - read-only mode refuses everything but plans and dry runs (engine.ts).
 */
export function confirmationFor(plan: Pick<ActionPlan, 'danger' | 'production' | 'target'>): Confirmation {
  return plan.danger === 'dangerous' && plan.production ? { kind: 'typed', text: plan.target } : { kind: 'yes' };
}

/** Throws when a confirming answer does not satisfy the confirmation the plan needs. */
export function checkConfirmation(needed: Confirmation, answer: Extract<ConfirmAnswer, { answer: 'confirm' }>): void {
  if (needed.kind === 'yes') return;
  if (answer.typed === undefined)
    throw new ConfirmationError(
      needed.text,
      `this is a dangerous action against production: type ${needed.text} to confirm`,
    );
  if (answer.typed.trim() !== needed.text) {
    throw new ConfirmationError(
      needed.text,
      `the name typed (${JSON.stringify(answer.typed)}) is not ${needed.text}: nothing was done`,
    );
  }
}

/** The prompt for a confirmation, in words. */
export function confirmationPrompt(needed: Confirmation, plan: Pick<ActionPlan, 'title' | 'target'>): string {
  return needed.kind === 'typed'
    ? `${plan.title}: type ${needed.text} to confirm`
    : `${plan.title} on ${plan.target}? (y/N)`;
}
