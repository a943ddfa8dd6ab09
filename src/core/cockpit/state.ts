/**
 * The cockpit's own state (which screen, list cursors, filters, an open detail, a dialog, the room in
 * view) and the one reducer that changes it. Pure: the session (session.ts) holds it; tests drive it.
 */
import type { Health } from '../model.js';
import type { Dialog } from './dialog.js';
import type { RoomInput } from './roomKeys.js';
import { listOf, SCREENS, screenNamed, screenSpec, type ListId, type Scope, type ScreenId } from './screens.js';

export { listOf, SCREENS, type ListId, type ScreenId };

export interface ListState {
  readonly selected: number;
  readonly filter: string;
  readonly sortIndex: number;
  readonly reverse: boolean;
}

export interface CockpitState {
  readonly screen: ScreenId;
  /** An open detail (by stable id), on top of its list. */
  readonly detail?: { readonly list: ListId; readonly id: string };
  readonly lists: Readonly<Record<ListId, ListState>>;
  /** A one-line editor at the bottom: a filter for the list in view, or a `:command`. */
  readonly editing?: { readonly kind: 'filter' | 'command'; readonly value: string };
  readonly dialog?: Dialog;
  readonly flash?: { readonly text: string; readonly level: Health };
  /** The incident room in view (by its journal id), with what is being typed in it. */
  readonly room?: { readonly id: string; readonly input: RoomInput };
}

const emptyList: ListState = { selected: 0, filter: '', sortIndex: 0, reverse: false };

export const INITIAL_STATE: CockpitState = {
  screen: 'overview',
  lists: { alarms: emptyList, services: emptyList, incidents: emptyList },
};

export type CockpitAction =
  | { readonly type: 'goto'; readonly screen: ScreenId }
  | { readonly type: 'move'; readonly list: ListId; readonly to: number; readonly count: number }
  | { readonly type: 'open'; readonly list: ListId; readonly id: string }
  | { readonly type: 'back' }
  | { readonly type: 'edit'; readonly editing?: CockpitState['editing'] }
  | { readonly type: 'filter'; readonly list: ListId; readonly filter: string }
  | { readonly type: 'sort'; readonly list: ListId; readonly sorts: number; readonly reverse?: boolean }
  | { readonly type: 'dialog'; readonly dialog?: Dialog }
  | { readonly type: 'flash'; readonly flash?: CockpitState['flash'] }
  | { readonly type: 'room'; readonly room?: CockpitState['room'] };

function updateList(state: CockpitState, list: ListId, change: Partial<ListState>): CockpitState {
  return { ...state, lists: { ...state.lists, [list]: { ...state.lists[list], ...change } } };
}

/** Every change of the cockpit's own state goes through here: one place, easy to test. */
export function reduce(state: CockpitState, action: CockpitAction): CockpitState {
  switch (action.type) {
    case 'goto':
      return { ...state, screen: action.screen, detail: undefined, editing: undefined, room: undefined };
    case 'move': {
      const selected = Math.max(0, Math.min(action.count - 1, action.to));
      // The same state when the cursor cannot move (k on the first row): nothing to draw.
      return selected === state.lists[action.list].selected ? state : updateList(state, action.list, { selected });
    }
    case 'open':
      return { ...state, detail: { list: action.list, id: action.id } };
    case 'back':
      return state.detail ? { ...state, detail: undefined } : state.screen !== 'overview' ? { ...state, screen: 'overview' } : state;
    case 'edit':
      return { ...state, editing: action.editing };
    case 'filter':
      return updateList(state, action.list, { filter: action.filter, selected: 0 });
    case 'sort': {
      const current = state.lists[action.list];
      if (action.reverse) return updateList(state, action.list, { reverse: !current.reverse });
      return updateList(state, action.list, { sortIndex: (current.sortIndex + 1) % action.sorts, reverse: false });
    }
    case 'dialog':
      return { ...state, dialog: action.dialog };
    case 'flash':
      return { ...state, flash: action.flash };
    case 'room':
      return { ...state, room: action.room };
  }
}

/** What a line typed after ":" asks for: a screen by name, or quitting. */
export function commandLine(value: string): CockpitAction | 'quit' {
  const word = value.trim().replace(/^:/, '').toLowerCase();
  if (word === 'q' || word === 'quit') return 'quit';
  const screen = screenNamed(word);
  if (screen) return { type: 'goto', screen };
  return { type: 'flash', flash: { text: `no screen "${word}": ${SCREENS.join(', ')}`, level: 'warning' } };
}

/** Which key scopes are live in a state, most specific first (the first binding that matches wins). */
export function scopesFor(state: CockpitState): Scope[] {
  if (state.room) return ['room', 'global'];
  const spec = screenSpec(state.screen);
  const s: Scope[] = [];
  if (state.detail) s.push('detail');
  s.push(...spec.scopes);
  if (spec.list && !state.detail) s.push('list');
  s.push('global');
  return s;
}

/** A filter as a predicate: a case-insensitive regex, "!" in front inverts; a broken regex matches literally. */
export function compileFilter(filter: string): { test: (text: string) => boolean; error?: string } {
  const invert = filter.startsWith('!');
  const pattern = invert ? filter.slice(1) : filter;
  if (!pattern) return { test: () => true };
  let re: RegExp;
  let error: string | undefined;
  try {
    re = new RegExp(pattern, 'i');
  } catch (e) {
    error = `not a regex (${(e as Error).message.replace(/^Invalid regular expression: /, '')}); matching the text literally`;
    re = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
  return { test: (text) => re.test(text) !== invert, error };
}
