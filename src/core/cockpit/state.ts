/**
 * The cockpit's own state (which screen, list cursors, filters, an open detail, a dialog, the room in
 * view) and the one reducer that changes it. Pure: the session (session.ts) holds it; tests drive it.
 */
import type { Health } from '../model.js';
import type { Dialog } from './dialog.js';
import type { RoomInput } from './roomKeys.js';
import { listOf, SCREENS, screenSpec, type ListId, type Scope, type ScreenId } from './screens.js';

export { listOf, SCREENS, type ListId, type ScreenId };

export interface ListState {
  readonly selected: number;
  readonly filter: string;
  readonly sortIndex: number;
  readonly reverse: boolean;
  /** The id of the item under the cursor: when the list re-sorts, the cursor follows it (session.ts). */
  readonly selectedId?: string;
}

/** Where the responder is: what Esc returns to. */
export interface Place {
  readonly screen: ScreenId;
  readonly detail?: CockpitState['detail'];
  readonly room?: CockpitState['room'];
  readonly subject?: string;
}

/** The overview's rows under its cursor: the alarms in ALARM, then the open incidents (session.ts lists them). */
export interface OverviewRow {
  readonly list: 'alarms' | 'incidents';
  readonly id: string;
}

/** Whether an overview row is an incident nobody has acknowledged yet: it is paging someone now. */
export const pagesNow =
  (incidents: readonly { readonly id: string; readonly status: string }[] | undefined) => (row: OverviewRow) =>
    row.list === 'incidents' && incidents?.some((i) => i.id === row.id && i.status === 'triggered') === true;

/**
 * The overview's cursor row. Until the responder moves it (`at` is -1), it rests on the first incident
 * that is paging — what needs the responder at 3 a.m. — so `r` or `⏎` goes straight there; with none, on
 * the first row.
 */
export function overviewAt(at: number, rows: readonly OverviewRow[], pages: (row: OverviewRow) => boolean): number {
  if (at >= 0) return Math.min(at, Math.max(0, rows.length - 1));
  return Math.max(0, rows.findIndex(pages));
}

export interface CockpitState {
  readonly screen: ScreenId;
  /** An open detail (by stable id), on top of its list. */
  readonly detail?: { readonly list: ListId; readonly id: string };
  readonly lists: Readonly<Record<ListId, ListState>>;
  /** A one-line editor at the bottom: a filter for the list in view, or a `:command`. */
  readonly editing?: { readonly kind: 'filter' | 'command' | 'search'; readonly value: string };
  readonly dialog?: Dialog;
  readonly flash?: { readonly text: string; readonly level: Health };
  /** The incident room in view (by its journal id), with what is being typed in it. */
  readonly room?: { readonly id: string; readonly input: RoomInput };
  /** Where the responder came from, most recent last: Esc goes back one. */
  readonly history: readonly Place[];
  /** The overview's cursor (an index into its rows); -1 until moved (overviewAt says where it rests). */
  readonly overview: number;
  /** How far a long view (help, a detail, the handoff) is scrolled, in lines; reset when the view changes. */
  readonly scroll: number;
  /** The text `/` looks for in a view that is not a list; the view scrolls to its first line and marks it. */
  readonly search?: string;
  /** The service whose logs or traces screen is in view. */
  readonly subject?: string;
  /** The logs screen's options: following the tail, the patterns view, the substring filter. */
  readonly logView: LogViewState;
}

export interface LogViewState {
  readonly follow: boolean;
  readonly patterns: boolean;
  readonly filter: string;
}

export const INITIAL_LOG_VIEW: LogViewState = { follow: true, patterns: false, filter: '' };

const emptyList: ListState = { selected: 0, filter: '', sortIndex: 0, reverse: false };

export const INITIAL_STATE: CockpitState = {
  screen: 'overview',
  lists: { alarms: emptyList, services: emptyList, incidents: emptyList },
  history: [],
  overview: -1,
  scroll: 0,
  logView: INITIAL_LOG_VIEW,
};

const HISTORY_MAX = 50;

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
  | { readonly type: 'room'; readonly room?: CockpitState['room'] }
  | { readonly type: 'follow'; readonly list: ListId; readonly selected: number; readonly id?: string }
  | { readonly type: 'overview'; readonly to: number; readonly count: number }
  | { readonly type: 'scroll'; readonly to: number; readonly max: number }
  | { readonly type: 'search'; readonly search?: string; readonly scroll?: number }
  | { readonly type: 'subject'; readonly screen: 'logs' | 'traces'; readonly service: string }
  | { readonly type: 'logView'; readonly change: Partial<LogViewState>; readonly scroll?: number };

function updateList(state: CockpitState, list: ListId, change: Partial<ListState>): CockpitState {
  return { ...state, lists: { ...state.lists, [list]: { ...state.lists[list], ...change } } };
}

function placeOf(state: CockpitState): Place {
  return {
    screen: state.screen,
    ...(state.detail ? { detail: state.detail } : {}),
    ...(state.room ? { room: state.room } : {}),
    ...(state.subject !== undefined ? { subject: state.subject } : {}),
  };
}

/** Leaves the place in view for another, remembering it (Esc comes back); a new place starts unscrolled. */
function leave(state: CockpitState, to: Place): CockpitState {
  const here = placeOf(state);
  const same =
    here.screen === to.screen &&
    here.detail?.id === to.detail?.id &&
    here.room?.id === to.room?.id &&
    here.subject === to.subject;
  if (same) return { ...state, ...to, detail: to.detail, room: to.room, subject: to.subject };
  return {
    ...state,
    screen: to.screen,
    detail: to.detail,
    room: to.room,
    subject: to.subject,
    history: [...state.history, here].slice(-HISTORY_MAX),
    scroll: 0,
    search: undefined,
  };
}

/** Every change of the cockpit's own state goes through here: one place, easy to test. */
export function reduce(state: CockpitState, action: CockpitAction): CockpitState {
  switch (action.type) {
    case 'goto':
      return { ...leave(state, { screen: action.screen }), editing: undefined };
    case 'move': {
      const selected = Math.max(0, Math.min(action.count - 1, action.to));
      // The same state when the cursor cannot move (k on the first row): nothing to draw.
      return selected === state.lists[action.list].selected ? state : updateList(state, action.list, { selected });
    }
    case 'open': {
      // From the overview, a row opens on its own list's screen (Esc comes back to the overview).
      const screen = state.screen === action.list ? state.screen : action.list;
      return leave(state, { screen, detail: { list: action.list, id: action.id } });
    }
    case 'back': {
      const to = state.history.at(-1);
      const rest = { scroll: 0, search: undefined, editing: undefined };
      if (to)
        return {
          ...state,
          ...rest,
          screen: to.screen,
          detail: to.detail,
          room: to.room,
          subject: to.subject,
          history: state.history.slice(0, -1),
        };
      // Nothing remembered (the cockpit started here): up one level.
      if (state.room) return { ...state, ...rest, room: undefined };
      if (state.detail) return { ...state, ...rest, detail: undefined };
      return state.screen !== 'overview' ? { ...state, ...rest, screen: 'overview' } : state;
    }
    case 'edit':
      return { ...state, editing: action.editing };
    case 'filter':
      return updateList(state, action.list, { filter: action.filter, selected: 0, selectedId: undefined });
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
      // Opening a room is going somewhere (Esc returns); typing in it only changes its input.
      if (action.room && action.room.id !== state.room?.id)
        return leave(state, { screen: state.screen, detail: state.detail, room: action.room });
      return { ...state, room: action.room };
    case 'follow': {
      const l = state.lists[action.list];
      return l.selected === action.selected && l.selectedId === action.id
        ? state
        : updateList(state, action.list, { selected: action.selected, selectedId: action.id });
    }
    case 'overview': {
      const overview = Math.max(0, Math.min(action.count - 1, action.to));
      return overview === state.overview ? state : { ...state, overview };
    }
    case 'scroll': {
      const scroll = Math.max(0, Math.min(action.max, action.to));
      return scroll === state.scroll ? state : { ...state, scroll };
    }
    case 'search':
      return { ...state, search: action.search || undefined, scroll: action.scroll ?? state.scroll };
    case 'subject':
      // A service's logs start following, unfiltered, in the lines view.
      return {
        ...leave(state, { screen: action.screen, subject: action.service }),
        editing: undefined,
        logView: INITIAL_LOG_VIEW,
      };
    case 'logView':
      return { ...state, logView: { ...state.logView, ...action.change }, scroll: action.scroll ?? state.scroll };
  }
}

/** Which key scopes are live in a state, most specific first (the first binding that matches wins). */
export function scopesFor(state: CockpitState): Scope[] {
  if (state.room) return ['room', 'global'];
  const spec = screenSpec(state.screen);
  const s: Scope[] = [];
  if (state.detail) s.push('detail');
  s.push(...spec.scopes);
  // A detail is read like a page: it scrolls and `/` searches it; a list moves its cursor instead.
  if (state.detail && !s.includes('scroll')) s.push('scroll');
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
