import {
  actionTable,
  cell,
  code,
  context,
  followUpTable,
  footer,
  quote,
  scrub,
  table,
  text,
  timelineTable,
  type Ctx,
} from './markdown.js';
import { evidenceBlock } from './evidence.js';
import type { IncidentReport, Lang, MetricPeak } from './types.js';

/** The incident's summary, impact, detection, timeline, actions and status: the shared body of the incident report and the postmortem. */
export function summaryTable(c: Ctx, r: IncidentReport): string {
  const { m, f } = c;
  const i = r.incident;
  const rows: [string, string][] = [
    [m.col.incident, cell(i.id)],
    [m.col.title, cell(i.title)],
    [m.col.priority, i.priority ?? '–'],
    [m.col.service, cell(i.service?.name ?? '–')],
    [
      m.col.status,
      i.endedWithRun !== undefined
        ? `${m.status[i.status]} (${m.endedWithRun}, ${f.dateTime(i.endedWithRun)})`
        : m.status[i.status],
    ],
    [m.col.triggered, f.dateTime(i.createdAt)],
  ];
  if (i.assignees.length) rows.push([m.col.assignees, cell(i.assignees.join(', '))]);
  if (i.url) rows.push([m.incident.link, cell(i.url)]);
  return table(['', ''], rows);
}

export function impactLines(c: Ctx, r: IncidentReport): string[] {
  const { m, f } = c;
  const out = [
    r.impact.end !== undefined
      ? m.incident.impactWindow(f.dateTime(r.impact.start), f.dateTime(r.impact.end), f.duration(r.impact.durationMs))
      : m.incident.impactOngoing(f.dateTime(r.impact.start), f.duration(r.footer.generatedAt - r.impact.start)),
    '',
    `(${r.impact.startSource === 'alarm' ? m.incident.impactFromAlarm : m.incident.impactFromIncident})`,
  ];
  return out;
}

/** When the incident was mitigated (the first verified remediation) and when it recovered, by the report's definition. */
export function recoveryLines(c: Ctx, r: IncidentReport): string[] {
  const { m, f } = c;
  const x = r.mitigation;
  const out = [
    x
      ? m.record.mitigated(
          f.dateTime(x.at),
          code(x.actionId),
          text(x.target),
          x.who === undefined ? undefined : text(x.who),
        )
      : m.record.notMitigated,
  ];
  if (!r.recovery) out.push(r.incident.status === 'resolved' ? m.record.notRecoveredOutage : m.record.notRecovered);
  else
    out.push(
      (r.recovery.by === 'alarm' ? m.record.recoveredAlarm : m.record.recoveredResolution)(f.dateTime(r.recovery.at)),
    );
  return out;
}

/** "12 read-only checks were run as evidence …" (and those only recorded as dry runs), when there were any. */
export function checksLine(c: Ctx, n: number, dry = 0): string[] {
  return [
    ...(n > 0 ? ['', c.m.record.readOnlyChecks(c.f.number(n), n === 1)] : []),
    ...(dry > 0 ? ['', c.m.record.readOnlyChecksDry(c.f.number(dry), dry === 1)] : []),
  ];
}

export function metricsTable(c: Ctx, r: IncidentReport): string {
  const { m, f } = c;
  if (!r.metrics.length) return r.metricsMissing === 'open' ? m.incident.metricsNotYet : m.incident.noMetrics;
  return table(
    [m.col.metric, m.col.peak, m.col.peakAt, m.col.threshold],
    r.metrics.map((x) => [
      cell(metricLabel(c, x)),
      f.value(x.peak, x.unit),
      f.shortDateTime(x.peakAt),
      thresholdsText(c, x),
    ]),
    ['l', 'r', 'l', 'r'],
  );
}

/** "CPU utilisation (CPUUtilization vitascope-cluster/vitascope-api)". */
export function metricLabel(c: Ctx, x: MetricPeak): string {
  return x.metricTitle ? `${x.metricTitle[c.lang]} (${x.label})` : x.label;
}

/** "70 % / 90 %": every alarm's threshold on the metric. */
export function thresholdsText(c: Ctx, x: MetricPeak): string {
  return x.thresholds.length ? x.thresholds.map((t) => c.f.value(t.value, x.unit)).join(' / ') : '–';
}

export function detectionLines(c: Ctx, r: IncidentReport): string[] {
  const { m, f } = c;
  const d = r.detection;
  const out: string[] = [];
  out.push(`- ${d.alarmName ? m.incident.firstAlarm(code(d.alarmName), f.dateTime(d.alarmAt)) : m.incident.noAlarm}`);
  out.push(`- ${m.incident.triggeredAt(f.dateTime(d.triggeredAt))}`);
  out.push(
    `- ${d.acknowledgedAt !== undefined ? m.incident.acknowledgedAfter(f.dateTime(d.acknowledgedAt), f.duration(d.timeToAcknowledgeMs), text(d.acknowledgedBy ?? m.unknown)) : m.incident.notAcknowledged}`,
  );
  if (d.timeToResolveMs !== undefined && r.incident.resolvedAt !== undefined)
    out.push(`- ${m.incident.resolvedAfter(f.dateTime(r.incident.resolvedAt), f.duration(d.timeToResolveMs))}`);
  out.push(`- ${m.incident.escalations(f.number(d.escalations))}`);
  return out;
}

export function statusLines(c: Ctx, r: IncidentReport): string[] {
  const { m } = c;
  const ended = r.incident.endedWithRun !== undefined ? ` (${m.endedWithRun})` : '';
  const out = [m.incident.statusLine(`${m.status[r.status.status]}${ended}`, text(r.status.phase ?? m.unknown))];
  if (r.status.alarmsStillInAlarm.length)
    out.push('', m.incident.stillInAlarm(r.status.alarmsStillInAlarm.map(code).join(m.and)));
  return out;
}

export function notesBlock(c: Ctx, r: IncidentReport): string[] {
  const out: string[] = [];
  for (const n of r.notes) out.push(`**${text(n.who ?? c.m.unknown)}**, ${c.f.dateTime(n.at)}:`, '', quote(n.text), '');
  return out;
}

export function renderIncidentMarkdown(r: IncidentReport, lang: Lang): string {
  const c = context(lang, r.footer.timeZone);
  const { m } = c;
  const out: string[] = [];
  const section = (n: number, title: string) => out.push('', `## ${n}. ${title}`, '');
  out.push(`# ${m.incident.title(text(r.incident.id), text(r.incident.title))}`);
  section(1, m.incident.summary);
  out.push(summaryTable(c, r));
  section(2, m.incident.impact);
  out.push(...impactLines(c, r), '', ...recoveryLines(c, r).map((l) => `- ${l}`));
  section(3, m.incident.services);
  out.push(
    r.services.length ? r.services.map((s) => `- ${text(s)}`).join('\n') : m.unknown,
    '',
    `### ${m.incident.metrics}`,
    '',
    metricsTable(c, r),
  );
  section(4, m.incident.detection);
  out.push(...detectionLines(c, r));
  section(5, m.incident.timeline);
  out.push(timelineTable(c, r.timeline));
  if (r.timelineDetail === 'concise') out.push('', m.record.conciseTimeline);
  section(6, m.incident.actions);
  out.push(
    r.actions.length ? actionTable(c, r.actions, false) : m.incident.noActions,
    ...checksLine(c, r.readOnlyChecks, r.readOnlyChecksDry),
  );
  out.push(...evidenceBlock(c, r.evidence));
  if (r.notes.length) {
    out.push('', `### ${m.incident.notes}`, '');
    out.push(...notesBlock(c, r));
  }
  if (r.followUps.length) out.push('', `### ${m.incident.followUps}`, '', followUpTable(c, r.followUps));
  section(7, m.incident.currentStatus);
  out.push(...statusLines(c, r));
  out.push(
    '',
    footer(c, r.footer, [
      m.footer.impactWindow,
      m.record.footer.recovery,
      m.record.footer.concise,
      m.footer.mtta,
      m.footer.mttr,
      m.footer.merge,
    ]),
  );
  return `${scrub(out.join('\n'))}\n`;
}
