/**
 * The MetricSource port over Prometheus, for the charts and the policy's rate rules.
 *
 * The convention for a Prometheus-backed MetricRef:
 * - namespace is "prometheus";
 * - name is the id of a named query (queries.ts), e.g. "p95_latency_seconds" or "error_rate_percent";
 *   raw PromQL is deliberately not accepted, so every chart and rule asks one of the strategy's questions,
 *   under the app metric names of the configuration (prometheus.metrics.*, resolved against the server:
 *   names.ts);
 * - dimensions become equality label matchers on the query's selectors, e.g. {endpoint: "/api/v1/sync"}
 *   or {method: "POST", endpoint: "/api/v1/sync"}; the configured service (job="vitascope-api") is
 *   added unless a dimension names the service label (job: "vitascope-worker"); a label the query
 *   decides itself (status_code for the error rate, le for a quantile) is refused;
 * - statistic is ignored: the named query already says how samples are aggregated;
 * - a MetricQuery's denominator is the id of another named query over the same dimensions, and the
 *   series is 100 × metric / denominator, as the sandbox does for the policy's rate rules.
 *
 * Periods: like CloudWatch, a point at t summarises [t, t + step). Prometheus evaluates a rate at an
 * instant over the window before it, so the point for t is the named query evaluated at t + step with
 * a window of max(the query's 5 m, step): a 1-minute chart is a 5-minute moving rate, a 1-hour chart
 * covers each whole hour. Only whole periods are returned (t + step ≤ end), oldest first; a period
 * Prometheus has no value for (no traffic, NaN) is left out, as CloudWatch leaves out empty periods.
 * A query whose result has several series (a by-endpoint query without an endpoint dimension) is an
 * error naming it: a MetricSeries is one series.
 */
import type { Point } from '../../core/model.js';
import type { MetricQuery, MetricSeries, MetricSource } from '../ports.js';
import type { PrometheusClient } from './client.js';
import type { AppMetricsResolver } from './names.js';
import { DEFAULT_WINDOW_SECONDS, expressionFor, namedQuery } from './queries.js';

export const PROMETHEUS_NAMESPACE = 'prometheus';

export class PrometheusMetricSource implements MetricSource {
  constructor(
    private readonly client: PrometheusClient,
    private readonly resolver: AppMetricsResolver,
    private readonly options: { readonly windowSeconds?: number } = {},
  ) {}

  async getSeries(
    queries: readonly MetricQuery[],
    range: { start: number; end: number; stepSeconds: number },
  ): Promise<MetricSeries[]> {
    if (!(range.stepSeconds > 0)) throw new Error(`metric step must be positive, not ${range.stepSeconds}`);
    // Refuse bad input before asking anything, so that one bad query is one clear message.
    for (const q of queries) {
      if (q.metric.namespace !== PROMETHEUS_NAMESPACE) {
        throw new Error(
          `metric ${q.id}: namespace "${q.metric.namespace}" is not served by Prometheus (expected "${PROMETHEUS_NAMESPACE}")`,
        );
      }
      namedQuery(q.metric.name);
      if (q.denominator !== undefined) namedQuery(q.denominator);
      // Validates the dimensions against the query's reserved labels.
      expressionFor(q.metric.name, { dimensions: q.metric.dimensions, names: this.resolver.configured });
    }
    const stepMs = range.stepSeconds * 1000;
    const count = Math.floor((range.end - range.start) / stepMs);
    if (count <= 0) return queries.map((q) => ({ id: q.id, points: [] }));
    const firstEnd = range.start + stepMs;
    const lastEnd = range.start + count * stepMs;
    const windowSeconds = Math.max(this.options.windowSeconds ?? DEFAULT_WINDOW_SECONDS, range.stepSeconds);
    const series = (name: string, dims: Readonly<Record<string, string>>, id: string) =>
      this.oneSeries(name, dims, id, { start: firstEnd, end: lastEnd, stepSeconds: range.stepSeconds, windowSeconds });
    return Promise.all(
      queries.map(async (q): Promise<MetricSeries> => {
        const [num, den] = await Promise.all([
          series(q.metric.name, q.metric.dimensions, q.id),
          q.denominator !== undefined ? series(q.denominator, q.metric.dimensions, q.id) : Promise.resolve(undefined),
        ]);
        let points: Point[] = num;
        if (den) {
          const byT = new Map(den.map((p) => [p.t, p.v]));
          points = num.flatMap((p) => {
            const d = byT.get(p.t);
            return d !== undefined && d > 0 ? [{ t: p.t, v: (100 * p.v) / d }] : [];
          });
        }
        // Back from evaluation instants (period ends) to period starts.
        return {
          id: q.id,
          points: points.filter((p) => Number.isFinite(p.v)).map((p) => ({ t: p.t - stepMs, v: p.v })),
        };
      }),
    );
  }

  private async oneSeries(
    name: string,
    dimensions: Readonly<Record<string, string>>,
    id: string,
    range: { start: number; end: number; stepSeconds: number; windowSeconds: number },
  ): Promise<Point[]> {
    const names = await this.resolver.names(dimensions);
    const expr = expressionFor(name, { dimensions, windowSeconds: range.windowSeconds, names });
    const result = await this.client.queryRange(expr, range);
    if (result.series.length > 1) {
      throw new Error(
        `metric ${id}: query ${name} answered ${result.series.length} series; narrow it with dimensions (e.g. endpoint) so that it answers one`,
      );
    }
    return result.series[0]?.points ?? [];
  }
}
