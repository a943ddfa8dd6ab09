/**
 * The cockpit's screens as a registry: one entry per screen says its id, its title (the tab and `:name`),
 * the number key that opens it, the list it shows (if any), the key scopes live on it and the data it
 * needs beyond the live snapshot. The `screen.*` commands, the tab line, `:` and the key router all read
 * this table: adding a screen is an entry here plus its view (ScreenBody's view map is typed by ScreenId,
 * so a screen without a view does not compile).
 */

export type Scope =
  | 'global'
  | 'list'
  | 'alarms'
  | 'services'
  | 'incidents'
  | 'detail'
  | 'room'
  | 'handoff'
  | 'overview'
  | 'scroll'
  | 'logs';
export type ListId = 'alarms' | 'services' | 'incidents';
/** Data a screen polls while it is in view (the live model's sources are polled anyway). */
export type FeedId = 'handoff';

export interface ScreenSpec {
  readonly id: string;
  readonly title: string;
  /** The key that opens it from anywhere (`screen.<id>`); absent for screens reached otherwise (help). */
  readonly key?: string;
  /** Other names `:` accepts. */
  readonly aliases?: readonly string[];
  /** The list the screen shows; its detail opens on top of it. */
  readonly list?: ListId;
  /** Key scopes live on the screen, most specific first (the list's own come from `list`). */
  readonly scopes: readonly Scope[];
  readonly data?: readonly FeedId[];
  /** The view scrolls its own rows (only those in view are drawn) instead of being drawn whole and scrolled. */
  readonly virtual?: boolean;
}

export const SCREEN_REGISTRY = [
  { id: 'overview', title: 'overview', key: '1', scopes: ['overview'] },
  { id: 'alarms', title: 'alarms', key: '2', list: 'alarms', scopes: ['alarms'] },
  { id: 'services', title: 'services', key: '3', list: 'services', scopes: ['services'] },
  { id: 'incidents', title: 'incidents', key: '4', list: 'incidents', scopes: ['incidents'] },
  { id: 'oncall', title: 'on call', key: '5', aliases: ['on-call'], scopes: [] },
  { id: 'handoff', title: 'handoff', key: '6', scopes: ['handoff', 'scroll'], data: ['handoff'] },
  // Help is read like a detail: Esc (nav.back) leaves it; it scrolls.
  { id: 'help', title: 'help', aliases: ['?', 'keys'], scopes: ['detail', 'scroll'] },
  // A service's logs (`l` on a service) and traces (`x`): reached from the services screen, left with Esc.
  // The logs scroll over a virtualised buffer (the view draws only the rows in view, not a ScrollBox).
  { id: 'logs', title: 'logs', scopes: ['logs', 'detail', 'scroll'], virtual: true },
  { id: 'traces', title: 'traces', scopes: ['detail', 'scroll'] },
] as const satisfies readonly ScreenSpec[];

export type ScreenId = (typeof SCREEN_REGISTRY)[number]['id'];
export const SCREENS: readonly ScreenId[] = SCREEN_REGISTRY.map((s) => s.id);

const BY_ID = new Map<string, ScreenSpec>(SCREEN_REGISTRY.map((s) => [s.id, s]));

export function screenSpec(id: ScreenId): ScreenSpec {
  return BY_ID.get(id)!;
}

/** The list shown on a screen, if it has one. */
export function listOf(screen: ScreenId): ListId | undefined {
  return screenSpec(screen).list;
}

/** The screen a word after `:` names (its id, title or an alias), if any. */
export function screenNamed(word: string): ScreenId | undefined {
  const w = word.toLowerCase();
  return SCREEN_REGISTRY.find((s) => s.id === w || s.title === w || (s as ScreenSpec).aliases?.includes(w))?.id;
}

/** The screens the number keys open, in tab order. */
export const TAB_SCREENS = SCREEN_REGISTRY.filter(
  (s): s is Extract<(typeof SCREEN_REGISTRY)[number], { key: string }> => 'key' in s,
);
