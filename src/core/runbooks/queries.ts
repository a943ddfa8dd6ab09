import type { MetricRef, Point } from '../model.js';
import type { MetricQuery, Sources } from '../../sources/ports.js';
import { inDisplayUnit, metricDisplay } from '../metricUnits.js';
import { formatDuration, parseDuration } from '../time.js';
import { NAMED_QUERIES, type NamedQueryName, type QueryStep } from './schema.js';
import { render, type TemplateVars } from './template.js';

/**
 * A `query` step run against the sources, summarised in one line for the journal and the headless
 * output (the cockpit draws the series as a graph). Named queries go to Prometheus, which asks them of
 * the app's metrics under the configured names (prometheus.metrics.*: app_request_count_total and
 * app_request_latency_seconds_bucket of job vitascope-api by default); where Prometheus has no answer,
 * and in the sandbox, the CloudWatch metrics that ask the same question (namespace Vitascope/API)
 * answer instead. The summary says which source answered, and "no data" (with each source's reason)
 * when none did. Raw PromQL is shown, not run: the metric port only takes the named questions.
 */

export interface QueryResult {
  readonly summary: string;
  readonly points: readonly Point[];
}

/** The CloudWatch question behind each named query, with how to turn its datapoints into the named unit. */
const CLOUDWATCH_EQUIVALENT: Readonly<Record<NamedQueryName, { query: Omit<MetricQuery, 'id'>; unit: string; scale: number }>> = {
  'p95-latency': { query: { metric: { namespace: 'Vitascope/API', name: 'p95ResponseTime', dimensions: {} }, statistic: 'Average' }, unit: 'ms', scale: 1 },
  'p95-latency-by-endpoint': { query: { metric: { namespace: 'Vitascope/API', name: 'p95ResponseTime', dimensions: {} }, statistic: 'Average' }, unit: 'ms', scale: 1 },
  'error-rate': { query: { metric: { namespace: 'Vitascope/API', name: 'Http5xxCount', dimensions: {} }, statistic: 'Sum', denominator: 'RequestCount' }, unit: '%', scale: 1 },
  'error-rate-by-endpoint': { query: { metric: { namespace: 'Vitascope/API', name: 'Http5xxCount', dimensions: {} }, statistic: 'Sum', denominator: 'RequestCount' }, unit: '%', scale: 1 },
  'request-rate': { query: { metric: { namespace: 'Vitascope/API', name: 'RequestCount', dimensions: {} }, statistic: 'Sum' }, unit: 'req/s', scale: 1 / 60 },
  'request-rate-by-endpoint': { query: { metric: { namespace: 'Vitascope/API', name: 'RequestCount', dimensions: {} }, statistic: 'Sum' }, unit: 'req/s', scale: 1 / 60 },
};

const PROMETHEUS_UNIT: Readonly<Record<string, { unit: string; scale: number }>> = {
  p95_latency_seconds: { unit: 'ms', scale: 1000 },
  error_rate_percent: { unit: '%', scale: 1 },
  request_rate_per_second: { unit: 'req/s', scale: 1 },
};

function round(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function summarise(points: readonly Point[], unit: string, rangeMs: number, label: string): string {
  if (points.length === 0) return `${label}: no data in the last ${formatDuration(rangeMs)}`;
  const values = points.map((p) => p.v);
  const u = unit ? ` ${unit}` : '';
  return `${label}: now ${round(values[values.length - 1]!)}${u} (min ${round(Math.min(...values))}, max ${round(Math.max(...values))} over ${formatDuration(rangeMs)})`;
}

/** A step that gives about 60 points over the range, in whole minutes. */
function stepFor(rangeMs: number): number {
  return Math.max(60, Math.round(rangeMs / 60 / 60_000) * 60);
}

async function series(sources: Sources, q: Omit<MetricQuery, 'id'>, now: number, rangeMs: number): Promise<Point[]> {
  if (!sources.metrics) throw new Error('no metric source');
  const [s] = await sources.metrics.getSeries([{ id: 'q', ...q }], { start: now - rangeMs, end: now, stepSeconds: stepFor(rangeMs) });
  return s?.points ?? [];
}

async function named(step: QueryStep, sources: Sources, now: number, rangeMs: number): Promise<QueryResult> {
  const name = step.query!;
  const byEndpoint = name.endsWith('-by-endpoint');
  // Said as it is: the metric port answers one series, so this is every endpoint together.
  const note = byEndpoint ? ' (all endpoints together: no per-endpoint breakdown from this source)' : '';
  const why: string[] = [];
  if (sources.environment.kind !== 'sandbox') {
    const id = NAMED_QUERIES[name].replace(/_by_endpoint$/, '');
    try {
      const points = await series(sources, { metric: { namespace: 'prometheus', name: id, dimensions: {} } }, now, rangeMs);
      if (points.length > 0) {
        const u = PROMETHEUS_UNIT[id] ?? { unit: '', scale: 1 };
        const scaled = points.map((p) => ({ t: p.t, v: p.v * u.scale }));
        return { points: scaled, summary: `${summarise(scaled, u.unit, rangeMs, `${name}${note}`)} · prometheus` };
      }
      why.push('prometheus: no datapoints');
    } catch (error) {
      // Prometheus not configured (said by a tagged error) or not answering: CloudWatch's equivalent below.
      if ((error as { kind?: unknown }).kind !== 'unconfigured') why.push(`prometheus: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const eq = CLOUDWATCH_EQUIVALENT[name];
  let points: Point[];
  try {
    points = (await series(sources, eq.query, now, rangeMs)).map((p) => ({ t: p.t, v: p.v * eq.scale }));
  } catch (error) {
    if (!why.length) throw error;
    points = [];
    why.push(`cloudwatch: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (points.length === 0 && why.length) {
    if (why.length === 1) why.push('cloudwatch: no datapoints');
    return { points, summary: `${name}${note}: no data in the last ${formatDuration(rangeMs)} (${why.join('; ')})` };
  }
  return { points, summary: `${summarise(points, eq.unit, rangeMs, `${name}${note}`)}${points.length && sources.environment.kind !== 'sandbox' ? ' · cloudwatch' : ''}` };
}

/** Runs a query step; a failing source is reported in the summary, never thrown. */
export async function runQuery(step: QueryStep, vars: TemplateVars, ctx: { readonly sources: Sources; readonly now: number }): Promise<QueryResult> {
  const rangeMs = parseDuration(step.range) ?? 60 * 60_000;
  try {
    if (step.query !== undefined) return await named(step, ctx.sources, ctx.now, rangeMs);
    if (step.promql !== undefined) return { points: [], summary: `PromQL, to run in Prometheus: ${render(step.promql, vars).text}` };
    const m = step.metric!;
    const metric: MetricRef = {
      namespace: m.namespace,
      name: m.name,
      dimensions: Object.fromEntries(Object.entries(m.dimensions).map(([k, v]) => [k, render(v, vars).text])),
      ...(m.statistic ? { statistic: m.statistic } : {}),
    };
    // Bytes read as GiB (metricUnits.ts): the summary and the graph speak the unit people use.
    const display = metricDisplay(metric);
    const points = inDisplayUnit(await series(ctx.sources, { metric, ...(m.statistic ? { statistic: m.statistic } : {}) }, ctx.now, rangeMs), display);
    const dims = Object.values(metric.dimensions).join(', ');
    return { points, summary: summarise(points, display.unit, rangeMs, `${m.namespace} ${m.name}${dims ? ` (${dims})` : ''}${m.statistic ? ` ${m.statistic}` : ''}`) };
  } catch (error) {
    return { points: [], summary: `the query could not run: ${error instanceof Error ? error.message : String(error)}` };
  }
}
