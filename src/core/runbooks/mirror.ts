import { redactForMirror } from '../reports/redact.js';
import type { AddNote, Journal, MirrorResult } from '../journal/index.js';
import type { Runner } from './runner.js';

/**
 * The PagerDuty mirror, run along an incident room: whenever the runner enters a phase, pending
 * timeline events are sent to the incident as notes through the journal's outbox (outbox.ts batches
 * them, retries failures with backoff and never posts an event twice); flush() sends what is left at
 * the end of a run. Only one mirror run is in flight at a time; failures stay in the outbox for the
 * next run and never reach the walk.
 */

export interface MirrorOptions {
  readonly journal: Journal;
  /** Posts a note to the incident (PagerDuty's, or the sandbox pager's standing in for it). */
  readonly addNote: AddNote;
  /** The time of a run, for backoff and leases (the sandbox's simulated clock in a drill). */
  readonly now: () => number;
  /** The notes already on an incident, so that an uncertain batch is looked for before it is sent again. */
  readonly existingNotes?: (incidentId: string) => Promise<readonly string[]>;
  readonly batchSize?: number;
}

export interface MirrorTotals {
  notes: number;
  events: number;
  failed: number;
  alreadyPresent: number;
}

export interface AttachedMirror {
  readonly totals: Readonly<MirrorTotals>;
  /** Schedules a mirror run (after the one in flight). */
  poke(): void;
  /** Waits for the scheduled runs, then runs once more: what is pending now is sent. */
  flush(): Promise<Readonly<MirrorTotals>>;
  /** Mirrors on this runner's phase changes too; returns the unsubscribe. */
  follow(runner: Runner): () => void;
}

export function attachMirror(options: MirrorOptions): AttachedMirror {
  const totals: MirrorTotals = { notes: 0, events: 0, failed: 0, alreadyPresent: 0 };
  let chain: Promise<void> = Promise.resolve();
  const once = async () => {
    const r: MirrorResult = await options.journal.mirrorPending(options.addNote, {
      now: options.now(),
      batchSize: options.batchSize ?? 20,
      // Notes leave the machine: personal and health data and secrets are redacted first (DESIGN).
      redact: redactForMirror,
      ...(options.existingNotes ? { existingNotes: options.existingNotes } : {}),
    });
    totals.notes += r.notesSent;
    totals.events += r.eventsSent;
    totals.failed += r.failed;
    totals.alreadyPresent += r.alreadyPresent;
  };
  const poke = () => {
    chain = chain.then(once).catch(() => undefined);
  };
  return {
    totals,
    poke,
    async flush() {
      poke();
      await chain;
      return totals;
    },
    follow(runner) {
      return runner.subscribe((event) => {
        if (event.type === 'phase' || event.type === 'finished') poke();
      });
    },
  };
}
