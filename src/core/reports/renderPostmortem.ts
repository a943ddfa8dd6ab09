import { lineChartSvg } from './charts.js';
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
import {
  checksLine,
  detectionLines,
  impactLines,
  metricLabel,
  metricsTable,
  recoveryLines,
  summaryTable,
  thresholdsText,
} from './renderIncident.js';
import { evidenceBlock } from './evidence.js';
import type { Hint, Lang, PostmortemDraft, ReportNote } from './types.js';

export interface RenderedPostmortem {
  readonly markdown: string;
  /** SVG charts to write beside the Markdown (the Markdown links them by these names). */
  readonly files: readonly { readonly name: string; readonly content: string }[];
}

function hintText(c: Ctx, h: Hint): string {
  const p = c.m.postmortem.hint;
  const { f } = c;
  switch (h.kind) {
    case 'change-before':
      return p.deployBefore(text(h.what), f.duration(h.beforeMs));
    case 'first-alarm':
      return p.firstAlarm(code(h.alarmName), f.dateTime(h.at));
    case 'peak':
      return (h.direction === 'below' ? p.lowest : p.peak)(
        text(h.label),
        f.value(h.value, h.unit),
        h.thresholds.length ? h.thresholds.map((t) => f.value(t, h.unit)).join(' / ') : '–',
      );
    case 'action-verified':
      return c.m.record.hint.credited(code(h.actionId), text(h.target), f.duration(h.recoveredAfterMs));
    case 'recovered-before-action':
      return c.m.record.hint.recoveredBeforeAction(code(h.actionId), text(h.target), f.duration(h.beforeMs));
    case 'recovered-after-verification':
      return c.m.record.hint.recoveredAfterVerification(code(h.actionId), text(h.target), f.duration(h.afterMs));
    case 'recovered-without-action':
      return c.m.record.hint.recoveredWithoutAction(f.dateTime(h.at));
    case 'recovered-at-resolution':
      return c.m.record.hint.recoveredAtResolution(
        f.dateTime(h.at),
        h.alarmsRecovered,
        h.stillInAlarm.map(code).join(', '),
      );
    case 'action-failed':
      return p.actionFailed(code(h.actionId), text(h.target), text(h.error));
    case 'ack':
      return (h.within ? p.ackFast : p.ackSlow)(f.duration(h.afterMs), f.duration(h.targetMs));
    case 'escalated':
      return p.escalated(f.number(h.times));
    case 'runbook':
      return p.runbookFollowed(f.number(h.done), f.number(h.skipped));
    case 'alarm-lead':
      return p.detectedBeforePage(f.duration(h.leadMs));
  }
}

/** The facts under a prompt. */
function dataShows(c: Ctx, list: readonly Hint[]): string[] {
  if (!list.length) return [];
  return [`*${c.m.postmortem.dataShows}*`, '', ...list.map((h) => `- ${hintText(c, h)}`), ''];
}

function hints(c: Ctx, prompt: string, list: readonly Hint[]): string[] {
  return [prompt, '', ...dataShows(c, list)];
}

/** The responder's notes of a section, quoted with who wrote them and when. */
function noteQuotes(c: Ctx, notes: readonly ReportNote[]): string[] {
  const out: string[] = [];
  for (const n of notes) out.push(`**${text(n.who ?? c.m.unknown)}**, ${c.f.dateTime(n.at)}:`, '', quote(n.text), '');
  return out;
}

/**
 * A section the responder may have written: their notes under "What the responder wrote:", then the
 * facts; the prompt only when nobody wrote anything for it.
 */
function written(c: Ctx, prompt: string, notes: readonly ReportNote[] | undefined, list: readonly Hint[]): string[] {
  if (!notes?.length) return hints(c, prompt, list);
  return [`*${c.m.record.fromRoom}*`, '', ...noteQuotes(c, notes), ...dataShows(c, list)];
}

export function renderPostmortem(d: PostmortemDraft, lang: Lang): RenderedPostmortem {
  const c = context(lang, d.footer.timeZone);
  const { m, f } = c;
  const p = m.postmortem;
  const rec = m.record;
  const r = d.report;
  const notes = d.sections;
  const out: string[] = [];
  const section = (n: number, title: string) => out.push('', `## ${n}. ${title}`, '');

  out.push(`# ${p.title(text(r.incident.id), text(r.incident.title))}`, '', `> ${p.draftNote}`);

  section(1, p.summary);
  const summaryData = p.summaryData(
    text(r.incident.title),
    r.incident.priority ?? '–',
    f.duration(r.impact.durationMs ?? r.footer.generatedAt - r.impact.start),
    r.services.map(text).join(m.and) || m.unknown,
  );
  out.push(
    ...(notes.summary?.length ? [`*${rec.fromRoom}*`, '', ...noteQuotes(c, notes.summary)] : [p.summaryPrompt, '']),
    summaryData,
    '',
    summaryTable(c, r),
  );

  section(2, p.impact);
  out.push(...impactLines(c, r), '');
  const i = d.impact;
  const lines: string[] = [];
  if (i.durationMs !== undefined) lines.push(p.impactDuration(f.duration(i.durationMs)));
  if (i.requests !== undefined)
    lines.push(
      p.impactRequests(
        f.number(i.requests),
        f.number(i.failedRequests ?? 0),
        f.percent(i.requests ? (i.failedRequests ?? 0) / i.requests : undefined, 2),
      ),
    );
  if (i.slowRequestsAtLeast !== undefined && i.slowRequestsAtLeast > 0)
    lines.push(p.impactSlow(f.number(i.slowRequestsAtLeast)));
  if (i.usersAffectedEstimate !== undefined) lines.push(p.impactUsers(f.number(i.usersAffectedEstimate)));
  if (i.syncFailures !== undefined && i.syncFailures > 0) lines.push(p.impactSync(f.number(i.syncFailures)));
  if (i.requests === undefined && i.usersAffectedEstimate === undefined) lines.push(p.impactUnknown);
  out.push(...lines.map((l) => `- ${l}`), '');
  if (notes.impact?.length) out.push(`*${rec.fromRoom}*`, '', ...noteQuotes(c, notes.impact));
  out.push(p.impactPrompt, '', `### ${m.incident.metrics}`, '', metricsTable(c, r));

  section(3, p.charts);
  const files: { name: string; content: string }[] = [];
  if (!d.charts.length) out.push(r.metricsMissing === 'open' ? m.incident.metricsNotYet : m.incident.noMetrics);
  for (const chart of d.charts) {
    const metric = r.metrics.find((x) => x.label === chart.label);
    if (!metric) continue;
    files.push({
      name: chart.file,
      content: lineChartSvg({
        title: metricLabel(c, metric),
        points: metric.points,
        thresholds: metric.thresholds.map((t) => ({
          value: t.value,
          label: `${t.alarmName} ${f.value(t.value, metric.unit)}`,
        })),
        window: { start: r.impact.start, ...(r.impact.end !== undefined ? { end: r.impact.end } : {}) },
        range: { from: chart.from, to: chart.to },
        marks: chart.marks.map((mk) => ({
          at: mk.at,
          kind: mk.kind,
          label: `${rec.mark[mk.kind]} ${f.shortDateTime(mk.at)}`,
        })),
        formatValue: (v) => f.value(v, metric.unit),
        formatTime: (t) => f.shortDateTime(t),
      }),
    });
    const legend = chart.marks
      .map(
        (mk) =>
          `${mk.kind === 'acknowledged' ? 'A' : mk.kind === 'mitigated' ? 'M' : 'R'} ${rec.mark[mk.kind]} ${f.shortDateTime(mk.at)}`,
      )
      .join(' · ');
    out.push(
      `### ${text(metricLabel(c, metric))}`,
      '',
      `![${text(p.chartAlt(metricLabel(c, metric), metric.thresholds.length > 0)).replace(/[[\]]/g, '')}](${encodeURI(chart.file)})`,
      '',
      '```text',
      chart.sparkline,
      ...(chart.markLine ? [chart.markLine] : []),
      '```',
      '',
      `${f.shortDateTime(chart.from)} – ${f.shortDateTime(chart.to)}; ${m.col.peak} ${f.value(metric.peak, metric.unit)}, ${m.col.threshold} ${thresholdsText(c, metric)}${legend ? `. ${rec.chartLegend(legend)}` : ''}`,
      '',
    );
  }

  section(4, p.timeline);
  if (notes.timeline?.length) out.push(`*${rec.fromRoom}*`, '', ...noteQuotes(c, notes.timeline));
  out.push(timelineTable(c, r.timeline));
  if (r.timelineDetail === 'concise') out.push('', rec.conciseTimeline);

  section(5, p.rootCause);
  out.push(...written(c, p.rootCausePrompt, notes['root-cause'], d.hints.rootCause));
  out.push(...evidenceBlock(c, r.evidence).slice(1), ...(r.evidence.length ? [''] : []));
  if (notes.findings?.length) out.push(`### ${rec.findings}`, '', ...noteQuotes(c, notes.findings));
  out.push(`### ${p.trigger}`, '', ...written(c, p.triggerPrompt, notes.trigger, d.hints.trigger));

  section(6, p.detection);
  out.push(...detectionLines(c, r), '', ...written(c, p.detectionPrompt, notes.detection, d.hints.detection));

  section(7, p.response);
  out.push(
    r.actions.length ? actionTable(c, r.actions, false) : m.incident.noActions,
    ...checksLine(c, r.readOnlyChecks, r.readOnlyChecksDry),
  );
  if (r.decisions.length) {
    out.push('', `### ${rec.decisions}`, '');
    for (const x of r.decisions)
      out.push(
        `- ${f.shortDateTime(x.at)} ${rec.timelineDecision(text(x.question), text(x.label))}${x.who ? ` (${text(x.who)})` : ''}`,
      );
  }
  const response = [...(notes.response ?? []), ...d.otherNotes].sort((a, b) => a.at - b.at);
  if (response.length) out.push('', `### ${m.incident.notes}`, '', ...noteQuotes(c, response));

  section(8, p.recovery);
  out.push(
    ...recoveryLines(c, r).map((l) => `- ${l}`),
    '',
    ...written(c, p.recoveryPrompt, notes.recovery, d.hints.recovery),
  );

  section(9, p.wentWell);
  out.push(...hints(c, p.wentWellPrompt, d.hints.wentWell));
  section(10, p.wentBadly);
  out.push(...hints(c, p.wentBadlyPrompt, d.hints.wentBadly));

  section(11, p.actionItems);
  out.push(
    `### ${rec.recordedFollowUps}`,
    '',
    d.actionItems.length ? followUpTable(c, d.actionItems) : rec.noRecordedFollowUps,
  );
  if (d.proposedFollowUps.length) {
    out.push(
      '',
      `### ${rec.proposedFollowUps}`,
      '',
      table(
        [rec.colProposed, m.col.owner, m.col.due, rec.colFrom],
        d.proposedFollowUps.map((x) => [
          cell(x.text),
          cell(x.owner ?? '–'),
          x.dueAt !== undefined ? `${f.date(x.dueAt)} (${cell(x.due ?? '')})` : '–',
          rec.proposedFrom(cell(x.from.who ?? m.unknown), f.shortDateTime(x.from.at), x.from.kind),
        ]),
      ),
    );
  }
  if (d.proposedFollowUps.length || !d.actionItems.length) out.push('', rec.recordHint);

  section(12, p.lessons);
  const lessons = [...(notes.prevention ?? []), ...(notes.monitoring ?? []), ...(notes.lessons ?? [])];
  if (!lessons.length) out.push(p.lessonsPrompt);
  if (notes.lessons?.length) out.push(`*${rec.fromRoom}*`, '', ...noteQuotes(c, notes.lessons));
  if (notes.prevention?.length) out.push(`### ${rec.prevention}`, '', ...noteQuotes(c, notes.prevention));
  if (notes.monitoring?.length) out.push(`### ${rec.monitoring}`, '', ...noteQuotes(c, notes.monitoring));

  out.push(
    '',
    footer(c, d.footer, [
      m.footer.impactWindow,
      rec.footer.recovery,
      rec.footer.concise,
      rec.footer.followUps,
      m.footer.usersAffected,
      m.footer.mtta,
      m.footer.mttr,
      m.footer.merge,
    ]),
  );
  return { markdown: `${scrub(out.join('\n'))}\n`, files };
}
