/**
 * The app's own metrics in Prometheus, named in one place (the configuration's prometheus.metrics.*)
 * and turned into PromQL here, so that the cockpit, the runbooks' queries, `deploy-check`, `doctor`
 * and `alarms export --format prometheus-rules` ask the same questions of the same series.
 *
 * The defaults are what the strategy's FastAPI code really exposes through prometheus_client:
 * - Counter('app_request_count', …, ['method', 'endpoint', 'status_code']) is exposed as
 *   app_request_count_total (prometheus_client appends _total; it also writes
 *   app_request_count_created, a gauge, which is not the count);
 * - Histogram('app_request_latency_seconds', …, ['method', 'endpoint']) as
 *   app_request_latency_seconds_bucket{le}, _sum and _count;
 * - the scrape adds job (the strategy's scrape config names the API's job vitascope-api) and instance.
 *
 * A client library older than the OpenMetrics conventions (prometheus_client before 0.4, several
 * others) exposes the counter without _total. A counter configured with _total therefore also accepts
 * its plain name when that is what a server has (counterNames): the Prometheus adapter asks the server
 * which of the two exists and queries that one, never both (one target changing names across a
 * restart would make `rate({__name__=~…})` fail with "vector cannot contain metrics with the same
 * labelset"). Exported rules cannot ask: they use the configured name, and `doctor` says when the
 * server has only the other one.
 *
 * Units: latency in seconds, the error rate in percent (5xx over all requests; 4xx are the client's),
 * request rates in requests per second.
 */

export interface AppMetricLabels {
  /** The label that tells services apart: the scrape's job. */
  readonly service: string;
  readonly endpoint: string;
  readonly statusCode: string;
  readonly method: string;
}

export interface AppMetrics {
  /** The request counter's series name as exposed (with prometheus_client: app_request_count_total). */
  readonly requestCount: string;
  /** The latency histogram's name; its series are <name>_bucket, _sum and _count. */
  readonly requestLatency: string;
  /** The API's value of labels.service (the strategy's scrape job); '' means every series. */
  readonly service: string;
  readonly labels: AppMetricLabels;
  /**
   * How often Prometheus scrapes the app, in seconds (its scrape_interval; Prometheus's own default is
   * 1m). A rate needs two samples in its window: rules and the gate rate over at least RATE_SCRAPES of them.
   */
  readonly scrapeSeconds: number;
}

/** Scrape intervals a rate window spans at least (Prometheus's rule of thumb: four). */
export const RATE_SCRAPES = 4;

/** The rate window for a wanted span: the span, or RATE_SCRAPES scrape intervals when that is longer. */
export function rateWindowSeconds(m: Pick<AppMetrics, 'scrapeSeconds'>, wantedSeconds: number): number {
  return Math.max(wantedSeconds, RATE_SCRAPES * m.scrapeSeconds);
}

/** What the configuration may say (prometheus.metrics), every part optional. */
export interface AppMetricsSettings {
  readonly requestCount?: string;
  readonly requestLatency?: string;
  readonly service?: string;
  readonly labels?: Partial<AppMetricLabels>;
  /** Prometheus's scrape_interval for the app, as a duration ("15s", "1m"). */
  readonly scrapeInterval?: string;
}

export const DEFAULT_APP_METRICS: AppMetrics = {
  requestCount: 'app_request_count_total',
  requestLatency: 'app_request_latency_seconds',
  service: 'vitascope-api',
  labels: { service: 'job', endpoint: 'endpoint', statusCode: 'status_code', method: 'method' },
  scrapeSeconds: 60,
};

/** The settings' full keys, for messages that name the setting to change. */
export const APP_METRIC_SETTINGS = {
  requestCount: 'prometheus.metrics.requestCount',
  requestLatency: 'prometheus.metrics.requestLatency',
  service: 'prometheus.metrics.service',
  scrapeInterval: 'prometheus.metrics.scrapeInterval',
  labels: {
    service: 'prometheus.metrics.labels.service',
    endpoint: 'prometheus.metrics.labels.endpoint',
    statusCode: 'prometheus.metrics.labels.statusCode',
    method: 'prometheus.metrics.labels.method',
  },
} as const;

/** Every setting with its default, as `config list --all` shows them. */
export function appMetricDefaults(): Map<string, string> {
  const d = DEFAULT_APP_METRICS;
  return new Map<string, string>([
    [APP_METRIC_SETTINGS.requestCount, d.requestCount],
    [APP_METRIC_SETTINGS.requestLatency, d.requestLatency],
    [APP_METRIC_SETTINGS.service, d.service],
    [APP_METRIC_SETTINGS.scrapeInterval, `${d.scrapeSeconds}s`],
    ...(Object.keys(d.labels) as (keyof AppMetricLabels)[]).map((k): [string, string] => [
      APP_METRIC_SETTINGS.labels[k],
      d.labels[k],
    ]),
  ]);
}

/** The configured names over the defaults. */
export function appMetrics(settings: AppMetricsSettings | undefined): AppMetrics {
  const d = DEFAULT_APP_METRICS;
  return {
    requestCount: settings?.requestCount ?? d.requestCount,
    requestLatency: settings?.requestLatency ?? d.requestLatency,
    service: settings?.service ?? d.service,
    labels: { ...d.labels, ...(settings?.labels ?? {}) },
    scrapeSeconds: settings?.scrapeInterval
      ? (durationSeconds(settings.scrapeInterval) ?? d.scrapeSeconds)
      : d.scrapeSeconds,
  };
}

/** "15s", "1m", "90s" → seconds (the configuration's schema has checked the form). */
function durationSeconds(text: string): number | undefined {
  const m = /^(\d+)(s|m|h)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
}

/** Names the request counter may have on a server, the configured one first. */
export function counterNames(m: AppMetrics): readonly string[] {
  return m.requestCount.endsWith('_total')
    ? [m.requestCount, m.requestCount.slice(0, -'_total'.length)]
    : [m.requestCount];
}

export function bucketName(m: AppMetrics): string {
  return `${m.requestLatency}_bucket`;
}

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value as a PromQL double-quoted string. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The equality matchers of a selection: the configured service first (unless the dimensions name the
 * service label themselves, or the service is ''), then the dimensions by label name.
 */
export function selectionMatchers(
  m: AppMetrics,
  dimensions: Readonly<Record<string, string>> = {},
): readonly (readonly [string, string])[] {
  const dims = Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b));
  const own =
    m.service !== '' && !Object.hasOwn(dimensions, m.labels.service) ? [[m.labels.service, m.service] as const] : [];
  return [...own, ...dims];
}

/** A series selector: `name{a="b",c=~"5.."}`, or the bare name without matchers. */
export function selector(
  name: string,
  matchers: readonly (readonly [string, string])[],
  extra: readonly string[] = [],
): string {
  const parts = [...matchers.map(([k, v]) => `${k}=${promString(v)}`), ...extra];
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

export interface AppQueryShape {
  /** Equality matchers, e.g. from selectionMatchers. */
  readonly matchers: readonly (readonly [string, string])[];
  /** The rate window as a PromQL duration: 5m. */
  readonly window: string;
  /** Label names to keep apart (e.g. the endpoint label); none for one overall series. */
  readonly by?: readonly string[];
  /** An offset for a comparison with an earlier window: ' offset 1w'. */
  readonly offset?: string;
}

function aggregate(by: readonly string[] | undefined): string {
  return by?.length ? `sum by (${by.join(', ')}) ` : 'sum';
}

/** The 95th percentile of the latency histogram, in seconds. */
export function p95Expr(m: AppMetrics, q: AppQueryShape): string {
  return `histogram_quantile(0.95, sum by (${['le', ...(q.by ?? [])].join(', ')}) (rate(${selector(bucketName(m), q.matchers)}[${q.window}]${q.offset ?? ''})))`;
}

/** Requests per second. */
export function requestRateExpr(m: AppMetrics, q: AppQueryShape): string {
  return `${aggregate(q.by)}(rate(${selector(m.requestCount, q.matchers)}[${q.window}]${q.offset ?? ''}))`;
}

/**
 * 100 × 5xx rate / all requests rate. A group with traffic but no 5xx series at all (a client library
 * creates a label set only on its first use) answers 0 through the `or`, not nothing; a group without
 * requests answers nothing (0/0 is no data, never 0 %).
 */
export function errorRateExpr(m: AppMetrics, q: AppQueryShape): string {
  const agg = aggregate(q.by);
  const all = `${agg}(rate(${selector(m.requestCount, q.matchers)}[${q.window}]${q.offset ?? ''}))`;
  const failed = `${agg}(rate(${selector(m.requestCount, q.matchers, [`${m.labels.statusCode}=~"5.."`])}[${q.window}]${q.offset ?? ''}))`;
  return `100 * (${failed} or 0 * ${all}) / ${all}`;
}
