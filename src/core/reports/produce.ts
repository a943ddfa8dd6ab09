import type { Journal } from '../journal/index.js';
import type { GatherContext } from './gather.js';
import { gatherHandoff, gatherIncident, gatherPostmortem, gatherSummary } from './gather.js';
import { buildHandoff } from './handoff.js';
import { buildIncidentReport } from './incident.js';
import { definitions, renderJson } from './json.js';
import { buildPostmortem } from './postmortem.js';
import { createRedactor, noRedaction, type Redactor } from './redact.js';
import { renderHandoffMarkdown } from './renderHandoff.js';
import { renderIncidentMarkdown } from './renderIncident.js';
import { renderPostmortem } from './renderPostmortem.js';
import { renderSummaryMarkdown } from './renderSummary.js';
import { buildSummary } from './summary.js';
import type { HandoffReport, IncidentReport, Lang, Period, PostmortemDraft, Report, SummaryReport } from './types.js';

/**
 * From a gather context to finished text: gather → build → redact → render. Redaction is applied to the
 * whole model before rendering (so the Markdown and the JSON say the same), and its counts go into the
 * footer. It is on unless the caller passes `redact: false` (the commands' explicit --no-redact).
 */
export interface ProduceOptions {
  readonly lang: Lang;
  readonly format: 'md' | 'json';
  readonly redact: boolean;
  /** The incident's timeline with every journal event (runbook steps, each stage of each action). */
  readonly verbose?: boolean;
}

export interface Produced<R extends Report> {
  readonly report: R;
  readonly text: string;
}

/** Applies redaction to a report and records the counts in its footer. */
export function redactReport<R extends Report>(report: R, redactor: Redactor): R {
  const redacted = redactor.deep(report);
  return { ...redacted, footer: { ...redacted.footer, redaction: redactor.counts() } } as R;
}

function redactorFor(o: ProduceOptions): Redactor {
  return o.redact ? createRedactor() : noRedaction();
}

function hoursOf(ctx: GatherContext) {
  return ctx.policy.workingHours;
}

function asJson(report: Report, ctx: GatherContext, o: ProduceOptions): string {
  return renderJson(report, o.lang, { definitions: definitions(report, o.lang, hoursOf(ctx)) });
}

export async function produceHandoff(
  ctx: GatherContext,
  period: Period,
  o: ProduceOptions,
): Promise<Produced<HandoffReport>> {
  const report = redactReport(buildHandoff(await gatherHandoff(ctx, period)), redactorFor(o));
  return {
    report,
    text: o.format === 'json' ? asJson(report, ctx, o) : renderHandoffMarkdown(report, o.lang, hoursOf(ctx)),
  };
}

export async function produceIncidentReport(
  ctx: GatherContext,
  id: string,
  o: ProduceOptions,
): Promise<Produced<IncidentReport> | undefined> {
  const input = await gatherIncident(ctx, id);
  if (!input) return undefined;
  const report = redactReport(buildIncidentReport(input, { verbose: o.verbose === true }), redactorFor(o));
  return { report, text: o.format === 'json' ? asJson(report, ctx, o) : renderIncidentMarkdown(report, o.lang) };
}

export interface ProducedPostmortem extends Produced<PostmortemDraft> {
  readonly files: readonly { readonly name: string; readonly content: string }[];
}

export async function producePostmortem(
  ctx: GatherContext,
  id: string,
  o: Omit<ProduceOptions, 'format'>,
): Promise<ProducedPostmortem | undefined> {
  const gathered = await gatherPostmortem(ctx, id);
  if (!gathered) return undefined;
  const draft = buildPostmortem({
    report: buildIncidentReport(gathered.incident, { verbose: o.verbose === true }),
    ...gathered.rest,
  });
  const report = redactReport(draft, o.redact ? createRedactor() : noRedaction());
  const rendered = renderPostmortem(report, o.lang);
  return { report, text: rendered.markdown, files: rendered.files };
}

export async function produceSummary(
  ctx: GatherContext,
  period: Period,
  o: ProduceOptions,
): Promise<Produced<SummaryReport>> {
  const report = redactReport(buildSummary(await gatherSummary(ctx, period)), redactorFor(o));
  return { report, text: o.format === 'json' ? asJson(report, ctx, o) : renderSummaryMarkdown(report, o.lang) };
}

/**
 * The time of the newest event in the journal (undefined when it is empty): a binary search over the
 * events' time index, a few dozen indexed look-ups whatever the journal's size.
 */
export function latestEventAt(journal: Journal): number | undefined {
  const first = journal.query({ limit: 1 })[0];
  if (!first) return undefined;
  let lo = first.at;
  let hi = Math.max(lo + 1, Date.now() + 100 * 365 * 24 * 60 * 60_000);
  if (journal.query({ since: hi, limit: 1 }).length) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (journal.query({ since: mid, limit: 1 }).length) lo = mid;
    else hi = mid;
  }
  return lo;
}
