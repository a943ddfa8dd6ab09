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
