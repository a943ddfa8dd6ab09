import { PHASES, type Phase, type StepKind } from './phases.js';
import type { StepView } from './progress.js';

/**
 * What a step came to, as one tagged value, and the one glyph and word each outcome has. The room, the
 * headless drill and the reports read marks from here so that a failure can never wear a tick: the
 * outcome is decided from what the step recorded (a check's result, an action's status), not from the
 * fact that the step finished.
 */
export type StepOutcomeKind =
  /** Not reached yet. */
  | 'pending'
  | 'running'
  /** A check polling, an action waiting for its verification. */
  | 'waiting'
  /** A check passed; an action applied (and verified where it verifies), or found nothing to change. */
  | 'passed'
  /** A query read, a note written, a decision taken, a link given: done, nothing to judge. */
  | 'done'
  /** A check failed; an action failed at plan, apply or verify; a query could not run. */
  | 'failed'
  /** A check or query had no data to judge by: never a pass. */
  | 'no-data'
  /** Recorded as a dry run: planned, journaled, nothing changed. */
  | 'dry-run'
  /** The responder declined the action, or the room refused it (read-only, a wrong typed name). */
  | 'declined'
  | 'skipped';

export interface Mark {
  readonly glyph: string;
  /** The outcome in words, for NO_COLOR terminals and screen readers: the glyph is never alone. */
  readonly word: string;
  /** The theme's tone for it. */
  readonly tone: 'ok' | 'bad' | 'unknown' | 'muted' | 'active' | 'plain';
}

export const MARKS: Readonly<Record<StepOutcomeKind, Mark>> = {
  pending: { glyph: '·', word: 'to do', tone: 'muted' },
  running: { glyph: '▶', word: 'running', tone: 'active' },
  waiting: { glyph: '…', word: 'waiting', tone: 'active' },
  passed: { glyph: '✓', word: 'passed', tone: 'ok' },
  done: { glyph: '•', word: 'done', tone: 'plain' },
  failed: { glyph: '✗', word: 'failed', tone: 'bad' },
  'no-data': { glyph: '?', word: 'no data', tone: 'unknown' },
  'dry-run': { glyph: '◌', word: 'dry run', tone: 'muted' },
  declined: { glyph: '⊘', word: 'declined', tone: 'muted' },
  skipped: { glyph: '↷', word: 'skipped', tone: 'muted' },
};

/** Outcomes that a retry can redo (runner.retry): a failed or declined action, a dry run, a failed check. */
export const RETRYABLE: ReadonlySet<StepOutcomeKind> = new Set(['failed', 'declined', 'dry-run', 'no-data']);

/**
 * The outcome an action or command step's recorded output says (act.ts writes `<status>: …`,
 * `failed (<stage>): …`, `refused: …`), so that a room resumed from the journal marks it the same.
 */
export function actionOutcomeOf(output: string | undefined): StepOutcomeKind | undefined {
  if (!output) return undefined;
  const m = /^(verified|nothing-to-do|dry-run|declined|refused|failed)\b/.exec(output);
  if (!m) return undefined;
  switch (m[1]) {
    case 'verified':
    case 'nothing-to-do':
      return 'passed';
    case 'dry-run':
      return 'dry-run';
    case 'declined':
    case 'refused':
      return 'declined';
    default:
      return 'failed';
  }
}

/** A query's summary says whether it read anything (queries.ts words "no data" and "could not run"). */
function queryOutcomeOf(output: string | undefined): StepOutcomeKind {
  if (output === undefined) return 'done';
  if (/^the query could not run\b/.test(output)) return 'failed';
  if (/: no data in the last\b/.test(output)) return 'no-data';
  return 'done';
}

/** What a step came to, from its view: the one place that decides its mark. */
export function stepOutcome(s: Pick<StepView, 'status' | 'kind' | 'result' | 'output' | 'action'> & { readonly outcome?: StepOutcomeKind }): StepOutcomeKind {
  if (s.status === 'pending' || s.status === 'running' || s.status === 'waiting' || s.status === 'skipped') return s.status;
  if (s.outcome) return s.outcome;
  return doneOutcome(s.kind, s);
}

function doneOutcome(kind: StepKind, s: Pick<StepView, 'result' | 'output' | 'action'>): StepOutcomeKind {
  switch (kind) {
    case 'check':
      return s.result === 'pass' ? 'passed' : s.result === 'fail' ? 'failed' : 'no-data';
    case 'action':
    case 'command': {
      const st = s.action?.status;
      if (st === 'verified' || st === 'nothing-to-do') return 'passed';
      if (st === 'dry-run') return 'dry-run';
      if (st === 'declined') return 'declined';
      if (st === 'failed') return 'failed';
      // No outcome from the engine: it stopped before (a plan that failed, a refusal): the output says which.
      return actionOutcomeOf(s.output) ?? 'failed';
    }
    case 'query':
      return queryOutcomeOf(s.output);
    default:
      return 'done';
  }
}

export type PhaseProgress = 'to-come' | 'current' | 'done' | 'failed' | 'no-data' | 'skipped';

/**
 * Where a phase stands, from its steps: done only when every step is finished and none failed; a phase
 * with a failed step (an action that failed, the alarm still in ALARM) is `failed` even when the walk went
 * on; a phase whose steps were all skipped says so.
 */
export function phaseProgress(steps: readonly StepView[], phase: Phase, current: Phase | undefined): PhaseProgress {
  const own = steps.filter((s) => s.phase === phase);
  if (phase === current) return 'current';
  if (own.length === 0) return current !== undefined && PHASES.indexOf(phase) < PHASES.indexOf(current) ? 'done' : 'to-come';
  const outcomes = own.map((s) => stepOutcome(s));
  if (outcomes.some((o) => o === 'pending' || o === 'running' || o === 'waiting')) {
    // A phase the walk jumped back over with steps left undone is not done.
    return outcomes.every((o) => o === 'pending') ? 'to-come' : 'current';
  }
  if (outcomes.some((o) => o === 'failed')) return 'failed';
  // A check that could not judge leaves the phase unjudged too: never a tick on silence.
  if (outcomes.some((o) => o === 'no-data')) return 'no-data';
  if (outcomes.every((o) => o === 'skipped')) return 'skipped';
  return 'done';
}

export const PHASE_MARKS: Readonly<Record<PhaseProgress, Mark>> = {
  'to-come': { glyph: '○', word: 'to come', tone: 'muted' },
  current: { glyph: '●', word: 'now', tone: 'active' },
  done: { glyph: '✓', word: 'done', tone: 'ok' },
  failed: { glyph: '✗', word: 'something failed', tone: 'bad' },
  'no-data': { glyph: '?', word: 'something had no data', tone: 'unknown' },
  skipped: { glyph: '↷', word: 'skipped', tone: 'muted' },
};

/** The step a room's retry key acts on: the latest finished step that can be done again (a failed action first). */
export function retryCandidate(steps: readonly StepView[]): string | undefined {
  const can = steps.filter((s) => (s.kind === 'action' || s.kind === 'command' || s.kind === 'check' || s.kind === 'query') && s.status === 'done' && RETRYABLE.has(s.outcome ?? stepOutcome(s)));
  const failedAction = [...can].reverse().find((s) => (s.kind === 'action' || s.kind === 'command') && (s.outcome ?? stepOutcome(s)) === 'failed');
  return (failedAction ?? can[can.length - 1])?.id;
}

/** Notes the responder can write now, required ones still missing first (the room lists them until written). */
export function notesToWrite(snapshot: { readonly steps: readonly StepView[]; readonly incomplete: readonly string[] }): StepView[] {
  const notes = snapshot.steps.filter((s) => s.kind === 'note' && s.status !== 'done' && s.status !== 'running');
  const required = notes.filter((s) => snapshot.incomplete.includes(s.id));
  return [...required, ...notes.filter((s) => !snapshot.incomplete.includes(s.id) && s.status === 'skipped')];
}
