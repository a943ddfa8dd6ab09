/**
 * The Prometheus adapter as one bundle: the MetricSource and AlarmSource ports plus the strategy's
 * named queries, bound to one server (prometheus.url in the config, or VITASCOPE_PROMETHEUS_URL).
 * close() abandons requests in flight; the adapter holds no timers of its own.
 */
import { PrometheusAlarmSource, type PrometheusAlarmOptions } from './alerts.js';
import { PrometheusClient, type PrometheusClientOptions } from './client.js';
import { appMetrics, type AppMetricsSettings } from '../../core/appMetrics.js';
import { PrometheusMetricSource } from './metrics.js';
import { PrometheusEndpointBreakdown } from './endpoints.js';
import { AppMetricsResolver } from './names.js';
import {
  instantNamed,
  rangeNamed,
  type NamedInstant,
  type NamedQueryId,
  type NamedQueryOptions,
  type NamedRange,
} from './queries.js';

export * from './client.js';
export * from './queries.js';
export { PrometheusMetricSource, PROMETHEUS_NAMESPACE } from './metrics.js';
export { PrometheusAlarmSource, ruleToAlarm, alertToAlarm, levelOf, thresholdOf } from './alerts.js';
export { AppMetricsResolver, type ResolvedNames } from './names.js';

export interface PrometheusSourcesOptions extends PrometheusClientOptions, PrometheusAlarmOptions {
  /** The rate window of the named queries, in seconds; 300 by default. */
  readonly windowSeconds?: number;
  /** The app's metric names (the configuration's prometheus.metrics); prometheus_client's by default. */
  readonly metrics?: AppMetricsSettings;
}

export interface PrometheusSources {
  readonly client: PrometheusClient;
  readonly metrics: PrometheusMetricSource;
  /** The API's traffic by endpoint. */
  readonly endpoints: PrometheusEndpointBreakdown;
  readonly alarms: PrometheusAlarmSource;
  /** The app metric names, as configured and as the server has them. */
  readonly names: AppMetricsResolver;
  /** A named query at one instant (epoch ms; the server's now when omitted). */
  query(id: NamedQueryId, options?: NamedQueryOptions & { at?: number }): Promise<NamedInstant>;
  /** A named query over a range, start and end inclusive. */
  queryRange(
    id: NamedQueryId,
    range: NamedQueryOptions & { start: number; end: number; stepSeconds: number },
  ): Promise<NamedRange>;
  close(): Promise<void>;
}

export function createPrometheusSources(options: PrometheusSourcesOptions): PrometheusSources {
  const client = new PrometheusClient(options);
  const windowSeconds = options.windowSeconds;
  const names = new AppMetricsResolver(client, appMetrics(options.metrics));
  return {
    client,
    names,
    metrics: new PrometheusMetricSource(client, names, { windowSeconds }),
    endpoints: new PrometheusEndpointBreakdown(client, names),
    alarms: new PrometheusAlarmSource(client, { now: options.now }),
    query: async (id, o = {}) =>
      instantNamed(client, id, { windowSeconds, ...o, names: o.names ?? (await names.names(o.dimensions, o.signal)) }),
    queryRange: async (id, range) =>
      rangeNamed(client, id, {
        windowSeconds,
        ...range,
        names: range.names ?? (await names.names(range.dimensions, range.signal)),
      }),
    async close() {
      client.close();
    },
  };
}
