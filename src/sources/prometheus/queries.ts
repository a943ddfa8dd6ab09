/**
 * The monitoring strategy's application queries, by name, so that the cockpit, the policy and the
 * tests ask Prometheus the same questions in the same words. Vitascope's FastAPI service exposes
 * app_request_count{method,endpoint,status_code} (a counter) and the app_request_latency_seconds
 * histogram{method,endpoint}; everything here is built on those two.
 *
 * Units are decided once, here:
 * - latency is in seconds, Prometheus's base unit (the policy's 500 ms / 1 s thresholds are 0.5 / 1);
 * - the error rate is a PERCENT (0–100) of all requests answered 5xx, because the policy's thresholds
 *   (1 %, 5 %, and the deployment gate's 5 %) and MetricQuery's "100 × metric / denominator" are
 *   percentages; 4xx answers are the client's fault and do not count;
 * - request rates are requests per second.
 *
 * Every query is a rate over a window (5 minutes by default, as the strategy writes it), so a value
 * at time T describes (T − window, T]. Dimensions narrow the selectors with equality matchers.
 */
import type { InstantSample, Labels, PrometheusClient, RangeSeries } from './client.js';

export type NamedQueryId =
  | 'p95_latency_seconds'
  | 'p95_latency_seconds_by_endpoint'
  | 'error_rate_percent'
  | 'error_rate_percent_by_endpoint'
  | 'request_rate_per_second'
  | 'request_rate_per_second_by_endpoint';

export interface NamedQuery {
  readonly id: NamedQueryId;
  readonly title: string;
  /** seconds, percent, or requests per second. */
  readonly unit: 'seconds' | 'percent' | 'requestsPerSecond';
  /** Labels that tell the result's series apart: [] for one overall series. */
  readonly by: readonly string[];
  /** Labels a caller may not narrow on, because the query already decides them. */
  readonly reserved: readonly string[];
  /** The PromQL for a selector's extra matchers (`,a="b"` or '') and a window (`5m`). */
  build(matchers: string, window: string): string;
}

const COUNT = 'app_request_count';
const BUCKET = 'app_request_latency_seconds_bucket';
/** 5xx: what the strategy calls an error. */
const SERVER_ERROR = 'status_code=~"5.."';

function p95(by: readonly string[]): (m: string, w: string) => string {
  const grouping = ['le', ...by].join(', ');
  return (m, w) => `histogram_quantile(0.95, sum by (${grouping}) (rate(${BUCKET}{${m.replace(/^,/, '')}}[${w}])))`;
}

function requestRate(by: readonly string[]): (m: string, w: string) => string {
  const agg = by.length ? `sum by (${by.join(', ')})` : 'sum';
  return (m, w) => `${agg} (rate(${COUNT}{${m.replace(/^,/, '')}}[${w}]))`;
}

/**
 * 100 × 5xx rate / all requests rate. A group with traffic but no 5xx series at all (the app's client
 * library creates a label set only on its first use) answers 0 through the `or`, not nothing.
 */
function errorRate(by: readonly string[]): (m: string, w: string) => string {
  const agg = by.length ? `sum by (${by.join(', ')})` : 'sum';
  return (m, w) => {
    const all = `${agg} (rate(${COUNT}{${m.replace(/^,/, '')}}[${w}]))`;
    const failed = `${agg} (rate(${COUNT}{${SERVER_ERROR}${m}}[${w}]))`;
    return `100 * (${failed} or 0 * ${all}) / ${all}`;
  };
}

export const NAMED_QUERIES: Readonly<Record<NamedQueryId, NamedQuery>> = {
  p95_latency_seconds: { id: 'p95_latency_seconds', title: 'API p95 response time', unit: 'seconds', by: [], reserved: ['le'], build: p95([]) },
  p95_latency_seconds_by_endpoint: {
    id: 'p95_latency_seconds_by_endpoint',
    title: 'API p95 response time by endpoint',
    unit: 'seconds',
    by: ['endpoint'],
    reserved: ['le'],
    build: p95(['endpoint']),
  },
  error_rate_percent: { id: 'error_rate_percent', title: 'API error rate (5xx / all)', unit: 'percent', by: [], reserved: ['status_code'], build: errorRate([]) },
  error_rate_percent_by_endpoint: {
    id: 'error_rate_percent_by_endpoint',
    title: 'API error rate (5xx / all) by endpoint',
    unit: 'percent',
    by: ['endpoint'],
    reserved: ['status_code'],
    build: errorRate(['endpoint']),
  },
  request_rate_per_second: { id: 'request_rate_per_second', title: 'API request rate', unit: 'requestsPerSecond', by: [], reserved: [], build: requestRate([]) },
  request_rate_per_second_by_endpoint: {
    id: 'request_rate_per_second_by_endpoint',
    title: 'API request rate by endpoint',
    unit: 'requestsPerSecond',
    by: ['endpoint'],
    reserved: [],
    build: requestRate(['endpoint']),
  },
};

export const NAMED_QUERY_IDS = Object.keys(NAMED_QUERIES) as NamedQueryId[];

export function isNamedQueryId(id: string): id is NamedQueryId {
  return Object.prototype.hasOwnProperty.call(NAMED_QUERIES, id);
}

export function namedQuery(id: string): NamedQuery {
  if (!isNamedQueryId(id)) throw new Error(`no Prometheus query named "${id}"; known: ${NAMED_QUERY_IDS.join(', ')}`);
  return NAMED_QUERIES[id];
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value as a PromQL double-quoted string. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Equality matchers for the dimensions, each prefixed with a comma ('' for none). */
export function matchersFor(query: NamedQuery, dimensions: Readonly<Record<string, string>> = {}): string {
  let out = '';
  for (const [name, value] of Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b))) {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`"${name}" is not a label name Prometheus accepts (query ${query.id})`);
    if (query.reserved.includes(name)) throw new Error(`query ${query.id} decides the label "${name}" itself; it cannot be a dimension`);
    out += `,${name}=${promString(value)}`;
  }
  return out;
}

/** A window in seconds as a PromQL duration. */
export function promDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`a query window must be a positive number of seconds, not ${seconds}`);
  const s = Math.round(seconds);
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

export const DEFAULT_WINDOW_SECONDS = 300;

export interface NamedQueryOptions {
  readonly dimensions?: Readonly<Record<string, string>>;
  /** The rate window in seconds; 300 (the strategy's 5m) by default. */
  readonly windowSeconds?: number;
  readonly signal?: AbortSignal;
}

/** The PromQL a named query runs with these options. */
export function expressionFor(id: NamedQueryId | string, options: Omit<NamedQueryOptions, 'signal'> = {}): string {
  const q = namedQuery(id);
  return q.build(matchersFor(q, options.dimensions), promDuration(options.windowSeconds ?? DEFAULT_WINDOW_SECONDS));
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
function grouping(query: NamedQuery, labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const l of query.by) if (labels[l] !== undefined) out[l] = labels[l]!;
  return out;
}

function byGroup(a: { labels: Labels }, b: { labels: Labels }): number {
  return JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels));
}

/** Runs a named query at one instant (epoch ms; the server's now when omitted). */
export async function instantNamed(client: PrometheusClient, id: NamedQueryId | string, options: NamedQueryOptions & { at?: number } = {}): Promise<NamedInstant> {
  const query = namedQuery(id);
  const expr = expressionFor(id, options);
  const result = await client.query(expr, { time: options.at, signal: options.signal });
  const samples = result.resultType === 'matrix' ? [] : result.samples.map((s) => ({ ...s, labels: grouping(query, s.labels) })).sort(byGroup);
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
  const result = await client.queryRange(expr, { start: range.start, end: range.end, stepSeconds: range.stepSeconds, signal: range.signal });
  return { query, expr, series: result.series.map((s) => ({ ...s, labels: grouping(query, s.labels) })).sort(byGroup) };
}

/** Either of the above: with `range` a range query, otherwise an instant one. */
export function runNamedQuery(
  client: PrometheusClient,
  id: NamedQueryId | string,
  options: NamedQueryOptions & { at?: number; range?: { start: number; end: number; stepSeconds: number } } = {},
): Promise<NamedInstant | NamedRange> {
  return options.range ? rangeNamed(client, id, { ...options, ...options.range }) : instantNamed(client, id, options);
}
