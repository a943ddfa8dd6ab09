/**
 * MetricQuery[] → GetMetricData requests. CloudWatch takes at most 500 MetricDataQueries per call, and
 * a rate (100 × metric / denominator) costs three of them: the two metrics (ReturnData false) and the
 * expression, which must travel in the same call as the ids it names. So queries are packed as
 * groups, never split. Caller ids are free text; CloudWatch ids must match ^[a-z][a-zA-Z0-9_]*$, so
 * each query gets a generated id and results are mapped back.
 */
import type { MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { Point } from '../../core/model.js';
import type { MetricQuery, MetricSeries } from '../ports.js';

export const MAX_QUERIES_PER_CALL = 500;

export interface QueryBatch {
  readonly queries: MetricDataQuery[];
  /** Generated result id → index of the caller's query. */
  readonly resultIndex: ReadonlyMap<string, number>;
}

/** CloudWatch periods: 1, 5, 10, 30 (high resolution) or a multiple of 60 seconds. */
export function periodFor(stepSeconds: number): number {
  if (!Number.isFinite(stepSeconds) || stepSeconds <= 0)
    throw new Error(`a metric step must be a positive number of seconds, not ${stepSeconds}`);
  if (stepSeconds <= 30) return [1, 5, 10, 30].find((p) => p >= stepSeconds)!;
  return Math.ceil(stepSeconds / 60) * 60;
}

function metricStat(q: MetricQuery, name: string, period: number, stat: string) {
  return {
    Metric: {
      Namespace: q.metric.namespace,
      MetricName: name,
      Dimensions: Object.entries(q.metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
    },
    Period: period,
    Stat: stat,
  };
}

/** The MetricDataQueries of one caller query: one, three for a rate, its inputs and itself for an expression. */
export function queriesFor(q: MetricQuery, index: number, period: number): MetricDataQuery[] {
  const stat = q.statistic ?? q.metric.statistic ?? (q.denominator ? 'Sum' : 'Average');
  if (q.expression) {
    // Ids are made unique per query (i<index>_<id>); limits become numbers in the text.
    const ids = Object.keys(q.expression.inputs);
    const text = q.expression.text.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (id) =>
      ids.includes(id)
        ? `i${index}_${id}`
        : q.expression!.constants && Object.hasOwn(q.expression!.constants, id)
          ? String(q.expression!.constants[id])
          : id,
    );
    return [
      ...ids.map((id) => ({
        Id: `i${index}_${id}`,
        MetricStat: metricStat(q, q.expression!.inputs[id]!, period, stat),
        ReturnData: false,
      })),
      { Id: `q${index}`, Expression: text, Label: q.id, ReturnData: true },
    ];
  }
  if (!q.denominator)
    return [{ Id: `q${index}`, MetricStat: metricStat(q, q.metric.name, period, stat), ReturnData: true }];
  return [
    { Id: `n${index}`, MetricStat: metricStat(q, q.metric.name, period, stat), ReturnData: false },
    { Id: `d${index}`, MetricStat: metricStat(q, q.denominator, period, stat), ReturnData: false },
    { Id: `q${index}`, Expression: `100*n${index}/d${index}`, Label: q.id, ReturnData: true },
  ];
}

/** Packs the caller's queries into as few calls as the 500-query limit allows, in order. */
export function batchQueries(
  queries: readonly MetricQuery[],
  period: number,
  max = MAX_QUERIES_PER_CALL,
): QueryBatch[] {
  const batches: { queries: MetricDataQuery[]; resultIndex: Map<string, number> }[] = [];
  let current: (typeof batches)[number] | undefined;
  queries.forEach((q, i) => {
    const group = queriesFor(q, i, period);
    if (!current || current.queries.length + group.length > max) {
      current = { queries: [], resultIndex: new Map() };
      batches.push(current);
    }
    current.queries.push(...group);
    current.resultIndex.set(`q${i}`, i);
  });
  return batches;
}

/**
 * Collects results (possibly spread over NextToken pages) into points per caller query, oldest first,
 * inside [start, end); values that are not finite numbers (a rate over zero requests) are dropped.
 */
export function collectSeries(
  queries: readonly MetricQuery[],
  batches: readonly QueryBatch[],
  results: readonly (readonly MetricDataResult[])[],
  range: { start: number; end: number },
): MetricSeries[] {
  const points: Point[][] = queries.map(() => []);
  batches.forEach((batch, b) => {
    for (const r of results[b] ?? []) {
      const index = r.Id === undefined ? undefined : batch.resultIndex.get(r.Id);
      if (index === undefined) continue;
      const ts = r.Timestamps ?? [];
      const vs = r.Values ?? [];
      for (let i = 0; i < Math.min(ts.length, vs.length); i++) {
        const t = new Date(ts[i]!).getTime();
        const v = vs[i]!;
        if (Number.isFinite(t) && Number.isFinite(v) && t >= range.start && t < range.end)
          points[index]!.push({ t, v });
      }
    }
  });
  return queries.map((q, i) => ({ id: q.id, points: points[i]!.sort((a, b) => a.t - b.t) }));
}
