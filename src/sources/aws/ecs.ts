/**
 * ECS services: ServiceSource, Scalable and Redeployable. A listing is ListClusters (unless the
 * configuration names the clusters) → ListServices per cluster (100 per page, the API's largest) →
 * DescribeServices in batches of 10 (the API's limit), at most a few calls in flight so one refresh
 * does not trip ECS's request-rate limits. Service ids are ARNs; a name, or cluster/name, is accepted
 * where it names exactly one service.
 */
import {
  DescribeServicesCommand,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service as EcsService,
  type UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { Service } from '../../core/model.js';
import type { Redeployable, Scalable, ServiceSource } from '../ports.js';
import { AwsApiError, call, chunk, collectPages, mapLimit } from './calls.js';
import { checkedItems, ecsServiceSchema } from './schemas.js';
import {
  DEFAULT_EVENT_LIMIT,
  lastSegment,
  parseServiceRef,
  parseTaskDefinition,
  previousFromDeployments,
  toService,
} from './ecsMapping.js';

export const DESCRIBE_SERVICES_LIMIT = 10;
const LIST_PAGE = 100;
/** Calls in flight: clusters listed side by side, and DescribeServices batches within each. */
const CLUSTER_CONCURRENCY = 2;
const CONCURRENCY = 4;

export interface EcsOptions {
  /** Clusters to watch (config aws.clusters), names or ARNs; every cluster in the region when unset. */
  readonly clusters?: readonly string[];
  /** Events kept per service, newest first. */
  readonly eventLimit?: number;
}

/** Where a service lives, as UpdateService and Application Auto Scaling want it. */
export interface ServiceLocation {
  readonly cluster: string;
  readonly service: string;
  readonly arn?: string;
}

export class EcsAdapter implements ServiceSource, Scalable, Redeployable {
  /** From the last listing: ARN and name → location, to resolve names and short-format ARNs. */
  private known = new Map<string, ServiceLocation[]>();

  constructor(
    private readonly client: ECSClient,
    private readonly options: EcsOptions = {},
  ) {}

  async listServices(signal?: AbortSignal): Promise<Service[]> {
    const clusters = this.options.clusters?.length ? [...this.options.clusters] : await this.listClusters(signal);
    const perCluster = await mapLimit(clusters, CLUSTER_CONCURRENCY, (cluster) => this.servicesIn(cluster, signal));
    const services = perCluster.flat();
    this.remember(services);
    return services;
  }

  async listClusters(signal?: AbortSignal): Promise<string[]> {
    const pages = await collectPages(
      'ECS ListClusters',
      undefined,
      async (token) => {
        const out = await this.client.send(
          new ListClustersCommand({ maxResults: LIST_PAGE, ...(token ? { nextToken: token } : {}) }),
          { abortSignal: signal },
        );
        return { page: out.clusterArns ?? [], next: out.nextToken };
      },
      { signal },
    );
    return pages.flat();
  }

  /** The services of one cluster, described in batches of ten. */
  async servicesIn(cluster: string, signal?: AbortSignal): Promise<Service[]> {
    const name = lastSegment(cluster);
    const pages = await collectPages(
      'ECS ListServices',
      `cluster ${name}`,
      async (token) => {
        const out = await this.client.send(
          new ListServicesCommand({ cluster, maxResults: LIST_PAGE, ...(token ? { nextToken: token } : {}) }),
          {
            abortSignal: signal,
          },
        );
        return { page: out.serviceArns ?? [], next: out.nextToken };
      },
      { signal },
    );
    const described = await mapLimit(chunk(pages.flat(), DESCRIBE_SERVICES_LIMIT), CONCURRENCY, (batch) =>
      this.describe(cluster, batch, signal),
    );
    return described.flat().map((s) => toService(s, name, this.options.eventLimit ?? DEFAULT_EVENT_LIMIT));
  }

  private async describe(cluster: string, services: readonly string[], signal?: AbortSignal): Promise<EcsService[]> {
    if (services.length > DESCRIBE_SERVICES_LIMIT)
      throw new Error(`DescribeServices takes at most ${DESCRIBE_SERVICES_LIMIT} services`);
    const what = `cluster ${lastSegment(cluster)}, ${services.length === 1 ? services[0] : `${services.length} services`}`;
    const out = await call('ECS DescribeServices', what, () =>
      this.client.send(new DescribeServicesCommand({ cluster, services: [...services] }), { abortSignal: signal }),
    );
    // Failures are services deleted between ListServices and DescribeServices: not an error.
    return checkedItems('ECS DescribeServices', what, 'services', ecsServiceSchema, out.services);
  }

  /** Where a service id (ARN, cluster/name or an unambiguous name) lives; lists services once if unknown. */
  async resolve(serviceId: string): Promise<ServiceLocation> {
    let ref: ReturnType<typeof parseServiceRef>;
    try {
      ref = parseServiceRef(serviceId);
    } catch (error) {
      throw new AwsApiError('ECS', serviceId, error);
    }
    if (ref.cluster)
      return { cluster: ref.cluster, service: ref.service, arn: serviceId.startsWith('arn:') ? serviceId : undefined };
    let found = this.known.get(serviceId);
    if (!found) {
      await this.listServices();
      found = this.known.get(serviceId);
    }
    if (!found || found.length === 0)
      throw new AwsApiError('ECS', serviceId, new Error('no such service in the watched clusters'));
    if (found.length > 1)
      throw new AwsApiError(
        'ECS',
        serviceId,
        new Error(`ambiguous: it names services in clusters ${found.map((l) => l.cluster).join(', ')}; use the ARN`),
      );
    return found[0]!;
  }

  async describeOne(serviceId: string): Promise<Service> {
    const loc = await this.resolve(serviceId);
    const [service] = await this.describe(loc.cluster, [loc.arn ?? loc.service]);
    if (!service)
      throw new AwsApiError('ECS DescribeServices', `${loc.cluster}/${loc.service}`, new Error('service not found'));
    return toService(service, loc.cluster, this.options.eventLimit ?? DEFAULT_EVENT_LIMIT);
  }

  async setDesiredCount(serviceId: string, desired: number): Promise<void> {
    if (!Number.isInteger(desired) || desired < 0)
      throw new Error(`ECS UpdateService (${serviceId}): a desired count must be a whole number ≥ 0, not ${desired}`);
    await this.update(serviceId, { desiredCount: desired }, `desired count ${desired}`);
  }

  async forceNewDeployment(serviceId: string): Promise<void> {
    await this.update(serviceId, { forceNewDeployment: true }, 'force new deployment');
  }

  async setTaskDefinition(serviceId: string, taskDefinition: string): Promise<void> {
    await this.update(serviceId, { taskDefinition }, `task definition ${taskDefinition}`);
  }

  /**
   * What ran before: the task definition of an older ACTIVE deployment when one is still listed,
   * otherwise the newest ACTIVE revision of the same family below the current one.
   */
  async previousTaskDefinition(serviceId: string): Promise<string | undefined> {
    const service = await this.describeOne(serviceId);
    const fromDeployments = previousFromDeployments(service);
    if (fromDeployments) return fromDeployments;
    const current = parseTaskDefinition(
      service.deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition,
    );
    if (!current) return undefined;
    let best: { arn: string; revision: number } | undefined;
    await collectPages(
      'ECS ListTaskDefinitions',
      `family ${current.family}`,
      async (token) => {
        const out = await this.client.send(
          new ListTaskDefinitionsCommand({
            familyPrefix: current.family,
            status: 'ACTIVE',
            sort: 'DESC',
            maxResults: LIST_PAGE,
            ...(token ? { nextToken: token } : {}),
          }),
        );
        const page = (out.taskDefinitionArns ?? []).map((arn) => ({ arn, td: parseTaskDefinition(arn) }));
        for (const { arn, td } of page)
          if (
            td &&
            td.family === current.family &&
            td.revision < current.revision &&
            (!best || td.revision > best.revision)
          )
            best = { arn, revision: td.revision };
        return { page, next: out.nextToken };
      },
      {
        // Sorted newest first, a page that reaches below the current revision holds the answer; a
        // server that ignores the sort order is read to the end.
        stop: (page) =>
          isDescending(page.map((p) => p.td?.revision ?? 0)) &&
          page.some((p) => (p.td?.revision ?? Infinity) < current.revision),
      },
    );
    return best?.arn;
  }

  private async update(
    serviceId: string,
    change: Omit<UpdateServiceCommandInput, 'cluster' | 'service'>,
    what: string,
  ): Promise<void> {
    const loc = await this.resolve(serviceId);
    await call('ECS UpdateService', `${loc.cluster}/${loc.service}: ${what}`, () =>
      this.client.send(new UpdateServiceCommand({ cluster: loc.cluster, service: loc.service, ...change })),
    );
  }

  private remember(services: readonly Service[]): void {
    const known = new Map<string, ServiceLocation[]>();
    const add = (key: string, loc: ServiceLocation) => known.set(key, [...(known.get(key) ?? []), loc]);
    for (const s of services) {
      const loc = { cluster: s.cluster, service: s.name, arn: s.id };
      add(s.id, loc);
      if (s.name !== s.id) add(s.name, loc);
    }
    this.known = known;
  }
}

function isDescending(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v <= values[i - 1]!);
}
