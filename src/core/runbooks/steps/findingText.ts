/**
 * Findings in words and as template values: the one line a logs or traces step leaves as its output (and in
 * the journal), the variables later steps read (findings.logs.*, findings.traces.*), and the bounded record
 * the journal keeps as evidence for the report and the postmortem.
 */

import { trendText, type LogFinding } from '../../logs/finding.js';
import { factorText } from '../../logs/patterns.js';
import { clip } from '../../sanitize.js';
import { displayTimeZone, formatDuration } from '../../time.js';
import type { TraceFinding } from '../../traces/finding.js';
import type { TemplateValue } from '../template.js';

/** "01:16": an hour and minute in the zone the screen shows (display.timezone, else the machine's), like every clock there. */
export function hhmm(t: number): string {
  const zone = displayTimeZone();
  let f = hhmmFormats.get(zone);
  if (!f) hhmmFormats.set(zone, (f = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f.format(t);
}
const hhmmFormats = new Map<string, Intl.DateTimeFormat>();

export function logFindingText(f: LogFinding): string {
  const head = f.patterns[0];
  const partial = f.complete ? '' : ` (partial read${f.reason ? `: ${f.reason}` : ''})`;
  if (head === undefined) return `no log lines in the last ${formatDuration(f.end - f.start)}${partial}`;
  const parts: string[] = [];
  if (f.topAddress) parts.push(`${f.topAddress.value} behind ${f.topAddress.count} lines of "${clip(f.topAddress.pattern, 120)}"`);
  if (f.notable) {
    for (const p of f.patterns.filter((x) => x.trend.kind === 'new' || x.trend.kind === 'more').slice(0, 2)) {
      parts.push(`"${clip(p.pattern, 120)}" ${trendText(p.trend, hhmm)} (${p.count} lines, ${p.previousCount} before)`);
    }
  } else if (f.trendsKnown === false) parts.push(`what is new or grown: cannot tell (a window was read only in part); the most frequent patterns of ${f.lines} lines read`);
  else parts.push(`nothing new or grown in ${f.lines} lines against ${f.previousLines} before`);
  if (f.revision) parts.push(`names ${f.revision}`);
  return `${parts.join('; ')}${partial}`;
}

export function traceFindingText(f: TraceFinding): string {
  const partial = f.complete ? '' : ' (partial read)';
  if (f.traces === 0) return `no traces in the last ${formatDuration(f.end - f.start)}${partial}`;
  const parts: string[] = [];
  const c = f.changed;
  if (c) {
    const what =
      c.shape === 'more' || c.shape === 'fewer'
        ? `${c.perTraceBefore.toFixed(1)} → ${c.perTraceNow.toFixed(1)} per request`
        : c.shape === 'slower' || c.shape === 'faster'
          ? `${Math.round(c.meanMsBefore ?? 0)} → ${Math.round(c.meanMsNow ?? 0)} ms each${c.meanMsBefore ? ` (${factorText((c.meanMsNow ?? 0) / c.meanMsBefore)})` : ''}`
          : c.shape;
    parts.push(`${c.service} ${c.operation} changed most: ${what}, ${c.addedMsPerTrace >= 0 ? '+' : ''}${Math.round(c.addedMsPerTrace)} ms per request`);
  } else parts.push(`no span changed against the window before (${f.traces} traces, ${f.previousTraces} before)`);
  if (f.failingCount > 0) parts.push(`${f.failingCount} of ${f.traces} traces failed`);
  const slow = f.slowest[0];
  if (slow) parts.push(`slowest ${slow.operation} ${slow.durationMs} ms${slow.path?.[0] ? `, mostly ${slow.path[0].service} ${slow.path[0].operation} (${Math.round(slow.path[0].ms)} ms)` : ''}`);
  return `${parts.join('; ')}${partial}`;
}

export function logFindingVars(f: LogFinding): Record<string, TemplateValue | undefined> {
  return {
    'findings.logs.topAddress': f.topAddress?.value,
    'findings.logs.topPattern': f.patterns[0]?.pattern,
    'findings.logs.revision': f.revision,
    'findings.logs.notable': f.notable,
  };
}

export function traceFindingVars(f: TraceFinding): Record<string, TemplateValue | undefined> {
  return {
    'findings.traces.span': f.changed ? `${f.changed.service} ${f.changed.operation}` : undefined,
    'findings.traces.service': f.changed?.service,
    'findings.traces.change': f.changed?.shape,
    'findings.traces.failing': f.failingCount,
  };
}

/** What the journal keeps of a finding: its line, its values, its top items and evidence lines, all bounded. */
export interface FindingRecord {
  readonly kind: 'logs' | 'traces';
  readonly service: string;
  readonly start: number;
  readonly end: number;
  readonly summary: string;
  readonly complete: boolean;
  readonly values: Record<string, string | number | boolean>;
  readonly items: { readonly text: string; readonly count?: number; readonly previousCount?: number; readonly trend?: string; readonly series?: number[] }[];
  readonly evidence: string[];
}

const defined = (vars: Record<string, TemplateValue | undefined>): Record<string, TemplateValue> =>
  Object.fromEntries(Object.entries(vars).filter((e): e is [string, TemplateValue] => e[1] !== undefined));

export function logFindingRecord(f: LogFinding): FindingRecord {
  return {
    kind: 'logs',
    service: clip(f.service, 512),
    start: f.start,
    end: f.end,
    summary: clip(logFindingText(f), 2000),
    complete: f.complete,
    values: defined(logFindingVars(f)),
    items: f.patterns.map((p) => ({ text: clip(p.pattern, 1000), count: p.count, previousCount: p.previousCount, trend: f.trendsKnown === false ? 'trend ?' : trendText(p.trend, hhmm), series: p.series.slice(0, 60) })),
    evidence: f.evidence.map((e) => clip(e, 1000)),
  };
}

export function traceFindingRecord(f: TraceFinding): FindingRecord {
  const paths = [...f.failing, ...f.slowest].slice(0, 5);
  return {
    kind: 'traces',
    service: clip(f.service, 512),
    start: f.start,
    end: f.end,
    summary: clip(traceFindingText(f), 2000),
    complete: f.complete,
    values: defined(traceFindingVars(f)),
    items: paths.map((t) => ({
      text: clip(`${t.operation} ${t.durationMs} ms${t.status !== undefined ? ` ${t.status}` : ''}${t.failed ? ' failed' : ''}: ${(t.path ?? []).map((p) => `${p.service} ${p.operation} ${Math.round(p.ms)} ms${p.spans > 1 ? ` ×${p.spans}` : ''}`).join(' → ') || 'path not read'}`, 1000),
    })),
    evidence: paths.map((t) => clip(t.id, 512)),
  };
}
