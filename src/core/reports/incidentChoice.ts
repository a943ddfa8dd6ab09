import type { Journal } from '../journal/index.js';
import { latestRun } from './journalAlarms.js';

/**
 * What an incident argument names: an id, or the number the cockpit and PagerDuty show ("1042", "#1042").
 * Every sandbox run numbers its incidents from #1042 again, so a number can name one incident per run:
 * then it is `ambiguous` and the candidates are listed (newest run first), unless `run` picks one.
 */
export type IncidentChoice =
  | { readonly kind: 'one'; readonly id: string }
  | { readonly kind: 'ambiguous'; readonly number: number; readonly candidates: readonly IncidentCandidate[] }
  | {
      readonly kind: 'not-in-run';
      readonly number: number;
      readonly run: string;
      readonly candidates: readonly IncidentCandidate[];
    };

/** An incident a number could mean: its id, title and the sandbox run it belongs to (with how it was started). */
export interface IncidentCandidate {
  readonly id: string;
  readonly title: string;
  readonly run: string;
  readonly scenario?: string;
  readonly seed?: number;
  readonly newest: boolean;
}

export function chooseIncident(journal: Journal, given: string, run?: string): IncidentChoice {
  if (journal.incident(given)) return { kind: 'one', id: given };
  const n = /^#?(\d{1,9})$/.exec(given.trim());
  if (!n) return { kind: 'one', id: given };
  const number = Number(n[1]);
  const matches = journal.incidents().filter((i) => i.number === number);
  const picked = run === undefined ? matches : matches.filter((i) => i.run === run);
  if (picked.length === 1) return { kind: 'one', id: picked[0]!.id };
  if (matches.length === 0) return { kind: 'one', id: given };
  // The runs in the order they were recorded (newest first), with the scenario each one played.
  const started = journal
    .query({ kinds: ['run.started'] })
    .flatMap((e) => (e.kind === 'run.started' ? [{ seq: e.seq, ...e.payload }] : []));
  const order = new Map(started.map((e) => [e.run, e]));
  const latest = latestRun(journal);
  const candidates = matches
    .map((i) => {
      const r = order.get(i.run);
      return {
        id: i.id,
        title: i.title,
        run: i.run,
        ...(r ? { scenario: r.scenario, seed: r.seed } : {}),
        newest: i.run === latest,
        seq: r?.seq ?? -1,
      };
    })
    .sort((a, b) => b.seq - a.seq || b.id.localeCompare(a.id))
    .map(({ seq: _seq, ...c }) => c);
  return run === undefined
    ? { kind: 'ambiguous', number, candidates }
    : { kind: 'not-in-run', number, run, candidates };
}
