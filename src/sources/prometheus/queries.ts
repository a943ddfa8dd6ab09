/**
 * The monitoring strategy's application queries, by name, so that the cockpit, the policy and the
 * tests ask Prometheus the same questions in the same words. They are built on the app's request
 * counter and latency histogram under the names the configuration gives them (prometheus.metrics.*,
 * core/appMetrics.ts: by default prometheus_client's app_request_count_total and
 * app_request_latency_seconds_bucket, for the series whose job is vitascope-api).
 *
 * Units are decided once, in core/appMetrics.ts:
 * - latency is in seconds, Prometheus's base unit (the policy's 500 ms / 1 s thresholds are 0.5 / 1);
 * - the error rate is a PERCENT (0–100) of all requests answered 5xx, because the policy's thresholds
 *   (1 %, 5 %, and the deployment gate's 5 %) and MetricQuery's "100 × metric / denominator" are
 *   percentages; 4xx answers are the client's fault and do not count;
 * - request rates are requests per second.
 *
 * Every query is a rate over a window (5 minutes by default, as the strategy writes it), so a value
 * at time T describes (T − window, T]. Dimensions narrow the selectors with equality matchers; the
 * configured service (job="vitascope-api") is added unless a dimension names the service label.
 */
import {
  DEFAULT_APP_METRICS,
  errorRateExpr,
  LABEL_NAME,
  p95Expr,
  requestRateExpr,
  selectionMatchers,
  type AppMetricLabels,
  type AppMetrics,
} from '../../core/appMetrics.js';
import type { InstantSample, Labels, PrometheusClient, RangeSeries } from './client.js';

export { promString } from '../../core/appMetrics.js';

export type NamedQueryId =
  | 'p95_latency_seconds'
  | 'p95_latency_seconds_by_endpoint'
  | 'error_rate_percent'
  | 'error_rate_percent_by_endpoint'
  | 'request_rate_per_second'
  | 'request_rate_per_second_by_endpoint';

/** A label by its role, named by the configuration (labels.endpoint is "endpoint" by default). */
type LabelRole = keyof AppMetricLabels | 'le';

export interface NamedQuery {
  readonly id: NamedQueryId;
  readonly title: string;
  /** seconds, percent, or requests per second. */
  readonly unit: 'seconds' | 'percent' | 'requestsPerSecond';
  /** Labels (by role) that tell the result's series apart: [] for one overall series. */
  readonly by: readonly LabelRole[];
  /** Labels (by role) a caller may not narrow on, because the query already decides them. */
  readonly reserved: readonly LabelRole[];
  /** The PromQL for the names, the selection's matchers and a window (`5m`). */
  build(names: AppMetrics, matchers: readonly (readonly [string, string])[], window: string): string;
}

/** A role's label name under these names. */
export function labelFor(names: AppMetrics, role: LabelRole): string {
  return role === 'le' ? 'le' : names.labels[role];
}

type Builder = typeof p95Expr;

function build(expr: Builder, by: readonly LabelRole[]): NamedQuery['build'] {
  return (names, matchers, window) => expr(names, { matchers, window, by: by.map((r) => labelFor(names, r)) });
}

function query(
  id: NamedQueryId,
  title: string,
  unit: NamedQuery['unit'],
  expr: Builder,
  byEndpoint: boolean,
  reserved: readonly LabelRole[],
): NamedQuery {
  const by: LabelRole[] = byEndpoint ? ['endpoint'] : [];
  return { id, title: byEndpoint ? `${title} by endpoint` : title, unit, by, reserved, build: build(expr, by) };
}

export const NAMED_QUERIES: Readonly<Record<NamedQueryId, NamedQuery>> = {
  p95_latency_seconds: query('p95_latency_seconds', 'API p95 response time', 'seconds', p95Expr, false, ['le']),
  p95_latency_seconds_by_endpoint: query(
    'p95_latency_seconds_by_endpoint',
    'API p95 response time',
    'seconds',
    p95Expr,
    true,
    ['le'],
  ),
  error_rate_percent: query('error_rate_percent', 'API error rate (5xx / all)', 'percent', errorRateExpr, false, [
    'statusCode',
  ]),
  error_rate_percent_by_endpoint: query(
    'error_rate_percent_by_endpoint',
    'API error rate (5xx / all)',
    'percent',
    errorRateExpr,
    true,
    ['statusCode'],
  ),
  request_rate_per_second: query(
    'request_rate_per_second',
    'API request rate',
    'requestsPerSecond',
    requestRateExpr,
    false,
    [],
  ),
  request_rate_per_second_by_endpoint: query(
    'request_rate_per_second_by_endpoint',
    'API request rate',
    'requestsPerSecond',
    requestRateExpr,
    true,
    [],
  ),
};

export const NAMED_QUERY_IDS = Object.keys(NAMED_QUERIES) as NamedQueryId[];

export function isNamedQueryId(id: string): id is NamedQueryId {
  return Object.prototype.hasOwnProperty.call(NAMED_QUERIES, id);
}

export function namedQuery(id: string): NamedQuery {
  if (!isNamedQueryId(id)) throw new Error(`no Prometheus query named "${id}"; known: ${NAMED_QUERY_IDS.join(', ')}`);
  return NAMED_QUERIES[id];
}

/** The matchers of a selection: the configured service and the dimensions, checked against what the query decides. */
export function matchersFor(
  query: NamedQuery,
  dimensions: Readonly<Record<string, string>> = {},
  names: AppMetrics = DEFAULT_APP_METRICS,
): readonly (readonly [string, string])[] {
  const reserved = query.reserved.map((r) => labelFor(names, r));
  for (const name of Object.keys(dimensions)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__'))
      throw new Error(`"${name}" is not a label name Prometheus accepts (query ${query.id})`);
    if (reserved.includes(name))
      throw new Error(`query ${query.id} decides the label "${name}" itself; it cannot be a dimension`);
  }
  return selectionMatchers(names, dimensions);
}

/** A window in seconds as a PromQL duration. */
export function promDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`a query window must be a positive number of seconds, not ${seconds}`);
  const s = Math.round(seconds);
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

export const DEFAULT_WINDOW_SECONDS = 300;

export interface NamedQueryOptions {
  readonly dimensions?: Readonly<Record<string, string>>;
  /** The app's metric names (the configuration's, resolved against the server); the defaults otherwise. */
  readonly names?: AppMetrics;
  /** The rate window in seconds; 300 (the strategy's 5m) by default. */
  readonly windowSeconds?: number;
  readonly signal?: AbortSignal;
}

/** The PromQL a named query runs with these options. */
export function expressionFor(id: NamedQueryId | string, options: Omit<NamedQueryOptions, 'signal'> = {}): string {
  const q = namedQuery(id);
  const names = options.names ?? DEFAULT_APP_METRICS;
  return q.build(
    names,
    matchersFor(q, options.dimensions, names),
    promDuration(options.windowSeconds ?? DEFAULT_WINDOW_SECONDS),
  );
}

export interface NamedInstant {
  readonly query: NamedQuery;
  readonly expr: string;
  /** One sample per group (one with labels {} for an overall query); empty when there is no traffic. */
  readonly samples: InstantSample[];
}

export interface NamedRange {
  readonly query: NamedQuery;
  readonly expr: string;
  readonly series: RangeSeries[];
}

/** Keeps only the grouping labels, so that callers read {endpoint} and not whatever else leaked through. */
function grouping(query: NamedQuery, labels: Labels, names: AppMetrics): Labels {
  const out: Record<string, string> = {};
  for (const role of query.by) {
    const l = labelFor(names, role);
    if (labels[l] !== undefined) out[l] = labels[l]!;
  }
  return out;
}

function byGroup(a: { labels: Labels }, b: { labels: Labels }): number {
  return JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels));
}

/** Runs a named query at one instant (epoch ms; the server's now when omitted). */
export async function instantNamed(
  client: PrometheusClient,
  id: NamedQueryId | string,
  options: NamedQueryOptions & { at?: number } = {},
): Promise<NamedInstant> {
  const query = namedQuery(id);
  const expr = expressionFor(id, options);
  const result = await client.query(expr, { time: options.at, signal: options.signal });
  const samples =
    result.resultType === 'matrix'
      ? []
      : result.samples
          .map((s) => ({ ...s, labels: grouping(query, s.labels, options.names ?? DEFAULT_APP_METRICS) }))
          .sort(byGroup);
  return { query, expr, samples };
}

/** Runs a named query over a range: one value per step, start and end inclusive (epoch ms). */
export async function rangeNamed(
  client: PrometheusClient,
  id: NamedQueryId | string,
  range: NamedQueryOptions & { start: number; end: number; stepSeconds: number },
): Promise<NamedRange> {
  const query = namedQuery(id);
  const expr = expressionFor(id, range);
  const result = await client.queryRange(expr, {
    start: range.start,
    end: range.end,
    stepSeconds: range.stepSeconds,
    signal: range.signal,
  });
  return {
    query,
    expr,
    series: result.series
      .map((s) => ({ ...s, labels: grouping(query, s.labels, range.names ?? DEFAULT_APP_METRICS) }))
      .sort(byGroup),
  };
}

/** Either of the above: with `range` a range query, otherwise an instant one. */
export function runNamedQuery(
  client: PrometheusClient,
  id: NamedQueryId | string,
  options: NamedQueryOptions & { at?: number; range?: { start: number; end: number; stepSeconds: number } } = {},
): Promise<NamedInstant | NamedRange> {
  return options.range ? rangeNamed(client, id, { ...options, ...options.range }) : instantNamed(client, id, options);
}
