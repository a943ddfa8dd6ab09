/**
 * Keys as Ink reports them, named in the keybinding table's terms. The table, its overrides and the
 * scopes live in core (src/core/cockpit/commands.ts, bindings.ts); re-exported here for the views.
 */
export {
  commandFor,
  DEFAULT_BINDINGS,
  displayKey,
  flattenKeyConfig,
  hints,
  KeyOverrideError,
  resolveBindings,
  type Binding,
  type CommandId,
  type Scope,
} from '../core/cockpit/bindings.js';

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
