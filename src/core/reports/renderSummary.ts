import { cell, code, context, footer, priorityTable, scrub, stats, table } from './markdown.js';
import { AVAILABILITY_TARGET, LATENCY_SHARE_TARGET, MIN_FORECAST_HISTORY_MS } from './summary.js';
import type { Lang, SummaryReport } from './types.js';

/** The executive summary as Markdown. */
export function renderSummaryMarkdown(r: SummaryReport, lang: Lang): string {
  const c = context(lang, r.footer.timeZone);
  const { m, f } = c;
  const s = m.summary;
  const out: string[] = [];
  const section = (n: number, title: string) => out.push('', `## ${n}. ${title}`, '');
  out.push(`# ${s.title(f.date(r.period.from), f.date(r.period.to - 1))}`);

  section(1, s.sla);
  if (!r.sla.length) out.push(s.slaNone);
  else {
    out.push(
      table(
        [
          m.col.service,
          m.col.availability,
          m.col.goal,
          m.record.colIncidentDowntime,
          m.col.latency,
          m.col.worstP95,
          m.col.met,
        ],
        r.sla.map((row) => [
          cell(row.service),
          row.availability !== undefined ? f.percent(row.availability, 3) : '–',
          f.percent(row.availabilityTarget, 1),
          // A few ids say which incidents; the JSON has them all.
          row.incidentIds.length
            ? `${f.duration(row.incidentDowntimeMs)} (${row.incidentIds.slice(0, 3).map(cell).join(m.and)}${row.incidentIds.length > 3 ? ` +${f.number(row.incidentIds.length - 3)}` : ''})`
            : '–',
          row.latencyWithinTarget !== undefined
            ? s.within(
                f.percent(row.latencyWithinTarget, 1),
                `${f.percent(row.latencyTargetShare)} ≤ ${f.value(row.latencyTargetMs, 'milliseconds')}`,
              )
            : '–',
          row.worstP95Ms !== undefined ? f.value(row.worstP95Ms, 'milliseconds') : '–',
          row.met === undefined ? '–' : row.met ? `✔ ${m.yes}` : `✘ ${m.no}`,
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
    );
  }

  section(2, s.incidents);
  out.push(
    s.totals(f.number(r.totals.incidents), stats(c, r.totals.mtta), stats(c, r.totals.mttr)),
    '',
    priorityTable(c, r.byPriority),
  );
  out.push('', `### ${s.trend}`, '');
  out.push(
    table(
      [m.col.week, 'P1', 'P2', 'P3', 'P4', m.col.mtta, m.col.mttr, m.col.firings],
      r.weeks.map((w) => [
        f.date(w.start),
        f.number(w.incidents.P1),
        f.number(w.incidents.P2),
        f.number(w.incidents.P3),
        f.number(w.incidents.P4),
        stats(c, w.mtta),
        stats(c, w.mttr),
        f.number(w.firings),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );

  section(3, s.alarmVolume);
  out.push(s.alarmTotals(f.number(r.alarmVolume.firings), r.alarmVolume.top.length, r.alarmVolume.alarms));
  if (r.alarmVolume.top.length)
    out.push(
      '',
      table(
        [m.col.alarm, m.col.firings],
        r.alarmVolume.top.map((a) => [code(a.alarmName), f.number(a.firings)]),
        ['l', 'r'],
      ),
    );

  section(4, s.capacity);
  if (!r.capacity.length) out.push(s.noCapacity);
  else {
    out.push(
      table(
        [m.col.metric, m.col.weeklyAverage, m.col.max, m.col.trend, m.col.threshold, m.col.weeksToWarning],
        r.capacity.map((row) => [
          cell(row.label),
          row.weeklyAverages.map((v) => f.value(v, row.unit)).join(' → '),
          f.value(row.max, row.unit),
          row.slopePerWeek !== undefined
            ? s.perWeek(`${row.slopePerWeek >= 0 ? '+' : ''}${f.value(row.slopePerWeek, row.unit)}`)
            : row.historyMs < MIN_FORECAST_HISTORY_MS
              ? m.record.notEnoughHistory(f.duration(row.historyMs), f.duration(MIN_FORECAST_HISTORY_MS))
              : '–',
          f.value(row.warning, row.unit),
          row.weeksToWarning !== undefined
            ? lang === 'ja'
              ? `約 ${f.number(row.weeksToWarning, 1)} 週`
              : `~${f.number(row.weeksToWarning, 1)} weeks`
            : '–',
        ]),
      ),
    );
  }

  out.push(
    '',
    footer(c, r.footer, [
      m.footer.availability(f.percent(AVAILABILITY_TARGET, 1)),
      m.footer.latency(
        f.value(r.sla.find((x) => x.latencyTargetMs !== undefined)?.latencyTargetMs ?? 500, 'milliseconds'),
        f.percent(LATENCY_SHARE_TARGET, 0),
      ),
      m.footer.mtta,
      m.footer.mttr,
      m.footer.capacity,
      m.footer.merge,
    ]),
  );
  return `${scrub(out.join('\n'))}\n`;
}
