/**
 * The RDS adapter against moto behind the enforcing front: instances listed with connections from
 * CloudWatch (one GetMetricData call for all) and max_connections, and reboots with and without
 * failover.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';

const skip = motoSkipReason();

describe.skipIf(skip)('RDS adapter (moto behind an enforcing front)', () => {
  const suite = useAwsSuite();

  async function seed(): Promise<void> {
    const rds = new RDSClient(suite.config());
    const create = (id: string, Engine: string, DBInstanceClass: string, MultiAZ: boolean) =>
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          Engine,
          DBInstanceClass,
          MultiAZ,
          AllocatedStorage: 20,
          MasterUsername: 'admin',
          MasterUserPassword: 'not-a-secret-1',
        }),
      );
    await create('vitascope-db', 'postgres', 'db.t3.micro', true);
    await create('reports-db', 'mysql', 'db.m5.large', false);
    await create('odd-db', 'postgres', 'db.z1d.large', false);
    rds.destroy();
    const cw = new CloudWatchClient(suite.config());
    const now = Date.now();
    const Dimensions = [{ Name: 'DBInstanceIdentifier', Value: 'vitascope-db' }];
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/RDS',
        MetricData: [
          { MetricName: 'DatabaseConnections', Dimensions, Value: 12, Timestamp: new Date(now - 3 * 60_000) },
          { MetricName: 'DatabaseConnections', Dimensions, Value: 87, Timestamp: new Date(now - 2 * 60_000) },
          { MetricName: 'DatabaseConnections', Dimensions, Value: 40, Timestamp: new Date(now - 20_000) },
          // Older than five minutes: not part of "now".
          { MetricName: 'DatabaseConnections', Dimensions, Value: 500, Timestamp: new Date(now - 20 * 60_000) },
          {
            MetricName: 'DatabaseConnections',
            Dimensions: [{ Name: 'DBInstanceIdentifier', Value: 'reports-db' }],
            Value: 3,
            Timestamp: new Date(now - 60_000),
          },
          // 18 GiB of vitascope-db's 20 GiB used: 90 %; the newest point counts, not the older 50 %.
          { MetricName: 'FreeStorageSpace', Dimensions, Value: 10 * 1024 ** 3, Timestamp: new Date(now - 10 * 60_000) },
          { MetricName: 'FreeStorageSpace', Dimensions, Value: 2 * 1024 ** 3, Timestamp: new Date(now - 60_000) },
        ],
      }),
    );
    cw.destroy();
    suite.front.clearCalls();
  }

  it('lists instances with connections (one GetMetricData call) and max_connections', async () => {
    await seed();
    const databases = await suite.sources({ maxConnections: { 'reports-db': 1000 } }).databases.listDatabases();

    expect(suite.front.count('DescribeDBInstances')).toBe(1);
    expect(suite.front.count('GetMetricData')).toBe(1);
    const query = JSON.parse(suite.front.bodies('GetMetricData')[0]!) as {
      MetricDataQueries: { MetricStat: { Stat: string; Metric: { MetricName: string } } }[];
    };
    expect(query.MetricDataQueries).toHaveLength(6);
    expect(
      query.MetricDataQueries.filter(
        (q) => q.MetricStat.Stat === 'Maximum' && q.MetricStat.Metric.MetricName === 'DatabaseConnections',
      ),
    ).toHaveLength(3);
    expect(
      query.MetricDataQueries.filter(
        (q) => q.MetricStat.Stat === 'Minimum' && q.MetricStat.Metric.MetricName === 'FreeStorageSpace',
      ),
    ).toHaveLength(3);
    const byId = new Map(databases.map((d) => [d.id, d]));
    expect(byId.get('vitascope-db')).toEqual({
      id: 'vitascope-db',
      engine: 'postgres',
      instanceClass: 'db.t3.micro',
      status: 'available',
      connections: 87,
      maxConnections: 112,
      multiAz: true,
      allocatedGiB: 20,
      storageUsedPercent: 90,
    });
    // No FreeStorageSpace: the size is known, the share used is not (never 0 %).
    expect(byId.get('reports-db')).toMatchObject({
      engine: 'mysql',
      connections: 3,
      maxConnections: 1000,
      multiAz: false,
      allocatedGiB: 20,
    });
    expect(byId.get('reports-db')?.storageUsedPercent).toBeUndefined();
    expect(byId.get('odd-db')).toMatchObject({ connections: undefined, maxConnections: undefined });
  });

  it('reboots with and without failover', async () => {
    await seed();
    const sources = suite.sources();
    await sources.rebootable.rebootDatabase('vitascope-db', { failover: true });
    await sources.rebootable.rebootDatabase('reports-db', { failover: false });
    const bodies = suite.front.bodies('RebootDBInstance').map((b) => Object.fromEntries(new URLSearchParams(b)));
    expect(bodies).toEqual([
      expect.objectContaining({ DBInstanceIdentifier: 'vitascope-db', ForceFailover: 'true' }),
      expect.objectContaining({ DBInstanceIdentifier: 'reports-db', ForceFailover: 'false' }),
    ]);
    const [db] = (await sources.databases.listDatabases()).filter((d) => d.id === 'vitascope-db');
    expect(db?.status).toBe('available');

    const missing = (await sources.rebootable.rebootDatabase('no-such-db', { failover: true }).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { $metadata?: { httpStatusCode?: number } };
    expect(missing).toBeInstanceOf(Error);
    expect(missing.message).toMatch(/^RDS RebootDBInstance \(no-such-db with failover\) failed: DBInstanceNotFound/);
    expect(missing.name).toMatch(/^DBInstanceNotFound/);
    expect(missing.$metadata?.httpStatusCode).toBe(404);
  });

  it('still lists instances when CloudWatch fails, without connections, and keeps the error', async () => {
    await seed();
    const sources = suite.sources({ maxAttempts: 1 });
    suite.front.setFault(
      { kind: 'error', status: 400, body: '{"__type":"ThrottlingException","message":"Rate exceeded"}' },
      Infinity,
      ['GetMetricData'],
    );
    const databases = await sources.databases.listDatabases();
    expect(databases).toHaveLength(3);
    expect(databases.every((d) => d.connections === undefined && d.storageUsedPercent === undefined)).toBe(true);
    expect(databases.find((d) => d.id === 'vitascope-db')?.maxConnections).toBe(112);
    expect(sources.adapters.rds.lastConnectionsError?.message).toMatch(
      /^CloudWatch GetMetricData \(6 queries\) failed: ThrottlingException: Rate exceeded/,
    );
  });
});
