/**
 * Text from outside (alarm names, descriptions, incident titles, notes, command output) is made
 * inert before it reaches a terminal: control characters become visible symbols, so an escape
 * sequence in an alarm name is shown, never interpreted.
 */

// C0 controls and DEL, C1 controls, and the bidirectional overrides that can reorder what is shown.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code); // ␀ … ␟ (ESC shows as ␛)
  if (code === 0x7f) return '\u2421'; // ␡
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character replaced by a visible stand-in. */
export function inert(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Inert and on one line: for table cells and titles. Newlines and tabs become spaces. */
export function inertLine(text: string): string {
  return inert(text.replace(/\r\n|[\r\n\t]/g, ' '));
}

/** Whether text holds anything that inert() would change. */
export function hasControl(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/**
 * Inert, keeping line breaks and tabs: for messages of several lines that echo outside text (usage
 * errors, which quote what was typed). \r is shown, not obeyed, so no line can overwrite another.
 */
export function inertText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, (ch) => (ch === '\n' || ch === '\t' ? ch : visible(ch)));
}

// What JSON.stringify leaves raw inside strings that a terminal or a viewer may act on: DEL, the C1
// controls (0x9b is a one-byte CSI), the bidirectional controls, and the line and paragraph separators.
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON as every `--json` and `--format json` output writes it: JSON.stringify escapes C0 controls, and
 * the rest of what could act on a terminal is written as \u escapes too. Those characters can only
 * occur inside strings, so replacing them in the text keeps it the same JSON value.
 */
export function jsonText(value: unknown, space?: number, replacer?: (key: string, value: unknown) => unknown): string {
  return (JSON.stringify(value, replacer, space) ?? 'null').replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
