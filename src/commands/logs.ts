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

/** Lines read for --patterns from the window and from the one before it, each (Logs Insights' most per query). */
export const PATTERN_READ_LIMIT = 10_000;

export async function runLogs(name: string, options: GlobalOptions & LogsOptions, io: Io): Promise<number> {
  const opened = await openFor('logs', name, options, io);
  if (typeof opened === 'number') return opened;
  const { sources, service, groups } = opened;
  try {
    if (!sources.logs) return unavailable('logs', opened, io);
    const window = windowEndingNow(sources, options.since);
    const read = (start: number, end: number, limit: number) =>
      sources.logs!.query({
        groups,
        start,
        end,
        limit,
        deadlineMs: opened.deadlineMs,
        ...(options.filter ? { contains: options.filter } : {}),
      });
    let result: LogResult;
    let before: LogResult | undefined;
    try {
      // Patterns compare with the window before: each window read on its own, so that neither one's limit
      // eats into the other's lines (a shared "newest N" would make the window before look quieter than it was).
      [result, before] = await Promise.all([
        read(window.start, window.end, options.patterns ? PATTERN_READ_LIMIT : options.limit),
        options.patterns ? read(window.start - options.since, window.start, PATTERN_READ_LIMIT) : undefined,
      ]);
    } catch (error) {
      return failed('logs', error, io);
    }
    const head = {
      service,
      groups,
      window: { start: iso(window.start), end: iso(window.end) },
      filter: options.filter ?? null,
      via: result.via,
      complete: result.complete,
      ...(result.reason ? { reason: result.reason } : {}),
    };
    if (options.patterns) printPatterns(result, before!, window, head, options, io);
    else if (options.json)
      io.stdout.write(
        `${jsonText({ ...head, events: result.events.map((e) => ({ time: iso(e.timestamp), group: e.group, stream: e.stream ?? null, message: e.message, ...(e.truncated ? { truncated: true } : {}) })) }, 2)}\n`,
      );
    else {
      io.stdout.write(
        `${inertLine(service)} · ${groups.map(inertLine).join(', ')} · last ${formatBound(options.since)}${options.filter ? ` · containing ${inertLine(JSON.stringify(options.filter))}` : ''} · ${result.events.length.toLocaleString('en-US')} lines · ${inertLine(result.via)}\n`,
      );
      for (const e of result.events)
        io.stdout.write(`${iso(e.timestamp)} ${inertLine(e.stream ?? e.group)} ${inertLine(e.message)}\n`);
      if (result.events.length === 0) io.stdout.write('(no lines in the window)\n');
    }
    if (!result.complete)
      io.stderr.write(
        `vitascope-oncall: logs: incomplete: ${inertLine(result.reason ?? 'the source stopped early')}\n`,
      );
    if (before && !before.complete)
      io.stderr.write(
        `vitascope-oncall: logs: the window before is incomplete: ${inertLine(before.reason ?? 'the source stopped early')}\n`,
      );
    return result.cut === 'deadline' || before?.cut === 'deadline' ? EXIT.source : EXIT.ok;
  } finally {
    await sources.close();
  }
}

/** The trend in words; "?" when a window was cut (its counts are only those of its newest lines). */
function trendText(c: PatternComparison, comparable: boolean): string {
  if (!comparable) return '?';
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

function printPatterns(
  result: LogResult,
  before: LogResult,
  window: Window,
  head: Record<string, unknown>,
  options: LogsOptions,
  io: Io,
): void {
  const analysis = analyseLogs([...before.events, ...result.events], { start: window.start, end: window.end });
  const comparable = result.complete && before.complete;
  const shown = analysis.comparisons.slice(0, options.limit);
  if (options.json) {
    const patterns = shown.map((c) => ({
      pattern: c.pattern,
      count: c.count,
      previousCount: c.previousCount,
      trend: comparable ? c.trend : null,
      firstSeen: iso(c.current?.firstSeen),
      lastSeen: iso(c.current?.lastSeen ?? c.previous?.lastSeen),
      series: c.current?.series ?? [],
      example: c.current?.example ?? c.previous?.example ?? null,
      values: (c.current?.placeholders ?? []).map((p) => ({
        kind: p.kind,
        top: p.top.slice(0, 3),
        total: p.total,
        exact: p.exact,
      })),
    }));
    io.stdout.write(
      `${jsonText({ ...head, beforeComplete: before.complete, ...(before.reason ? { beforeReason: before.reason } : {}), lines: analysis.window.lines, previousLines: analysis.before.lines, otherLines: analysis.window.otherLines, bucketMs: analysis.window.bucketMs, patterns }, 2)}\n`,
    );
    return;
  }
  io.stdout.write(
    `${inertLine(String(head.service))} · patterns of the last ${formatBound(options.since)} against the ${formatBound(options.since)} before · ${analysis.window.lines.toLocaleString('en-US')} lines (${analysis.before.lines.toLocaleString('en-US')} before) · ${inertLine(result.via)}\n`,
  );
  if (!comparable)
    io.stdout.write('(trends: cannot tell — a window was read only in part; counts are those of the lines read)\n');
  if (shown.length === 0) io.stdout.write('(no lines in either window)\n');
  for (const c of shown) {
    const spark = c.current ? sparkline(c.current.series, 30, { fromZero: true }) : '';
    io.stdout.write(
      `${String(c.count).padStart(7)} ${trendText(c, comparable).padEnd(17)} ${spark.padEnd(30)} ${inertLine(c.pattern)}\n`,
    );
    for (const p of c.current?.placeholders ?? []) {
      const top = p.top[0];
      if (top && p.top.length > 0 && top.count * 2 >= p.total && p.kind !== 'num' && p.kind !== 'dur')
        io.stdout.write(
          `${' '.repeat(26)} most <${p.kind}>: ${inertLine(top.value)} (${top.count.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')})\n`,
        );
    }
  }
}
