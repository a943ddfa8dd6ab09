import type { NoteSection } from '../journal/events.js';
import type { FollowUpItem, ReportDecision, ReportNote } from './types.js';

/**
 * Follow-ups the responder named without recording them: a sentence of a note (or a decision) that names
 * an owner or a due date becomes a proposed follow-up in the postmortem's action items, with the note it
 * came from; a note written for a runbook's follow-up step is one as a whole. They are proposals, kept
 * apart from the follow-ups recorded with `followup` (and one that a recorded follow-up already covers,
 * same owner and same day, is left out). Its text is the line that names them (the sentence, when a line
 * names several).
 *
 * What is recognised (a date only after a word that makes it a deadline, so that "deploy at 2026-01-05"
 * or "1/2 tasks running" is not one):
 * - owners: "owner: Kenji", "owner - Kenji Sato", "@kenji", "assigned to Kenji", "Kenji by 2026-12-10",
 *   "担当: 佐藤", "担当者：佐藤さん";
 * - dates after by / due / until / before / deadline: 2026-12-10, 2026/12/10, 12/10 (month/day), 10 Dec,
 *   Dec 10, December 10th, a weekday ("by Friday"); in Japanese after 期限 or before まで: 2026年12月10日,
 *   12月10日, 12/10. A date without a year is the next one on or after the note's day.
 */
export interface FollowUpCandidate {
  /** The line that names the owner or the date (the sentence when a line names several; the whole note for a follow-up step's note). */
  readonly text: string;
  readonly owner?: string;
  /** Midnight of the due day in the team's time zone. */
  readonly dueAt?: number;
  /** The due date as written. */
  readonly due?: string;
  readonly from: {
    readonly kind: 'note' | 'decision';
    readonly at: number;
    readonly who?: string;
    readonly section?: NoteSection;
    readonly stepId?: string;
    readonly text: string;
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTH_WORD =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAY_WORD =
  '(sun(?:day)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?)';
/** An English date, as the groups of one alternation: ISO, month/day, day month, month day, weekday. */
const EN_DATE = `(?:(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})|(\\d{1,2})/(\\d{1,2})(?!/|\\d)|(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_WORD}\\.?(?:\\s+(\\d{4}))?|${MONTH_WORD}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?|${WEEKDAY_WORD})`;
const EN_DUE = new RegExp(
  `\\b(?:by|due(?:\\s+(?:on|by))?|until|till|before|deadline|no later than)\\s*[:：]?\\s*(?:the\\s+)?${EN_DATE}\\b`,
  'i',
);
const JA_DATE =
  '(?:(\\d{4})年\\s*(\\d{1,2})月\\s*(\\d{1,2})日|(\\d{1,2})月\\s*(\\d{1,2})日|(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})|(\\d{1,2})/(\\d{1,2}))';
const JA_DUE_BEFORE = new RegExp(`期限\\s*[:：は]?\\s*${JA_DATE}`);
const JA_DUE_AFTER = new RegExp(`${JA_DATE}\\s*(?:まで|迄)`);

/** Words that start English sentences and are not people ("Review by Friday"). */
const NOT_A_NAME = new Set(
  'review revisit decide decision fix follow followup raise lower add remove check update done due finish ship deploy roll rollback scale set move write file open close plan test run lift keep cap put ask tell agree agreed confirm capacity prevention monitoring timeline cause root impact note action todo it this that we they someone everyone nobody team'.split(
    ' ',
  ),
);

function clean(name: string): string {
  return name
    .trim()
    .replace(/(?:さん|様|氏|くん|君)$/, '')
    .replace(/[.,;:!?。、]+$/, '')
    .trim();
}

/** The owner a sentence names, if any. */
export function ownerIn(sentence: string): string | undefined {
  const explicit =
    /\bowner\s*[:：=-]\s*([^\s,;()（）:：][^,;()（）\n]*?)(?=\s*(?:[,;()（）]|\s(?:by|due|until|before)\b|$))/i.exec(
      sentence,
    );
  if (explicit) return clean(explicit[1]!.split(/\s+/).slice(0, 3).join(' '));
  const ja = /担当(?:者)?\s*[:：は]\s*([^\s、。,，()（）:：]+(?:\s[^\s、。,，()（）:：]+)?)/.exec(sentence);
  if (ja) return clean(ja[1]!.split(/\s+/)[0]!);
  const handle = /(?:^|[\s(（])@([A-Za-z][\w.-]*[A-Za-z0-9])/.exec(sentence);
  if (handle) return handle[1]!;
  const assigned = /\b(?:assigned to|owned by)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)/.exec(sentence);
  if (assigned) return clean(assigned[1]!);
  const nameBy = new RegExp(
    `\\b([A-Z][a-z'-]+(?:\\s+[A-Z][a-z'-]+)?)\\s+(?:by|before)\\s+(?:the\\s+)?${EN_DATE}\\b`,
  ).exec(sentence);
  if (nameBy) {
    const name = nameBy[1]!;
    const words = name.split(/\s+/);
    if (!words.some((w) => NOT_A_NAME.has(w.toLowerCase()))) return name;
  }
  return undefined;
}

/** Wall-clock parts of an instant in a time zone. */
function zoned(t: number, timeZone: string): { year: number; month: number; day: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
  }).formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: WEEKDAYS.indexOf(get('weekday').slice(0, 3).toLowerCase()),
  };
}

/** Midnight of a calendar day in a time zone, as epoch ms. */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  let t = guess;
  // Two passes settle the zone's offset (it can differ between the guess and the answer around a DST change).
  for (let i = 0; i < 2; i++) {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    }).formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
    t = guess - (wall - t);
  }
  return t;
}

function valid(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A month/day without a year: the next such day on or after `today`. */
function nextYear(month: number, day: number, today: { year: number; month: number; day: number }): number {
  return month > today.month || (month === today.month && day >= today.day) ? today.year : today.year + 1;
}

function monthOf(word: string): number {
  return MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;
}

/** The due date a sentence names after a deadline word, as a day in the team's time zone. */
export function dueIn(
  sentence: string,
  writtenAt: number,
  timeZone: string,
): { dueAt: number; due: string } | undefined {
  const today = zoned(writtenAt, timeZone);
  const at = (y: number | undefined, m: number, d: number, text: string) => {
    const year = y ?? nextYear(m, d, today);
    return valid(year, m, d) ? { dueAt: zonedMidnight(year, m, d, timeZone), due: text.trim() } : undefined;
  };
  const en = EN_DUE.exec(sentence);
  if (en) {
    const g = en.slice(1);
    const text = en[0];
    if (g[0]) return at(Number(g[0]), Number(g[1]), Number(g[2]), text);
    if (g[3]) return at(undefined, Number(g[3]), Number(g[4]), text);
    if (g[5]) return at(g[7] ? Number(g[7]) : undefined, monthOf(g[6]!), Number(g[5]), text);
    if (g[8]) return at(g[10] ? Number(g[10]) : undefined, monthOf(g[8]!), Number(g[9]), text);
    if (g[11]) {
      const wanted = WEEKDAYS.indexOf(g[11].slice(0, 3).toLowerCase());
      const ahead = (wanted - today.weekday + 7) % 7;
      const d = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead));
      return at(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), text);
    }
  }
  const ja = JA_DUE_BEFORE.exec(sentence) ?? JA_DUE_AFTER.exec(sentence);
  if (ja) {
    const g = ja.slice(1);
    const text = ja[0];
    if (g[0]) return at(Number(g[0]), Number(g[1]), Number(g[2]), text);
    if (g[3]) return at(undefined, Number(g[3]), Number(g[4]), text);
    if (g[5]) return at(Number(g[5]), Number(g[6]), Number(g[7]), text);
    if (g[8]) return at(undefined, Number(g[8]), Number(g[9]), text);
  }
  return undefined;
}

/** The lines of a note, list markers dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.replace(/^\s*(?:[-*•・]|\d+[.)])\s+/, '').trim())
    .filter((s) => s.length > 0);
}

/** The sentences of a line: ending in . ; ! ? (then a space) or 。 (a date's dots and slashes stay). */
export function sentences(line: string): string[] {
  return line
    .split(/(?<=[.;!?])\s+(?=\S)|(?<=。)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function sameOwner(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.includes(y) || y.includes(x);
}

function sameDay(a: number | undefined, b: number | undefined): boolean {
  return a === undefined || b === undefined || Math.abs(a - b) < 24 * 60 * 60_000;
}

/** Proposed follow-ups from what the responder wrote, oldest first. */
export function followUpCandidates(
  notes: readonly ReportNote[],
  decisions: readonly ReportDecision[],
  recorded: readonly FollowUpItem[],
  timeZone: string,
): FollowUpCandidate[] {
  const out: FollowUpCandidate[] = [];
  const sources = [
    ...notes.map((n) => ({
      kind: 'note' as const,
      at: n.at,
      ...(n.who ? { who: n.who } : {}),
      ...(n.section ? { section: n.section } : {}),
      ...(n.stepId ? { stepId: n.stepId } : {}),
      text: n.text,
    })),
    ...decisions.map((d) => ({
      kind: 'decision' as const,
      at: d.at,
      ...(d.who ? { who: d.who } : {}),
      stepId: d.stepId,
      text: `${d.question}: ${d.label}`,
    })),
  ].sort((a, b) => a.at - b.at);
  for (const from of sources) {
    const found: FollowUpCandidate[] = [];
    for (const line of lines(from.text)) {
      // A line with one sentence naming an owner or a date is one follow-up, the line its text ("Keep the
      // limits until the review. owner: Kenji, due 12/10"); several such sentences are several follow-ups.
      const named = sentences(line).flatMap((sentence) => {
        const owner = ownerIn(sentence);
        const due = dueIn(sentence, from.at, timeZone);
        return owner === undefined && due === undefined ? [] : [{ sentence, owner, due }];
      });
      for (const n of named)
        found.push({
          text: named.length === 1 ? line : n.sentence,
          ...(n.owner !== undefined ? { owner: n.owner } : {}),
          ...(n.due ? n.due : {}),
          from,
        });
    }
    if (!found.length && from.kind === 'note' && from.section === 'follow-up')
      found.push({ text: from.text.trim(), from });
    for (const c of found) {
      const covered = recorded.some(
        (r) =>
          r.text.trim() === c.text ||
          (c.owner !== undefined && sameOwner(r.owner, c.owner) && sameDay(r.dueAt, c.dueAt)),
      );
      if (!covered) out.push(c);
    }
  }
  return out;
}
