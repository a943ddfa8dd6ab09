/**
 * The logs screen's data, in core: a live tail of one service's log groups, held in a bounded buffer
 * (at most LOG_TAIL_MAX lines; the oldest are dropped and counted, so a long tail cannot grow the heap),
 * polled from the last timestamp seen while it follows. The view reads `view()` and never polls.
 */
import type { LogAnalysis } from '../logs/patterns.js';
import type { LogEvent, LogSource } from '../../sources/logPorts.js';

/** Lines held at most; older ones are dropped (and counted) as new ones come. */
export const LOG_TAIL_MAX = 10_000;
/** How often a following tail asks for new lines. */
export const TAIL_POLL_MS = 3_000;
/** The window the tail starts with, the patterns are grouped over and the traces screen reads. */
export const LOG_WINDOW_MS = 30 * 60_000;
/** Longest message kept per line (a 100 KB line would otherwise be held 10,000 times). */
export const TAIL_MESSAGE_BYTES = 4_096;

export interface LogTailView {
  readonly service: string;
  readonly state: 'loading' | 'ok' | 'error';
  /** Held lines, oldest first (a new array only when lines came or went). */
  readonly lines: readonly LogEvent[];
  /** Lines held once and dropped to stay within LOG_TAIL_MAX. */
  readonly dropped: number;
  /** How the source was read, and why the first read was incomplete (when it was). */
  readonly via?: string;
  readonly reason?: string;
  /** The last read's failure, in words (the lines held stay). */
  readonly error?: string;
}

export interface TailTarget {
  readonly service: string;
  readonly groups: readonly string[];
  readonly source: LogSource;
  readonly now: () => number;
}

/** Appends `more` to `held`, keeping the newest `max`; says how many were dropped. */
export function appendBounded(
  held: readonly LogEvent[],
  more: readonly LogEvent[],
  max = LOG_TAIL_MAX,
): { lines: LogEvent[]; dropped: number } {
  const all = more.length >= max ? [] : held.slice(Math.max(0, held.length + more.length - max));
  const kept = more.length >= max ? more.slice(more.length - max) : more;
  const lines = all.concat(kept);
  return { lines, dropped: held.length + more.length - lines.length };
}

/** Case-insensitive substring filter over the messages (the `/` of the logs screen). */
export function filterLines(lines: readonly LogEvent[], filter: string): readonly LogEvent[] {
  if (!filter) return lines;
  const f = filter.toLowerCase();
  return lines.filter((e) => e.message.toLowerCase().includes(f));
}

export class LogTail {
  private target?: TailTarget;
  private key?: string;
  private current?: LogTailView;
  private timer?: ReturnType<typeof setInterval>;
  private inFlight = false;
  private generation = 0;
  private filtered?: { lines: readonly LogEvent[]; filter: string; out: readonly LogEvent[] };

  constructor(
    private readonly onChange: () => void,
    private readonly pollMs = TAIL_POLL_MS,
  ) {}

  /** Follows the session: a new service starts a new tail; `follow` starts or stops the polling. */
  sync(target: TailTarget | undefined, follow: boolean): void {
    const key = target ? `${target.service}\u0000${target.groups.join('\u0000')}` : undefined;
    if (key !== this.key) {
      this.stop();
      this.key = key;
      this.target = target;
      if (!target) return;
      this.current = { service: target.service, state: 'loading', lines: [], dropped: 0 };
      void this.read();
    }
    if (!target) return;
    if (follow && !this.timer) {
      this.timer = setInterval(() => void this.read(), this.pollMs);
      this.timer.unref?.();
      // Following again catches up at once.
      if (this.current?.state !== 'loading') void this.read();
    } else if (!follow && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  view(): LogTailView | undefined {
    return this.current;
  }

  /** The held lines under a filter, the same array while neither changes (the view is memoised on it). */
  lines(filter: string): readonly LogEvent[] {
    const lines = this.current?.lines ?? [];
    const f = this.filtered;
    if (f && f.lines === lines && f.filter === filter) return f.out;
    const out = filterLines(lines, filter);
    this.filtered = { lines, filter, out };
    return out;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.target = undefined;
    this.key = undefined;
    this.current = undefined;
    this.filtered = undefined;
    this.generation += 1;
  }

  /** The first read (the last LOG_WINDOW_MS), then each poll: the lines after the last one held. */
  private async read(): Promise<void> {
    const t = this.target;
    if (!t || this.inFlight) return;
    this.inFlight = true;
    const gen = this.generation;
    const before = this.current!;
    const last = before.lines.at(-1)?.timestamp;
    const common = { groups: t.groups, limit: LOG_TAIL_MAX, maxMessageBytes: TAIL_MESSAGE_BYTES, deadlineMs: 10_000 };
    try {
      const end = t.now();
      const result =
        before.state === 'loading' || last === undefined
          ? await t.source.query({ ...common, start: end - LOG_WINDOW_MS, end: end + 1 })
          : await t.source.tail({ ...common, since: last });
      if (gen !== this.generation) return;
      const now = this.current!;
      const { lines, dropped } = result.events.length
        ? appendBounded(now.lines, result.events)
        : { lines: now.lines as LogEvent[], dropped: 0 };
      const first = now.state === 'loading';
      this.current = {
        service: now.service,
        state: 'ok',
        lines,
        dropped: now.dropped + dropped,
        via: result.via,
        ...(first && result.reason ? { reason: result.reason } : now.reason ? { reason: now.reason } : {}),
      };
      this.onChange();
    } catch (error) {
      if (gen !== this.generation) return;
      const now = this.current!;
      this.current = { ...now, state: now.state === 'loading' ? 'error' : now.state, error: String(error) };
      this.onChange();
    } finally {
      this.inFlight = false;
    }
  }
}

/** The patterns view's data: the window grouped and compared with the one before it (as `logs --patterns`). */
export interface LogPatterns {
  readonly analysis: LogAnalysis;
  /** False when a window was read only in part: trends cannot be told. */
  readonly comparable: boolean;
  readonly via: string;
}

export function patternsFetcher(t: TailTarget): () => Promise<LogPatterns> {
  return async () => {
    const end = t.now();
    const start = end - LOG_WINDOW_MS;
    const read = (s: number, e: number) =>
      t.source.query({ groups: t.groups, start: s, end: e, limit: LOG_TAIL_MAX, deadlineMs: 15_000 });
    const [now, before] = await Promise.all([read(start, end), read(start - LOG_WINDOW_MS, start)]);
    // Loaded when the patterns view first asks: the cockpit's first frame does not wait for it.
    const { analyseLogs } = await import('../logs/patterns.js');
    return {
      analysis: analyseLogs([...before.events, ...now.events], { start, end }),
      comparable: now.complete && before.complete,
      via: now.via,
    };
  };
}
