import type { Config } from '../config/schema.js';
import type { Environment } from '../core/model.js';
import type { PolicyRule } from '../core/policy/types.js';
import { DEFAULT_DEADLINES, deadlinesFor } from './deadlines.js';
import type { SourceLabels } from './sourceDeadlines.js';
import type { AddressBlocker, AlarmSource, MetricQuery, MetricSeries, MetricSource, Sources } from './ports.js';

/** Whether each real source is configured. */
export interface Configured {
  readonly aws: boolean;
  readonly pagerduty: boolean;
  readonly prometheus: boolean;
  readonly alertmanager: boolean;
}

export function configured(config: Config, env: NodeJS.ProcessEnv): Configured {
  return {
    aws: Boolean(
      config.aws?.profile ||
      config.aws?.endpointUrl ||
      (config.aws?.region &&
        (env.AWS_ACCESS_KEY_ID ||
          env.AWS_PROFILE ||
          env.AWS_WEB_IDENTITY_TOKEN_FILE ||
          env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
          env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)),
    ),
    pagerduty: Boolean(config.pagerduty?.token),
    prometheus: Boolean(config.prometheus?.url),
    alertmanager: Boolean(config.alertmanager?.url),
  };
}

/** What each read port is called in messages about it ("CloudWatch: no answer within 20 s"). */
export function sourceLabels(c: Configured): SourceLabels {
  return {
    alarms: 'CloudWatch',
    alerts: c.prometheus ? 'Prometheus' : 'Alertmanager',
    metrics: c.aws && c.prometheus ? 'CloudWatch/Prometheus' : c.aws ? 'CloudWatch' : 'Prometheus',
    services: 'ECS',
    databases: 'RDS',
    incidents: 'PagerDuty',
    onCall: 'PagerDuty',
  };
}

/** Real sources plus what the cockpit needs to know about them. */
export interface RealSources extends Sources {
  readonly configured: Configured;
}

/** A source the configuration lacks, tagged (kind: 'unconfigured') so that callers need not read the message. */
function unconfigured(what: string): Error & { readonly kind: 'unconfigured' } {
  return Object.assign(new Error(`${what} is not configured`), { kind: 'unconfigured' as const });
}

/** Routes metric queries by namespace: "prometheus" to Prometheus, the rest to CloudWatch. */
function metricRouter(
  cloudwatch: MetricSource | undefined,
  prometheus: MetricSource | undefined,
): MetricSource | undefined {
  if (!cloudwatch && !prometheus) return undefined;
  return {
    async getSeries(queries: readonly MetricQuery[], range) {
      const toProm = queries.filter((q) => q.metric.namespace === 'prometheus');
      const toCw = queries.filter((q) => q.metric.namespace !== 'prometheus');
      const [a, b] = await Promise.all([
        toCw.length
          ? cloudwatch
            ? cloudwatch.getSeries(toCw, range)
            : Promise.reject(unconfigured('CloudWatch'))
          : Promise.resolve([] as MetricSeries[]),
        toProm.length
          ? prometheus
            ? prometheus.getSeries(toProm, range)
            : Promise.reject(unconfigured('Prometheus'))
          : Promise.resolve([] as MetricSeries[]),
      ]);
      const byId = new Map([...a, ...b].map((s) => [s.id, s]));
      return queries.map((q) => byId.get(q.id) ?? { id: q.id, points: [] });
    },
  };
}

/**
 * The alert source besides CloudWatch: Prometheus's rules and Alertmanager's alerts together when both
 * are configured (alertsMerged.ts: one row per alert, deduplicated, silences shown), else whichever is.
 */
async function alertsOf(
  prometheus: import('./prometheus/index.js').PrometheusSources | undefined,
  alertmanager: import('./alertmanager/index.js').AlertmanagerSources | undefined,
): Promise<AlarmSource | undefined> {
  if (prometheus && alertmanager)
    return new (await import('./alertsMerged.js')).MergedAlertSource(prometheus.alarms, alertmanager.alarms);
  return prometheus?.alarms ?? alertmanager?.alarms;
}

/**
 * The real sources behind the same ports as the sandbox: AWS (CloudWatch, ECS, Application Auto
 * Scaling, RDS), PagerDuty, Prometheus and Alertmanager, each only when configured. Adapters are
 * imported only when used, so a PagerDuty-only setup never loads the AWS SDK.
 */
export async function openRealSources(
  config: Config,
  env: NodeJS.ProcessEnv,
  rules: readonly PolicyRule[],
): Promise<RealSources> {
  const c = configured(config, env);
  const deadlines = deadlinesFor(config);
  const closers: (() => Promise<void>)[] = [];
  let aws: import('./aws/index.js').AwsSources | undefined;
  let account: string | undefined;
  if (c.aws && config.aws) {
    const m = await import('./aws/index.js');
    const options = m.awsOptionsFromConfig(config.aws, rules, deadlines, config.logs);
    aws = m.createAwsSources(options);
    closers.push(() => aws!.close());
    account = await accountOf(options).catch(() => undefined);
  }
  let addressBlocker: AddressBlocker | undefined;
  if (c.aws && config.aws?.wafIpSet) {
    const { awsOptionsFromConfig } = await import('./aws/index.js');
    const waf = await (
      await import('./aws/waf.js')
    ).createWafAddressBlocker(awsOptionsFromConfig(config.aws, rules, deadlines), config.aws.wafIpSet);
    addressBlocker = waf.blocker;
    closers.push(async () => waf.close());
  }
  const pd =
    c.pagerduty && config.pagerduty
      ? (await import('./pagerduty/index.js')).createPagerDutySources({
          ...config.pagerduty,
          ...(config.pagerduty.from ? {} : config.user?.email ? { from: config.user.email } : {}),
          requestTimeoutMs: deadlines.requestMs,
        })
      : undefined;
  if (pd) closers.push(() => pd.close());
  const prom =
    c.prometheus && config.prometheus?.url
      ? (await import('./prometheus/index.js')).createPrometheusSources({
          url: config.prometheus.url,
          auth: config.prometheus,
          metrics: config.prometheus.metrics,
          timeoutMs: deadlines.requestMs,
        })
      : undefined;
  if (prom) closers.push(() => prom.close());
  const am =
    c.alertmanager && config.alertmanager?.url
      ? (await import('./alertmanager/index.js')).createAlertmanagerSources({
          url: config.alertmanager.url,
          auth: config.alertmanager,
          timeoutMs: deadlines.requestMs,
        })
      : undefined;
  if (am) closers.push(() => am.close());

  const region = config.aws?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const environment: Environment = {
    kind: 'aws',
    label: config.aws?.accountLabel ?? (c.aws ? 'AWS' : 'LIVE'),
    account,
    region: c.aws ? region : undefined,
    // Real systems are treated as production unless the configuration says otherwise: typed
    // confirmations are the safe default when talking to the real thing.
    production: config.aws?.production ?? true,
    // What runbook commands (aws …) must run with to reach the same account as the program.
    ...(c.aws
      ? {
          aws: {
            ...(config.aws?.profile ? { profile: config.aws.profile } : {}),
            ...(region ? { region } : {}),
            ...(config.aws?.endpointUrl ? { endpointUrl: config.aws.endpointUrl } : {}),
          },
        }
      : {}),
  };
  const cloudwatchAlarms = aws?.alarms;
  const alerts = await alertsOf(prom, am);
  return {
    configured: c,
    environment,
    now: () => Date.now(),
    alarms: cloudwatchAlarms,
    alerts,
    metrics: metricRouter(aws?.metrics, prom?.metrics),
    endpoints: prom?.endpoints,
    services: aws?.services,
    databases: aws?.databases,
    scalable: aws?.scalable,
    autoScalable: aws?.autoScalable,
    redeployable: aws?.redeployable,
    rebootable: aws?.rebootable,
    storageResizable: aws?.storageResizable,
    alarmDrill: aws?.alarmDrill,
    alarmActions: aws?.alarmActions,
    topics: aws?.topics,
    logs: aws?.logs,
    traces: aws?.traces,
    addressBlocker,
    incidents: pd?.incidents,
    onCall: pd?.onCall,
    incidentActions: pd?.incidentActions,
    silences: am?.silences,
    async close() {
      await Promise.allSettled(closers.map((f) => f()));
    },
  };
}

/** The longest the account lookup may delay opening the sources. */
export const ACCOUNT_LOOKUP_MS = 5_000;

/** The AWS account id, from STS GetCallerIdentity (which also proves the credentials work). */
export async function accountOf(options: import('./aws/index.js').AwsSourcesOptions): Promise<string | undefined> {
  const [{ STSClient, GetCallerIdentityCommand }, { clientConfig }] = await Promise.all([
    import('@aws-sdk/client-sts'),
    import('./aws/clients.js'),
  ]);
  const sts = new STSClient({ ...clientConfig(options), maxAttempts: 1 });
  try {
    // The banner's account is worth little waiting: at most the request deadline, and never more than 5 s.
    const out = await sts.send(new GetCallerIdentityCommand({}), {
      abortSignal: AbortSignal.timeout(Math.min(ACCOUNT_LOOKUP_MS, (options.deadlines ?? DEFAULT_DEADLINES).requestMs)),
    });
    return out.Account;
  } finally {
    sts.destroy();
  }
}
