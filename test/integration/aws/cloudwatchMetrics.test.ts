/**
 * The CloudWatch adapter's metric series against moto behind the enforcing front: 500-query batches,
 * rates as metric math, NextToken pages, and the front's own enforcement of the limit.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';

const skip = motoSkipReason();

describe.skipIf(skip)('CloudWatch metric series (moto behind an enforcing front)', () => {
  const suite = useAwsSuite();

  it('reads 600 series in exactly 2 GetMetricData calls, oldest first, with the values put', async () => {
    const cw = new CloudWatchClient(suite.config());
    const minute = 60_000;
    const start = Math.floor(Date.now() / minute) * minute - 6 * minute;
    const data: MetricDatum[] = [];
    for (let i = 0; i < 600; i++) {
      const Dimensions = [{ Name: 'Shard', Value: `s${i}` }];
      data.push({ MetricName: 'Load', Dimensions, Value: i, Timestamp: new Date(start + minute + 5_000) });
      data.push({ MetricName: 'Load', Dimensions, Value: 2 * i + 1, Timestamp: new Date(start + 2 * minute + 5_000) });
    }
    for (let i = 0; i < data.length; i += 400)
      await cw.send(new PutMetricDataCommand({ Namespace: 'Vitascope/Test', MetricData: data.slice(i, i + 400) }));
    cw.destroy();
    const queries = Array.from({ length: 600 }, (_, i) => ({
      id: `shard #${i}`,
      metric: { namespace: 'Vitascope/Test', name: 'Load', dimensions: { Shard: `s${i}` } },
      statistic: 'Sum',
    }));
    suite.front.clearCalls();

    const series = await suite
      .sources()
      .metrics.getSeries(queries, { start, end: start + 4 * minute, stepSeconds: 60 });

    expect(suite.front.count('GetMetricData')).toBe(2);
    const sizes = suite.front
      .bodies('GetMetricData')
      .map((b) => JSON.parse(b) as { MetricDataQueries: unknown[]; ScanBy: string });
    expect(sizes.map((b) => b.MetricDataQueries.length)).toEqual([500, 100]);
    expect(sizes.every((b) => b.ScanBy === 'TimestampAscending')).toBe(true);
    expect(series).toHaveLength(600);
    series.forEach((s, i) => {
      expect(s.id).toBe(`shard #${i}`);
      expect(s.points).toEqual([
        { t: start + minute, v: i },
        { t: start + 2 * minute, v: 2 * i + 1 },
      ]);
    });
  });

  it('computes rates as 100 × metric / denominator, three queries each, never split across calls', async () => {
    const cw = new CloudWatchClient(suite.config());
    const minute = 60_000;
    const start = Math.floor(Date.now() / minute) * minute - 5 * minute;
    const data: MetricDatum[] = [];
    for (let i = 0; i < 200; i++) {
      const Dimensions = [{ Name: 'Route', Value: `r${i}` }];
      const Timestamp = new Date(start + 10_000);
      data.push({ MetricName: 'Http5xxCount', Dimensions, Value: i % 7, Timestamp });
      data.push({ MetricName: 'RequestCount', Dimensions, Value: 200, Timestamp });
    }
    await cw.send(new PutMetricDataCommand({ Namespace: 'Vitascope/API', MetricData: data }));
    cw.destroy();
    const queries = Array.from({ length: 200 }, (_, i) => ({
      id: `route-${i}`,
      metric: { namespace: 'Vitascope/API', name: 'Http5xxCount', dimensions: { Route: `r${i}` } },
      denominator: 'RequestCount',
    }));
    suite.front.clearCalls();

    const series = await suite
      .sources()
      .metrics.getSeries(queries, { start, end: start + 2 * minute, stepSeconds: 60 });

    const bodies = suite.front
      .bodies('GetMetricData')
      .map((b) => JSON.parse(b) as { MetricDataQueries: { Id: string; ReturnData: boolean; Expression?: string }[] });
    expect(bodies.map((b) => b.MetricDataQueries.length)).toEqual([498, 102]);
    expect(bodies[0]!.MetricDataQueries.slice(0, 3)).toMatchObject([
      { Id: 'n0', ReturnData: false },
      { Id: 'd0', ReturnData: false },
      { Id: 'q0', Expression: '100*n0/d0', ReturnData: true },
    ]);
    series.forEach((s, i) => expect(s.points, s.id).toEqual([{ t: start, v: (100 * (i % 7)) / 200 }]));
  });

  it('follows GetMetricData NextToken pages and joins each series', async () => {
    const cw = new CloudWatchClient(suite.config());
    const minute = 60_000;
    const start = Math.floor(Date.now() / minute) * minute - 6 * minute;
    const data: MetricDatum[] = [];
    for (let i = 0; i < 10; i++)
      for (let m = 0; m < 3; m++) {
        const Dimensions = [{ Name: 'Route', Value: `r${i}` }];
        const Timestamp = new Date(start + m * minute + 1_000);
        data.push({ MetricName: 'Http5xxCount', Dimensions, Value: i + m, Timestamp });
        data.push({ MetricName: 'RequestCount', Dimensions, Value: 50, Timestamp });
      }
    await cw.send(new PutMetricDataCommand({ Namespace: 'Vitascope/API', MetricData: data }));
    cw.destroy();
    const metric = (i: number) => ({
      namespace: 'Vitascope/API',
      name: 'Http5xxCount',
      dimensions: { Route: `r${i}` },
    });
    const queries = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `errors-${i}`, metric: metric(i), statistic: 'Sum' })),
      { id: 'rate-3', metric: metric(3), denominator: 'RequestCount' },
    ];
    suite.front.cloudwatch.metrics.datapointsPerPage = 7;
    suite.front.clearCalls();

    const series = await suite
      .sources()
      .metrics.getSeries(queries, { start, end: start + 3 * minute, stepSeconds: 60 });

    // 33 datapoints in pages of 7: five calls, each after the first carrying the previous NextToken.
    const bodies = suite.front.bodies('GetMetricData').map((b) => JSON.parse(b) as { NextToken?: string });
    expect(bodies).toHaveLength(5);
    expect(bodies[0]!.NextToken).toBeUndefined();
    expect(bodies.slice(1).every((b) => typeof b.NextToken === 'string')).toBe(true);
    for (let i = 0; i < 10; i++)
      expect(series[i]!.points).toEqual([0, 1, 2].map((m) => ({ t: start + m * minute, v: i + m })));
    expect(series[10]!.points).toEqual([0, 1, 2].map((m) => ({ t: start + m * minute, v: (100 * (3 + m)) / 50 })));
  });

  it('has a front that rejects more than 500 queries the way CloudWatch does', async () => {
    const cw = new CloudWatchClient(suite.config());
    const now = Date.now();
    const q = (i: number) => ({
      Id: `m${i}`,
      MetricStat: { Metric: { Namespace: 'X', MetricName: 'Y' }, Period: 60, Stat: 'Sum' },
    });
    const error = await cw
      .send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 600_000),
          EndTime: new Date(now),
          MetricDataQueries: Array.from({ length: 501 }, (_, i) => q(i)),
        }),
      )
      .catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
    cw.destroy();
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
  });
});
