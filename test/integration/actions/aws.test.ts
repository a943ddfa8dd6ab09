/**
 * The AWS remediations through the engine against moto behind the enforcing front: each is planned
 * from what AWS reports, applied, and verified against what AWS reports afterwards (and against an
 * alarm returning to OK, through a clock that lets it recover). A change made behind the plan's back
 * through the SDK is caught as a conflict before anything is applied.
 */
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/core/actions/clock.js';
import { createActionEngine } from '../../../src/core/actions/engine.js';
import type { Who } from '../../../src/core/journal/index.js';
import type { Sources } from '../../../src/sources/ports.js';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { tempJournal } from '../../unit/journal/helpers.js';

const skip = motoSkipReason();
const ACCOUNT = '123456789012';
const td = (rev: number) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/vitascope-api:${rev}`;
const me = { id: 'local', name: 'Aiko Tanaka' };
const who: Who = { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' };
const ALARM = 'vitascope-api-high-cpu-critical';
const confirm = async () => ({ answer: 'confirm' as const });

describe.skipIf(skip)('remediations against moto', () => {
  const suite = useAwsSuite();

  async function seed(): Promise<void> {
    const ecs = new ECSClient(suite.config());
    await ecs.send(new CreateClusterCommand({ clusterName: 'vitascope-cluster' }));
    for (const rev of [1, 2])
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'vitascope-api',
          containerDefinitions: [{ name: 'api', image: `vitascope/api:${rev}`, memory: 512 }],
        }),
      );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'vitascope-cluster',
        serviceName: 'vitascope-api',
        taskDefinition: 'vitascope-api:2',
        desiredCount: 2,
      }),
    );
    ecs.destroy();
    const aas = new ApplicationAutoScalingClient(suite.config());
    await aas.send(
      new RegisterScalableTargetCommand({
        ServiceNamespace: 'ecs',
        ResourceId: 'service/vitascope-cluster/vitascope-api',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 2,
        MaxCapacity: 3,
      }),
    );
    aas.destroy();
    const rds = new RDSClient(suite.config());
    const db = (id: string, MultiAZ: boolean) =>
      rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: id,
          Engine: 'postgres',
          DBInstanceClass: 'db.r6g.large',
          MultiAZ,
          AllocatedStorage: 200,
          MasterUsername: 'admin',
          MasterUserPassword: 'not-a-secret-1',
        }),
      );
    await db('vitascope-db', true);
    await db('reports-db', false);
    rds.destroy();
    const cw = new CloudWatchClient(suite.config());
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 90,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Dimensions: [
          { Name: 'ClusterName', Value: 'vitascope-cluster' },
          { Name: 'ServiceName', Value: 'vitascope-api' },
        ],
      }),
    );
    await cw.send(
      new SetAlarmStateCommand({
        AlarmName: ALARM,
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed: 2 datapoints were >= 90',
      }),
    );
    cw.destroy();
    suite.front.clearCalls();
  }

  /** The AWS ports as one source set. */
  function sources(): Sources {
    const aws = suite.sources({ clusters: ['vitascope-cluster'] });
    return {
      environment: { kind: 'aws', label: 'moto', production: false },
      now: () => Date.now(),
      alarms: aws.alarms,
      metrics: aws.metrics,
      services: aws.services,
      databases: aws.databases,
      scalable: aws.scalable,
      autoScalable: aws.autoScalable,
      redeployable: aws.redeployable,
      rebootable: aws.rebootable,
      alarmDrill: aws.alarmDrill,
      storageResizable: aws.storageResizable,
      close: () => aws.close(),
    };
  }

  /** Virtual time: a wait moves the clock and lets the alarm recover after `recoverAfterMs`. */
  function recoveringClock(recoverAfterMs: number): Clock {
    const start = Date.now();
    let elapsed = 0;
    return {
      now: () => start + elapsed,
      pollMs: 60_000,
      async wait(ms) {
        elapsed += ms;
        if (elapsed >= recoverAfterMs) {
          const cw = new CloudWatchClient(suite.config());
          await cw.send(
            new SetAlarmStateCommand({
              AlarmName: ALARM,
              StateValue: 'OK',
              StateReason: 'Threshold Crossed: 2 datapoints were < 90',
            }),
          );
          cw.destroy();
        }
      },
    };
  }

  function engine(clock: Clock = recoveringClock(0)) {
    const journal = tempJournal();
    return {
      journal,
      engine: createActionEngine({ sources: sources(), actor: me, who, clock, journal, journalIncidentId: 'room' }),
    };
  }

  const describeApi = async () => {
    const ecs = new ECSClient(suite.config());
    const out = await ecs.send(
      new DescribeServicesCommand({ cluster: 'vitascope-cluster', services: ['vitascope-api'] }),
    );
    ecs.destroy();
    return out.services![0]!;
  };

  it('ecs.set-desired-count: planned from DescribeServices and the scalable target, applied, verified by DescribeServices and the alarm', async () => {
    await seed();
    const { engine: e, journal } = engine(recoveringClock(3 * 60_000));
    const prepared = await e.prepare({
      action: 'ecs.set-desired-count',
      params: { service: 'vitascope-api', desired: 5 },
      verify: { alarm: ALARM, timeoutMs: 10 * 60_000 },
    });
    expect(prepared.plan).toMatchObject({
      target: 'vitascope-api',
      changes: [{ what: 'desired count', from: 2, to: 5 }],
      blastRadius: expect.arrayContaining([
        expect.stringMatching(
          /^5 is above the autoscaling maximum of 3: Application Auto Scaling pulls the desired count back to 3/,
        ),
      ]),
    });
    expect(prepared.before).toMatchObject({ state: 'ALARM' });
    const out = await e.execute(prepared, { answer: 'confirm' });
    expect(out.status).toBe('verified');
    if (out.status !== 'verified') return;
    expect(out.evidence).toMatchObject({ before: { state: 'ALARM' }, after: { state: 'OK' }, waitedMs: 3 * 60_000 });
    expect(out.evidence.effect).toMatch(/^vitascope-api: desired 5,/);
    expect((await describeApi()).desiredCount).toBe(5);
    expect(JSON.parse(suite.front.bodies('UpdateService').at(-1)!)).toEqual({
      cluster: 'vitascope-cluster',
      service: 'vitascope-api',
      desiredCount: 5,
    });
    expect(journal.query({ incidentId: 'room' }).map((x) => x.kind)).toEqual([
      'action.planned',
      'action.confirmed',
      'action.applied',
      'action.verified',
    ]);
  });

  it('a desired count changed through the SDK between plan and apply is a conflict: nothing is applied', async () => {
    await seed();
    const { engine: e } = engine();
    const prepared = await e.prepare({
      action: 'ecs.set-desired-count',
      params: { service: 'vitascope-api', desired: 4 },
    });
    const ecs = new ECSClient(suite.config());
    await ecs.send(
      new UpdateServiceCommand({ cluster: 'vitascope-cluster', service: 'vitascope-api', desiredCount: 3 }),
    );
    ecs.destroy();
    suite.front.clearCalls();
    const out = await e.execute(prepared, { answer: 'confirm' });
    expect(out.status).toBe('conflict');
    if (out.status !== 'conflict') return;
    expect(out.conflicts).toEqual([
      'the desired count of vitascope-api changed from 2 to 3 since the plan (someone else, or autoscaling)',
    ]);
    expect(out.prepared.plan.changes).toEqual([{ what: 'desired count', from: 3, to: 4 }]);
    expect(suite.front.count('UpdateService')).toBe(0);
    expect((await describeApi()).desiredCount).toBe(3);
  });

  it('autoscaling.set-limits: min 4 / max 8, as RegisterScalableTarget; DescribeScalableTargets reads it back', async () => {
    await seed();
    const { engine: e } = engine();
    const out = await e.run(
      { action: 'autoscaling.set-limits', params: { service: 'vitascope-api', min: 4, max: 8 } },
      confirm,
    );
    expect(out.status).toBe('verified');
    expect(out.plan.changes).toEqual([
      { what: 'autoscaling minimum', from: 2, to: 4 },
      { what: 'autoscaling maximum', from: 3, to: 8 },
    ]);
    expect(out.plan.blastRadius[0]).toBe(
      'the desired count 2 is below the new minimum: Application Auto Scaling raises it to 4 right away, starting 2 tasks',
    );
    const aas = new ApplicationAutoScalingClient(suite.config());
    const { ScalableTargets } = await aas.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'ecs',
        ResourceIds: ['service/vitascope-cluster/vitascope-api'],
      }),
    );
    aas.destroy();
    expect(ScalableTargets?.[0]).toMatchObject({ MinCapacity: 4, MaxCapacity: 8 });
  });

  it('ecs.force-new-deployment and ecs.rollback to the previous revision', async () => {
    await seed();
    const { engine: e } = engine();
    const before = (await describeApi()).deployments![0]!.id;
    const forced = await e.run({ action: 'ecs.force-new-deployment', params: { service: 'vitascope-api' } }, confirm);
    expect(forced.status).toBe('verified');
    expect((await describeApi()).deployments![0]!.id).not.toBe(before);
    expect(JSON.parse(suite.front.bodies('UpdateService').at(-1)!)).toEqual({
      cluster: 'vitascope-cluster',
      service: 'vitascope-api',
      forceNewDeployment: true,
    });

    const rolled = await e.run({ action: 'ecs.rollback', params: { service: 'vitascope-api' } }, confirm);
    expect(rolled.status).toBe('verified');
    expect(rolled.plan.changes).toEqual([{ what: 'task definition', from: 'vitascope-api:2', to: 'vitascope-api:1' }]);
    expect((await describeApi()).taskDefinition).toBe(td(1));
  });

  it('rds.reboot without and with failover; a failover on a single-AZ instance is refused before any call', async () => {
    await seed();
    const { engine: e, journal } = engine();
    const plain = await e.run({ action: 'rds.reboot', params: { database: 'vitascope-db' } }, confirm);
    expect(plain.status).toBe('verified');
    expect(plain.plan.summary).toBe('vitascope-db: reboot (postgres, db.r6g.large, Multi-AZ)');
    const failover = await e.run(
      { action: 'rds.reboot', params: { database: 'vitascope-db', failover: true } },
      confirm,
    );
    expect(failover.status).toBe('verified');
    expect(suite.front.bodies('RebootDBInstance').map((b) => Object.fromEntries(new URLSearchParams(b)))).toEqual([
      expect.objectContaining({ DBInstanceIdentifier: 'vitascope-db', ForceFailover: 'false' }),
      expect.objectContaining({ DBInstanceIdentifier: 'vitascope-db', ForceFailover: 'true' }),
    ]);
    await expect(
      e.prepare({ action: 'rds.reboot', params: { database: 'reports-db', failover: true } }),
    ).rejects.toThrow(/reports-db is not Multi-AZ/);
    expect(suite.front.count('RebootDBInstance')).toBe(2);
    expect(journal.query({ kinds: ['action.failed'] })[0]!.payload).toMatchObject({
      stage: 'plan',
      target: 'reports-db',
    });
  });

  it('rds.grow-storage as ModifyDBInstance (applied immediately); DescribeDBInstances reads it back; no shrinking', async () => {
    await seed();
    const { engine: e } = engine();
    const out = await e.run(
      { action: 'rds.grow-storage', params: { database: 'vitascope-db', allocatedGiB: 400 } },
      confirm,
    );
    expect(out.status).toBe('verified');
    expect(out.plan.changes).toEqual([{ what: 'allocated storage (GiB)', from: 200, to: 400 }]);
    expect(Object.fromEntries(new URLSearchParams(suite.front.bodies('ModifyDBInstance')[0]!))).toMatchObject({
      DBInstanceIdentifier: 'vitascope-db',
      AllocatedStorage: '400',
      ApplyImmediately: 'true',
    });
    const rds = new RDSClient(suite.config());
    const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'vitascope-db' }));
    rds.destroy();
    expect(DBInstances?.[0]?.AllocatedStorage).toBe(400);
    await expect(
      e.prepare({ action: 'rds.grow-storage', params: { database: 'vitascope-db', allocatedGiB: 300 } }),
    ).rejects.toThrow(/can only grow/);
  });
});
