import type { MetricRef } from '../../core/model.js';
import { CLUSTER, DATABASE, DEPENDENCIES, LAMBDA, QUEUE, SERVICES } from './topology.js';

/** The key a metric is stored under: namespace, name and sorted dimensions. */
export function metricKey(namespace: string, name: string, dimensions: Readonly<Record<string, string>>): string {
  const dims = Object.keys(dimensions)
    .sort()
    .map((k) => `${k}=${dimensions[k]}`)
    .join(',');
  return `${namespace}/${name}{${dims}}`;
}

export function refKey(ref: MetricRef): string {
  return metricKey(ref.namespace, ref.name, ref.dimensions);
}

const ecs = (service: string) => ({ ClusterName: CLUSTER, ServiceName: service });

function ref(namespace: string, name: string, dimensions: Record<string, string> = {}): MetricRef {
  return { namespace, name, dimensions };
}

const api = SERVICES[0]!.name;
const worker = SERVICES[1]!.name;

/** Every metric the sandbox produces, by a short name used inside the simulation. */
export const METRICS = {
  apiCpu: ref('AWS/ECS', 'CPUUtilization', ecs(api)),
  workerCpu: ref('AWS/ECS', 'CPUUtilization', ecs(worker)),
  apiMemory: ref('AWS/ECS', 'MemoryUtilization', ecs(api)),
  workerMemory: ref('AWS/ECS', 'MemoryUtilization', ecs(worker)),
  apiNetwork: ref('Vitascope/Infra', 'NetworkBytes', ecs(api)),
  workerNetwork: ref('Vitascope/Infra', 'NetworkBytes', ecs(worker)),
  apiUnhealthy: ref('Vitascope/Infra', 'ServiceUnhealthy', ecs(api)),
  workerUnhealthy: ref('Vitascope/Infra', 'ServiceUnhealthy', ecs(worker)),
  dbConnections: ref('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: DATABASE.id }),
  dbDisk: ref('Vitascope/Infra', 'DiskUtilization', { DBInstanceIdentifier: DATABASE.id }),
  queueDepth: ref('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: QUEUE.name }),
  lambdaInvocations: ref('AWS/Lambda', 'Invocations', { FunctionName: LAMBDA.name }),
  lambdaErrors: ref('AWS/Lambda', 'Errors', { FunctionName: LAMBDA.name }),
  p95: ref('Vitascope/API', 'p95ResponseTime'),
  requests: ref('Vitascope/API', 'RequestCount'),
  errors5xx: ref('Vitascope/API', 'Http5xxCount'),
  sessions: ref('Vitascope/API', 'ActiveSessions'),
  authStreak: ref('Vitascope/API', 'AuthFailureStreak'),
  wearablesDown: ref('Vitascope/API', 'DependencyDown', { Dependency: DEPENDENCIES[0].name }),
  pushDown: ref('Vitascope/API', 'DependencyDown', { Dependency: DEPENDENCIES[1].name }),
  dau: ref('Vitascope/Business', 'DailyActiveUsers'),
  syncAttempts: ref('Vitascope/Business', 'SyncAttempts'),
  syncFailures: ref('Vitascope/Business', 'SyncFailures'),
  registrations: ref('Vitascope/Business', 'NewRegistrations'),
  featureUsage: ref('Vitascope/Business', 'FeatureUsage'),
} as const satisfies Record<string, MetricRef>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

/** The value of every metric over one minute. */
export type MinuteValues = Record<MetricName, number>;

const BY_KEY = new Map<string, MetricName>(METRIC_NAMES.map((n) => [refKey(METRICS[n]), n]));

/** The sandbox's name for a CloudWatch-style metric, if it produces it. */
export function metricNameOf(ref: MetricRef): MetricName | undefined {
  return BY_KEY.get(refKey(ref));
}
