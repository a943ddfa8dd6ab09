/**
 * `traces SERVICE`: the slowest and the failing traces of the last `--since` with their critical paths, and the
 * (service, operation) that changed most against the window before (core/traces/analyse.ts). Span changes are
 * computed on a sample of each window read in full (the slowest and failing ones, and traces spread over the
 * window), so one read stays within BatchGetTraces' budget.
 *
 * Exit codes: 0 read, 2 bad arguments or an unknown service, 3 bad configuration, 4 no trace source, the source
 * failed, or it did not finish within its deadline (what it read is still printed).
 */
import { analyseTraces, CHANGE_MIN_MS, type TraceDigest } from '../core/traces/analyse.js';
import { inertLine, jsonText } from '../core/sanitize.js';
import { EXIT } from '../core/status.js';
import { formatBound, iso } from '../core/time.js';
import type { Trace, TraceSource, TraceSummary } from '../sources/logPorts.js';
import type { GlobalOptions, Io } from './context.js';
import { failed, openFor, unavailable, windowEndingNow } from './logsCommon.js';

export interface TracesOptions {
  readonly since: number;
  readonly slowest: number;
  readonly errors?: boolean;
  readonly json?: boolean;
}

/** Summaries read per window, and traces read in full per window to compare spans. */
export const SUMMARY_LIMIT = 1_000;
export const SAMPLE = 20;

/** Up to `n` summaries spread evenly over the list (by start time). */
export function spread(summaries: readonly TraceSummary[], n: number): TraceSummary[] {
  const sorted = [...summaries].sort((a, b) => a.start - b.start);
  if (sorted.length <= n) return sorted;
  return Array.from({ length: n }, (_, i) => sorted[Math.floor((i * sorted.length) / n)]!);
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

export async function runTraces(name: string, options: GlobalOptions & TracesOptions, io: Io): Promise<number> {
  const opened = await openFor('traces', name, options, io);
  if (typeof opened === 'number') return opened;
  const { sources, service } = opened;
  try {
    const source: TraceSource | undefined = sources.traces;
    if (!source) return unavailable('traces', opened, io);
    const window = windowEndingNow(sources, options.since);
    const query = {
      service,
      limit: SUMMARY_LIMIT,
      deadlineMs: opened.deadlineMs,
      ...(options.errors ? { errorsOnly: true } : {}),
    };
    let now, before;
    let current: Trace[], previous: Trace[];
    try {
      [now, before] = await Promise.all([
        source.summaries({ ...query, start: window.start, end: window.end }),
        source.summaries({ ...query, start: window.start - options.since, end: window.start }),
      ]);
      const bySlowest = [...now.summaries].sort((a, b) => b.durationMs - a.durationMs);
      const wanted = new Set(
        [
          ...bySlowest.slice(0, options.slowest),
          ...bySlowest.filter((s) => s.error || s.fault).slice(0, options.slowest),
          ...spread(now.summaries, SAMPLE),
        ].map((s) => s.id),
      );
      [current, previous] = await Promise.all([
        source.traces([...wanted]),
        source.traces(spread(before.summaries, SAMPLE).map((s) => s.id)),
      ]);
    } catch (error) {
      return failed('traces', error, io);
    }
    const analysis = analyseTraces(
      { summaries: now.summaries, traces: current },
      { summaries: before.summaries, traces: previous },
      { slowest: options.slowest, failing: options.slowest },
    );
    const incomplete = [now, before].filter((r) => !r.complete);
    const via = now.via ?? (opened.sandbox ? 'sandbox' : 'traces');
    if (options.json) {
      const digest = (d: TraceDigest) => ({
        ...d.summary,
        start: iso(d.summary.start),
        spans: d.spans ?? null,
        criticalPath: d.criticalPath ?? null,
      });
      io.stdout.write(
        `${jsonText(
          {
            service,
            window: { start: iso(window.start), end: iso(window.end) },
            errorsOnly: options.errors === true,
            via,
            complete: incomplete.length === 0,
            ...(incomplete.length ? { reason: incomplete.map((r) => r.reason).join('; ') } : {}),
            traces: analysis.traces,
            previousTraces: analysis.previousTraces,
            tracesRead: analysis.tracesRead,
            previousTracesRead: analysis.previousTracesRead,
            slowest: options.errors ? [] : analysis.slowest.map(digest),
            failing: analysis.failing.map(digest),
            changed: analysis.changed ?? null,
          },
          2,
        )}\n`,
      );
    } else {
      const w = formatBound(options.since);
      io.stdout.write(
        `${inertLine(service)} · ${options.errors ? 'failing ' : ''}traces of the last ${w} · ${analysis.traces} (${analysis.previousTraces} in the ${w} before) · ${analysis.tracesRead} read in full · ${inertLine(via)}\n`,
      );
      const section = (title: string, list: readonly TraceDigest[]) => {
        io.stdout.write(`${title}\n`);
        if (list.length === 0) io.stdout.write('  (none)\n');
        for (const d of list) {
          const s = d.summary;
          const mark = s.fault ? ' FAULT' : s.error ? ' ERROR' : '';
          io.stdout.write(
            `  ${ms(s.durationMs).padStart(9)}  ${inertLine(s.service)} ${inertLine(s.operation)}${s.status !== undefined ? ` HTTP ${s.status}` : ''}${mark}  ${inertLine(s.id)}${d.spans !== undefined ? ` (${d.spans} spans)` : ''}\n`,
          );
          if (d.criticalPath?.length)
            io.stdout.write(
              `             path: ${d.criticalPath
                .slice(0, 5)
                .map(
                  (p) =>
                    `${inertLine(p.service)} ${inertLine(p.operation)}${p.spans > 1 ? ` ×${p.spans}` : ''} ${ms(p.ms)}`,
                )
                .join(' › ')}\n`,
            );
        }
      };
      if (!options.errors) section('Slowest', analysis.slowest);
      section('Failing', analysis.failing);
      const c = analysis.changed;
      if (c)
        io.stdout.write(
          `Changed most against the ${w} before: ${inertLine(c.service)} ${inertLine(c.operation)} — ${(c.current?.perTrace ?? 0).toFixed(1)} per request (was ${(c.previous?.perTrace ?? 0).toFixed(1)}), ${c.addedMsPerTrace >= 0 ? '+' : '−'}${ms(Math.abs(c.addedMsPerTrace))} per request\n`,
        );
      else
        io.stdout.write(
          analysis.tracesRead && analysis.previousTracesRead
            ? `No span changed by ${ms(CHANGE_MIN_MS)} or more against the ${w} before\n`
            : `Changes: cannot tell (no traces read in ${analysis.tracesRead ? `the ${w} before` : 'the window'})\n`,
        );
    }
    for (const r of incomplete)
      io.stderr.write(`vitascope-oncall: traces: incomplete: ${inertLine(r.reason ?? 'the source stopped early')}\n`);
    return incomplete.some((r) => r.cut === 'deadline') ? EXIT.source : EXIT.ok;
  } finally {
    await sources.close();
  }
}
