/**
 * The key router: layers in priority order, each taking a key or passing it on. A dialog takes every key;
 * an open room takes its own (and every key while text is typed in it); a line being edited (a filter,
 * a `:command`) takes every key; then the screen's commands; then the global ones. Pure rules over a
 * small host, so the session (session.ts) and its tests share them.
 */
import type { Room } from '../live/room.js';
import { commandFor, type Binding, type CommandId } from './bindings.js';
import { dialogKey, edit, type DialogKey } from './dialog.js';
import { afterAnswer, roomKey, roomTyping } from './roomKeys.js';
import { notesToWrite, retryCandidate } from '../runbooks/marks.js';
import type { Health } from '../model.js';
import { commandLine, complete, type JumpTargets } from './palette.js';
import { listOf, scopesFor, type CockpitAction, type CockpitState } from './state.js';

/** What the layers need from the session. */
export interface RouterHost {
  readonly state: CockpitState;
  readonly bindings: readonly Binding[];
  readonly readonly: boolean;
  update(action: CockpitAction): void;
  /** The room in view as of this key (undefined when it is not open in this run). */
  room(): Room | undefined;
  runDialog(run: () => Promise<string>): void;
  run(command: CommandId): void;
  quit(): void;
  flash(text: string, level: Health): void;
  /** The incidents and alarms `:` can jump to (asked on Enter only). */
  jumpTargets(): JumpTargets;
}

export type Layer = (host: RouterHost, key: DialogKey) => boolean;

const dialogLayer: Layer = (h, key) => {
  const d = h.state.dialog;
  if (!d) return false;
  const outcome = dialogKey(d, key);
  if (outcome.close) h.update({ type: 'dialog', dialog: undefined });
  else if (outcome.run) h.runDialog(outcome.run);
  else if (outcome.next && outcome.next !== d) h.update({ type: 'dialog', dialog: outcome.next });
  return true;
};

const roomLayer: Layer = (h, key) => {
  const inRoom = h.state.room;
  if (!inRoom) return false;
  const room = h.room();
  if (!room) {
    // The room is not open in this run: Esc leaves its screen; global keys still work.
    if (key.name === 'escape') h.update({ type: 'back' });
    return key.name === 'escape';
  }
  const view = room.view();
  const typing = roomTyping(view, h.readonly);
  const cmd = typing ? undefined : commandFor(h.bindings, key.name, ['room', 'list']);
  // The room's own commands run through their handlers in the table (commands.ts), like any command.
  if (cmd && h.bindings.find((b) => b.id === cmd)?.scope === 'room') {
    h.run(cmd);
    return true;
  }
  // While text is typed every key is text; otherwise keys the room has no use for are global ones.
  return applyRoomKey(h, room, key, cmd) || typing;
};

/** What a key (or a room command run by its id) does to the room in view. */
export function applyRoomKey(h: RouterHost, room: Room, key: DialogKey, cmd: CommandId | undefined): boolean {
  const inRoom = h.state.room!;
  const result = roomKey(room.view(), inRoom.input, key, cmd, h.readonly);
  if (result.kind === 'answer') {
    room.answer(result.value);
    h.update({ type: 'room', room: { id: inRoom.id, input: afterAnswer(inRoom.input) } });
  } else if (result.kind === 'input') h.update({ type: 'room', room: { id: inRoom.id, input: result.input } });
  else if (result.kind === 'command') {
    if (result.command === 'back') h.update({ type: 'back' });
    else if (result.command === 'skip-wait') room.skipWait();
    else if (result.command === 'stop') room.stop();
    else if (result.command === 'retry') retry(h, room);
    else if (result.command === 'note') writeNote(h, room);
    else room.start();
  }
  return result.kind !== 'none';
}

/** Does the failed (or declined, or dry-run) step again: the last failed action first (marks.ts retryCandidate). */
function retry(h: RouterHost, room: Room): void {
  const step = room.view().runner.steps.find((s) => s.id === retryCandidate(room.view().runner.steps));
  if (!step) return;
  const why = room.retryStep(step.id);
  h.flash(why ? `cannot do “${step.title}” again: ${why}` : `doing “${step.title}” again`, why ? 'warning' : 'info');
}

/** A note skipped or still required, written now: the first of them, in a dialog that takes the text. */
function writeNote(h: RouterHost, room: Room): void {
  const step = notesToWrite(room.view().runner)[0];
  if (!step) return;
  h.update({
    type: 'dialog',
    dialog: {
      kind: 'input',
      title: `Write the note “${step.title}”`,
      prompt: step.title,
      value: '',
      submit: async (text) => {
        if (!text.trim()) return 'nothing written: the note is still to write';
        const why = room.writeNote(step.id, text.trim());
        if (why) throw new Error(why);
        return `recorded “${step.title}” in the journal`;
      },
    },
  });
}

const textEntryLayer: Layer = (h, key) => {
  const editing = h.state.editing;
  if (!editing) return false;
  if (key.name === 'escape') {
    h.update({ type: 'edit', editing: undefined });
    if (editing.kind === 'search') h.update({ type: 'search', search: undefined, scroll: 0 });
  } else if (key.name === 'return') {
    h.update({ type: 'edit', editing: undefined });
    if (editing.kind === 'command') {
      const action = commandLine(editing.value, h.jumpTargets());
      if (action === 'quit') h.quit();
      else h.update(action);
    }
  } else if (key.name === 'tab') {
    if (editing.kind === 'command') h.update({ type: 'edit', editing: { ...editing, value: complete(editing.value) } });
  } else {
    const value = edit(editing.value, key);
    h.update({ type: 'edit', editing: { ...editing, value } });
    const list = listOf(h.state.screen);
    if (editing.kind === 'filter' && list) h.update({ type: 'filter', list, filter: value });
    if (editing.kind === 'filter' && h.state.screen === 'logs')
      h.update({ type: 'logView', change: { filter: value }, scroll: 0 });
    // The view finds the first line with the text and scrolls there (scroll counts from it).
    if (editing.kind === 'search') h.update({ type: 'search', search: value, scroll: 0 });
  }
  return true;
};

const screenLayer: Layer = (h, key) => {
  if (h.state.room) return false;
  if (h.state.flash) h.update({ type: 'flash', flash: undefined });
  const cmd = commandFor(
    h.bindings,
    key.name,
    scopesFor(h.state).filter((s) => s !== 'global'),
  );
  if (cmd) h.run(cmd);
  return cmd !== undefined;
};

const globalLayer: Layer = (h, key) => {
  const cmd = commandFor(h.bindings, key.name, ['global']);
  if (cmd) h.run(cmd);
  return cmd !== undefined;
};

/** The layers, highest priority first. */
export const LAYERS: readonly Layer[] = [dialogLayer, roomLayer, textEntryLayer, screenLayer, globalLayer];

/** Routes one key through the layers; Ctrl-C quits whatever is open (as a terminal program should). */
export function route(h: RouterHost, key: DialogKey): void {
  if (key.name === 'ctrl+c') return h.quit();
  for (const layer of LAYERS) if (layer(h, key)) return;
}
