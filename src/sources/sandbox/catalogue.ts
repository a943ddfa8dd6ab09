import type { MetricRef } from '../../core/model.js';
import { CLUSTER, DATABASE, DEPENDENCIES, LAMBDA, LOAD_BALANCER, QUEUE, SERVICES } from './topology.js';

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
const alb = { LoadBalancer: LOAD_BALANCER.loadBalancer, TargetGroup: LOAD_BALANCER.targetGroup };
const insights = (name: string, service: string) => ref('ECS/ContainerInsights', name, ecs(service));

/** Every metric the sandbox produces, by a short name used inside the simulation. */
export const METRICS = {
  apiCpu: ref('AWS/ECS', 'CPUUtilization', ecs(api)),
  workerCpu: ref('AWS/ECS', 'CPUUtilization', ecs(worker)),
  apiMemory: ref('AWS/ECS', 'MemoryUtilization', ecs(api)),
  workerMemory: ref('AWS/ECS', 'MemoryUtilization', ecs(worker)),
  apiNetwork: ref('Vitascope/Infra', 'NetworkBytes', ecs(api)),
  workerNetwork: ref('Vitascope/Infra', 'NetworkBytes', ecs(worker)),
  // Container Insights' service counts (ECS/ContainerInsights), what the ECS service state alarm watches.
  apiDesired: insights('DesiredTaskCount', api),
  apiRunningTasks: insights('RunningTaskCount', api),
  apiDeployments: insights('DeploymentCount', api),
  workerDesired: insights('DesiredTaskCount', worker),
  workerRunningTasks: insights('RunningTaskCount', worker),
  workerDeployments: insights('DeploymentCount', worker),
  dbConnections: ref('AWS/RDS', 'DatabaseConnections', { DBInstanceIdentifier: DATABASE.id }),
  /** Bytes free, as RDS publishes it; the share used is computed against the allocated storage. */
  dbFreeStorage: ref('AWS/RDS', 'FreeStorageSpace', { DBInstanceIdentifier: DATABASE.id }),
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

/**
 * The same values under the names AWS's own services give them: the API's requests and 5xx answers as
 * its load balancer counts them (AWS/ApplicationELB by LoadBalancer and TargetGroup), besides the app's
 * own dimensionless Vitascope/API metrics that the cockpit's overview reads.
 */
export const ALIASES: Partial<Record<MetricName, readonly MetricRef[]>> = {
  requests: [ref('AWS/ApplicationELB', 'RequestCount', alb)],
  errors5xx: [ref('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', alb)],
};

const BY_KEY = new Map<string, MetricName>([
  ...METRIC_NAMES.map((n) => [refKey(METRICS[n]), n] as const),
  ...METRIC_NAMES.flatMap((n) => (ALIASES[n] ?? []).map((r) => [refKey(r), n] as const)),
]);

/** The sandbox's name for a CloudWatch-style metric, if it produces it. */
export function metricNameOf(ref: MetricRef): MetricName | undefined {
  return BY_KEY.get(refKey(ref));
}
