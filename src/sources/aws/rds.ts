/**
 * RDS instances (DatabaseSource) and reboots (Rebootable). Connections come from CloudWatch's
 * DatabaseConnections (the Maximum of the last five minutes), fetched for all instances in one
 * GetMetricData call rather than one call per instance; max_connections from the configuration,
 * else the engine's default formula (maxConnections.ts).
 */
import { DescribeDBInstancesCommand, RebootDBInstanceCommand, type DBInstance, type RDSClient } from '@aws-sdk/client-rds';
import type { Database } from '../../core/model.js';
import type { DatabaseSource, MetricQuery, MetricSeries, Rebootable } from '../ports.js';
import { call, collectPages } from './calls.js';
import { defaultMaxConnections } from './maxConnections.js';

const PAGE = 100;
const WINDOW_MS = 5 * 60_000;

/** What the adapter needs of CloudWatch: CloudWatchAdapter.getSeries. */
export interface SeriesReader {
  getSeries(queries: readonly MetricQuery[], range: { start: number; end: number; stepSeconds: number }, signal?: AbortSignal): Promise<MetricSeries[]>;
}

export interface RdsOptions {
  /** max_connections per DB instance id (config aws.maxConnections). */
  readonly maxConnections?: Readonly<Record<string, number>>;
  readonly now?: () => number;
}

export class RdsAdapter implements DatabaseSource, Rebootable {
  /** The last error reading connections from CloudWatch, if the last listing had one. */
  lastConnectionsError?: Error;

  constructor(
    private readonly client: RDSClient,
    private readonly metrics: SeriesReader,
    private readonly options: RdsOptions = {},
  ) {}

  async listDatabases(signal?: AbortSignal): Promise<Database[]> {
    const pages = await collectPages(
      'RDS DescribeDBInstances',
      undefined,
      async (token) => {
        const out = await this.client.send(new DescribeDBInstancesCommand({ MaxRecords: PAGE, ...(token ? { Marker: token } : {}) }), { abortSignal: signal });
        return { page: out.DBInstances ?? [], next: out.Marker };
      },
      { signal },
    );
    const instances = pages.flat().filter((db): db is DBInstance & { DBInstanceIdentifier: string } => !!db.DBInstanceIdentifier);
    const connections = await this.connections(
      instances.map((db) => db.DBInstanceIdentifier),
      signal,
    );
    return instances.map((db) => {
      const id = db.DBInstanceIdentifier;
      const engine = db.Engine ?? 'unknown';
      const instanceClass = db.DBInstanceClass ?? 'unknown';
      return {
        id,
        engine,
        instanceClass,
        status: db.DBInstanceStatus ?? 'unknown',
        connections: connections.get(id),
        maxConnections: this.options.maxConnections?.[id] ?? defaultMaxConnections(engine, instanceClass),
        multiAz: db.MultiAZ ?? false,
      };
    });
  }

  /**
   * The highest DatabaseConnections of the last five minutes per instance. A CloudWatch failure
   * leaves connections unknown rather than hiding the instances (their status matters more);
   * the error is kept in lastConnectionsError.
   */
  private async connections(ids: readonly string[], signal?: AbortSignal): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    this.lastConnectionsError = undefined;
    if (ids.length === 0) return out;
    const end = (this.options.now ?? Date.now)();
    const queries: MetricQuery[] = ids.map((id) => ({
      id,
      metric: { namespace: 'AWS/RDS', name: 'DatabaseConnections', dimensions: { DBInstanceIdentifier: id } },
      statistic: 'Maximum',
    }));
    try {
      const series = await this.metrics.getSeries(queries, { start: end - WINDOW_MS, end, stepSeconds: 60 }, signal);
      for (const s of series) if (s.points.length > 0) out.set(s.id, Math.max(...s.points.map((p) => p.v)));
    } catch (error) {
      if (signal?.aborted) throw error;
      this.lastConnectionsError = error instanceof Error ? error : new Error(String(error));
    }
    return out;
  }

  async rebootDatabase(databaseId: string, options: { failover: boolean }): Promise<void> {
    await call('RDS RebootDBInstance', `${databaseId}${options.failover ? ' with failover' : ''}`, () =>
      this.client.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: databaseId, ForceFailover: options.failover })),
    );
  }
}
