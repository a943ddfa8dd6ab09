import { FLAP_FIRINGS, FLAP_WINDOW_MS, MIN_SUGGESTION_HISTORY_MS } from './alarms.js';
import {
  actionTable,
  cell,
  code,
  context,
  followUpTable,
  footer,
  incidentTable,
  priorityTable,
  quote,
  scrub,
  stats,
  table,
  text,
  workingHours,
  type Ctx,
} from './markdown.js';
import type { AlarmRow, HandoffReport, Lang, Risk } from './types.js';

/** The handoff as Markdown, in English or Japanese. */
export function renderHandoffMarkdown(
  r: HandoffReport,
  lang: Lang,
  hours: { start: number; end: number; timeZone: string },
): string {
  const c = context(lang, r.footer.timeZone);
  const { m, f } = c;
  const h = m.handoff;
  const out: string[] = [];
  const section = (n: number, title: string) => out.push('', `## ${n}. ${title}`, '');

  out.push(`# ${h.title(f.dateTime(r.period.from), f.dateTime(r.period.to))}`);

  section(1, h.people);
  const { outgoing, incoming, handoverAt } = r.people;
  if (outgoing || incoming) {
    const at = handoverAt === undefined ? undefined : f.dateTime(handoverAt);
    const from = [...new Set([r.people.outgoingFrom, r.people.incomingFrom].filter((x) => x !== undefined))]
      .map((x) => m.record.handoverFrom[x])
      .join(m.and);
    out.push(
      `${outgoing && outgoing === incoming ? m.record.staysOnCall(text(outgoing), at) : m.record.handover(text(outgoing ?? m.unknown), text(incoming ?? m.unknown), at)}${from ? ` (${from})` : ''}`,
      '',
    );
  }
  if (r.people.onCall.length) {
    out.push(
      table(
        [m.col.role, m.col.person, m.col.from, m.col.to],
        r.people.onCall.map((s) => [m.role(s.role), cell(s.person), f.shortDateTime(s.start), f.shortDateTime(s.end)]),
      ),
    );
  } else out.push(h.noRotation);
  if (r.people.responders.length) out.push('', h.responders(r.people.responders.map(text).join(m.and)));

  section(2, h.incidents);
  out.push(
    h.totals(
      f.number(r.totals.incidents),
      stats(c, r.totals.mtta),
      stats(c, r.totals.mttr),
      f.number(r.totals.escalated),
    ),
  );
  if (r.incidents.length) {
    out.push(
      '',
      `### ${h.byPriority}`,
      '',
      priorityTable(c, r.byPriority),
      '',
      `### ${h.allIncidents}`,
      '',
      incidentTable(c, r.incidents),
    );
  } else out.push('', h.noIncidents);

  section(3, h.stillOpen);
  if (!r.openIncidents.length && !r.openFollowUps.length) out.push(h.nothingOpen);
  if (r.openIncidents.length) out.push(`### ${h.openIncidents}`, '', incidentTable(c, r.openIncidents), '');
  if (r.openFollowUps.length) out.push(`### ${h.openFollowUps}`, '', followUpTable(c, r.openFollowUps), '');
  if (r.closedFollowUps.length) out.push(h.closedFollowUps(f.number(r.closedFollowUps.length)));

  section(4, h.actions);
  out.push(r.actions.length ? actionTable(c, r.actions) : h.noActions);
  if (r.readOnlyChecks > 0) out.push('', m.record.readOnlyChecks(f.number(r.readOnlyChecks), r.readOnlyChecks === 1));
  if (r.readOnlyChecksDry > 0)
    out.push('', m.record.readOnlyChecksDry(f.number(r.readOnlyChecksDry), r.readOnlyChecksDry === 1));

  section(5, h.alarms);
  out.push(h.alarmTotals(f.number(r.alarms.firings), f.number(r.alarms.alarmsFired)));
  if (r.alarms.inAlarmNow.length) out.push('', h.inAlarmNow(r.alarms.inAlarmNow.map(code).join(m.and)));
  if (r.alarms.mostFired.length) {
    out.push('', `### ${h.mostFired}`, '');
    out.push(
      table(
        [m.col.alarm, m.col.firings, m.col.unanswered, m.col.timeInAlarm],
        r.alarms.mostFired.map((a) => [
          code(a.alarmName),
          f.number(a.firings),
          f.number(a.unanswered),
          f.duration(a.timeInAlarmMs),
        ]),
        ['l', 'r', 'r', 'r'],
      ),
    );
  }
  out.push('', `### ${h.flapping}`, '');
  out.push(
    r.alarms.flapping.length
      ? table(
          [m.col.alarm, m.col.firings, m.col.maxInHour],
          r.alarms.flapping.map((a) => [code(a.alarmName), f.number(a.firings), f.number(a.maxInWindow)]),
          ['l', 'r', 'r'],
        )
      : h.noFlapping,
  );
  out.push('', `### ${h.noise}`, '');
  out.push(
    r.alarms.noise.length
      ? table(
          [m.col.alarm, m.col.firings, m.col.withoutIncident, m.col.selfResolved, m.col.suggestion],
          r.alarms.noise.map((a) => [
            code(a.alarmName),
            f.number(a.firings),
            f.number(a.withoutIncident),
            f.number(a.selfResolved),
            suggestionText(c, a),
          ]),
          ['l', 'r', 'r', 'r', 'l'],
        )
      : h.noNoise,
  );
  out.push('', `### ${h.withoutRunbook}`, '');
  out.push(
    r.alarms.withoutRunbook.length
      ? r.alarms.withoutRunbook.map((a) => `- ${code(a.alarmName)} (${f.number(a.firings)})`).join('\n')
      : h.allHaveRunbooks,
  );

  section(6, h.outsideHours);
  out.push(
    h.outsideHoursTotals(f.number(r.outsideHours.pages.length), f.number(r.outsideHours.total), workingHours(c, hours)),
  );
  if (r.outsideHours.pages.length) {
    out.push(
      '',
      table(
        [m.col.time, m.col.incident, m.col.priority, m.col.title, m.col.acknowledgedBy],
        r.outsideHours.pages.map((p) => [
          f.shortDateTime(p.at),
          cell(p.incidentId),
          p.priority ?? '–',
          cell(p.title),
          cell(p.acknowledgedBy ?? '–'),
        ]),
      ),
    );
  }

  section(7, h.notes);
  if (!r.notes.length) out.push(h.noNotes);
  for (const n of r.notes) {
    const ack = n.acknowledgedBy
      ? h.acknowledgedBy(text(n.acknowledgedBy), f.dateTime(n.acknowledgedAt))
      : h.notAcknowledged;
    out.push(
      `**${text(n.from)}**${n.to ? ` → ${text(n.to)}` : ''}, ${f.dateTime(n.at)} (#${n.id}; ${ack})`,
      '',
      quote(n.text),
      '',
    );
  }

  section(8, h.next);
  out.push(`### ${h.nextRotation}`, '');
  out.push(
    r.next.rotation.length
      ? table(
          [m.col.role, m.col.person, m.col.from, m.col.to],
          r.next.rotation.map((s) => [
            m.role(s.role),
            cell(s.person),
            f.shortDateTime(s.start),
            f.shortDateTime(s.end),
          ]),
        )
      : h.noRotation,
  );
  out.push('', `### ${h.risks}`, '');
  out.push(r.next.risks.length ? r.next.risks.map((k) => `- ${riskText(c, k)}`).join('\n') : h.noRisks);
  out.push('', `### ${h.changes}`, '');
  out.push(
    r.next.changes.length
      ? r.next.changes
          .map((ch) => `- ${f.shortDateTime(ch.at)} ${text(ch.what)}${ch.who ? ` (${text(ch.who)})` : ''}`)
          .join('\n')
      : h.noChanges,
  );

  out.push(
    '',
    footer(c, r.footer, [
      m.footer.mtta,
      m.footer.mttr,
      m.footer.flapping(f.number(FLAP_FIRINGS), f.duration(FLAP_WINDOW_MS)),
      m.footer.noise,
      m.footer.suggestion,
      m.footer.runbook,
      m.footer.outsideHours(workingHours(c, hours)),
      m.footer.merge,
    ]),
  );
  return `${scrub(out.join('\n'))}\n`;
}

export function suggestionText(c: Ctx, a: AlarmRow): string {
  return cell(suggestionPlain(c, a) || '–');
}

/**
 * What the report suggests for a noisy alarm, in a sentence of the reader's language (plain text: the
 * handoff screen shows it too, where a raw suggestion object would be unreadable). '' when nothing.
 */
export function suggestionPlain(c: Ctx, a: AlarmRow): string {
  const parts: string[] = [];
  const { f, m } = c;
  if (a.threshold) {
    const t = a.threshold;
    parts.push(
      m.suggestion.threshold(
        f.value(t.current, t.unit),
        f.value(t.suggested, t.unit),
        f.number(t.avoided),
        f.number(t.unanswered),
        t.lostAnswered ? f.number(t.lostAnswered) : undefined,
      ),
    );
  } else if (a.noSuggestionReason) parts.push(reasonText(c, a));
  if (a.window)
    parts.push(
      m.suggestion.window(
        f.number(a.window.minutes),
        f.number(a.window.avoided),
        f.number(a.window.unanswered),
        a.window.lostAnswered ? f.number(a.window.lostAnswered) : undefined,
      ),
    );
  return parts.join('; ');
}

/** Why no threshold is suggested, in the reader's language. */
function reasonText(c: Ctx, a: AlarmRow): string {
  const { f, m } = c;
  switch (a.noSuggestionReason) {
    case 'not-absolute':
      return m.suggestion.notAbsolute;
    case 'not-numeric':
      return m.record.suggestion.notNumeric;
    case 'not-enough-data':
      return m.record.suggestion.notEnoughData(f.duration(a.historyMs ?? 0), f.duration(MIN_SUGGESTION_HISTORY_MS));
    case 'one-firing':
      return m.record.suggestion.oneFiring;
    case 'would-cross-next':
      return m.record.suggestion.wouldCrossNext(a.nextLevel ? f.value(a.nextLevel.value, a.nextLevel.unit) : m.unknown);
    default:
      return m.suggestion.noMetricData;
  }
}

function riskText(c: Ctx, k: Risk): string {
  const h = c.m.handoff;
  switch (k.kind) {
    case 'open-incident':
      return h.riskOpenIncident(text(k.incidentId), text(k.title), c.f.duration(k.openMs));
    case 'follow-up':
      return h.riskFollowUp(String(k.id), text(k.text), text(k.owner), k.overdue);
    case 'in-alarm':
      return h.riskInAlarm(code(k.alarmName));
    case 'noise':
      return h.riskNoise(code(k.alarmName), c.f.number(k.unanswered));
    case 'failed-action':
      return h.riskFailedAction(code(k.actionId), text(k.target));
    case 'active-block':
      return h.riskActiveBlock(
        code(k.address),
        c.f.dateTime(k.blockedAt),
        k.who === undefined ? undefined : text(k.who),
        k.reason === undefined ? undefined : text(k.reason),
      );
  }
}
