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
const JSON_UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON as every `--json` and `--format json` output writes it: JSON.stringify escapes C0 controls, and
 * the rest of what could act on a terminal is written as \u escapes too. Those characters can only
 * occur inside strings, so replacing them in the text keeps it the same JSON value.
 */
export function jsonText(value: unknown, space?: number, replacer?: (key: string, value: unknown) => unknown): string {
  return (JSON.stringify(value, replacer, space) ?? 'null').replace(JSON_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---- sizes ----
//
// Text from outside is also bounded in size when it enters the model (src/core/bounds.ts calls clip()
// for every field the adapters map), so that no source can make a frame, a table or a report
// arbitrarily expensive. The limits are documented in the README ("Bounds and limits").

/** Longest text kept from a source, by what it is (UTF-16 code units, the marker included). */
export const TEXT_LIMITS = {
  /** CloudWatch's own limit on alarm names; used for every alarm or alert name. */
  alarmName: 255,
  /** CloudWatch's own limits on AlarmDescription and StateReason. */
  alarmDescription: 1024,
  stateReason: 1024,
  /** Names and identifiers (services, people, clusters, ids, ARNs, task definitions, label names). */
  name: 512,
  /** Anything else: incident titles, notes, log entries, alert annotations and label values, service events. */
  text: 4096,
} as const;

/** Label or annotation pairs kept per alert; more are dropped and counted in a marker pair. */
export const MAX_LABELS = 64;

/** The mark left where text was cut: "…[+98,304 chars]". */
export function cutMarker(dropped: number): string {
  return `…[+${dropped.toLocaleString('en-US')} chars]`;
}

/**
 * The text cut to at most `max` code units, the cut marked with how much was dropped (never splitting a
 * surrogate pair). Text within the limit is returned as it is (the same string).
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // The marker's length depends on the count it shows: settle on the longest kept part that fits.
  let keep = Math.max(0, max - cutMarker(text.length).length);
  for (;;) {
    const next = Math.max(0, max - cutMarker(text.length - keep).length);
    if (next <= keep) break;
    keep = next;
  }
  // Do not leave half a surrogate pair at the end.
  if (keep > 0 && /[\ud800-\udbff]/.test(text[keep - 1]!)) keep -= 1;
  return `${text.slice(0, keep)}${cutMarker(text.length - keep)}`;
}

/** clip() for an optional text. */
export function clipOptional(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : clip(text, max);
}

/**
 * At most `chars` characters of a text about to be laid out on a screen, without a marker: a terminal
 * cell holds at least one code unit, so `width × lines + 1` of them are more than a box can show
 * (the one extra lets Ink's own truncation add its ellipsis). Ink measures and wraps whole strings on
 * every frame, at a cost that grows with their length; this keeps that cost bounded by the screen.
 */
export function forScreen(text: string, chars: number): string {
  const n = Math.max(1, Math.floor(chars));
  return text.length <= n ? text : text.slice(0, n);
}

/** Characters of one line of outside text a view hands to Ink: more than any terminal is wide. */
export const SCREEN_LINE_CHARS = 512;

/** inertLine() of at most `chars` characters of the text: one line of outside text for a screen. */
export function screenLine(text: string, chars: number = SCREEN_LINE_CHARS): string {
  return inertLine(forScreen(text, chars));
}

/** inert() of at most `chars` characters of the text: a wrapped block of outside text for a screen. */
export function screenText(text: string, chars: number): string {
  return inert(forScreen(text, chars));
}
