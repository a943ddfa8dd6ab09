/**
 * CloudWatch Logs behind the LogSource port.
 *
 * A window is read with Logs Insights (StartQuery, then GetQueryResults until the query ends), newest first
 * and limited in the query itself, so a busy group costs one query rather than thousands of pages. At the
 * deadline the query is stopped (StopQuery) and what it had found is returned as incomplete. Where Insights
 * cannot answer, the same window is read with FilterLogEvents (paged with nextToken, one group at a time,
 * events interleaved by time): when `insights` is off in the configuration, when StartQuery is refused
 * (no logs:StartQuery permission, too many concurrent queries, an endpoint without Insights), and when
 * the server does not apply the query's filter. A live tail always uses FilterLogEvents: Insights queries
 * take seconds to start and are billed by data scanned.
 *
 * moto 5.2 (the test server) runs Insights queries synchronously and understands only `fields`, `sort`
 * and `limit`: every other command, `filter` included, is silently skipped, so a filtered query answers
 * with unfiltered rows, and `@timestamp` comes back as epoch milliseconds instead of Insights'
 * "YYYY-MM-DD HH:MM:SS.mmm" (UTC). It has no StopQuery. Every row is therefore checked here against the
 * filter; a row that does not match shows that the server ignored the filter, and the query is answered
 * with FilterLogEvents instead (and so are later filtered queries of this adapter). moto's FilterLogEvents
 * understands single terms and quoted phrases and pages with nextToken (at most 10,000 events a page).
 *
 * Every message is bounded (logText.ts) and checked against [start, end) and the filter again here, so a
 * server that widens a window or ignores a term never widens what the caller sees.
 */
import {
  FilterLogEventsCommand,
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient,
  type ResultField,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogEvent, LogQuery, LogResult, LogSource, ReadCut } from '../logPorts.js';
import { seconds } from '../deadlines.js';
import { AwsApiError, call, mapLimit } from './calls.js';
import { boundMessage, DEFAULT_MAX_MESSAGE_BYTES } from './logText.js';
import { filterPattern, groupOf, insightsString, insightsTime } from './logsQuery.js';
import { Clock, sleep } from './readClock.js';

/** Insights returns at most this many rows per query; FilterLogEvents at most this many events per page. */
export const INSIGHTS_MAX_LIMIT = 10_000;
export const FILTER_PAGE_MAX = 10_000;
/** How long a read may take when the caller gives no deadline. */
export const DEFAULT_LOG_DEADLINE_MS = 20_000;

export interface CloudWatchLogsOptions {
  /** Use Logs Insights for windows (true by default); FilterLogEvents only when false. */
  readonly insights?: boolean;
  readonly maxMessageBytes?: number;
  readonly deadlineMs?: number;
  /** Events asked per FilterLogEvents page (tests make it small to see paging). */
  readonly pageSize?: number;
  /** First and longest wait between GetQueryResults polls. */
  readonly pollMs?: readonly [number, number];
}

/** Errors of StartQuery after which FilterLogEvents can still answer. */
const INSIGHTS_UNAVAILABLE = new Set([
  'AccessDeniedException',
  'LimitExceededException',
  'UnknownOperationException',
  'UnrecognizedClientException',
  'InvalidOperationException',
  'NotImplemented',
]);

/** Keeps the newest `limit` of a growing list cheaply (trims only when it doubles). */
function keepNewest(events: LogEvent[], limit: number): { events: LogEvent[]; dropped: boolean } {
  if (events.length <= limit) return { events, dropped: false };
  events.sort((a, b) => a.timestamp - b.timestamp);
  return { events: events.slice(events.length - limit), dropped: true };
}

export class CloudWatchLogsAdapter implements LogSource {
  /** Set once the server has shown it ignores an Insights filter (moto): filtered reads scan instead. */
  private insightsFilterIgnored = false;

  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly options: CloudWatchLogsOptions = {},
  ) {}

  private maxBytes(query: Pick<LogQuery, 'maxMessageBytes'>): number {
    return query.maxMessageBytes ?? this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  private event(
    group: string,
    timestamp: number,
    message: unknown,
    stream: string | undefined,
    maxBytes: number,
  ): LogEvent {
    const bounded = boundMessage(message, maxBytes);
    return {
      timestamp,
      message: bounded.text,
      group,
      ...(stream ? { stream: boundMessage(stream, 512).text } : {}),
      ...(bounded.truncated ? { truncated: true } : {}),
    };
  }

  async query(query: LogQuery): Promise<LogResult> {
    checkQuery(query);
    const clock = new Clock(
      'CloudWatch Logs',
      query.deadlineMs ?? this.options.deadlineMs ?? DEFAULT_LOG_DEADLINE_MS,
      query.signal,
    );
    try {
      if (this.options.insights === false)
        return await this.scan(
          query,
          query.start,
          query.end,
          clock,
          'FilterLogEvents (Insights off in the configuration)',
        );
      if (query.contains && this.insightsFilterIgnored)
        return await this.scan(
          query,
          query.start,
          query.end,
          clock,
          'FilterLogEvents (the server ignores Insights filters)',
        );
      try {
        const out = await this.insights(query, clock);
        if (out !== 'filter-ignored') return out;
        this.insightsFilterIgnored = true;
        return await this.scan(
          query,
          query.start,
          query.end,
          clock,
          'FilterLogEvents (the server ignored the Insights filter)',
        );
      } catch (error) {
        if (
          !(error instanceof AwsApiError) ||
          error.api !== 'CloudWatch Logs StartQuery' ||
          !insightsUnavailable(error)
        )
          throw error;
        return await this.scan(
          query,
          query.start,
          query.end,
          clock,
          `FilterLogEvents (Logs Insights refused: ${error.name})`,
        );
      }
    } finally {
      clock.done();
    }
  }

  async tail(query: Omit<LogQuery, 'start' | 'end'> & { since: number }): Promise<LogResult> {
    const end = Date.now() + 1;
    const full: LogQuery = { ...query, start: query.since + 1, end };
    checkQuery(full);
    // A late-ingested event older than `since` is not seen by a tail: CloudWatch orders by the event's own time.
    const clock = new Clock(
      'CloudWatch Logs',
      query.deadlineMs ?? this.options.deadlineMs ?? DEFAULT_LOG_DEADLINE_MS,
      query.signal,
    );
    try {
      return await this.scan(full, full.start, end, clock, 'FilterLogEvents');
    } finally {
      clock.done();
    }
  }

  /** Logs Insights; 'filter-ignored' when a row shows the server skipped the filter. */
  private async insights(query: LogQuery, clock: Clock): Promise<LogResult | 'filter-ignored'> {
    const limit = Math.min(query.limit, INSIGHTS_MAX_LIMIT);
    const filter = query.contains ? ` | filter @message like ${insightsString(query.contains)}` : '';
    const queryString = `fields @timestamp, @message, @logStream, @log${filter} | sort @timestamp desc | limit ${limit}`;
    const resource = query.groups.join(', ');
    const started = await call('CloudWatch Logs StartQuery', resource, () =>
      this.client.send(
        new StartQueryCommand({
          logGroupNames: [...query.groups],
          startTime: Math.floor(query.start / 1000),
          endTime: Math.ceil(query.end / 1000),
          queryString,
          limit,
        }),
        { abortSignal: clock.signal },
      ),
    ).catch((error: unknown) => rethrowUnlessDeadline(error, clock, query.signal));
    if (started === undefined)
      return incomplete([], 'Logs Insights', `StartQuery did not answer within ${seconds(clock.ms)}`, 'deadline');
    const queryId = started.queryId;
    if (!queryId) throw new AwsApiError('CloudWatch Logs StartQuery', resource, new Error('the answer has no queryId'));
    const [first, longest] = this.options.pollMs ?? [250, 1_000];
    let wait = first;
    let rows: ResultField[][] = [];
    let status = 'Scheduled';
    for (;;) {
      const out = await call('CloudWatch Logs GetQueryResults', resource, () =>
        this.client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: clock.signal }),
      ).catch((error: unknown) => rethrowUnlessDeadline(error, clock, query.signal));
      if (out) {
        rows = out.results ?? rows;
        status = out.status ?? 'Unknown';
      }
      if (!out || ['Complete', 'Failed', 'Cancelled', 'Timeout', 'Unknown'].includes(status)) break;
      if (clock.left() <= wait) break;
      await sleep(wait, clock.signal);
      wait = Math.min(longest, wait * 2);
    }
    if (status === 'Failed' || status === 'Cancelled' || status === 'Unknown')
      throw new AwsApiError(
        'CloudWatch Logs GetQueryResults',
        resource,
        new Error(`the query ended with status ${status}`),
      );
    const timedOut = status !== 'Complete';
    if (timedOut && status !== 'Timeout') {
      // Stop the query so it does not go on scanning (and billing) after we gave up on it; best effort.
      await this.client
        .send(new StopQueryCommand({ queryId }), { abortSignal: AbortSignal.timeout(2_000) })
        .catch(() => undefined);
    }
    const maxBytes = this.maxBytes(query);
    const events: LogEvent[] = [];
    for (const row of rows) {
      const field = (name: string) => row.find((f) => f.field === name)?.value;
      const timestamp = insightsTime(field('@timestamp'));
      const message = field('@message') ?? '';
      if (query.contains && !message.includes(query.contains)) return 'filter-ignored';
      if (timestamp === undefined || timestamp < query.start || timestamp >= query.end) continue;
      events.push(this.event(groupOf(field('@log'), query.groups), timestamp, message, field('@logStream'), maxBytes));
    }
    events.sort((a, b) => a.timestamp - b.timestamp);
    if (timedOut)
      return incomplete(
        events,
        'Logs Insights',
        status === 'Timeout'
          ? 'Logs Insights timed out'
          : `no complete answer within ${seconds(clock.ms)} (query stopped)`,
        'deadline',
      );
    if (rows.length >= limit)
      return incomplete(events, 'Logs Insights', `the newest ${limit.toLocaleString('en-US')} events only`, 'limit');
    return { events, complete: true, via: 'Logs Insights' };
  }

  /** FilterLogEvents over every group, paged, newest `limit` kept. */
  private async scan(query: LogQuery, start: number, end: number, clock: Clock, via: string): Promise<LogResult> {
    const maxBytes = this.maxBytes(query);
    const pageSize = Math.min(this.options.pageSize ?? FILTER_PAGE_MAX, FILTER_PAGE_MAX);
    const pattern = filterPattern(query.contains);
    const reasons = new Set<string>();
    let late = false;
    const perGroup = await mapLimit(query.groups, 2, async (group) => {
      let events: LogEvent[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      for (let pages = 0; ; pages++) {
        if (clock.expired) {
          if (query.signal?.aborted)
            throw new AwsApiError('CloudWatch Logs FilterLogEvents', group, query.signal.reason);
          reasons.add(`no complete answer within ${seconds(clock.ms)}`);
          late = true;
          break;
        }
        const out = await call('CloudWatch Logs FilterLogEvents', group, () =>
          this.client.send(
            // endTime is inclusive in CloudWatch: the port's window is [start, end).
            new FilterLogEventsCommand({
              logGroupName: group,
              startTime: start,
              endTime: end - 1,
              limit: pageSize,
              ...(pattern ? { filterPattern: pattern } : {}),
              ...(token ? { nextToken: token } : {}),
            }),
            { abortSignal: clock.signal },
          ),
        ).catch((error: unknown) => rethrowUnlessDeadline(error, clock, query.signal));
        if (!out) {
          reasons.add(`no complete answer within ${seconds(clock.ms)}`);
          late = true;
          break;
        }
        for (const e of out.events ?? []) {
          const t = e.timestamp;
          const message = e.message ?? '';
          if (t === undefined || t < start || t >= end) continue;
          if (query.contains && !message.includes(query.contains)) continue;
          events.push(this.event(group, t, message, e.logStreamName, maxBytes));
        }
        if (events.length > query.limit * 2) {
          const kept = keepNewest(events, query.limit);
          events = kept.events;
          if (kept.dropped) reasons.add(`the newest ${query.limit.toLocaleString('en-US')} events only`);
        }
        token = out.nextToken;
        if (!token) break;
        if (seen.has(token))
          throw new AwsApiError(
            'CloudWatch Logs FilterLogEvents',
            group,
            new Error('the server repeated a page token'),
          );
        seen.add(token);
      }
      return events;
    });
    const kept = keepNewest(perGroup.flat(), query.limit);
    if (kept.dropped) reasons.add(`the newest ${query.limit.toLocaleString('en-US')} events only`);
    const events = kept.events.sort((a, b) => a.timestamp - b.timestamp);
    return reasons.size
      ? incomplete(events, via, [...reasons].join('; '), late ? 'deadline' : 'limit')
      : { events, complete: true, via };
  }
}

function incomplete(events: LogEvent[], via: string, reason: string, cut: ReadCut): LogResult {
  return { events, complete: false, via, reason, cut };
}

function insightsUnavailable(error: AwsApiError): boolean {
  const status = error.$metadata?.httpStatusCode;
  return INSIGHTS_UNAVAILABLE.has(error.name) || status === 501 || status === 404;
}

/** A deadline that fired ends the read with what it has (undefined); anything else is a failure. */
function rethrowUnlessDeadline(error: unknown, clock: Clock, outer: AbortSignal | undefined): undefined {
  if (outer?.aborted) throw error;
  if (clock.expired) return undefined;
  throw error;
}

function checkQuery(query: LogQuery): void {
  if (query.groups.length === 0) throw new Error('no log group to read');
  if (!Number.isFinite(query.start) || !Number.isFinite(query.end) || query.end <= query.start)
    throw new Error('the log window is empty');
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new Error('the log limit must be a positive integer');
}
