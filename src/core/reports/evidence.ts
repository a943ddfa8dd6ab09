/**
 * Evidence from the incident room's logs and traces steps (the journal's step.finding events): what was read,
 * of which window, what it found and the lines or traces behind it. The incident report and the postmortem
 * show it under "Evidence"; every fact is the journal's (already redacted and bounded when it was recorded).
 */

import type { JournalEvent } from '../journal/index.js';
import { code, quote, text, type Ctx } from './markdown.js';

export interface ReportEvidence {
  readonly at: number;
  readonly who?: string;
  readonly runbookId: string;
  readonly stepId: string;
  readonly kind: 'logs' | 'traces';
  readonly service: string;
  readonly start: number;
  readonly end: number;
  readonly summary: string;
  readonly complete: boolean;
  readonly items: readonly {
    readonly text: string;
    readonly count?: number;
    readonly previousCount?: number;
    readonly trend?: string;
  }[];
  readonly lines: readonly string[];
}

/** The findings recorded for the incident, oldest first. */
export function evidenceOf(events: readonly JournalEvent[]): ReportEvidence[] {
  const out: ReportEvidence[] = [];
  for (const e of events) {
    if (e.kind !== 'step.finding') continue;
    const f = e.payload.finding;
    out.push({
      at: e.at,
      who: e.who.name ?? e.who.id,
      runbookId: e.payload.runbookId,
      stepId: e.payload.stepId,
      kind: f.kind,
      service: f.service,
      start: f.start,
      end: f.end,
      summary: f.summary,
      complete: f.complete,
      items: f.items.map((i) => ({
        text: i.text,
        ...(i.count !== undefined ? { count: i.count } : {}),
        ...(i.previousCount !== undefined ? { previousCount: i.previousCount } : {}),
        ...(i.trend ? { trend: i.trend } : {}),
      })),
      lines: f.evidence,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The "Evidence" block: per finding, its line, its top items with counts, and the lines behind it. */
export function evidenceBlock(c: Ctx, evidence: readonly ReportEvidence[]): string[] {
  if (!evidence.length) return [];
  const rec = c.m.record;
  const out: string[] = ['', `### ${rec.evidence}`, ''];
  for (const e of evidence) {
    out.push(
      `- ${rec.evidenceFound(e.kind, text(e.service), c.f.dateTime(e.start), c.f.dateTime(e.end), e.who === undefined ? undefined : text(e.who))} ${text(e.summary)}${e.complete ? '' : ` ${rec.evidencePartial}`}`,
    );
    for (const i of e.items.slice(0, 5)) {
      const counts =
        i.count !== undefined
          ? `${c.f.number(i.count)}${i.previousCount !== undefined ? ` (${c.f.number(i.previousCount)})` : ''} `
          : '';
      out.push(`  - ${counts}${i.trend ? `${text(i.trend)} ` : ''}${code(i.text)}`);
    }
    const lines = e.lines.filter((l) => l.trim()).slice(0, 3);
    if (lines.length) out.push('', ...lines.map((l) => quote(l).replace(/^/gm, '  ')), '');
  }
  return out;
}
