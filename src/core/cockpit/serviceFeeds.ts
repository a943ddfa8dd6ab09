/**
 * What the logs and traces screens of a service poll while they are in view: the live tail (logTail.ts),
 * the patterns of the window (only while the patterns view is on) and the traces finding of the last
 * LOG_WINDOW_MS (core/traces/finding.ts, as a runbook's traces step reads it). Started and stopped by the
 * session's state, like the alarm detail's feed; the views only read `snapshot()`.
 */
import { defaultLogGroups } from '../logs/groups.js';
import type { Snapshot } from '../live/poller.js';
import type { TraceFinding } from '../traces/finding.js';
import type { Sources } from '../../sources/ports.js';
import type { LogEvent } from '../../sources/logPorts.js';
import { Feed } from './feeds.js';
import {
  LOG_WINDOW_MS,
  LogTail,
  patternsFetcher,
  type LogPatterns,
  type LogTailView,
  type TailTarget,
} from './logTail.js';
import type { CockpitState } from './state.js';

export interface ServiceFeedsSnapshot {
  /** The tail of the service on the logs screen; undefined elsewhere or without a log source. */
  readonly logs?: LogTailView;
  /** Its held lines under the screen's filter. */
  readonly logLines: readonly LogEvent[];
  readonly patterns: Snapshot<LogPatterns>;
  readonly traces: Snapshot<TraceFinding>;
  /** Whether there is a trace source at all (without one the traces screen says so instead of loading). */
  readonly tracesAvailable: boolean;
}

const NONE: readonly LogEvent[] = [];

export class ServiceFeeds {
  readonly tail: LogTail;
  private readonly patterns: Feed<LogPatterns>;
  private readonly traces: Feed<TraceFinding>;

  constructor(
    onChange: () => void,
    private readonly sources: Sources,
    private readonly groupsOf: (service: string) => readonly string[] | undefined,
    tailPollMs?: number,
  ) {
    this.tail = new LogTail(onChange, tailPollMs);
    this.patterns = new Feed<LogPatterns>(onChange);
    this.traces = new Feed<TraceFinding>(onChange);
  }

  sync(state: CockpitState): void {
    const { sources } = this;
    const service = !state.room ? state.subject : undefined;
    const onLogs = service !== undefined && state.screen === 'logs' && sources.logs !== undefined;
    const target: TailTarget | undefined = onLogs
      ? {
          service,
          groups: this.groupsOf(service) ?? defaultLogGroups(service),
          source: sources.logs!,
          now: () => sources.now(),
        }
      : undefined;
    this.tail.sync(target, state.logView.follow);
    this.patterns.sync(
      target && state.logView.patterns ? `patterns:${service}` : undefined,
      target ? () => patternsFetcher(target) : undefined,
      30_000,
    );
    const traceSource = sources.traces;
    const onTraces = service !== undefined && state.screen === 'traces' && traceSource !== undefined;
    this.traces.sync(
      onTraces ? `traces:${service}` : undefined,
      onTraces
        ? () => async () => {
            const end = sources.now();
            // Loaded when the traces screen first opens: the cockpit's first frame does not wait for it.
            const { findInTraces } = await import('../traces/finding.js');
            return findInTraces(traceSource, { service, start: end - LOG_WINDOW_MS, end, deadlineMs: 15_000 });
          }
        : undefined,
      30_000,
    );
  }

  snapshot(filter: string): ServiceFeedsSnapshot {
    const logs = this.tail.view();
    return {
      ...(logs ? { logs } : {}),
      logLines: logs ? this.tail.lines(filter) : NONE,
      patterns: this.patterns.snapshot(),
      traces: this.traces.snapshot(),
      tracesAvailable: this.sources.traces !== undefined,
    };
  }

  stop(): void {
    this.tail.stop();
    this.patterns.stop();
    this.traces.stop();
  }
}
