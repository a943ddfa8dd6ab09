/**
 * Where deployed alarm definitions live, for `alarms audit` and `alarms apply`: CloudWatch's metric alarms
 * (raw, metric math and actions included, which the Alarm model leaves out) and Prometheus's alerting rules,
 * plus what RDS says of the databases' limits. Built here from the configuration, so that the command only
 * parses, calls core and prints: no command constructs an SDK or HTTP client of its own.
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Config } from '../config/schema.js';
import type { PolicyRule } from '../core/policy/types.js';
import { deadlinesFor } from './deadlines.js';
import type { PromAlertingRule } from './prometheus/client.js';
import { configured } from './real.js';

/** A store that could not be opened because the configuration lacks what it needs (a config error, not a failed source). */
export class StoreNotConfiguredError extends Error {}

/** CloudWatch's alarm definitions in one region: read under a prefix, put one, count each one's datapoints. */
export interface CloudWatchAlarmStore {
  readonly region: string;
  /** Every metric alarm whose name starts with the prefix, every page. */
  describe(prefix: string): Promise<MetricAlarm[]>;
  /** PutMetricAlarm, one alarm (adaptive retry: it slows down when throttled). */
  put(request: Record<string, unknown>): Promise<void>;
  /** Datapoints each alarm saw over its evaluation window (undefined: could not be asked). */
  datapoints(
    alarms: readonly MetricAlarm[],
    now: number,
    signal?: AbortSignal,
  ): Promise<Map<string, number | undefined>>;
  close(): void;
}

async function cloudWatchOptions(config: Config, rules: readonly PolicyRule[]) {
  const { awsOptionsFromConfig } = await import('./aws/index.js');
  try {
    return awsOptionsFromConfig(config.aws ?? {}, rules, deadlinesFor(config));
  } catch (error) {
    throw new StoreNotConfiguredError(error instanceof Error ? error.message : String(error));
  }
}

/** The region alarms apply would change, without opening anything; StoreNotConfiguredError when none is set. */
export async function cloudWatchRegion(config: Config, rules: readonly PolicyRule[]): Promise<string> {
  return (await cloudWatchOptions(config, rules)).region;
}

/** Opens CloudWatch from aws.* of the configuration; StoreNotConfiguredError when it has no region. */
export async function openCloudWatchAlarmStore(
  config: Config,
  rules: readonly PolicyRule[],
): Promise<CloudWatchAlarmStore> {
  const options = await cloudWatchOptions(config, rules);
  const [defs, data] = await Promise.all([import('./aws/alarmDefinitions.js'), import('./aws/alarmData.js')]);
  const client = defs.alarmDefinitionsClient(options);
  return {
    region: options.region,
    describe: (prefix) => defs.describeMetricAlarms(client, prefix),
    put: (request) => defs.putMetricAlarm(client, request),
    datapoints: (alarms, now, signal) => data.alarmDatapoints(client, alarms, now, signal),
    close: () => client.destroy(),
  };
}

/** A Prometheus's alerting rules. */
export interface PrometheusRuleStore {
  alertingRules(): Promise<PromAlertingRule[]>;
  close(): void;
}

/** Opens the Prometheus at `url` with the configured credentials (prometheus.token, prometheus.user). */
export async function openPrometheusRuleStore(config: Config, url: string): Promise<PrometheusRuleStore> {
  const { PrometheusClient } = await import('./prometheus/client.js');
  const auth = config.prometheus;
  const client = new PrometheusClient({
    url,
    timeoutMs: deadlinesFor(config).requestMs,
    ...(auth?.token ? { auth } : {}),
  });
  return { alertingRules: () => client.alertingRules(), close: () => client.close() };
}

/** What RDS says of one database's limits. */
export interface DatabaseFacts {
  readonly maxConnections?: number;
  readonly allocatedGiB?: number;
}

/**
 * What RDS says of each database (its max_connections by instance class, its allocated storage), when AWS
 * is configured; an empty map otherwise. What cannot be read is a warning, never a guess.
 */
export async function readDatabaseFacts(
  config: Config,
  env: NodeJS.ProcessEnv,
  rules: readonly PolicyRule[],
  ids: readonly string[],
  warnings: string[],
): Promise<Map<string, DatabaseFacts>> {
  const facts = new Map<string, DatabaseFacts>();
  if (ids.length === 0 || !configured(config, env).aws || !config.aws) return facts;
  const m = await import('./aws/index.js');
  let aws: import('./aws/index.js').AwsSources | undefined;
  try {
    aws = m.createAwsSources({ ...m.awsOptionsFromConfig(config.aws, rules), maxAttempts: 2 });
    const dbs = await aws.databases.listDatabases(AbortSignal.timeout(15_000));
    for (const id of ids) {
      const db = dbs.find((d) => d.id === id);
      if (!db) {
        warnings.push(`RDS has no instance ${id} in this account and region: its limits are not known`);
        continue;
      }
      const storage = await aws.storageResizable.getStorage(id).catch(() => undefined);
      facts.set(id, {
        ...(db.maxConnections !== undefined ? { maxConnections: db.maxConnections } : {}),
        ...(storage ? { allocatedGiB: storage.allocatedGiB } : {}),
      });
    }
  } catch (error) {
    warnings.push(
      `could not read the RDS instances (their instance class and storage): ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await aws?.close();
  }
  return facts;
}
