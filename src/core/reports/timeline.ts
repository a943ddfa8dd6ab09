import { describeEvent, type JournalEvent } from '../journal/index.js';
import type { TimelineEntry } from '../model.js';
import type { AlarmTransition, Origin, TimelineItem } from './types.js';

/**
 * One complete timeline of an incident: the journal's events, the incident source's log entries
 * (PagerDuty, or the sandbox's pager) and the alarm history, merged, de-duplicated and in order.
 *
 * De-duplication:
 * - alarm transitions arrive already merged (alarms.ts); the journal's alarm.transition events are not
 *   taken again;
 * - notes the journal mirrored to PagerDuty (their text starts with "[vitascope-oncall ") are the journal's
 *   own events coming back: dropped;
 * - a lifecycle entry (triggered/created, acknowledged, escalated, resolved) in both the journal and the log
 *   within LIFECYCLE_MS is one entry; so is a note with the same text within NOTE_MS;
 * - a log entry about an alarm ("Alert added: NAME …") within LIFECYCLE_MS of that alarm's transition is
 *   the same moment: one entry.
 * The kept entry lists every origin that recorded it.
 */

const LIFECYCLE_MS = 2 * 60_000;
const NOTE_MS = 5 * 60_000;
const MIRROR_MARK = '[vitascope-oncall ';

/** The journal's and the log's names for the same lifecycle step. */
const CANONICAL: Readonly<Record<string, string>> = {
  'incident.created': 'incident.triggered',
  'incident.triggered': 'incident.triggered',
  'incident.acknowledged': 'incident.acknowledged',
  'incident.escalated': 'incident.escalated',
  'incident.resolved': 'incident.resolved',
};

/** Order within one instant: the alarm before the incident it opened, the incident before what was done in it. */
const RANK: Readonly<Record<string, number>> = { alarm: 0, 'incident.created': 1, 'incident.triggered': 1, 'incident.reassigned': 2, 'incident.escalated': 3, 'incident.acknowledged': 4 };

interface Item {
  at: number;
  kind: string;
  summary: string;
  who?: string;
  origins: Origin[];
  alarmName?: string;
  to?: string;
}

function alarmSummary(t: AlarmTransition): string {
  return `${t.alarmName}: ${t.from ?? '?'} → ${t.to}${t.reason ? ` (${t.reason})` : ''}`;
}

export function mergeTimeline(events: readonly JournalEvent[], log: readonly TimelineEntry[], transitions: readonly AlarmTransition[], logOrigin: Origin = 'pagerduty'): TimelineItem[] {
  const items: Item[] = [];
  for (const t of transitions) items.push({ at: t.at, kind: 'alarm', summary: alarmSummary(t), origins: [t.origin, ...(t.alsoIn ?? [])], alarmName: t.alarmName, to: t.to });
  for (const e of events) {
    if (e.kind === 'alarm.transition') continue;
    const who = e.who.name ?? e.who.id;
    items.push({ at: e.at, kind: e.kind === 'unknown' ? e.originalKind : e.kind, summary: describeEvent(e), who, origins: ['journal'] });
  }
  const journalItems = [...items];
  for (const entry of log) {
    if (entry.kind === 'note' && entry.summary.startsWith(MIRROR_MARK)) continue;
    const canonical = CANONICAL[entry.kind];
    const same = journalItems.find((j) => {
      if (canonical) return CANONICAL[j.kind] === canonical && Math.abs(j.at - entry.at) <= LIFECYCLE_MS;
      if (entry.kind === 'note') return j.kind === 'note' && Math.abs(j.at - entry.at) <= NOTE_MS && j.summary === `note: ${entry.summary}`;
      if (entry.kind === 'alarm') {
        if (j.kind !== 'alarm' || j.alarmName === undefined || !entry.summary.includes(j.alarmName) || Math.abs(j.at - entry.at) > LIFECYCLE_MS) return false;
        // The same direction: a log entry saying the alarm is OK or resolved is its recovery, not its firing.
        const saysOk = /\b(OK|resolved)\b/i.test(entry.summary.split(j.alarmName).join(' '));
        return saysOk === (j.to !== 'ALARM');
      }
      return false;
    });
    if (same) {
      if (!same.origins.includes(logOrigin)) same.origins.push(logOrigin);
      same.who ??= entry.who;
      continue;
    }
    items.push({ at: entry.at, kind: entry.kind, summary: entry.summary, ...(entry.who ? { who: entry.who } : {}), origins: [logOrigin] });
  }
  return items
    .map((it, i) => ({ it, i }))
    .sort((a, b) => a.it.at - b.it.at || (RANK[a.it.kind] ?? 9) - (RANK[b.it.kind] ?? 9) || a.i - b.i)
    .map(({ it }) => ({ at: it.at, kind: it.kind, summary: it.summary, ...(it.who ? { who: it.who } : {}), origins: it.origins }));
}
