/**
 * The one sanitiser: text from outside (alarm names, descriptions, incident titles, notes, command output,
 * anything a server sent) is made inert before it reaches a terminal, a Markdown report, an SVG chart or a
 * Terraform file. One rule set says which characters are unsafe; each named variant says how an unsafe
 * character is written where it goes (shown as a visible symbol, or escaped in the target's syntax):
 *
 * - terminalLine: one line (a table cell, a title); line breaks and tabs become spaces.
 * - terminalBlock: several lines (a message quoting input); \n and \t kept, \r shown (no line overwrites another).
 * - terminalShown: every control shown, line breaks included (an error message that must stay on its line).
 * - markdownText: a Markdown document's text; \n and \t kept (reports/markdown.ts adds the markup escapes).
 * - svgText: text inside an SVG element or attribute: one line, the five XML entities escaped.
 * - hclString: a Terraform (HCL) string literal: quoted, escaped, templates disarmed.
 * - jsonText: JSON whose strings carry no raw character a terminal or viewer may act on.
 *
 * The terminal variants return `Safe`, a branded string: the UI's <Text> (ui/components/SafeText.tsx)
 * accepts only Safe strings, so outside text that skipped the sanitiser is a type error, not an escape
 * sequence on screen. The program's own literal labels are marked with the `safe` tagged template, which
 * sanitises whatever is interpolated into them.
 */

declare const safeBrand: unique symbol;
/** A string that holds nothing a terminal would act on (made by a terminal variant or the `safe` tag). */
export type Safe = string & { readonly [safeBrand]: true };

/**
 * The one rule set: C0 controls (ESC, CR, NUL…), DEL, C1 controls (0x9b is a one-byte CSI), the
 * bidirectional marks, embeddings, overrides and isolates (they reorder what is shown: "Trojan Source"),
 * the line and paragraph separators, and lone surrogates (half a character, which no encoder can write).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// The same set, for a quick test without the global flag's lastIndex.
// eslint-disable-next-line no-control-regex
const ANY_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

const REPLACEMENT = '\ufffd';

function isSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdfff;
}

/** The visible stand-in of an unsafe character: ␀ … ␟ (ESC shows as ␛), ␡, \u0085 for the rest, � for half a character. */
function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if (isSurrogate(code)) return REPLACEMENT;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** \uXXXX of an unsafe character, for the formats that have that escape (JSON, HCL); a lone surrogate is U+FFFD's. */
function escaped(ch: string): string {
  const code = ch.charCodeAt(0);
  return `\\u${(isSurrogate(code) ? 0xfffd : code).toString(16).padStart(4, '0')}`;
}

/** Applies `write` to every unsafe character; text without one is returned as it is (the common case, cheaply). */
function rewrite(text: string, write: (ch: string) => string): string {
  return ANY_UNSAFE.test(text) ? text.replace(UNSAFE, write) : text;
}

const ONE_UNSAFE = new RegExp(UNSAFE.source);

/** Whether text holds anything the sanitiser would change. */
export function hasControl(text: string): boolean {
  return ONE_UNSAFE.test(text);
}

/** One line for a terminal: line breaks and tabs become spaces, every other unsafe character is shown. */
export function terminalLine(text: string): Safe {
  const flat = text.includes('\r\n') ? text.replace(/\r\n/g, ' ') : text;
  return rewrite(flat, (ch) =>
    ch === '\n' || ch === '\r' || ch === '\t' || ch === '\u2028' || ch === '\u2029' ? ' ' : visible(ch),
  ) as Safe;
}

/**
 * Several lines for a terminal: \n and \t kept (\r\n is one line break), every other unsafe character
 * shown; a lone \r is shown, never obeyed, so that no line can overwrite another.
 */
export function terminalBlock(text: string): Safe {
  return rewrite(text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text, (ch) =>
    ch === '\n' || ch === '\t' ? ch : visible(ch),
  ) as Safe;
}

/** Every unsafe character shown, line breaks included: text that must stay on the line it is written in. */
export function terminalShown(text: string): Safe {
  return rewrite(text, visible) as Safe;
}

/** A Markdown document's text: \n and \t kept, every other unsafe character shown (reports/markdown.ts escapes the markup). */
export function markdownText(text: string): string {
  return rewrite(text, (ch) => (ch === '\n' || ch === '\t' ? ch : visible(ch)));
}

/**
 * Text inside an SVG (XML) element or attribute, on one line: unsafe characters shown (XML 1.0 cannot
 * carry most controls even as entities), the noncharacters XML forbids dropped, the five entities escaped.
 */
export function svgText(text: string): string {
  return terminalLine(text)
    .replace(/[\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** An HCL string literal: quotes and backslashes escaped, \n \r \t as escapes, other unsafe characters as \uXXXX, templates disarmed. */
export function hclString(text: string): string {
  const body = rewrite(text.replace(/\\/g, '\\\\').replace(/"/g, '\\"'), (ch) =>
    ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : escaped(ch),
  )
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
  return `"${body}"`;
}

/**
 * JSON as every `--json` and `--format json` output writes it: JSON.stringify escapes C0 controls and lone
 * surrogates itself; the rest of the rule set (DEL, C1, bidi, separators) is written as \u escapes too.
 * Those characters can only occur inside strings, so replacing them keeps it the same JSON value.
 */
export function jsonText(value: unknown, space?: number, replacer?: (key: string, value: unknown) => unknown): string {
  // The only raw C0 characters left are the layout's own line breaks (with `space`), which stay.
  return rewrite(JSON.stringify(value, replacer, space) ?? 'null', (ch) => (ch < ' ' ? ch : escaped(ch)));
}

/**
 * The program's own text with outside text in it: `safe\`${n} alarms in ${name}\``. The literal parts are
 * ours; every interpolated string goes through terminalLine (a Safe one is unchanged by it), numbers are
 * written as they are. The marker is what lets a literal label reach the UI's <Text>.
 */
export function safe(literals: TemplateStringsArray, ...values: readonly (string | number)[]): Safe {
  let out = literals[0]!;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out += (typeof v === 'number' ? String(v) : terminalLine(v)) + literals[i + 1]!;
  }
  return out as Safe;
}

/** Safe parts joined by a Safe separator, and led by it when `lead`: still Safe, with no second pass. */
export function joinSafe(parts: readonly Safe[], separator: Safe, lead = false): Safe {
  return ((lead ? separator : '') + parts.join(separator)) as Safe;
}

// The names most of the program already uses, kept as the variants they are.
/** terminalShown(): every control character shown, line breaks included. */
export const inert = terminalShown;
/** terminalLine(): inert and on one line, for table cells and titles. */
export const inertLine = terminalLine;
/** terminalBlock(): inert, keeping line breaks and tabs. */
export const inertText = terminalBlock;

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

/** terminalLine() of at most `chars` characters of the text: one line of outside text for a screen. */
export function screenLine(text: string, chars: number = SCREEN_LINE_CHARS): Safe {
  return terminalLine(forScreen(text, chars));
}

/**
 * terminalBlock() of at most `chars` characters of the text, tabs as two spaces (a terminal's tab stops are
 * not the layout's): a block whose line breaks are line breaks (a runbook's description, SQL in it), never ␊.
 */
export function screenBlock(text: string, chars: number): Safe {
  return terminalBlock(forScreen(text, chars)).replace(/\t/g, '  ') as Safe;
}

/** terminalShown() of at most `chars` characters of the text: a wrapped block of outside text for a screen. */
export function screenText(text: string, chars: number): Safe {
  return terminalShown(forScreen(text, chars));
}
