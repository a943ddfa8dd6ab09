/**
 * The Prometheus adapter as one bundle: the MetricSource and AlarmSource ports plus the strategy's
 * named queries, bound to one server (prometheus.url in the config, or VITASCOPE_PROMETHEUS_URL).
 * close() abandons requests in flight; the adapter holds no timers of its own.
 */
import { PrometheusAlarmSource, type PrometheusAlarmOptions } from './alerts.js';
import { PrometheusClient, type PrometheusClientOptions } from './client.js';
import { PrometheusMetricSource } from './metrics.js';
import { instantNamed, rangeNamed, type NamedInstant, type NamedQueryId, type NamedQueryOptions, type NamedRange } from './queries.js';

export * from './client.js';
export * from './queries.js';
export { PrometheusMetricSource, PROMETHEUS_NAMESPACE } from './metrics.js';
export { PrometheusAlarmSource, ruleToAlarm, alertToAlarm, levelOf, thresholdOf } from './alerts.js';

export interface PrometheusSourcesOptions extends PrometheusClientOptions, PrometheusAlarmOptions {
  /** The rate window of the named queries, in seconds; 300 by default. */
  readonly windowSeconds?: number;
}

export interface PrometheusSources {
  readonly client: PrometheusClient;
  readonly metrics: PrometheusMetricSource;
  readonly alarms: PrometheusAlarmSource;
  /** A named query at one instant (epoch ms; the server's now when omitted). */
  query(id: NamedQueryId, options?: NamedQueryOptions & { at?: number }): Promise<NamedInstant>;
  /** A named query over a range, start and end inclusive. */
  queryRange(id: NamedQueryId, range: NamedQueryOptions & { start: number; end: number; stepSeconds: number }): Promise<NamedRange>;
  close(): Promise<void>;
}

export function createPrometheusSources(options: PrometheusSourcesOptions): PrometheusSources {
  const client = new PrometheusClient(options);
  const windowSeconds = options.windowSeconds;
  return {
    client,
    metrics: new PrometheusMetricSource(client, { windowSeconds }),
    alarms: new PrometheusAlarmSource(client, { now: options.now }),
    query: (id, o = {}) => instantNamed(client, id, { windowSeconds, ...o }),
    queryRange: (id, range) => rangeNamed(client, id, { windowSeconds, ...range }),
    async close() {
      client.close();
    },
  };
}
