/**
 * Ports for the strategy's other two pillars: logs (CloudWatch Logs, or the sandbox's) and traces (X-Ray, or
 * the sandbox's). Read-only. Every text field is outside text: adapters bound it and callers sanitise it
 * before it reaches a screen or a report.
 */

/** One log line as the source stored it. */
export interface LogEvent {
  /** Milliseconds since the epoch, the event's own time (not when it was ingested). */
  readonly timestamp: number;
  /** The message, bounded by the adapter (see LogQuery.maxMessageBytes); outside text. */
  readonly message: string;
  /** The log group it came from. */
  readonly group: string;
  /** The stream within the group (an ECS task, a Lambda instance), when the source says. */
  readonly stream?: string;
  /** True when the adapter cut the message to its bound. */
  readonly truncated?: boolean;
}

export interface LogQuery {
  /** Log groups to read (the service's, from the configuration). */
  readonly groups: readonly string[];
  /** [start, end) in milliseconds since the epoch. */
  readonly start: number;
  readonly end: number;
  /** A plain substring every returned message contains (case-sensitive, as CloudWatch's filter terms are). */
  readonly contains?: string;
  /** At most this many events (newest kept when the source had more). */
  readonly limit: number;
  /** Messages longer than this are cut (and marked truncated). */
  readonly maxMessageBytes?: number;
  /** Give up after this many milliseconds, returning what was read with `complete: false`. */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

export interface LogResult {
  /** Oldest first. */
  readonly events: LogEvent[];
  /** False when the limit or the deadline stopped the read before the source ran out. */
  readonly complete: boolean;
  /** How it was read, for the note under a finding ("Logs Insights", "FilterLogEvents", "sandbox"). */
  readonly via: string;
  /** Why it is incomplete, in words, when it is. */
  readonly reason?: string;
  /** Why it is incomplete, tagged: the limit (the newest events are there) or the deadline (a part is missing). */
  readonly cut?: ReadCut;
}

/** What stopped a read before the source ran out. */
export type ReadCut = 'limit' | 'deadline';

export interface LogSource {
  /** The events of the window, by the fastest way the source offers (Insights, else a filter scan). */
  query(query: LogQuery): Promise<LogResult>;
  /** Events after `since` (exclusive) for a live tail; the caller remembers the last timestamp it saw. */
  tail(query: Omit<LogQuery, 'start' | 'end'> & { since: number }): Promise<LogResult>;
}

/** One span (an X-Ray segment or subsegment) of a trace. */
export interface Span {
  readonly id: string;
  readonly parentId?: string;
  /** The service that recorded it (an X-Ray segment's name). */
  readonly service: string;
  /** What it did: an HTTP route, a SQL statement's verb and table, a remote call's host. Outside text. */
  readonly operation: string;
  readonly start: number;
  readonly end: number;
  readonly error?: boolean;
  readonly fault?: boolean;
  /** HTTP status, when the span is an HTTP call. */
  readonly status?: number;
}

export interface TraceSummary {
  readonly id: string;
  readonly start: number;
  /** Milliseconds. */
  readonly durationMs: number;
  /** The entry point (service and route). */
  readonly service: string;
  readonly operation: string;
  readonly error: boolean;
  readonly fault: boolean;
  readonly status?: number;
}

export interface Trace {
  readonly id: string;
  readonly spans: readonly Span[];
}

export interface TraceQuery {
  /** [start, end) in milliseconds since the epoch. */
  readonly start: number;
  readonly end: number;
  /** The service (X-Ray's `service("name")`). */
  readonly service?: string;
  /** Only traces with an error or fault. */
  readonly errorsOnly?: boolean;
  /** At most this many summaries. */
  readonly limit: number;
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

export interface TraceSource {
  /** `via` and `reason` as in LogResult: how the summaries were read and, when incomplete, why. */
  summaries(
    query: TraceQuery,
  ): Promise<{ summaries: TraceSummary[]; complete: boolean; via?: string; reason?: string; cut?: ReadCut }>;
  traces(ids: readonly string[], signal?: AbortSignal): Promise<Trace[]>;
}
