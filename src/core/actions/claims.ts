import { formatDuration } from '../time.js';

/**
 * Claims before applying (the team timeline, core/team): the engine asks the team whether someone else is
 * applying the same action to the same target right now, and holds the claim while it applies and
 * verifies. Without a team (no `team.url`) there is no claims port and nothing changes.
 */

export type ClaimOutcome =
  /** Taken: release it when done (it is renewed meanwhile, and expires on its own if this process dies). */
  | { readonly kind: 'granted'; release(): void }
  /** Someone else holds it: do not apply. */
  | { readonly kind: 'held'; readonly by: { readonly name: string; readonly heldMs: number } }
  /** The team could not be asked (offline): the person at the keyboard may still act, warned. */
  | { readonly kind: 'offline'; readonly reason: string };

export interface ActionClaims {
  claim(key: string): Promise<ClaimOutcome>;
}

/** What two responders must not apply at once: the same action on the same target. */
export function claimKey(action: string, target: string): string {
  return `${action}:${target}`;
}

/** Another responder is applying this action to this target: refused here. */
export class ClaimHeldError extends Error {
  override readonly name = 'ClaimHeldError';
  constructor(readonly by: { readonly name: string; readonly heldMs: number }) {
    super(`${by.name} is applying this (since ${formatDuration(by.heldMs)})`);
  }
}

/** The warning an action applied without the team's claim carries. */
export function offlineWarning(reason: string): string {
  return `warning: the team could not be asked whether someone else is applying this (${reason}); applied without a claim`;
}
