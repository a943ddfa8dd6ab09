/**
 * The ECS and Application Auto Scaling adapters against moto behind the enforcing front: listing in
 * batches of ten, the round trips of UpdateService, the previous task definition, scaling limits,
 * and the errors' messages.
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { ApplicationAutoScalingClient, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { describe, expect, it } from 'vitest';
import { isThrottling } from '../../../src/core/live/poller.js';
import { AwsApiError } from '../../../src/sources/aws/calls.js';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';

const skip = motoSkipReason();
const ACCOUNT = '123456789012';
const td = (rev: number) => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:${rev}`;
const arn = (cluster: string, name: string) => `arn:aws:ecs:us-east-1:${ACCOUNT}:service/${cluster}/${name}`;

describe.skipIf(skip)('ECS and Application Auto Scaling adapters (moto behind an enforcing front)', () => {
  const suite = useAwsSuite();

  /** prod: api-00…api-19; staging: worker-00…worker-18 and api-00 (a name in both clusters). */
  async function seed(): Promise<void> {
    const ecs = new ECSClient(suite.config());
    for (const cluster of ['prod', 'staging']) await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    for (let i = 0; i < 3; i++)
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'web',
          containerDefinitions: [{ name: 'web', image: `web:${i + 1}`, memory: 256 }],
        }),
      );
    const names = [
      ...Array.from({ length: 20 }, (_, i) => ['prod', `api-${String(i).padStart(2, '0')}`] as const),
      ...Array.from({ length: 19 }, (_, i) => ['staging', `worker-${String(i).padStart(2, '0')}`] as const),
      ['staging', 'api-00'] as const,
    ];
    await Promise.all(
      names.map(([cluster, serviceName], i) =>
        ecs.send(
          new CreateServiceCommand({ cluster, serviceName, taskDefinition: 'web:3', desiredCount: 1 + (i % 4) }),
        ),
      ),
    );
    ecs.destroy();
    suite.front.clearCalls();
  }

  it('lists 40 services across two clusters with exactly 4 DescribeServices calls', async () => {
    await seed();
    const services = await suite.sources().adapters.ecs.listServices();

    expect(suite.front.count('ListClusters')).toBe(1);
    expect(suite.front.count('ListServices')).toBe(2);
    expect(suite.front.count('DescribeServices')).toBe(4);
    const batches = suite.front
      .bodies('DescribeServices')
      .map((b) => (JSON.parse(b) as { services: string[] }).services.length);
    expect(batches.sort()).toEqual([10, 10, 10, 10]);
    expect(
      suite.front
        .bodies('ListServices')
        .map((b) => JSON.parse(b) as { maxResults: number })
        .every((b) => b.maxResults === 100),
    ).toBe(true);
    expect(services).toHaveLength(40);
    const api07 = services.find((s) => s.id === arn('prod', 'api-07'));
    expect(api07).toMatchObject({
      name: 'api-07',
      cluster: 'prod',
      status: 'ACTIVE',
      desired: 4,
      taskDefinition: td(3),
      events: [],
    });
    expect(api07!.deployments).toHaveLength(1);
    expect(api07!.deployments[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: td(3), desired: 4 });
    expect(api07!.deployments[0]!.createdAt).toBeGreaterThan(Date.now() - 60_000);
    expect(new Set(services.map((s) => s.cluster))).toEqual(new Set(['prod', 'staging']));

    // Configured clusters skip ListClusters.
    suite.front.clearCalls();
    const prodOnly = await suite.sources({ clusters: ['prod'] }).services.listServices();
    expect(prodOnly).toHaveLength(20);
    expect(suite.front.count('ListClusters')).toBe(0);
    expect(suite.front.count('DescribeServices')).toBe(2);
  });

  it('round-trips desired count, forced deployments and task definitions through DescribeServices', async () => {
    await seed();
    const sources = suite.sources();
    const ecs = new ECSClient(suite.config());
    const describe = async (cluster: string, name: string) =>
      (await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }))).services![0]!;

    await sources.scalable.setDesiredCount(arn('prod', 'api-01'), 7);
    expect(await describe('prod', 'api-01')).toMatchObject({ desiredCount: 7 });

    const before = (await describe('prod', 'api-02')).deployments![0]!;
    await sources.redeployable.forceNewDeployment('api-02');
    const after = (await describe('prod', 'api-02')).deployments![0]!;
    expect(after.id).not.toBe(before.id);
    expect(after.createdAt!.getTime()).toBeGreaterThanOrEqual(before.createdAt!.getTime());
    expect(JSON.parse(suite.front.bodies('UpdateService').at(-1)!)).toEqual({
      cluster: 'prod',
      service: 'api-02',
      forceNewDeployment: true,
    });

    await sources.redeployable.setTaskDefinition('staging/worker-03', td(2));
    expect(await describe('staging', 'worker-03')).toMatchObject({ taskDefinition: td(2) });
    const listed = await sources.services.listServices();
    expect(listed.find((s) => s.id === arn('staging', 'worker-03'))).toMatchObject({ taskDefinition: td(2) });
    ecs.destroy();
  });

  it('finds the previous task definition: the previous ACTIVE revision of the family', async () => {
    await seed();
    const sources = suite.sources();
    expect(await sources.redeployable.previousTaskDefinition(arn('prod', 'api-03'))).toBe(td(2));
    const body = JSON.parse(suite.front.bodies('ListTaskDefinitions')[0]!) as Record<string, unknown>;
    expect(body).toMatchObject({ familyPrefix: 'web', status: 'ACTIVE', sort: 'DESC', maxResults: 100 });
    expect(suite.front.count('ListTaskDefinitions')).toBe(1);

    const ecs = new ECSClient(suite.config());
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'web:2' }));
    ecs.destroy();
    expect(await sources.redeployable.previousTaskDefinition(arn('prod', 'api-03'))).toBe(td(1));
  });

  it('accepts names where unambiguous and says why otherwise', async () => {
    await seed();
    const sources = suite.sources();
    await sources.scalable.setDesiredCount('worker-05', 3);
    expect(JSON.parse(suite.front.bodies('UpdateService').at(-1)!)).toEqual({
      cluster: 'staging',
      service: 'worker-05',
      desiredCount: 3,
    });
    await expect(sources.scalable.setDesiredCount('api-00', 3)).rejects.toThrow(/api-00.*ambiguous.*prod, staging/);
    await expect(sources.scalable.setDesiredCount('nope', 3)).rejects.toThrow(/nope.*no such service/);
    await expect(sources.scalable.setDesiredCount('api-01', -1)).rejects.toThrow(/whole number/);

    const missing = await sources.scalable.setDesiredCount('prod/ghost', 2).catch((e: unknown) => e as AwsApiError);
    expect(missing).toBeInstanceOf(AwsApiError);
    expect(missing).toMatchObject({ name: 'ServiceNotFoundException', $metadata: { httpStatusCode: 400 } });
    expect((missing as Error).message).toMatch(
      /^ECS UpdateService \(prod\/ghost: desired count 2\) failed: ServiceNotFoundException/,
    );
    expect(isThrottling(missing)).toBe(false);

    const noCluster = await suite
      .sources({ clusters: ['gone'] })
      .services.listServices()
      .catch((e: unknown) => e as Error);
    expect(noCluster).toMatchObject({ name: 'ClusterNotFoundException' });
    expect((noCluster as Error).message).toMatch(/ECS ListServices \(cluster gone\) failed/);
  });

  it('reads and sets a service’s scaling limits, and shows them with the services', async () => {
    await seed();
    const sources = suite.sources();
    expect(await sources.autoScalable.getScalingLimits(arn('prod', 'api-04'))).toBeUndefined();
    await sources.autoScalable.setScalingLimits(arn('prod', 'api-04'), { min: 4, max: 8 });
    expect(JSON.parse(suite.front.bodies('RegisterScalableTarget')[0]!)).toEqual({
      ServiceNamespace: 'ecs',
      ResourceId: 'service/prod/api-04',
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 4,
      MaxCapacity: 8,
    });
    expect(await sources.autoScalable.getScalingLimits(arn('prod', 'api-04'))).toEqual({ min: 4, max: 8 });
    expect(JSON.parse(suite.front.bodies('DescribeScalableTargets').at(-1)!)).toEqual({
      ServiceNamespace: 'ecs',
      ResourceIds: ['service/prod/api-04'],
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    await expect(sources.autoScalable.setScalingLimits(arn('prod', 'api-04'), { min: 9, max: 8 })).rejects.toThrow(
      /0 ≤ min ≤ max/,
    );

    // 61 targets: more than one page of DescribeScalableTargets (50), read to the end.
    const ecs = new ECSClient(suite.config());
    await ecs.send(new CreateClusterCommand({ clusterName: 'other' }));
    const aas = new ApplicationAutoScalingClient(suite.config());
    for (let i = 0; i < 60; i++) {
      await ecs.send(
        new CreateServiceCommand({ cluster: 'other', serviceName: `s${i}`, taskDefinition: 'web:1', desiredCount: 1 }),
      );
      await aas.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: `service/other/s${i}`,
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 1,
          MaxCapacity: 2,
        }),
      );
    }
    aas.destroy();
    ecs.destroy();
    suite.front.clearCalls();
    const services = await sources.services.listServices();
    expect(suite.front.count('DescribeScalableTargets')).toBe(2);
    expect(services.find((s) => s.id === arn('prod', 'api-04'))?.scaling).toEqual({ min: 4, max: 8 });
    expect(services.find((s) => s.id === arn('prod', 'api-05'))?.scaling).toBeUndefined();
  });

  it('has a front that rejects DescribeServices with more than 10 services', async () => {
    await seed();
    const ecs = new ECSClient(suite.config());
    const error = await ecs
      .send(
        new DescribeServicesCommand({
          cluster: 'prod',
          services: Array.from({ length: 11 }, (_, i) => `api-${String(i).padStart(2, '0')}`),
        }),
      )
      .catch((e: unknown) => e);
    ecs.destroy();
    expect(error).toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
  });
});
