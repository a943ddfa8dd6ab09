/**
 * The EndpointBreakdownSource port over Prometheus: the strategy's request counter and latency histogram
 * grouped by the endpoint label, at one instant over one window —
 *   sum by (endpoint) (rate(app_request_count_total[w]))                      requests per second
 *   100 * 5xx rate / all, by endpoint (queries.ts error_rate_percent_by_endpoint)
 *   histogram_quantile(0.95, sum by (le, endpoint) (rate(…_bucket[w])))        p95
 * and the same without the grouping for the total. The label is the configuration's
 * (prometheus.metrics.labels.endpoint): `endpoint` as the strategy's FastAPI code names it, `handler`
 * for prometheus-fastapi-instrumentator and similar. Every method of one path is one row, as
 * `sum by (endpoint)` makes it.
 */
import type { EndpointBreakdown, EndpointBreakdownSource, EndpointPart } from '../ports.js';
import type { InstantSample, PrometheusClient } from './client.js';
import type { AppMetricsResolver } from './names.js';
import { instantNamed, type NamedQueryId } from './queries.js';

/** The value of one group, when it is a number (a group without traffic answers NaN or nothing). */
function valueOf(samples: readonly InstantSample[], label: string | undefined, key: string): number | undefined {
  const s = samples.find((x) => (label === undefined ? true : x.labels[label] === key));
  return s && Number.isFinite(s.v) ? s.v : undefined;
}

function part(
  rps: number | undefined,
  errorPercent: number | undefined,
  p95: number | undefined,
): Omit<EndpointPart, 'endpoint'> {
  const requestsPerSecond = rps ?? 0;
  return {
    requestsPerSecond,
    errorsPerSecond: requestsPerSecond > 0 ? (requestsPerSecond * (errorPercent ?? 0)) / 100 : 0,
    ...(requestsPerSecond > 0 && p95 !== undefined ? { p95Seconds: p95 } : {}),
  };
}

export class PrometheusEndpointBreakdown implements EndpointBreakdownSource {
  constructor(
    private readonly client: PrometheusClient,
    private readonly resolver: AppMetricsResolver,
  ) {}

  async endpointBreakdown(
    window: { readonly end: number; readonly seconds: number },
    signal?: AbortSignal,
  ): Promise<EndpointBreakdown> {
    if (!(window.seconds > 0)) throw new Error(`a breakdown window must be positive, not ${window.seconds} s`);
    const names = await this.resolver.names({}, signal);
    const label = names.labels.endpoint;
    const ask = async (id: NamedQueryId) =>
      (
        await instantNamed(this.client, id, {
          names,
          windowSeconds: window.seconds,
          at: window.end,
          ...(signal ? { signal } : {}),
        })
      ).samples;
    const [rps, err, p95, rpsAll, errAll, p95All] = await Promise.all([
      ask('request_rate_per_second_by_endpoint'),
      ask('error_rate_percent_by_endpoint'),
      ask('p95_latency_seconds_by_endpoint'),
      ask('request_rate_per_second'),
      ask('error_rate_percent'),
      ask('p95_latency_seconds'),
    ]);
    // A series without the label (an exporter that does not set it) is left out, never shown as "".
    const keys = [...new Set(rps.map((s) => s.labels[label]).filter((k): k is string => k !== undefined))].sort();
    return {
      at: window.end,
      windowSeconds: window.seconds,
      label,
      total: part(valueOf(rpsAll, undefined, ''), valueOf(errAll, undefined, ''), valueOf(p95All, undefined, '')),
      endpoints: keys.map((endpoint) => ({
        endpoint,
        ...part(valueOf(rps, label, endpoint), valueOf(err, label, endpoint), valueOf(p95, label, endpoint)),
      })),
    };
  }
}
