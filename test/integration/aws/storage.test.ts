/**
 * The RDS adapter's StorageResizable against moto behind the enforcing front: allocated storage and
 * its autoscaling maximum from DescribeDBInstances, the share used from CloudWatch's
 * FreeStorageSpace, and growing it with ModifyDBInstance applied immediately; a shrink is refused
 * before anything is sent. What moto cannot show (a modification still being applied) is checked
 * against a scripted client.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { RdsAdapter, type SeriesReader } from '../../../src/sources/aws/rds.js';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';

const skip = motoSkipReason();
const GIB = 1024 ** 3;
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe.skipIf(skip)('RDS storage (moto behind an enforcing front)', () => {
  const suite = useAwsSuite();

  async function seed(): Promise<void> {
    const rds = new RDSClient(suite.config());
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'vitascope-db',
        Engine: 'postgres',
        DBInstanceClass: 'db.r6g.large',
        MultiAZ: true,
        AllocatedStorage: 200,
        MaxAllocatedStorage: 1000,
        MasterUsername: 'admin',
        MasterUserPassword: 'not-a-secret-1',
      }),
    );
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'reports-db',
        Engine: 'mysql',
        DBInstanceClass: 'db.m5.large',
        AllocatedStorage: 20,
        MasterUsername: 'admin',
        MasterUserPassword: 'not-a-secret-1',
      }),
    );
    rds.destroy();
    const cw = new CloudWatchClient(suite.config());
    const now = Date.now();
    const Dimensions = [{ Name: 'DBInstanceIdentifier', Value: 'vitascope-db' }];
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/RDS',
        MetricData: [
          {
            MetricName: 'FreeStorageSpace',
            Dimensions,
            Unit: 'Bytes',
            Value: 80 * GIB,
            Timestamp: new Date(now - 4 * 60_000),
          },
          // The newest minute is "now": 74 GiB free of 200 is 63 % used.
          {
            MetricName: 'FreeStorageSpace',
            Dimensions,
            Unit: 'Bytes',
            Value: 74 * GIB,
            Timestamp: new Date(now - 60_000),
          },
          // Older than the window: not now.
          {
            MetricName: 'FreeStorageSpace',
            Dimensions,
            Unit: 'Bytes',
            Value: 190 * GIB,
            Timestamp: new Date(now - 40 * 60_000),
          },
        ],
      }),
    );
    cw.destroy();
    suite.front.clearCalls();
  }

  it('reads allocated storage, its autoscaling maximum and the share used (one call each)', async () => {
    await seed();
    const storage = suite.sources().storageResizable;
    expect(await storage.getStorage('vitascope-db')).toEqual({
      allocatedGiB: 200,
      maxAllocatedGiB: 1000,
      usedPercent: 63,
    });
    expect(suite.front.count('DescribeDBInstances')).toBe(1);
    expect(Object.fromEntries(new URLSearchParams(suite.front.bodies('DescribeDBInstances')[0]!))).toMatchObject({
      DBInstanceIdentifier: 'vitascope-db',
    });
    expect(suite.front.count('GetMetricData')).toBe(1);
    const query = JSON.parse(suite.front.bodies('GetMetricData')[0]!) as {
      MetricDataQueries: { MetricStat: { Stat: string; Metric: { Namespace: string; MetricName: string } } }[];
    };
    expect(
      query.MetricDataQueries.map((q) => [
        q.MetricStat.Metric.Namespace,
        q.MetricStat.Metric.MetricName,
        q.MetricStat.Stat,
      ]),
    ).toEqual([['AWS/RDS', 'FreeStorageSpace', 'Minimum']]);
    // No storage autoscaling and no metric yet: only the size.
    expect(await storage.getStorage('reports-db')).toEqual({ allocatedGiB: 20 });
  });

  it('grows the storage with ModifyDBInstance, applied immediately', async () => {
    await seed();
    const storage = suite.sources().storageResizable;
    await storage.setAllocatedStorage('vitascope-db', 400);
    const bodies = suite.front.bodies('ModifyDBInstance').map((b) => Object.fromEntries(new URLSearchParams(b)));
    expect(bodies).toEqual([
      expect.objectContaining({
        DBInstanceIdentifier: 'vitascope-db',
        AllocatedStorage: '400',
        ApplyImmediately: 'true',
      }),
    ]);
    const rds = new RDSClient(suite.config());
    const out = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'vitascope-db' }));
    rds.destroy();
    expect(out.DBInstances?.[0]?.AllocatedStorage).toBe(400);
    expect((await storage.getStorage('vitascope-db')).allocatedGiB).toBe(400);
  });

  it('refuses to shrink (or not grow) before sending anything, and names a missing instance', async () => {
    await seed();
    const storage = suite.sources().storageResizable;
    expect((await rejection(storage.setAllocatedStorage('vitascope-db', 200)))?.message).toBe(
      'storage can only grow: vitascope-db has 200 GiB, 200 GiB is not more',
    );
    expect((await rejection(storage.setAllocatedStorage('vitascope-db', 100)))?.message).toMatch(
      /^storage can only grow/,
    );
    expect((await rejection(storage.setAllocatedStorage('vitascope-db', 250.5)))?.message).toMatch(
      /whole number of GiB/,
    );
    expect(suite.front.count('ModifyDBInstance')).toBe(0);
    const missing = (await rejection(storage.setAllocatedStorage('no-such-db', 400))) as Error & {
      $metadata?: { httpStatusCode?: number };
    };
    expect(missing.message).toMatch(/^RDS DescribeDBInstances \(no-such-db\) failed: DBInstanceNotFound/);
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect((await rejection(storage.getStorage('no-such-db')))?.message).toMatch(
      /^RDS DescribeDBInstances \(no-such-db\) failed: DBInstanceNotFound/,
    );
  });

  it('still reports the sizes when CloudWatch fails, and keeps the error', async () => {
    await seed();
    const sources = suite.sources({ maxAttempts: 1 });
    suite.front.setFault(
      { kind: 'error', status: 400, body: '{"__type":"ThrottlingException","message":"Rate exceeded"}' },
      Infinity,
      ['GetMetricData'],
    );
    expect(await sources.storageResizable.getStorage('vitascope-db')).toEqual({
      allocatedGiB: 200,
      maxAllocatedGiB: 1000,
    });
    expect(sources.adapters.rds.lastStorageError?.message).toMatch(/ThrottlingException: Rate exceeded/);
  });
});

describe('RDS storage while a modification is being applied (scripted client)', () => {
  /** DescribeDBInstances as RDS answers it while status is modifying: the new size is pending. */
  function adapter(sent: unknown[]): RdsAdapter {
    const client = {
      async send(command: unknown) {
        sent.push(command);
        if (command instanceof DescribeDBInstancesCommand) {
          return {
            DBInstances: [
              {
                DBInstanceIdentifier: 'vitascope-db',
                DBInstanceStatus: 'modifying',
                AllocatedStorage: 200,
                PendingModifiedValues: { AllocatedStorage: 400 },
              },
            ],
          };
        }
        if (command instanceof ModifyDBInstanceCommand) return {};
        throw new Error('unexpected command');
      },
    } as unknown as RDSClient;
    const metrics: SeriesReader = {
      async getSeries(queries) {
        return queries.map((q) => ({ id: q.id, points: [{ t: Date.now() - 60_000, v: 20 * GIB }] }));
      },
    };
    return new RdsAdapter(client, metrics);
  }

  it('reports the size being applied, the share used of the storage usable now, and refuses asking for it again', async () => {
    const sent: unknown[] = [];
    const rds = adapter(sent);
    expect(await rds.getStorage('vitascope-db')).toEqual({ allocatedGiB: 400, usedPercent: 90 });
    expect((await rejection(rds.setAllocatedStorage('vitascope-db', 400)))?.message).toBe(
      'storage can only grow: vitascope-db has 400 GiB, 400 GiB is not more',
    );
    expect(sent.some((c) => c instanceof ModifyDBInstanceCommand)).toBe(false);
    await rds.setAllocatedStorage('vitascope-db', 500);
    expect(
      sent.filter((c) => c instanceof ModifyDBInstanceCommand).map((c) => (c as ModifyDBInstanceCommand).input),
    ).toEqual([{ DBInstanceIdentifier: 'vitascope-db', AllocatedStorage: 500, ApplyImmediately: true }]);
  });
});
