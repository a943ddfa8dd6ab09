/**
 * ECS DescribeServices output → the Service model, and the small parsing rules for ECS identifiers.
 * Pure, so the choices (rollout state of old deployments, event order and cap, which deployment ran
 * before) are tested without a server.
 */
import type { Deployment as EcsDeployment, Service as EcsService } from '@aws-sdk/client-ecs';
import type { Deployment, RolloutState, Service, ServiceEvent } from '../../core/model.js';
import { boundService } from '../../core/bounds.js';
import { epochMs } from './calls.js';

/** Events kept per service: enough to read a failing deployment's story. */
export const DEFAULT_EVENT_LIMIT = 20;

/** The last path segment of an ARN or a plain name: arn:…:cluster/prod → prod. */
export function lastSegment(arnOrName: string): string {
  return arnOrName.slice(arnOrName.lastIndexOf('/') + 1);
}

/** Cluster and service from a service ARN in the long format (…:service/<cluster>/<service>) or "cluster/service". */
export function parseServiceRef(id: string): { cluster?: string; service: string } {
  const path = id.startsWith('arn:') ? id.slice(id.indexOf(':service/') + ':service/'.length) : id;
  const parts = path.split('/');
  if (id.startsWith('arn:') && !id.includes(':service/')) throw new Error(`${id} is not an ECS service ARN`);
  if (parts.length >= 2) return { cluster: parts[parts.length - 2]!, service: parts[parts.length - 1]! };
  return { service: parts[0]! };
}

/** family and revision of "arn:…:task-definition/web:3" or "web:3"; undefined for a bare family. */
export function parseTaskDefinition(ref: string): { family: string; revision: number } | undefined {
  const m = /([^/:]+):(\d+)$/.exec(ref);
  return m ? { family: m[1]!, revision: Number(m[2]) } : undefined;
}

function rolloutOf(d: EcsDeployment): RolloutState {
  if (d.rolloutState === 'IN_PROGRESS' || d.rolloutState === 'COMPLETED' || d.rolloutState === 'FAILED')
    return d.rolloutState;
  // Deployments without the circuit breaker report no rolloutState: infer it from the counts.
  return d.status === 'PRIMARY' && (d.runningCount ?? 0) >= (d.desiredCount ?? 0) && (d.pendingCount ?? 0) === 0
    ? 'COMPLETED'
    : 'IN_PROGRESS';
}

export function toDeployment(d: EcsDeployment): Deployment {
  const createdAt = epochMs(d.createdAt) ?? 0;
  return {
    id: d.id ?? '',
    status: d.status === 'PRIMARY' || d.status === 'INACTIVE' ? d.status : 'ACTIVE',
    taskDefinition: d.taskDefinition ?? '',
    desired: d.desiredCount ?? 0,
    running: d.runningCount ?? 0,
    pending: d.pendingCount ?? 0,
    rolloutState: rolloutOf(d),
    rolloutReason: d.rolloutStateReason || undefined,
    createdAt,
    updatedAt: epochMs(d.updatedAt) ?? createdAt,
  };
}

export function toService(s: EcsService, clusterHint: string, eventLimit = DEFAULT_EVENT_LIMIT): Service {
  const events: ServiceEvent[] = (s.events ?? [])
    .map((e) => ({ id: e.id ?? '', at: epochMs(e.createdAt) ?? 0, message: e.message ?? '' }))
    .sort((a, b) => b.at - a.at)
    .slice(0, eventLimit);
  return boundService({
    id: s.serviceArn ?? s.serviceName ?? '',
    name: s.serviceName ?? lastSegment(s.serviceArn ?? ''),
    cluster: lastSegment(s.clusterArn ?? clusterHint),
    status: s.status ?? 'UNKNOWN',
    desired: s.desiredCount ?? 0,
    running: s.runningCount ?? 0,
    pending: s.pendingCount ?? 0,
    taskDefinition: s.taskDefinition ?? '',
    deployments: (s.deployments ?? []).map(toDeployment).sort((a, b) => b.createdAt - a.createdAt),
    events,
  });
}

/**
 * The task definition of the newest ACTIVE (older, still draining or rolled back from) deployment that
 * differs from the current one: during or right after a rollout it is exactly what ran before.
 */
export function previousFromDeployments(service: Pick<Service, 'taskDefinition' | 'deployments'>): string | undefined {
  const current = service.deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? service.taskDefinition;
  return service.deployments
    .filter((d) => d.status === 'ACTIVE' && d.taskDefinition && d.taskDefinition !== current)
    .sort((a, b) => b.createdAt - a.createdAt)[0]?.taskDefinition;
}
