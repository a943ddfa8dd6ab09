import { hasControl, markdownText, terminalLine } from '../sanitize.js';
import { createFormatter, type Formatter } from './format.js';
import { messages, type Messages } from './messages.js';
import { REDACTION_KINDS } from './redact.js';
import type {
  ActionRun,
  DurationStats,
  Footer,
  FollowUpItem,
  Lang,
  PriorityRow,
  ReportIncident,
  TimelineItem,
} from './types.js';

/**
 * Markdown building blocks shared by the report renderers. Everything from outside (titles, notes,
 * command output, alarm reasons) goes through cell() or text(): a Markdown file is data, but it is also
 * cat'ed to terminals and pasted into wikis, so it never carries a raw control character, and a `|` or a
 * line break in a title cannot break a table. Markup is neutralised the Markdown way, with backslash
 * escapes (`\<`, `\>`, `\&` before an entity, `\|` in cells) or inside code spans, never with HTML
 * entities: `&lt;` would be shown as such by every renderer that does not read HTML, and by `cat`.
 */

/** The document with every unsafe character but newline and tab made visible (core/sanitize.ts, the one rule set). */
export function scrub(doc: string): string {
  return markdownText(doc);
}

/** Text that needs no escaping at all: no unsafe character, no markup character. */
function plain(s: string): boolean {
  return !hasControl(s) && !/[<>&]/.test(s);
}

/** One line, every unsafe character made visible. */
function oneLine(s: string): string {
  return terminalLine(s);
}

/** `<` and `>` (a tag, an autolink) and `&` before an entity (`&amp;`) backslash-escaped: shown as written. */
function inert(s: string): string {
  return s.replace(/[<>]/g, '\\$&').replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** Inline text: one line, HTML-inert. */
export function text(s: string): string {
  if (plain(s)) return s;
  return inert(oneLine(s));
}

/** A table cell: inline text with the column separator escaped. */
export function cell(s: string): string {
  return text(s).replace(/\|/g, '\\|');
}

/** `code` that cannot be closed early by a backtick inside it (inside a code span `<` is shown as written: no escape). */
export function code(s: string): string {
  const t = oneLine(s);
  const fence = t.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${t}${fence === '``' ? ' ' : ''}${fence}`;
}

/** Multi-line text from a person (a note) as a quote block. */
export function quote(s: string): string {
  return inert(scrub(s))
    .split(/\r?\n/)
    .map((l) => `> ${l}`)
    .join('\n');
}

export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('l' | 'r')[],
): string {
  const sep = headers.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(sep), ...rows.map(line)].join('\n');
}

export interface Ctx {
  readonly lang: Lang;
  readonly m: Messages;
  readonly f: Formatter;
}

export function context(lang: Lang, timeZone: string): Ctx {
  return { lang, m: messages(lang), f: createFormatter(lang, timeZone) };
}

/** "12m (9m)": mean with the median in brackets. */
export function stats(c: Ctx, s: DurationStats): string {
  if (!s.count) return '–';
  return `${c.f.duration(s.meanMs)} (${c.f.duration(s.medianMs)})`;
}

export function priorityTable(c: Ctx, rows: readonly PriorityRow[]): string {
  return table(
    [c.m.col.priority, c.m.col.incidents, c.m.col.open, c.m.col.mtta, c.m.col.mttr, c.m.col.lateAck],
    rows.map((r) => [
      r.priority === 'none' ? c.m.none : r.priority,
      c.f.number(r.incidents),
      c.f.number(r.open),
      stats(c, r.mtta),
      stats(c, r.mttr),
      c.f.number(r.missedResponseTarget),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  );
}

export function incidentTable(c: Ctx, incidents: readonly ReportIncident[]): string {
  return table(
    [
      c.m.col.incident,
      c.m.col.priority,
      c.m.col.title,
      c.m.col.service,
      c.m.col.triggered,
      c.m.col.acknowledged,
      c.m.col.resolved,
      c.m.col.status,
    ],
    incidents.map((i) => [
      cell(i.id),
      i.priority ?? '–',
      cell(i.title),
      cell(i.service?.name ?? '–'),
      c.f.shortDateTime(i.createdAt),
      i.acknowledgedAt !== undefined
        ? `${c.f.duration(i.acknowledgedAt - i.createdAt)}${i.acknowledgedBy ? ` (${cell(i.acknowledgedBy)})` : ''}`
        : '–',
      i.resolvedAt !== undefined ? c.f.duration(i.resolvedAt - i.createdAt) : '–',
      i.endedWithRun !== undefined ? `${c.m.status[i.status]} (${c.m.endedWithRun})` : c.m.status[i.status],
    ]),
  );
}

export function followUpTable(c: Ctx, items: readonly FollowUpItem[]): string {
  return table(
    [c.m.col.id, c.m.col.followUp, c.m.col.owner, c.m.col.incident, c.m.col.due, c.m.col.status],
    items.map((f) => [
      `#${f.id}`,
      cell(f.text),
      cell(f.owner),
      cell(f.incidentId ?? '–'),
      f.dueAt !== undefined ? `${c.f.date(f.dueAt)}${f.overdue ? ` **${c.m.handoff.overdue}**` : ''}` : '–',
      c.m.followUpStatus[f.status],
    ]),
  );
}

export function actionTable(c: Ctx, actions: readonly ActionRun[], withIncident = true): string {
  return table(
    [
      c.m.col.time,
      c.m.col.action,
      c.m.col.target,
      ...(withIncident ? [c.m.col.incident] : []),
      c.m.col.who,
      c.m.col.outcome,
      c.m.col.before,
      c.m.col.after,
    ],
    actions.map((a) => [
      c.f.shortDateTime(a.at),
      `${code(a.actionId)}${a.dryRun ? ` (${c.m.dryRun})` : ''}`,
      cell(actionTarget(a)),
      ...(withIncident ? [cell(a.incidentId ?? '–')] : []),
      cell(a.who ?? '–'),
      `${a.dryRun && a.outcome === 'applied' ? c.m.dryRun : c.m.outcome[a.outcome]}${a.error ? `: ${cell(a.error)}` : ''}`,
      cell(a.before ?? '–'),
      cell(a.after ?? '–'),
    ]),
  );
}

/** What an action acted on, as a reader knows it: a command is its command line (its plan), not the program's name. */
export function actionTarget(a: {
  readonly actionId: string;
  readonly target: string;
  readonly plan?: string;
}): string {
  return a.actionId === 'command.run' && a.plan ? a.plan : a.target;
}

/** A timeline entry's text: an action with its outcome and before → after, a decision, or the recorded summary. */
export function timelineText(c: Ctx, t: TimelineItem): string {
  const { m } = c;
  if (t.action) {
    const a = t.action;
    const evidence =
      a.before !== undefined || a.after !== undefined
        ? `${cell(a.before ?? '–')} → ${cell(a.after ?? '–')}`
        : undefined;
    const outcome = `${a.dryRun && a.outcome === 'applied' ? m.dryRun : `${m.outcome[a.outcome]}${a.dryRun ? ` (${m.dryRun})` : ''}`}${a.error ? `: ${cell(a.error)}` : ''}`;
    return m.record.timelineAction(code(a.actionId), cell(a.target), outcome, evidence);
  }
  if (t.decision) return m.record.timelineDecision(cell(t.decision.question), cell(t.decision.label));
  return cell(t.summary);
}

export function timelineTable(c: Ctx, items: readonly TimelineItem[]): string {
  return table(
    [c.m.col.time, c.m.col.what, c.m.col.text, c.m.col.who, c.m.col.source],
    items.map((t) => [
      c.f.shortDateTime(t.at),
      c.m.timelineKind(t.kind),
      timelineText(c, t),
      cell(t.who ?? '–'),
      t.origins.map((o) => c.m.origin(o)).join(', '),
    ]),
  );
}

/** "Mon–Fri 9:00–18:00 Asia/Tokyo". */
export function workingHours(c: Ctx, h: { start: number; end: number; timeZone: string }): string {
  return c.lang === 'ja'
    ? `平日 ${h.start}:00〜${h.end}:00（${h.timeZone}）`
    : `Mon–Fri ${h.start}:00–${h.end}:00 ${h.timeZone}`;
}

/** The footer: definitions given by the report, redaction, missing data, provenance. */
export function footer(c: Ctx, f: Footer, definitions: readonly string[]): string {
  const out: string[] = ['---', '', `## ${c.m.footer.heading}`, ''];
  if (definitions.length) {
    out.push(`**${c.m.footer.definitions}**`, '');
    for (const d of definitions) out.push(`- ${d}`);
    out.push('');
  }
  const r = f.redaction;
  if (r.enabled) {
    const kinds = REDACTION_KINDS.filter((k) => r.byKind[k] > 0)
      .map((k) => c.m.footer.redactionKind(k, r.byKind[k]))
      .join(c.m.and);
    out.push(c.m.footer.redaction(r, kinds), '');
  } else {
    out.push(`**${c.m.footer.redactionOff}**`, '');
  }
  if (f.gaps.length) {
    out.push(`**${c.m.footer.gaps}**`, '');
    for (const g of f.gaps) out.push(`- ${text(c.m.footer.gap(g.source, g.error))}`);
    out.push('');
  }
  out.push(c.m.footer.generated(c.f.dateTime(f.generatedAt), text(f.environment), f.timeZone));
  return out.join('\n');
}
