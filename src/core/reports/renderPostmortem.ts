import { lineChartSvg } from './charts.js';
import { actionTable, code, context, followUpTable, footer, scrub, text, timelineTable, type Ctx } from './markdown.js';
import { recoveryAction } from './postmortem.js';
import { detectionLines, impactLines, metricLabel, metricsTable, notesBlock, summaryTable, thresholdsText } from './renderIncident.js';
import type { Hint, Lang, PostmortemDraft } from './types.js';

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
      return p.peak(text(h.label), f.value(h.value, h.unit), h.thresholds.length ? h.thresholds.map((t) => f.value(t, h.unit)).join(' / ') : '–');
    case 'action-verified':
      return p.actionFixed(code(h.actionId), text(h.target));
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

function hints(c: Ctx, prompt: string, list: readonly Hint[]): string[] {
  const out = [prompt, ''];
  if (list.length) {
    out.push(`*${c.m.postmortem.dataShows}*`, '');
    for (const h of list) out.push(`- ${hintText(c, h)}`);
    out.push('');
  }
  return out;
}

export function renderPostmortem(d: PostmortemDraft, lang: Lang): RenderedPostmortem {
  const c = context(lang, d.footer.timeZone);
  const { m, f } = c;
  const p = m.postmortem;
  const r = d.report;
  const out: string[] = [];
  const section = (n: number, title: string) => out.push('', `## ${n}. ${title}`, '');

  out.push(`# ${p.title(text(r.incident.id), text(r.incident.title))}`, '', `> ${p.draftNote}`);

  section(1, p.summary);
  out.push(p.summaryPrompt, '', p.summaryData(text(r.incident.title), r.incident.priority ?? '–', f.duration(r.impact.durationMs ?? r.footer.generatedAt - r.impact.start), r.services.map(text).join(m.and) || m.unknown), '', summaryTable(c, r));

  section(2, p.impact);
  out.push(...impactLines(c, r), '');
  const i = d.impact;
  const lines: string[] = [];
  if (i.durationMs !== undefined) lines.push(p.impactDuration(f.duration(i.durationMs)));
  if (i.requests !== undefined) lines.push(p.impactRequests(f.number(i.requests), f.number(i.failedRequests ?? 0), f.percent(i.requests ? (i.failedRequests ?? 0) / i.requests : undefined, 2)));
  if (i.slowRequestsAtLeast !== undefined && i.slowRequestsAtLeast > 0) lines.push(p.impactSlow(f.number(i.slowRequestsAtLeast)));
  if (i.usersAffectedEstimate !== undefined) lines.push(p.impactUsers(f.number(i.usersAffectedEstimate)));
  if (i.syncFailures !== undefined && i.syncFailures > 0) lines.push(p.impactSync(f.number(i.syncFailures)));
  if (i.requests === undefined && i.usersAffectedEstimate === undefined) lines.push(p.impactUnknown);
  out.push(...lines.map((l) => `- ${l}`), '', p.impactPrompt, '', `### ${m.incident.metrics}`, '', metricsTable(c, r));

  section(3, p.charts);
  const files: { name: string; content: string }[] = [];
  if (!d.charts.length) out.push(m.incident.noMetrics);
  for (const chart of d.charts) {
    const metric = r.metrics.find((x) => x.label === chart.label);
    if (!metric) continue;
    files.push({
      name: chart.file,
      content: lineChartSvg({
        title: metricLabel(c, metric),
        points: metric.points,
        thresholds: metric.thresholds.map((t) => ({ value: t.value, label: `${t.alarmName} ${f.value(t.value, metric.unit)}` })),
        window: { start: r.impact.start, ...(r.impact.end !== undefined ? { end: r.impact.end } : {}) },
        formatValue: (v) => f.value(v, metric.unit),
        formatTime: (t) => f.shortDateTime(t),
      }),
    });
    out.push(`### ${text(metricLabel(c, metric))}`, '', `![${text(p.chartAlt(metricLabel(c, metric))).replace(/[[\]]/g, '')}](${encodeURI(chart.file)})`, '', `\`${chart.sparkline}\` ${m.col.peak} ${f.value(metric.peak, metric.unit)}, ${m.col.threshold} ${thresholdsText(c, metric)}`, '');
  }

  section(4, p.timeline);
  out.push(timelineTable(c, r.timeline));

  section(5, p.rootCause);
  out.push(...hints(c, p.rootCausePrompt, d.hints.rootCause));
  out.push(`### ${p.trigger}`, '', ...hints(c, p.triggerPrompt, d.hints.trigger));

  section(6, p.detection);
  out.push(...detectionLines(c, r), '', ...hints(c, p.detectionPrompt, d.hints.detection));

  section(7, p.response);
  out.push(r.actions.length ? actionTable(c, r.actions, false) : m.incident.noActions);
  if (r.notes.length) out.push('', `### ${m.incident.notes}`, '', ...notesBlock(c, r));

  section(8, p.recovery);
  const fix = recoveryAction(r);
  if (r.impact.end !== undefined) out.push(p.recoveryLine(f.dateTime(r.impact.end), fix ? `${code(fix.actionId)} ${text(fix.target)}` : m.status[r.incident.status]), '');
  out.push(p.recoveryPrompt);

  section(9, p.wentWell);
  out.push(...hints(c, p.wentWellPrompt, d.hints.wentWell));
  section(10, p.wentBadly);
  out.push(...hints(c, p.wentBadlyPrompt, d.hints.wentBadly));

  section(11, p.actionItems);
  out.push(d.actionItems.length ? followUpTable(c, d.actionItems) : p.noActionItems);

  section(12, p.lessons);
  out.push(p.lessonsPrompt);

  out.push('', footer(c, d.footer, [m.footer.impactWindow, m.footer.usersAffected, m.footer.mtta, m.footer.mttr, m.footer.merge]));
  return { markdown: `${scrub(out.join('\n'))}\n`, files };
}
