import { REDACTED, redactSecrets } from '../journal/secrets.js';
import { inertText } from '../sanitize.js';

/**
 * Redaction of what leaves the machine: reports (handoff, incident report, postmortem, summary) and the
 * notes the journal mirrors to PagerDuty. Vitascope handles health data; a responder pastes command output,
 * log lines and user reports into notes, and those must not carry a patient's identity or health values
 * into a PagerDuty note, a wiki page or an e-mail.
 *
 * What is redacted (each replaced by a marker naming the kind, so a reader knows what was there):
 * - secrets: tokens, keys, passwords, credentials in URLs — the journal's own guard (journal/secrets.ts),
 *   applied again because reports also carry text that never went through the journal (PagerDuty log
 *   entries, alarm reasons, incident titles);
 * - e-mail addresses, everyone's, the team's included: a report names people, it does not need to tell
 *   how to reach them;
 * - phone numbers: international (+81 90 1234 5678, +819012345678), Japanese domestic (090-1234-5678,
 *   03-1234-5678, 03(1234)5678, (03) 1234-5678, 0120-123-456, 09012345678, 0312345678) in ASCII or
 *   full-width digits (０９０−１２３４−５６７８), and North American (415-555-0100, (415) 555-0100) forms;
 *   a Japanese form must hold 10 or 11 digits, an international one 8 to 15, so that dates, versions and
 *   counts are left alone;
 * - end-user ids: `usr_…` ids and values given as user_id / userId / patient_id / member_id;
 * - health values: a number with a clinical unit (72 bpm, 5.6 mmol/L, 140 mg/dL, 120/80 mmHg, 68.5 kg,
 *   154 lbs, 36.8 °C) and a number after a health word (heart rate 72, glucose: 140, 血糖値 140, 体重 65).
 *
 * What is deliberately kept:
 * - people's names: a handoff names who was on call and who did what; that is its point;
 * - PagerDuty ids (users, incidents, services look alike: PXXXXXX): reports show people by name and never
 *   put a PagerDuty user id in; in free text such an id cannot be told from an incident id and is left;
 * - IP addresses (an attacker's address is what the responder blocks), AWS account ids, ARNs, hostnames,
 *   metric values with operational units (%, ms, req/min), dates and times.
 *
 * What it cannot do (stated, not hidden): a name of an end user written in prose, a health value written
 * without a unit or health word ("he was at 140"), or a phone number in an unusual layout is not
 * recognised. This is a guard against the common cases, not a proof of anonymity.
 */

export type RedactionKind = 'secret' | 'email' | 'phone' | 'user-id' | 'health';
export const REDACTION_KINDS: readonly RedactionKind[] = ['secret', 'email', 'phone', 'user-id', 'health'];

/** The marker a redacted item of a kind is replaced with (secrets keep the journal's own marker). */
export function marker(kind: RedactionKind): string {
  return kind === 'secret' ? REDACTED : `[REDACTED:${kind}]`;
}

interface Rule {
  readonly kind: Exclude<RedactionKind, 'secret'>;
  readonly pattern: RegExp;
  /** Keeps a prefix (a label such as "glucose: ") and replaces the rest; by default the whole match goes. */
  readonly keepPrefix?: boolean;
  /** How many digits a match must hold (phone numbers), so that a date or a version is not one. */
  readonly digits?: readonly [number, number];
}

// Phone numbers are written with ASCII or full-width digits (０９０), and with hyphens, dashes, the
// minus sign, the katakana long mark or full-width hyphen between groups; parentheses either width.
const D = '[0-9０-９]';
const ZERO = '[0０]';
const SEP = '[-\\s.‐‑‒–—―−－ー．]';
const OPEN = '[(（]';
const CLOSE = '[)）]';

function digitCount(text: string): number {
  return (text.match(/[0-9０-９]/g) ?? []).length;
}

// A number as written in prose: 72, 5.6, 1,234 (also with a decimal comma).
const NUM = String.raw`\d{1,4}(?:[.,]\d{1,3})?`;
const HEALTH_WORDS = [
  String.raw`heart[\s_-]?rate`,
  'heartrate',
  'pulse',
  String.raw`blood[\s_-]?(?:glucose|sugar|pressure)`,
  'glucose',
  String.raw`body[\s_-]?(?:weight|temp(?:erature)?)`,
  'weight',
  'spo2',
  String.raw`oxygen[\s_-]?saturation`,
  '心拍数',
  '心拍',
  '脈拍',
  '血糖値',
  '血糖',
  '血圧',
  '体重',
  '体温',
].join('|');

const RULES: readonly Rule[] = [
  { kind: 'email', pattern: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b/g },
  // Blood pressure first, so that "120/80 mmHg" goes whole.
  { kind: 'health', pattern: /(?<![\w./])\d{2,3}\s?\/\s?\d{2,3}\s?mm\s?hg\b/gi },
  {
    kind: 'health',
    pattern: new RegExp(
      String.raw`(?<![\w.])${NUM}\s?(?:bpm|beats per minute|mg\s?/\s?dl|mmol\s?/\s?l|mm\s?hg|kg|lbs?|°\s?[cf])(?![a-z])`,
      'gi',
    ),
  },
  {
    kind: 'health',
    // A health word, an optional quote, separator or "of"/"is"/"was", then the value (or a pressure pair).
    pattern: new RegExp(
      String.raw`((?:${HEALTH_WORDS}|\bbp\b)["']?\s*(?:[:=：]|\bof\b|\bis\b|\bwas\b|は)?\s*["']?)(?:\d{2,3}\s?/\s?\d{2,3}|${NUM})(?![\d.])`,
      'gi',
    ),
    keepPrefix: true,
  },
  { kind: 'user-id', pattern: /\busr_[A-Za-z0-9]{4,64}\b/g },
  {
    kind: 'user-id',
    pattern: /((?:\b|_)(?:user|patient|member)[_-]?id["']?\s*[:=]\s*["']?)(?!\[REDACTED)[A-Za-z0-9_-]{1,64}/gi,
    keepPrefix: true,
  },
  {
    kind: 'phone',
    // International: + country code, 8–15 digits in groups separated by space, dot, dash or parentheses
    // (+81 90-1234-5678, +819012345678, ＋８１ ９０…).
    pattern: new RegExp(
      String.raw`(?<![\w+＋]|${D})[+＋]${D}{1,3}(?:${SEP}?${OPEN}?${D}{1,4}${CLOSE}?){2,5}(?![\w-]|${D})`,
      'g',
    ),
    digits: [8, 15],
  },
  {
    kind: 'phone',
    // Japanese domestic, separated: 0 + area or mobile prefix and two groups, 10 or 11 digits in all
    // (03-1234-5678, 090 1234 5678, 0120-123-456, ０９０−１２３４−５６７８).
    pattern: new RegExp(
      String.raw`(?<![\w.:/-]|${D})${ZERO}${D}{1,4}${SEP}${D}{1,4}${SEP}${D}{3,4}(?![\w.:/-]|${D})`,
      'g',
    ),
    digits: [10, 11],
  },
  {
    kind: 'phone',
    // Japanese domestic with the local part in parentheses, or the area code: 03(1234)5678, (03) 1234-5678.
    pattern: new RegExp(
      String.raw`(?<![\w.:/-]|${D})(?:${ZERO}${D}{1,4}${OPEN}${D}{1,4}${CLOSE}|${OPEN}${ZERO}${D}{1,4}${CLOSE}\s?${D}{1,4}${SEP}?)${D}{4}(?![\w.:/-]|${D})`,
      'g',
    ),
    digits: [10, 11],
  },
  {
    kind: 'phone',
    // Japanese, unseparated: a mobile number (090/080/070 + 8 digits) or a landline (0 + 9 digits).
    // Only a leading 0 makes it one: timestamps, counts and account ids do not start with 0 and a lone 0.
    pattern: new RegExp(
      String.raw`(?<![\w.:/+-]|${D})(?:${ZERO}[789７８９]${ZERO}${D}{8}|${ZERO}[1-9１-９]${D}{8})(?![\w.:/-]|${D})`,
      'g',
    ),
  },
  {
    kind: 'phone',
    // North American: (415) 555-0100, 415-555-0100, 415.555.0100.
    pattern: /(?<![\w.:/-])(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?![\w.:/-])/g,
  },
];

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n += 1;
  return n;
}

/** How much was redacted: per kind, and the secrets the journal had already removed when it recorded them. */
export interface RedactionCounts {
  readonly enabled: boolean;
  readonly total: number;
  readonly byKind: Readonly<Record<RedactionKind, number>>;
  /** [REDACTED] markers already in the text (the journal's secret guard removed those on write). */
  readonly alreadyRedacted: number;
}

export interface Redactor {
  /** The text with every recognised item replaced; counted. */
  text(s: string): string;
  /** A copy of a JSON-like value with text() applied to every string (keys are left alone). */
  deep<T>(value: T): T;
  counts(): RedactionCounts;
}

function zero(): Record<RedactionKind, number> {
  return { secret: 0, email: 0, phone: 0, 'user-id': 0, health: 0 };
}

/** Redacts one text and adds what it found to `counts`. */
function redactOne(s: string, counts: Record<RedactionKind, number>, already: { n: number }): string {
  if (!s) return s;
  const before = countOf(s, REDACTED);
  already.n += before;
  let out = redactSecrets(s);
  counts.secret += Math.max(0, countOf(out, REDACTED) - before);
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, (match: string, prefix?: unknown) => {
      if (rule.digits) {
        const n = digitCount(match);
        if (n < rule.digits[0] || n > rule.digits[1]) return match;
      }
      counts[rule.kind] += 1;
      return rule.keepPrefix && typeof prefix === 'string' ? `${prefix}${marker(rule.kind)}` : marker(rule.kind);
    });
  }
  return out;
}

function deepWith<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => deepWith(v, f)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = deepWith(v, f);
    return out as T;
  }
  return value;
}

/** A redactor that counts what it removes across every text it is given. */
export function createRedactor(): Redactor {
  const counts = zero();
  const already = { n: 0 };
  // A report repeats the same strings (names, targets, titles) many times: each distinct string is
  // redacted once, and what it held is counted at every occurrence.
  const memo = new Map<string, { out: string; found: Record<RedactionKind, number>; already: number }>();
  const text = (s: string) => {
    let hit = memo.get(s);
    if (!hit) {
      const found = zero();
      const a = { n: 0 };
      hit = { out: redactOne(s, found, a), found, already: a.n };
      if (memo.size > 50_000) memo.clear();
      memo.set(s, hit);
    }
    for (const k of REDACTION_KINDS) counts[k] += hit.found[k];
    already.n += hit.already;
    return hit.out;
  };
  return {
    text,
    deep: (value) => deepWith(value, text),
    counts: () => ({
      enabled: true,
      total: REDACTION_KINDS.reduce((n, k) => n + counts[k], 0),
      byKind: { ...counts },
      alreadyRedacted: already.n,
    }),
  };
}

/**
 * What `--no-redact` gives: personal and health data pass unchanged and nothing is counted; secrets are
 * removed all the same (a secret is never printed, whatever the flag says).
 */
export function noRedaction(): Redactor {
  return {
    text: (s) => redactSecrets(s),
    deep: (v) => deepWith(v, redactSecrets),
    counts: () => ({ enabled: false, total: 0, byKind: zero(), alreadyRedacted: 0 }),
  };
}

/**
 * Text that leaves the machine — notes mirrored to PagerDuty, a note an action adds, whatever will go to
 * a team server — passes through this one function: secrets (the program's own by value, and every shape
 * the guard knows), personal and health data are redacted, and the result is plain text: line breaks
 * and tabs stay, every other control character (ESC, BEL, C1, bidi overrides) becomes a visible symbol.
 */
export function redactOutgoing(text: string): string {
  return inertText(redactOne(text, zero(), { n: 0 }));
}

/** The redaction for notes mirrored to PagerDuty (Journal.mirrorPending({ redact })): redactOutgoing. */
export const redactForMirror = redactOutgoing;
