/**
 * Application Auto Scaling for ECS services (AutoScalable): the min/max of a service's desired count,
 * the capacity the strategy's "API CPU high" response raises (min 4, max 8). A service's scalable
 * target is named service/<cluster>/<service> with the dimension ecs:service:DesiredCount.
 */
import {
  DescribeScalableTargetsCommand,
  RegisterScalableTargetCommand,
  type ApplicationAutoScalingClient,
  type ScalableTarget,
} from '@aws-sdk/client-application-auto-scaling';
import type { ScalingLimits } from '../../core/model.js';
import type { AutoScalable } from '../ports.js';
import { call, collectPages } from './calls.js';
import type { ServiceLocation } from './ecs.js';

export const ECS_DESIRED_COUNT = 'ecs:service:DesiredCount';
/** DescribeScalableTargets returns at most 50 targets per page. */
const PAGE = 50;

export function resourceId(loc: Pick<ServiceLocation, 'cluster' | 'service'>): string {
  return `service/${loc.cluster}/${loc.service}`;
}

function limitsOf(t: ScalableTarget | undefined): ScalingLimits | undefined {
  return t && t.MinCapacity !== undefined && t.MaxCapacity !== undefined
    ? { min: t.MinCapacity, max: t.MaxCapacity }
    : undefined;
}

export class AutoScalingAdapter implements AutoScalable {
  /** `resolve` turns a service id (ARN or name) into its cluster and name: EcsAdapter.resolve. */
  constructor(
    private readonly client: ApplicationAutoScalingClient,
    private readonly resolve: (serviceId: string) => Promise<ServiceLocation>,
  ) {}

  async getScalingLimits(serviceId: string): Promise<ScalingLimits | undefined> {
    const id = resourceId(await this.resolve(serviceId));
    const out = await call('Application Auto Scaling DescribeScalableTargets', id, () =>
      this.client.send(
        new DescribeScalableTargetsCommand({
          ServiceNamespace: 'ecs',
          ResourceIds: [id],
          ScalableDimension: ECS_DESIRED_COUNT,
        }),
      ),
    );
    return limitsOf(out.ScalableTargets?.find((t) => t.ResourceId === id));
  }

  async setScalingLimits(serviceId: string, limits: ScalingLimits): Promise<void> {
    const { min, max } = limits;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min)
      throw new Error(
        `Application Auto Scaling RegisterScalableTarget (${serviceId}): limits must be whole numbers with 0 ≤ min ≤ max, not min ${min} max ${max}`,
      );
    const id = resourceId(await this.resolve(serviceId));
    await call('Application Auto Scaling RegisterScalableTarget', `${id} min ${min} max ${max}`, () =>
      this.client.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: id,
          ScalableDimension: ECS_DESIRED_COUNT,
          MinCapacity: min,
          MaxCapacity: max,
        }),
      ),
    );
  }

  /** Every ECS service's limits by resource id, in as few calls as pages allow (an extra to the port). */
  async allEcsLimits(signal?: AbortSignal): Promise<Map<string, ScalingLimits>> {
    const pages = await collectPages(
      'Application Auto Scaling DescribeScalableTargets',
      'all ECS services',
      async (token) => {
        const out = await this.client.send(
          new DescribeScalableTargetsCommand({
            ServiceNamespace: 'ecs',
            ScalableDimension: ECS_DESIRED_COUNT,
            MaxResults: PAGE,
            ...(token ? { NextToken: token } : {}),
          }),
          { abortSignal: signal },
        );
        return { page: out.ScalableTargets ?? [], next: out.NextToken };
      },
      { signal },
    );
    const limits = new Map<string, ScalingLimits>();
    for (const t of pages.flat()) {
      const l = limitsOf(t);
      if (t.ResourceId && l) limits.set(t.ResourceId, l);
    }
    return limits;
  }
}
