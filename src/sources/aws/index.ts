/**
 * The AWS source set: the ports CloudWatch, ECS, Application Auto Scaling and RDS implement, over one
 * set of SDK clients. The caller composes these with the other providers into a full Sources object.
 * Import this module lazily: the SDK clients cost startup time the sandbox does not need.
 */
import type { Config } from '../../config/schema.js';
import type { Service } from '../../core/model.js';
import type { PolicyRule } from '../../core/policy/types.js';
import type { Deadlines } from '../deadlines.js';
import type { LogSource, TraceSource } from '../logPorts.js';
import type {
  AlarmActionsSwitch,
  AlarmDrill,
  AlarmSource,
  AutoScalable,
  DatabaseSource,
  MetricSource,
  Rebootable,
  Redeployable,
  Scalable,
  ServiceSource,
  StorageResizable,
  TopicDirectory,
} from '../ports.js';
import { AutoScalingAdapter, resourceId } from './autoscaling.js';
import { createAwsClients, type AwsClientOptions, type AwsClients } from './clients.js';
import { CloudWatchAdapter } from './cloudwatch.js';
import { EcsAdapter } from './ecs.js';
import { RdsAdapter } from './rds.js';

export interface AwsSourcesOptions extends AwsClientOptions {
  /** ECS clusters to watch; all clusters of the region when unset. */
  readonly clusters?: readonly string[];
  /** Only alarms whose names start with this. */
  readonly alarmPrefix?: string;
  /** max_connections per DB instance id. */
  readonly maxConnections?: Readonly<Record<string, number>>;
  /** The policy's rules (with the user's overrides), for alarm levels; the defaults when unset. */
  readonly rules?: readonly PolicyRule[];
  /** Events kept per ECS service. */
  readonly eventLimit?: number;
  /** CloudWatch Logs: Insights on or off, bytes kept per message (the configuration's `logs`). */
  readonly logs?: { readonly insights?: boolean; readonly maxMessageBytes?: number };
}

export interface AwsSources {
  readonly alarms: AlarmSource;
  readonly metrics: MetricSource;
  readonly services: ServiceSource;
  readonly databases: DatabaseSource;
  readonly scalable: Scalable;
  readonly autoScalable: AutoScalable;
  readonly redeployable: Redeployable;
  readonly rebootable: Rebootable;
  readonly storageResizable: StorageResizable;
  readonly alarmDrill: AlarmDrill;
  readonly alarmActions: AlarmActionsSwitch;
  /** SNS subscriptions; its client is created on first use. */
  readonly topics: TopicDirectory;
  /** CloudWatch Logs and X-Ray; their clients are created on first use. */
  readonly logs: LogSource;
  readonly traces: TraceSource;
  /** The adapters themselves, for their extras (listAlarms by state, resolve, allEcsLimits…). */
  readonly adapters: {
    readonly cloudwatch: CloudWatchAdapter;
    readonly ecs: EcsAdapter;
    readonly autoscaling: AutoScalingAdapter;
    readonly rds: RdsAdapter;
  };
  readonly clients: AwsClients;
  close(): Promise<void>;
}

/**
 * The options of the configuration's aws section; region must be known by then (config or AWS_REGION).
 * `deadlines`: the configured ones (sources/deadlines.ts, deadlinesFor); the defaults when unset.
 */
export function awsOptionsFromConfig(
  aws: NonNullable<Config['aws']>,
  rules?: readonly PolicyRule[],
  deadlines?: Deadlines,
  logs?: Config['logs'],
): AwsSourcesOptions {
  const region = aws.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('aws.region is not set (config aws.region, or AWS_REGION)');
  return {
    region,
    profile: aws.profile,
    endpointUrl: aws.endpointUrl,
    clusters: aws.clusters,
    alarmPrefix: aws.alarmPrefix,
    maxConnections: aws.maxConnections,
    rules,
    ...(logs
      ? {
          logs: {
            ...(logs.insights !== undefined ? { insights: logs.insights } : {}),
            ...(logs.maxMessageBytes !== undefined ? { maxMessageBytes: logs.maxMessageBytes } : {}),
          },
        }
      : {}),
    ...(deadlines ? { deadlines } : {}),
  };
}

export function createAwsSources(options: AwsSourcesOptions): AwsSources {
  const clients = createAwsClients(options);
  const cloudwatch = new CloudWatchAdapter(clients.cloudwatch, {
    alarmPrefix: options.alarmPrefix,
    rules: options.rules,
  });
  const ecs = new EcsAdapter(clients.ecs, { clusters: options.clusters, eventLimit: options.eventLimit });
  const autoscaling = new AutoScalingAdapter(clients.autoscaling, (id) => ecs.resolve(id));
  const rds = new RdsAdapter(clients.rds, cloudwatch, { maxConnections: options.maxConnections });
  let closed = false;
  let sns: import('./sns.js').SnsTopics | undefined;
  const topics: TopicDirectory = {
    async subscriptions(topicArn, signal) {
      sns ??= new (await import('./sns.js')).SnsTopics(options);
      return sns.subscriptions(topicArn, signal);
    },
  };

  // Logs and X-Ray: one pair of clients, made on the first read (a failed load is tried again next time).
  let logAdapters:
    | Promise<{
        logs: import('./logs.js').CloudWatchLogsAdapter;
        traces: import('./xray.js').XRayAdapter;
        clients: import('./clients.js').LogClients;
      }>
    | undefined;
  const observability = () =>
    (logAdapters ??= (async () => {
      const [{ createLogClients }, { CloudWatchLogsAdapter }, { XRayAdapter }] = await Promise.all([
        import('./clients.js'),
        import('./logs.js'),
        import('./xray.js'),
      ]);
      const made = await createLogClients(options);
      if (closed) made.destroy();
      return {
        clients: made,
        logs: new CloudWatchLogsAdapter(made.logs, options.logs),
        traces: new XRayAdapter(made.xray),
      };
    })().catch((error: unknown) => {
      logAdapters = undefined;
      throw error;
    }));
  const logs: LogSource = {
    query: async (q) => (await observability()).logs.query(q),
    tail: async (q) => (await observability()).logs.tail(q),
  };
  const traces: TraceSource = {
    summaries: async (q) => (await observability()).traces.summaries(q),
    traces: async (ids, signal) => (await observability()).traces.traces(ids, signal),
  };

  const services: ServiceSource = {
    /**
     * ECS services with their autoscaling limits. The limits are one paged call for all services;
     * when it fails (no permission, throttled) the services still show, without limits.
     */
    async listServices(signal) {
      const [list, limits] = await Promise.all([
        ecs.listServices(signal),
        autoscaling.allEcsLimits(signal).catch(() => undefined),
      ]);
      if (!limits) return list;
      return list.map((s): Service => {
        const scaling = limits.get(resourceId({ cluster: s.cluster, service: s.name }));
        return scaling ? { ...s, scaling } : s;
      });
    },
  };

  return {
    alarms: cloudwatch,
    metrics: cloudwatch,
    services,
    databases: rds,
    scalable: ecs,
    autoScalable: autoscaling,
    redeployable: ecs,
    rebootable: rds,
    storageResizable: rds,
    alarmDrill: cloudwatch,
    alarmActions: cloudwatch,
    topics,
    logs,
    traces,
    adapters: { cloudwatch, ecs, autoscaling, rds },
    clients,
    async close() {
      if (closed) return;
      closed = true;
      clients.destroy();
      sns?.close();
      if (logAdapters) (await logAdapters.catch(() => undefined))?.clients.destroy();
    },
  };
}

export { AwsApiError } from './calls.js';
export type { AwsClientOptions } from './clients.js';
