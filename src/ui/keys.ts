/**
 * Keybindings are data: one table of commands with dotted ids, default keys and a description. The
 * help screen and the footer's hints are generated from it; users override keys in their config
 * (`keys: { "incident.ack": ["a", "A"] }`). Actions that change the world are marked, so that
 * read-only mode can drop them everywhere at once.
 */

export type Scope = 'global' | 'list' | 'alarms' | 'services' | 'incidents' | 'detail' | 'room' | 'handoff';

export interface Binding {
  readonly id: string;
  readonly keys: readonly string[];
  readonly description: string;
  readonly scope: Scope;
  /** Shown in the footer. */
  readonly hint?: string;
  /** Changes the world: absent in read-only mode. */
  readonly action?: boolean;
}

export const DEFAULT_BINDINGS: readonly Binding[] = [
  { id: 'app.quit', keys: ['q', 'ctrl+c'], description: 'quit (the terminal is restored)', scope: 'global', hint: 'quit' },
  { id: 'app.help', keys: ['?'], description: 'this help', scope: 'global', hint: 'help' },
  { id: 'app.command', keys: [':'], description: 'go to a screen by name (:alarms, :incidents, …)', scope: 'global' },
  { id: 'app.refresh', keys: ['ctrl+r'], description: 'refresh every source now', scope: 'global' },
  { id: 'screen.overview', keys: ['1'], description: 'overview', scope: 'global' },
  { id: 'screen.alarms', keys: ['2'], description: 'alarms', scope: 'global' },
  { id: 'screen.services', keys: ['3'], description: 'services', scope: 'global' },
  { id: 'screen.incidents', keys: ['4'], description: 'incidents', scope: 'global' },
  { id: 'screen.oncall', keys: ['5'], description: 'on call', scope: 'global' },
  { id: 'screen.handoff', keys: ['6'], description: 'handoff', scope: 'global' },
  { id: 'handoff.note', keys: ['n'], description: 'add a handoff note (outgoing responder)', scope: 'handoff', hint: 'note' },
  { id: 'handoff.ack', keys: ['a'], description: 'acknowledge the handoff (incoming responder)', scope: 'handoff', hint: 'acknowledge' },
  { id: 'nav.up', keys: ['up', 'k'], description: 'previous row', scope: 'list' },
  { id: 'nav.down', keys: ['down', 'j'], description: 'next row', scope: 'list' },
  { id: 'nav.pageUp', keys: ['pageup', 'ctrl+b'], description: 'page up', scope: 'list' },
  { id: 'nav.pageDown', keys: ['pagedown', 'ctrl+f', 'space'], description: 'page down', scope: 'list' },
  { id: 'nav.top', keys: ['g', 'home'], description: 'first row', scope: 'list' },
  { id: 'nav.bottom', keys: ['G', 'end'], description: 'last row', scope: 'list' },
  { id: 'nav.open', keys: ['return', 'l'], description: 'open the detail', scope: 'list', hint: 'open' },
  { id: 'nav.back', keys: ['escape', 'h'], description: 'back', scope: 'detail', hint: 'back' },
  { id: 'list.filter', keys: ['/'], description: 'filter by regex (start with ! to invert)', scope: 'list', hint: 'filter' },
  { id: 'list.sort', keys: ['s'], description: 'sort by the next column', scope: 'list', hint: 'sort' },
  { id: 'list.reverse', keys: ['S'], description: 'reverse the sort', scope: 'list' },
  { id: 'alarm.room', keys: ['r'], description: 'open the incident room for this alarm (its runbook, step by step)', scope: 'alarms', hint: 'room' },
  { id: 'alarm.silence', keys: ['m'], description: 'mute: stop this alarm paging for a while (CloudWatch: its actions off; Alertmanager: a silence), saying why', scope: 'alarms', hint: 'mute', action: true },
  { id: 'incident.room', keys: ['r'], description: 'open the incident room (the runbook, step by step)', scope: 'incidents', hint: 'room' },
  { id: 'room.apply', keys: ['y'], description: 'apply the planned action (type the target\'s name when asked)', scope: 'room', hint: 'apply', action: true },
  { id: 'room.dryRun', keys: ['t'], description: 'record the planned action as a dry run, change nothing', scope: 'room', hint: 'dry run' },
  { id: 'room.decline', keys: ['n'], description: 'decline the planned action', scope: 'room', hint: 'decline' },
  { id: 'room.skipWait', keys: ['s'], description: 'stop waiting (for a check or a verification) and go on', scope: 'room', hint: 'skip wait' },
  { id: 'room.stop', keys: ['x'], description: 'stop working the runbook (the journal keeps where it was)', scope: 'room' },
  { id: 'room.go', keys: ['g'], description: 'go on working the runbook', scope: 'room' },
  { id: 'room.evidence', keys: ['e'], description: 'show or hide the log lines and traces behind the findings', scope: 'room', hint: 'evidence' },
  { id: 'service.scale', keys: ['d'], description: 'set the desired count (scale the service)', scope: 'services', hint: 'scale', action: true },
  { id: 'service.limits', keys: ['m'], description: 'set the autoscaling min and max', scope: 'services', hint: 'limits', action: true },
  { id: 'service.redeploy', keys: ['D'], description: 'force a new deployment (replace every task)', scope: 'services', hint: 'redeploy', action: true },
  { id: 'service.rollback', keys: ['b'], description: 'roll back to the previous task definition', scope: 'services', hint: 'roll back', action: true },
  { id: 'incident.ack', keys: ['a'], description: 'acknowledge the incident', scope: 'incidents', hint: 'ack', action: true },
  { id: 'incident.snooze', keys: ['z'], description: 'snooze the acknowledged incident (triggered again after the time chosen)', scope: 'incidents', hint: 'snooze', action: true },
  { id: 'incident.resolve', keys: ['R'], description: 'resolve the incident', scope: 'incidents', hint: 'resolve', action: true },
  { id: 'incident.escalate', keys: ['e'], description: 'escalate to a level', scope: 'incidents', hint: 'escalate', action: true },
  { id: 'incident.reassign', keys: ['o'], description: 'reassign (change owner)', scope: 'incidents', hint: 'reassign', action: true },
  { id: 'incident.note', keys: ['n'], description: 'add a note', scope: 'incidents', hint: 'note', action: true },
];

/** A key as Ink reports it (the subset we use). */
export interface KeyEvent {
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
}

/** The name of a keypress in the table's terms: "up", "return", "ctrl+r", "G", "?". */
export function keyName(input: string, key: KeyEvent): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.tab) return 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.ctrl && input) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

/**
 * One chunk of terminal input as the keys it stands for. A paste, or keys sent faster than they are read
 * (`tmux send-keys 'text' Enter`), arrives as one chunk: "quick note\r" is the text, then Enter, so the text
 * is not lost; line breaks inside it become spaces (every entry is one line).
 */
export function chunkKeys(input: string, key: KeyEvent): { input: string; key: KeyEvent }[] {
  if (key.return || input.length < 2 || !/[\r\n]/.test(input)) return [{ input, key }];
  const submit = /[\r\n]$/.test(input);
  const text = input.replace(/[\r\n]+$/, '').replace(/\r\n|[\r\n]/g, ' ');
  const out: { input: string; key: KeyEvent }[] = [];
  if (text) out.push({ input: text, key: {} });
  if (submit) out.push({ input: '', key: { return: true } });
  return out;
}

export class KeyOverrideError extends Error {}

/** The table with user overrides applied; unknown ids or empty key lists are refused by name. */
export function resolveBindings(overrides: Readonly<Record<string, string | readonly string[]>> | undefined, readonly: boolean): Binding[] {
  const known = new Map(DEFAULT_BINDINGS.map((b) => [b.id, b]));
  for (const [id, keys] of Object.entries(overrides ?? {})) {
    if (!known.has(id)) throw new KeyOverrideError(`keys.${id}: no such command (see the help screen, ?, for the ids)`);
    const list = typeof keys === 'string' ? [keys] : [...keys];
    if (list.length === 0 || list.some((k) => k.length === 0)) throw new KeyOverrideError(`keys.${id}: needs at least one key`);
    known.set(id, { ...known.get(id)!, keys: list });
  }
  return [...known.values()].filter((b) => !(readonly && b.action));
}

/** The command a key runs in a scope (the first binding that claims it); undefined when none. */
export function commandFor(bindings: readonly Binding[], name: string, scopes: readonly Scope[]): string | undefined {
  for (const scope of scopes) {
    const found = bindings.find((b) => b.scope === scope && b.keys.includes(name));
    if (found) return found.id;
  }
  return undefined;
}

/** "a ack  R resolve …": the footer's hints for the scopes in view. */
export function hints(bindings: readonly Binding[], scopes: readonly Scope[]): { key: string; label: string }[] {
  return bindings.filter((b) => b.hint && scopes.includes(b.scope)).map((b) => ({ key: displayKey(b.keys[0]!), label: b.hint! }));
}

export function displayKey(k: string): string {
  const names: Record<string, string> = { return: '⏎', escape: 'esc', up: '↑', down: '↓', pageup: 'PgUp', pagedown: 'PgDn', space: 'space' };
  return names[k] ?? k;
}

/** The config's `keys` (nested by the dots of the ids, or flat) as { id: keys }. */
export function flattenKeyConfig(config: Readonly<Record<string, string | readonly string[] | Readonly<Record<string, string | readonly string[]>>>> | undefined): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [k, v] of Object.entries(config ?? {})) {
    if (typeof v === 'string' || Array.isArray(v)) out[k] = v as string | readonly string[];
    else for (const [k2, v2] of Object.entries(v as Record<string, string | readonly string[]>)) out[`${k}.${k2}`] = v2;
  }
  return out;
}
