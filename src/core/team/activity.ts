import { describeEvent } from '../journal/render.js';
import type { JournalEvent, Who } from '../journal/index.js';

/**
 * What teammates did in an incident, as an open room shows it: their phases, steps, decisions, actions
 * and notes, newest last, marked with who did it. Events of this responder (on this laptop or another of
 * theirs) and of systems (alarms, the pager) are not a teammate's.
 */
export interface TeammateActivity {
  readonly seq: number;
  readonly at: number;
  readonly who: string;
  readonly text: string;
}

export const TEAMMATE_KINDS = [
  'phase.entered',
  'step.done',
  'step.skipped',
  'note',
  'action.applied',
  'action.verified',
  'action.failed',
  'followup.added',
  'followup.closed',
] as const;

export function teammateActivity(events: readonly JournalEvent[], me: Who, keep = 5): TeammateActivity[] {
  const kinds = new Set<string>(TEAMMATE_KINDS);
  return events
    .filter((e) => kinds.has(e.kind) && e.who.kind === 'local' && e.who.id !== me.id)
    .slice(-keep)
    .map((e) => ({
      seq: e.seq,
      at: e.at,
      who: e.who.name ?? e.who.id,
      text: describeEvent(e).split('\n')[0]!.slice(0, 300),
    }));
}
