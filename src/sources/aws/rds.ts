/**
 * RDS instances (DatabaseSource), reboots (Rebootable) and allocated storage (StorageResizable).
 * Connections come from CloudWatch's DatabaseConnections (the Maximum of the last five minutes),
 * fetched for all instances in one GetMetricData call rather than one call per instance;
 * max_connections from the configuration, else the engine's default formula (maxConnections.ts).
 * Storage is DescribeDBInstances' AllocatedStorage and MaxAllocatedStorage (set when storage
 * autoscaling is on), the share used from CloudWatch's FreeStorageSpace, and growing it is
 * ModifyDBInstance AllocatedStorage applied immediately.
 */
import {
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  type DBInstance,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { Database } from '../../core/model.js';
import type { DatabaseSource, MetricQuery, MetricSeries, Rebootable, StorageResizable } from '../ports.js';
import { boundDatabase } from '../../core/bounds.js';
import { call, collectPages } from './calls.js';
import { checkedItems, dbInstanceSchema } from './schemas.js';
import { maxConnectionsOf } from '../../core/policy/maxConnections.js';

const PAGE = 100;
const WINDOW_MS = 5 * 60_000;
/** FreeStorageSpace is published every minute; the newest point of the last 15 minutes is "now". */
const STORAGE_WINDOW_MS = 15 * 60_000;
const GIB = 1024 ** 3;

/** The share of `allocatedGiB` in use when `freeBytes` are free, in percent to one decimal. */
function usedPercentOf(freeBytes: number, allocatedGiB: number): number {
  return Math.round(Math.min(100, Math.max(0, 100 * (1 - freeBytes / (allocatedGiB * GIB)))) * 10) / 10;
}

/** What the adapter needs of CloudWatch: CloudWatchAdapter.getSeries. */
export interface SeriesReader {
  getSeries(
    queries: readonly MetricQuery[],
    range: { start: number; end: number; stepSeconds: number },
    signal?: AbortSignal,
  ): Promise<MetricSeries[]>;
}

export interface RdsOptions {
  /** max_connections per DB instance id (config aws.maxConnections). */
  readonly maxConnections?: Readonly<Record<string, number>>;
  readonly now?: () => number;
}

export class RdsAdapter implements DatabaseSource, Rebootable, StorageResizable {
  /** The last error reading connections from CloudWatch, if the last listing had one. */
  lastConnectionsError?: Error;
  /** The last error reading FreeStorageSpace, if the last getStorage had one. */
  lastStorageError?: Error;

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
        const out = await this.client.send(
          new DescribeDBInstancesCommand({ MaxRecords: PAGE, ...(token ? { Marker: token } : {}) }),
          { abortSignal: signal },
        );
        return { page: out.DBInstances ?? [], next: out.Marker };
      },
      { signal },
    );
    const instances = checkedItems(
      'RDS DescribeDBInstances',
      undefined,
      'DBInstances',
      dbInstanceSchema,
      pages.flat(),
    ) as (DBInstance & { DBInstanceIdentifier: string })[];
    const { connections, free } = await this.connections(
      instances.map((db) => db.DBInstanceIdentifier),
      signal,
    );
    return instances.map((db) => {
      const id = db.DBInstanceIdentifier;
      const engine = db.Engine ?? 'unknown';
      const instanceClass = db.DBInstanceClass ?? 'unknown';
      const allocated = db.AllocatedStorage !== undefined && db.AllocatedStorage > 0 ? db.AllocatedStorage : undefined;
      const freeBytes = free.get(id);
      return boundDatabase({
        id,
        engine,
        instanceClass,
        status: db.DBInstanceStatus ?? 'unknown',
        connections: connections.get(id),
        maxConnections: maxConnectionsOf({ id, engine, instanceClass }, this.options.maxConnections)?.value,
        multiAz: db.MultiAZ ?? false,
        ...(allocated !== undefined ? { allocatedGiB: allocated } : {}),
        ...(allocated !== undefined && freeBytes !== undefined
          ? { storageUsedPercent: usedPercentOf(freeBytes, allocated) }
          : {}),
      });
    });
  }

  /**
   * The highest DatabaseConnections of the last five minutes and the newest FreeStorageSpace
   * (Minimum) of the last fifteen per instance, in one GetMetricData call. A CloudWatch failure
   * leaves both unknown rather than hiding the instances (their status matters more); the error is
   * kept in lastConnectionsError.
   */
  private async connections(
    ids: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ connections: Map<string, number>; free: Map<string, number> }> {
    const connections = new Map<string, number>();
    const free = new Map<string, number>();
    this.lastConnectionsError = undefined;
    if (ids.length === 0) return { connections, free };
    const end = (this.options.now ?? Date.now)();
    const dimensions = (id: string) => ({ DBInstanceIdentifier: id });
    const queries: MetricQuery[] = ids.flatMap((id): MetricQuery[] => [
      {
        id: `c:${id}`,
        metric: { namespace: 'AWS/RDS', name: 'DatabaseConnections', dimensions: dimensions(id) },
        statistic: 'Maximum',
      },
      {
        id: `f:${id}`,
        metric: { namespace: 'AWS/RDS', name: 'FreeStorageSpace', dimensions: dimensions(id) },
        statistic: 'Minimum',
      },
    ]);
    try {
      const series = await this.metrics.getSeries(
        queries,
        { start: end - STORAGE_WINDOW_MS, end, stepSeconds: 60 },
        signal,
      );
      for (const s of series) {
        const id = s.id.slice(2);
        if (s.id.startsWith('c:')) {
          const recent = s.points.filter((p) => p.t >= end - WINDOW_MS);
          if (recent.length > 0) connections.set(id, Math.max(...recent.map((p) => p.v)));
        } else {
          const newest = s.points.reduce<{ t: number; v: number } | undefined>(
            (a, p) => (!a || p.t > a.t ? p : a),
            undefined,
          );
          if (newest) free.set(id, newest.v);
        }
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      this.lastConnectionsError = error instanceof Error ? error : new Error(String(error));
    }
    return { connections, free };
  }

  async rebootDatabase(databaseId: string, options: { failover: boolean }): Promise<void> {
    await call('RDS RebootDBInstance', `${databaseId}${options.failover ? ' with failover' : ''}`, () =>
      this.client.send(
        new RebootDBInstanceCommand({ DBInstanceIdentifier: databaseId, ForceFailover: options.failover }),
      ),
    );
  }

  private async describe(databaseId: string): Promise<DBInstance> {
    const out = await call('RDS DescribeDBInstances', databaseId, () =>
      this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: databaseId })),
    );
    const db = out.DBInstances?.find((d) => d.DBInstanceIdentifier === databaseId);
    if (!db) throw new Error(`RDS DescribeDBInstances (${databaseId}) failed: no such DB instance in the answer`);
    return db;
  }

  /**
   * Allocated storage and its autoscaling maximum from DescribeDBInstances, and the share in use
   * from the newest FreeStorageSpace (Minimum per minute) of the last 15 minutes. While a change is
   * being applied (status modifying) allocatedGiB is the new size RDS has accepted
   * (PendingModifiedValues) and usedPercent is of the storage usable now. Without that
   * metric (no permission, throttled, a new instance) usedPercent is left out and the error kept in
   * lastStorageError; the sizes matter more.
   */
  async getStorage(
    databaseId: string,
  ): Promise<{ allocatedGiB: number; usedPercent?: number; maxAllocatedGiB?: number }> {
    const db = await this.describe(databaseId);
    const usable = db.AllocatedStorage;
    if (usable === undefined || usable <= 0)
      throw new Error(
        `RDS DescribeDBInstances (${databaseId}): no AllocatedStorage (an Aurora instance? its storage grows by itself)`,
      );
    // A change RDS has accepted and is applying counts: asking for it again would be refused.
    const storage: { allocatedGiB: number; usedPercent?: number; maxAllocatedGiB?: number } = {
      allocatedGiB: db.PendingModifiedValues?.AllocatedStorage ?? usable,
    };
    if (db.MaxAllocatedStorage !== undefined && db.MaxAllocatedStorage > 0)
      storage.maxAllocatedGiB = db.MaxAllocatedStorage;
    this.lastStorageError = undefined;
    const end = (this.options.now ?? Date.now)();
    try {
      const [series] = await this.metrics.getSeries(
        [
          {
            id: 'free',
            metric: {
              namespace: 'AWS/RDS',
              name: 'FreeStorageSpace',
              dimensions: { DBInstanceIdentifier: databaseId },
            },
            statistic: 'Minimum',
          },
        ],
        { start: end - STORAGE_WINDOW_MS, end, stepSeconds: 60 },
      );
      const newest = series?.points.reduce<{ t: number; v: number } | undefined>(
        (a, p) => (!a || p.t > a.t ? p : a),
        undefined,
      );
      if (newest) storage.usedPercent = usedPercentOf(newest.v, usable);
    } catch (error) {
      this.lastStorageError = error instanceof Error ? error : new Error(String(error));
    }
    return storage;
  }

  /**
   * ModifyDBInstance AllocatedStorage, applied immediately. Storage only grows: a size that is not
   * larger than the current one is refused here, before any change; RDS itself refuses growth under
   * 10 % and a second change within six hours or while the last one is being optimized.
   */
  async setAllocatedStorage(databaseId: string, allocatedGiB: number): Promise<void> {
    if (!Number.isInteger(allocatedGiB) || allocatedGiB <= 0)
      throw new Error(`allocated storage must be a whole number of GiB, not ${allocatedGiB}`);
    const db = await this.describe(databaseId);
    const current = db.PendingModifiedValues?.AllocatedStorage ?? db.AllocatedStorage;
    if (current !== undefined && allocatedGiB <= current)
      throw new Error(`storage can only grow: ${databaseId} has ${current} GiB, ${allocatedGiB} GiB is not more`);
    await call('RDS ModifyDBInstance', `${databaseId} AllocatedStorage ${allocatedGiB} GiB`, () =>
      this.client.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: databaseId,
          AllocatedStorage: allocatedGiB,
          ApplyImmediately: true,
        }),
      ),
    );
  }
}
