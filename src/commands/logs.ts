/**
 * `logs SERVICE`: the service's log lines of the last `--since` (newest `--limit`, oldest first), or with
 * `--patterns` the lines grouped into patterns and compared with the window before (core/logs/patterns.ts).
 * Every message is outside text: printed inert on one line, or as escaped JSON.
 *
 * Exit codes: 0 read (a window cut at the limit is said, not a failure), 2 bad arguments or an unknown service,
 * 3 bad configuration, 4 no log source, the source failed, or it did not finish within its deadline (what it
 * read is still printed).
 */
import { analyseLogs, factorText, type PatternComparison } from '../core/logs/patterns.js';
import { sparkline } from '../core/reports/charts.js';
import { inertLine, jsonText } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import { formatBound, formatClock, iso } from '../core/time.js';
import type { LogResult } from '../sources/logPorts.js';
import type { GlobalOptions, Io } from './context.js';
import { failed, openFor, unavailable, windowEndingNow, type Window } from './logsCommon.js';

export interface LogsOptions {
  readonly since: number;
  readonly filter?: string;
  readonly patterns?: boolean;
  readonly limit: number;
  readonly json?: boolean;
}

/** Lines read for --patterns, over the window and the one before it (Logs Insights' most per query). */
export const PATTERN_READ_LIMIT = 10_000;

export async function runLogs(name: string, options: GlobalOptions & LogsOptions, io: Io): Promise<number> {
  const opened = await openFor('logs', name, options, io);
  if (typeof opened === 'number') return opened;
  const { sources, service, groups } = opened;
  try {
    if (!sources.logs) return unavailable('logs', opened, io);
    const window = windowEndingNow(sources, options.since);
    // Patterns compare with the window before: one read of twice the window.
    const start = options.patterns ? window.start - options.since : window.start;
    let result: LogResult;
    try {
      result = await sources.logs.query({
        groups,
        start,
        end: window.end,
        limit: options.patterns ? PATTERN_READ_LIMIT : options.limit,
        deadlineMs: opened.deadlineMs,
        ...(options.filter ? { contains: options.filter } : {}),
      });
    } catch (error) {
      return failed('logs', error, io);
    }
    const head = { service, groups, window: { start: iso(window.start), end: iso(window.end) }, filter: options.filter ?? null, via: result.via, complete: result.complete, ...(result.reason ? { reason: result.reason } : {}) };
    if (options.patterns) printPatterns(result, window, head, options, io);
    else if (options.json) io.stdout.write(`${jsonText({ ...head, events: result.events.map((e) => ({ time: iso(e.timestamp), group: e.group, stream: e.stream ?? null, message: e.message, ...(e.truncated ? { truncated: true } : {}) })) }, 2)}\n`);
    else {
      io.stdout.write(`${inertLine(service)} · ${groups.map(inertLine).join(', ')} · last ${formatBound(options.since)}${options.filter ? ` · containing ${inertLine(JSON.stringify(options.filter))}` : ''} · ${result.events.length.toLocaleString('en-US')} lines · ${inertLine(result.via)}\n`);
      for (const e of result.events) io.stdout.write(`${iso(e.timestamp)} ${inertLine(e.stream ?? e.group)} ${inertLine(e.message)}\n`);
      if (result.events.length === 0) io.stdout.write('(no lines in the window)\n');
    }
    if (!result.complete) io.stderr.write(`vitascope-oncall: logs: incomplete: ${inertLine(result.reason ?? 'the source stopped early')}\n`);
    return result.cut === 'deadline' ? EXIT.source : EXIT.ok;
  } finally {
    await sources.close();
  }
}

function trendText(c: PatternComparison): string {
  switch (c.trend.kind) {
    case 'new':
      return `new since ${formatClock(c.trend.since).slice(11)}`;
    case 'gone':
      return 'gone';
    case 'more':
    case 'fewer':
    case 'steady':
      return factorText(c.trend.factor);
  }
}

function printPatterns(result: LogResult, window: Window, head: Record<string, unknown>, options: LogsOptions, io: Io): void {
  const analysis = analyseLogs(result.events, { start: window.start, end: window.end });
  const shown = analysis.comparisons.slice(0, options.limit);
  if (options.json) {
    const patterns = shown.map((c) => ({
      pattern: c.pattern,
      count: c.count,
      previousCount: c.previousCount,
      trend: c.trend,
      firstSeen: iso(c.current?.firstSeen),
      lastSeen: iso(c.current?.lastSeen ?? c.previous?.lastSeen),
      series: c.current?.series ?? [],
      example: c.current?.example ?? c.previous?.example ?? null,
      values: (c.current?.placeholders ?? []).map((p) => ({ kind: p.kind, top: p.top.slice(0, 3), total: p.total, exact: p.exact })),
    }));
    io.stdout.write(`${jsonText({ ...head, lines: analysis.window.lines, previousLines: analysis.before.lines, otherLines: analysis.window.otherLines, bucketMs: analysis.window.bucketMs, patterns }, 2)}\n`);
    return;
  }
  io.stdout.write(`${inertLine(String(head.service))} · patterns of the last ${formatBound(options.since)} against the ${formatBound(options.since)} before · ${analysis.window.lines.toLocaleString('en-US')} lines (${analysis.before.lines.toLocaleString('en-US')} before) · ${inertLine(result.via)}\n`);
  if (shown.length === 0) io.stdout.write('(no lines in either window)\n');
  for (const c of shown) {
    const spark = c.current ? sparkline(c.current.series, 30) : '';
    io.stdout.write(`${String(c.count).padStart(7)} ${trendText(c).padEnd(17)} ${spark.padEnd(30)} ${inertLine(c.pattern)}\n`);
    for (const p of c.current?.placeholders ?? []) {
      const top = p.top[0];
      if (top && p.top.length > 0 && top.count * 2 >= p.total && p.kind !== 'num' && p.kind !== 'dur')
        io.stdout.write(`${' '.repeat(26)} most <${p.kind}>: ${inertLine(top.value)} (${top.count.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')})\n`);
    }
  }
}
