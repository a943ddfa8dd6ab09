import type { MetricRef, Point } from '../model.js';
import type { MetricQuery, Sources } from '../../sources/ports.js';
import { inDisplayUnit, metricDisplay } from '../metricUnits.js';
import { formatDuration, parseDuration } from '../time.js';
import { NAMED_QUERIES, type NamedQueryName, type QueryStep } from './schema.js';
import { render, type TemplateVars } from './template.js';
import { endpointSummary, endpointTable, type BreakdownKind, type EndpointTable } from './endpointTable.js';

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
  /** A by-endpoint query's table, where a source breaks the API's traffic down by endpoint. */
  readonly endpoints?: EndpointTable;
}

const BREAKDOWN: Partial<Record<NamedQueryName, BreakdownKind>> = {
  'p95-latency-by-endpoint': 'latency',
  'error-rate-by-endpoint': 'errors',
  'request-rate-by-endpoint': 'requests',
};
/** The strategy's rate window: each side of the comparison is 5 minutes of traffic. */
const BREAKDOWN_WINDOW_SECONDS = 300;

/**
 * The by-endpoint table: the latest window and the one that ended `rangeMs` earlier (the start of the
 * query's range). A failing source is said, never an empty table.
 */
async function breakdown(
  kind: BreakdownKind,
  sources: Sources,
  now: number,
  rangeMs: number,
): Promise<{ table: EndpointTable } | { why: string }> {
  if (!sources.endpoints) return { why: 'no per-endpoint breakdown from this source' };
  try {
    const seconds = BREAKDOWN_WINDOW_SECONDS;
    const [latest, earlier] = await Promise.all([
      sources.endpoints.endpointBreakdown({ end: now, seconds }),
      sources.endpoints.endpointBreakdown({ end: now - rangeMs, seconds }).catch(() => undefined),
    ]);
    return { table: endpointTable(kind, latest, earlier, rangeMs) };
  } catch (error) {
    return { why: `the breakdown by endpoint could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
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

/**
 * " · storage 91 % of 400 GiB used" for a database's FreeStorageSpace, from the database source (what the
 * cockpit's databases panel shows); nothing when that source has no such database or no figure.
 */
async function storageNow(sources: Sources, metric: MetricRef): Promise<string> {
  const id = metric.dimensions.DBInstanceIdentifier;
  if (metric.name !== 'FreeStorageSpace' || !id || !sources.databases) return '';
  try {
    const db = (await sources.databases.listDatabases()).find((d) => d.id === id);
    if (db?.storageUsedPercent === undefined) return '';
    return ` · storage ${db.storageUsedPercent} %${db.allocatedGiB === undefined ? '' : ` of ${db.allocatedGiB} GiB`} used`;
  } catch {
    return '';
  }
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
  const kind = BREAKDOWN[name];
  if (kind === undefined) return overall(name, '', sources, now, rangeMs);
  // The graph is every endpoint together (the metric port answers one series); the table splits it.
  const split = await breakdown(kind, sources, now, rangeMs);
  if ('why' in split) return overall(name, ` (all endpoints together: ${split.why})`, sources, now, rangeMs);
  const all = await overall(name, ' (all endpoints together)', sources, now, rangeMs);
  return { points: all.points, endpoints: split.table, summary: `${endpointSummary(split.table)} · ${all.summary}` };
}

/** The named query's one series, every endpoint together; `note` says so beside its name. */
async function overall(name: NamedQueryName, note: string, sources: Sources, now: number, rangeMs: number): Promise<QueryResult> {
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

/** What each named query is called on screen and in reports: its id is the runbook's word, not a person's. */
const QUERY_WORDS: Readonly<Record<NamedQueryName, string>> = {
  'p95-latency': 'p95 latency',
  'p95-latency-by-endpoint': 'p95 latency by endpoint',
  'error-rate': 'error rate',
  'error-rate-by-endpoint': 'error rate by endpoint',
  'request-rate': 'request rate',
  'request-rate-by-endpoint': 'request rate by endpoint',
};
const QUERY_ID = /\b(?:p95-latency|error-rate|request-rate)(?:-by-endpoint)?(?=[ :])/g;

/** The summary with each named query's id said in words (`request-rate: now …` → `request rate: now …`). */
function spoken(r: QueryResult): QueryResult {
  return { ...r, summary: r.summary.replace(QUERY_ID, (id) => QUERY_WORDS[id as NamedQueryName] ?? id) };
}

/** Runs a query step; a failing source is reported in the summary, never thrown. */
export async function runQuery(step: QueryStep, vars: TemplateVars, ctx: { readonly sources: Sources; readonly now: number }): Promise<QueryResult> {
  const rangeMs = parseDuration(step.range) ?? 60 * 60_000;
  try {
    if (step.query !== undefined) return spoken(await named(step, ctx.sources, ctx.now, rangeMs));
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
    const label = `${m.namespace} ${m.name}${dims ? ` (${dims})` : ''}${m.statistic ? ` ${m.statistic}` : ''}`;
    const summary = summarise(points, display.unit, rangeMs, label);
    if (display.unit !== 'GiB' || !points.length) return { points, summary };
    // Bytes also say the share used of the allocation (the databases panel's figure).
    return { points, summary: `${summary}${await storageNow(ctx.sources, metric)}` };
  } catch (error) {
    return { points: [], summary: `the query could not run: ${error instanceof Error ? error.message : String(error)}` };
  }
}
