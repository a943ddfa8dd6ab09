import type { ConfirmAnswer } from '../actions/types.js';
import type { RoomView } from '../live/room.js';
import { edit, questionBound, questionScroll, type DialogKey } from './dialog.js';
import { notesToWrite, retryCandidate } from '../runbooks/marks.js';

/** Lines one key scrolls a command's output by. */
const OUTPUT_STEP = 5;

/** What the room screen keeps between keys: a line being typed and the highlighted option. */
export interface RoomInput {
  readonly text: string;
  readonly choice?: number;
  /** The evidence behind logs and traces findings is shown (room.evidence toggles it). */
  readonly evidence?: boolean;
  /** Every phase unfolded, finished ones included (room.fold toggles it). */
  readonly expanded?: boolean;
  /** Lines of command output scrolled back from its end (room.outputUp / room.outputDown). */
  readonly outputScroll?: number;
  /** Lines the open question is scrolled down by, when it is taller than the terminal (PgUp / PgDn). */
  readonly questionScroll?: number;
}

/** The input after a question is answered: the text goes, how the room is looked at stays. */
export function afterAnswer(input: RoomInput): RoomInput {
  return {
    text: '',
    ...(input.evidence ? { evidence: true } : {}),
    ...(input.expanded ? { expanded: true } : {}),
    ...(input.outputScroll ? { outputScroll: input.outputScroll } : {}),
  };
}

export const EMPTY_INPUT: RoomInput = { text: '' };

/** What a key does in the room: answer the runner, change the input, or a room command. */
export type RoomKeyResult =
  | { readonly kind: 'answer'; readonly value: ConfirmAnswer | string | undefined }
  | { readonly kind: 'input'; readonly input: RoomInput }
  | { readonly kind: 'command'; readonly command: 'back' | 'skip-wait' | 'stop' | 'start' | 'retry' | 'note' }
  | { readonly kind: 'none' };

/** Whether the room is taking typed text (a note, a parameter, a typed confirmation): keys are then characters, not commands. */
export function roomTyping(view: RoomView, readonly: boolean): boolean {
  const p = view.pending;
  return (
    p !== undefined &&
    (p.kind === 'note' ||
      p.kind === 'param' ||
      (p.kind === 'confirm' && p.prepared.confirmation.kind === 'typed' && !readonly))
  );
}

/**
 * The room's keys, pure. `command` is what the keybinding table makes of the key (room.apply y,
 * room.dryRun t, room.decline n, room.skipWait s, room.stop x, room.go g; nav.up/nav.down/nav.open for
 * decisions); text entry (notes, parameters, a typed confirmation) takes the raw key. Esc leaves; the
 * room carries on without the responder. During a typed confirmation, where t and n are letters of the
 * name, Esc cancels the action (declined) and Tab records it as a dry run, so the room never jams.
 */
export function roomKey(
  view: RoomView,
  input: RoomInput,
  key: DialogKey,
  command: string | undefined,
  readonly: boolean,
): RoomKeyResult {
  const p = view.pending;
  // While a name is typed, letters are text: Esc cancels (declines) and Tab records a dry run instead.
  if (p?.kind === 'confirm' && p.prepared.confirmation.kind === 'typed' && !readonly) {
    if (key.name === 'escape')
      return {
        kind: 'answer',
        value: { answer: 'decline', reason: 'cancelled at the typed confirmation in the incident room' },
      };
    if (key.name === 'tab') return { kind: 'answer', value: { answer: 'dry-run' } };
  }
  if (key.name === 'escape') return { kind: 'command', command: 'back' };
  // PgUp/PgDn scroll a question too tall for the terminal, even while its answer is typed (they are no text).
  if (p && (key.name === 'pageup' || key.name === 'pagedown')) {
    const scroll = questionScroll(input.questionScroll, key, questionBound(questionTexts(p)));
    if (scroll !== undefined) return { kind: 'input', input: { ...input, questionScroll: scroll } };
  }
  if (!roomTyping(view, readonly)) {
    if (command === 'room.evidence') return { kind: 'input', input: { ...input, evidence: !input.evidence } };
    if (command === 'room.fold') return { kind: 'input', input: { ...input, expanded: !input.expanded } };
    if (command === 'room.outputUp')
      return { kind: 'input', input: { ...input, outputScroll: (input.outputScroll ?? 0) + OUTPUT_STEP } };
    if (command === 'room.outputDown')
      return { kind: 'input', input: { ...input, outputScroll: Math.max(0, (input.outputScroll ?? 0) - OUTPUT_STEP) } };
    if (command === 'room.retry' && !readonly && retryCandidate(view.runner.steps) !== undefined)
      return { kind: 'command', command: 'retry' };
    if (command === 'room.note' && notesToWrite(view.runner).length) return { kind: 'command', command: 'note' };
  }
  if (!p) {
    if (command === 'room.skipWait' && view.runner.waiting) return { kind: 'command', command: 'skip-wait' };
    if (command === 'room.stop' && view.running) return { kind: 'command', command: 'stop' };
    if (command === 'room.go' && !view.running && view.runner.status !== 'completed')
      return { kind: 'command', command: 'start' };
    return { kind: 'none' };
  }
  switch (p.kind) {
    case 'confirm': {
      const typed = p.prepared.confirmation.kind === 'typed' ? p.prepared.confirmation.text : undefined;
      if (command === 'room.dryRun' && !input.text) return { kind: 'answer', value: { answer: 'dry-run' } };
      if (command === 'room.decline' && !input.text)
        return { kind: 'answer', value: { answer: 'decline', reason: 'declined in the incident room' } };
      if (readonly) return { kind: 'none' };
      if (typed !== undefined) {
        if (key.name === 'return')
          return input.text === typed ? { kind: 'answer', value: { answer: 'confirm', typed } } : { kind: 'none' };
        return { kind: 'input', input: { ...input, text: edit(input.text, key) } };
      }
      if (command === 'room.apply') return { kind: 'answer', value: { answer: 'confirm' } };
      return { kind: 'none' };
    }
    case 'decision': {
      const options = p.step.options;
      const at =
        input.choice ??
        Math.max(
          0,
          options.findIndex((o) => o.id === p.suggestion.option.id),
        );
      if (command === 'nav.up') return { kind: 'input', input: { ...input, choice: Math.max(0, at - 1) } };
      if (command === 'nav.down')
        return { kind: 'input', input: { ...input, choice: Math.min(options.length - 1, at + 1) } };
      if (key.name === 'return') return { kind: 'answer', value: options[at]!.id };
      return { kind: 'none' };
    }
    case 'note':
    case 'param':
      if (key.name === 'return') return { kind: 'answer', value: input.text.trim() ? input.text.trim() : undefined };
      return { kind: 'input', input: { ...input, text: edit(input.text, key) } };
  }
}

/** The texts of a question that wrap (what bounds how far it can scroll). */
function questionTexts(p: NonNullable<RoomView['pending']>): string[] {
  switch (p.kind) {
    case 'confirm': {
      const plan = p.prepared.plan;
      return [
        plan.title,
        plan.summary,
        ...plan.changes.map((c) => c.what),
        ...plan.blastRadius,
        ...(p.conflicts ?? []),
      ];
    }
    case 'decision':
      return [p.step.title, p.step.description ?? '', ...p.step.options.map((o) => o.label), p.suggestion.reason];
    case 'param':
      return [p.about, p.why, p.current ?? '', p.suggested?.from ?? ''];
    default:
      return [p.step.title, p.step.description ?? ''];
  }
}
