/**
 * The variable parts of a log line (timestamps, ids, addresses, durations, quoted strings, numbers) and the
 * placeholders that stand for them in a pattern, as CloudWatch Logs Insights' `pattern` command shows them.
 * One regular expression, compiled once, finds them all in one pass over a line.
 */

/** What a placeholder stands for. */
export type PlaceholderKind = 'ts' | 'id' | 'ip' | 'dur' | 'str' | 'num';

/** The text a placeholder shows in a pattern. */
export const PLACEHOLDER: Readonly<Record<PlaceholderKind, string>> = {
  ts: '<ts>',
  id: '<id>',
  ip: '<ip>',
  dur: '<dur>',
  str: '<str>',
  num: '<num>',
};

const HEX = '[0-9a-fA-F]';
const H4 = `${HEX}{1,4}`;

// Alternatives are tried in this order at each position, so the more specific come first: a timestamp before
// its numbers, a UUID before its hex runs, an address before its numbers, a duration before its number.
// Each alternative is one capturing group; the group's index says the kind (KINDS below, same order).
const ALTERNATIVES: readonly [PlaceholderKind, string][] = [
  // ISO 8601 date with an optional time and zone, or a bare clock time (12:04:05.123).
  [
    'ts',
    String.raw`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w])|\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b`,
  ],
  // UUID, then 0x… and runs of 8+ hex digits holding both a digit and a letter (request ids, hashes, trace ids).
  [
    'id',
    `\\b${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}\\b|\\b0x${HEX}+\\b|\\b(?=${HEX}*\\d)(?=${HEX}*[a-fA-F])${HEX}{8,}\\b`,
  ],
  // IPv4, then IPv6 in full or with one "::" (never a bare "a:b" or a clock time: both need more colons).
  [
    'ip',
    String.raw`\b(?:\d{1,3}\.){3}\d{1,3}\b` +
      `|(?<![\\w:])(?:${H4}:){7}${H4}(?![\\w:])` +
      `|(?<![\\w:])(?:${H4}:){1,6}(?::${H4}){1,6}(?![\\w:])` +
      `|(?<![\\w:])::${H4}(?::${H4}){0,6}(?![\\w:])`,
  ],
  // A number with a unit of time.
  ['dur', String.raw`\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds|min|mins|minutes|h)\b`],
  // Quoted strings (double or single), escapes honoured, at most 200 characters so a stray quote does not swallow a line.
  ['str', String.raw`"(?:[^"\\\n]|\\.){0,200}"|'(?:[^'\\\n]|\\.){0,200}'`],
  // Any other number (an integer or a decimal; a sign is left as text).
  ['num', String.raw`\b\d+(?:\.\d+)?\b`],
];

const KINDS: readonly PlaceholderKind[] = ALTERNATIVES.map(([kind]) => kind);

/**
 * The one expression, compiled once. Sticky: the scanner below runs it only where a token can start (a word
 * that begins with a digit or a hex letter, a quote, a "::"), so the many plain words of a line cost no match.
 */
export const TOKEN_PATTERN = new RegExp(ALTERNATIVES.map(([, source]) => `(${source})`).join('|'), 'y');

/**
 * The variable parts found in a line, in order: kinds and values side by side. One buffer is reused for every
 * line (no object per token: grouping 100,000 lines would otherwise spend its time collecting garbage).
 */
export class Tokens {
  readonly kinds: PlaceholderKind[] = [];
  readonly values: string[] = [];
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(kind: PlaceholderKind, value: string): void {
    this.kinds[this.length] = kind;
    this.values[this.length] = value;
    this.length += 1;
  }

  /** A copy as {kind, value} pairs (tests, callers that keep them). */
  list(): { kind: PlaceholderKind; value: string }[] {
    return Array.from({ length: this.length }, (_, i) => ({ kind: this.kinds[i]!, value: this.values[i]! }));
  }
}

/** Longest part of a message that is tokenised: enough for any one-line pattern and a stack trace's head. */
export const TOKENISE_CHARS = 2000;

// Character classes by code, looked up once per character.
const WORD = new Uint8Array(128);
const START = new Uint8Array(128); // 1: a token may start here when a word starts here (digit or hex letter)
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/\w/.test(ch)) WORD[c] = 1;
  if (/[0-9a-fA-F]/.test(ch)) START[c] = 1;
}
const QUOTE_DOUBLE = 34;
const QUOTE_SINGLE = 39;
const COLON = 58;

/**
 * Whether the word at `i` (which starts with a hex letter) can begin a token: only an id or an IPv6 address
 * starts with a letter, and both are hex digits up to the word's end, then a '-' or ':' or nothing more.
 * "failed" or "from" fail at their second letter, sparing a match attempt for most words of a line.
 */
function hexWordOrJoined(text: string, i: number): boolean {
  let j = i;
  const n = text.length;
  for (; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c >= 128 || WORD[c] !== 1) break;
    if (START[c] !== 1) return false;
  }
  return true;
}

function isWord(code: number): boolean {
  return code < 128 ? WORD[code] === 1 : false;
}

/**
 * The pattern of a message (its variable parts replaced by placeholders, white space runs made one space) and
 * the parts, in order, put in `tokens` (cleared first; the caller reuses one buffer to spare garbage).
 */
export function tokenise(message: string, tokens: Tokens = new Tokens()): string {
  tokens.clear();
  const cut = message.length > TOKENISE_CHARS;
  const text = cut ? message.slice(0, TOKENISE_CHARS) : message;
  const n = text.length;
  let out = '';
  let copied = 0; // text[copied, i) is still to be copied as it is
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const wordStart = isWord(c) && (i === 0 || !isWord(text.charCodeAt(i - 1)));
    const candidate =
      (wordStart && c < 128 && START[c] === 1 && (c < 65 || hexWordOrJoined(text, i))) ||
      c === QUOTE_DOUBLE ||
      c === QUOTE_SINGLE ||
      (c === COLON && text.charCodeAt(i + 1) === COLON);
    if (candidate) {
      TOKEN_PATTERN.lastIndex = i;
      const m = TOKEN_PATTERN.exec(text);
      if (m !== null && m[0].length > 0) {
        for (let k = 0; k < KINDS.length; k++) {
          if (m[k + 1] !== undefined) {
            const kind = KINDS[k]!;
            tokens.push(kind, m[0]);
            out += text.slice(copied, i) + PLACEHOLDER[kind];
            break;
          }
        }
        i += m[0].length;
        copied = i;
        continue;
      }
    }
    if (c <= 32 && (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11)) {
      // White space: a run of it (or any but one plain space) becomes one space; none at either end.
      let j = i + 1;
      while (j < n && isSpace(text.charCodeAt(j))) j += 1;
      if (c !== 32 || j - i > 1 || i === 0 || j === n) {
        out += text.slice(copied, i) + (i === 0 || j === n || out.length + i - copied === 0 ? '' : ' ');
        copied = j;
      }
      i = j;
      continue;
    }
    if (wordStart) {
      // No token starts inside a word (every kind but quotes and "::" needs a word boundary): skip it whole.
      i += 1;
      while (i < n && isWord(text.charCodeAt(i))) i += 1;
    } else i += 1;
  }
  out += text.slice(copied);
  return cut ? `${out} …` : out;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
}
