/**
 * Runs a logs or traces step: renders its service (and groups, filter) with the room's variables, reads the
 * window and the one before it through the sources' LogSource or TraceSource, and returns the finding as a
 * line, a bounded record (journaled, shown in the room) and the values later steps may use. A source that is
 * missing or fails is "cannot tell", never a finding of nothing.
 */

import type { Sources } from '../../../sources/ports.js';
import { findInLogs } from '../../logs/finding.js';
import { defaultLogGroups } from '../../logs/groups.js';
import { parseDuration } from '../../time.js';
import { findInTraces } from '../../traces/finding.js';
import type { LogsStep, TracesStep } from '../schema.js';
import { render, type TemplateValue, type TemplateVars } from '../template.js';
import { logFindingRecord, logFindingVars, traceFindingRecord, traceFindingVars, type FindingRecord } from './findingText.js';

export interface FindingContext {
  readonly sources: Sources;
  readonly now: number;
  /** The configuration's log groups of a service; the strategy's defaults otherwise. */
  readonly logGroups?: (service: string) => readonly string[] | undefined;
  readonly signal?: AbortSignal;
  /** How long a read may take (ms); 20 s by default. */
  readonly deadlineMs?: number;
}

export interface FindingStepResult {
  /** The step's output line (what the journal's step.done says). */
  readonly summary: string;
  /** Absent when nothing could be read (no source, no value for a template, the source failed). */
  readonly record?: FindingRecord;
  /** The findings.<kind>.* values, undefined where the finding has none (so that an earlier one does not linger). */
  readonly vars?: Record<string, TemplateValue | undefined>;
}

const DEFAULT_DEADLINE_MS = 20_000;

function missing(names: readonly string[]): FindingStepResult {
  return { summary: `cannot tell: no value for ${names.map((n) => `{{${n}}}`).join(', ')}` };
}

function failed(what: string, error: unknown): FindingStepResult {
  return { summary: `cannot tell: the ${what} could not be read (${error instanceof Error ? error.message : String(error)})` };
}

export async function runFindingStep(step: LogsStep | TracesStep, vars: TemplateVars, ctx: FindingContext): Promise<FindingStepResult> {
  const service = render(step.service, vars);
  if (service.missing.length) return missing(service.missing);
  const windowMs = parseDuration(step.window) ?? 30 * 60_000;
  const window = { start: ctx.now - windowMs, end: ctx.now };
  const deadlineMs = ctx.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  if (step.kind === 'logs') {
    const source = ctx.sources.logs;
    if (!source) return { summary: 'cannot tell: no log source is configured' };
    const groups = step.groups?.map((g) => render(g, vars));
    const filter = step.filter !== undefined ? render(step.filter, vars) : undefined;
    const gaps = [...(groups ?? []).flatMap((g) => g.missing), ...(filter?.missing ?? [])];
    if (gaps.length) return missing(gaps);
    const names = groups?.map((g) => g.text) ?? ctx.logGroups?.(service.text) ?? defaultLogGroups(service.text);
    try {
      const f = await findInLogs(source, { service: service.text, groups: names, ...window, ...(filter ? { contains: filter.text } : {}), deadlineMs, ...signal });
      const record = logFindingRecord(f);
      return { summary: record.summary, record, vars: logFindingVars(f) };
    } catch (error) {
      return failed(`logs of ${service.text}`, error);
    }
  }
  const source = ctx.sources.traces;
  if (!source) return { summary: 'cannot tell: no trace source is configured' };
  try {
    const f = await findInTraces(source, { service: service.text, ...window, deadlineMs, ...signal });
    const record = traceFindingRecord(f);
    return { summary: record.summary, record, vars: traceFindingVars(f) };
  } catch (error) {
    return failed(`traces of ${service.text}`, error);
  }
}
