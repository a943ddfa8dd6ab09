import { maskUrl } from '../core/journal/secrets.js';
import type { Config } from '../config/schema.js';
import { configured } from './real.js';
import { DEFAULT_POLICY } from '../core/policy/defaults.js';
import type { HttpAuth } from './prometheus/http.js';
import type { AppMetricsSettings } from '../core/appMetrics.js';
import { DeadlineError, deadlinesFor, seconds, withDeadline, type Deadlines } from './deadlines.js';
import { teamChecks } from './doctorTeam.js';
import { didNotAnswer } from './unanswered.js';

export { didNotAnswer };

/** One line of `doctor`: a source, what was tried, the outcome, and what to do about a failure. */
export interface Check {
  readonly source: 'aws' | 'pagerduty' | 'prometheus' | 'alertmanager' | 'sandbox' | 'journal' | 'team';
  readonly check: string;
  readonly result: 'ok' | 'fail' | 'warn' | 'skip';
  readonly detail: string;
  readonly fix?: string;
  /**
   * The source did not answer as a server should (unreachable, no answer within its deadline, a 5xx or
   * 429, a malformed answer), as opposed to answering "no" (credentials, permissions): `doctor` exits 4.
   */
  readonly sourceFailed?: true;
}

/** A probe; its fix reads the failure's message and the error itself (a probe's own failure is a class, not a wording). */
type Probe = { check: string; run: () => Promise<string>; fix: (message: string, error: unknown) => string };

/** Managed alarms that saw no datapoints in their evaluation window: they judge nothing and never page. */
class BlindAlarmsError extends Error {}

function messageOf(error: unknown): string {
  // The SDK's "AbortError: Request aborted" says nothing: name the deadline that aborted it.
  const cause = (error as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof DeadlineError) return `no answer within ${seconds(cause.ms)} (the request deadline)`;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e?.message ?? String(error)}`.slice(0, 600);
}

function denied(message: string): boolean {
  return /AccessDenied|UnauthorizedOperation|not authorized|Forbidden|HTTP 403/i.test(message);
}

/**
 * Runs probes in order; after a reachability or credential failure the rest of that source is skipped,
 * and so is everything after the source's deadline (`budgetMs` for all its probes together).
 */
async function runProbes(
  source: Check['source'],
  probes: readonly Probe[],
  budgetMs: number,
  gate = 1,
): Promise<Check[]> {
  const out: Check[] = [];
  const started = Date.now();
  let blocked: string | undefined;
  for (const [i, p] of probes.entries()) {
    const left = budgetMs - (Date.now() - started);
    if (!blocked && left <= 0) blocked = `no time left (the source deadline is ${seconds(budgetMs)})`;
    if (blocked) {
      out.push({ source, check: p.check, result: 'skip', detail: `not tried: ${blocked}` });
      continue;
    }
    try {
      out.push({ source, check: p.check, result: 'ok', detail: await withDeadline(source, left, () => p.run()) });
    } catch (error) {
      const message = messageOf(error);
      const failed = didNotAnswer(error);
      out.push({
        source,
        check: p.check,
        result: 'fail',
        detail: message,
        fix: p.fix(message, error),
        ...(failed ? { sourceFailed: true as const } : {}),
      });
      if (i < gate || error instanceof DeadlineError) blocked = `${p.check} failed`;
    }
  }
  return out;
}

const awsFix = (action: string) => (m: string) =>
  denied(m)
    ? `allow ${action} in the IAM policy of this role (README, "IAM policy")`
    : /credential|ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch|security token/i.test(m)
      ? 'refresh the credentials: aws sso login, or check AWS_PROFILE / aws.profile'
      : /ECONNREFUSED|ENOTFOUND|timed out|ETIMEDOUT|socket|no answer|malformed/i.test(m)
        ? 'check the network path to AWS (or aws.endpointUrl)'
        : `see the message; the product calls ${action}`;

/** The IP set waf.block-address adds to: readable (UpdateIPSet, a write, is not tried). */
function wafProbe(
  set: NonNullable<NonNullable<Config['aws']>['wafIpSet']>,
  options: import('./aws/clients.js').AwsClientOptions,
): Probe {
  return {
    check: 'wafv2:GetIPSet (aws.wafIpSet)',
    run: async () => {
      const { createWafAddressBlocker } = await import('./aws/waf.js');
      const waf = await createWafAddressBlocker({ ...options, maxAttempts: 1 }, set);
      try {
        const now = await waf.blocker.blocked('192.0.2.0');
        return `${set.scope} IP set ${set.name}: ${now.size} entr${now.size === 1 ? 'y' : 'ies'}`;
      } finally {
        waf.close();
      }
    },
    fix: (m) =>
      /WAFNonexistentItemException|not found|does not exist/i.test(m)
        ? `check aws.wafIpSet: no ${set.scope} IP set ${set.name} with id ${set.id} in this region`
        : awsFix('wafv2:GetIPSet and wafv2:UpdateIPSet')(m),
  };
}

async function awsChecks(
  aws: NonNullable<Config['aws']>,
  deadlines: Deadlines,
  logs?: Config['logs'],
): Promise<Check[]> {
  const [{ awsOptionsFromConfig }, { createAwsClients, clientConfig }, sts, cw, ecs, aas, rds] = await Promise.all([
    import('./aws/index.js'),
    import('./aws/clients.js'),
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/client-cloudwatch'),
    import('@aws-sdk/client-ecs'),
    import('@aws-sdk/client-application-auto-scaling'),
    import('@aws-sdk/client-rds'),
  ]);
  let options;
  try {
    options = awsOptionsFromConfig(aws, undefined, deadlines);
  } catch (error) {
    return [
      {
        source: 'aws',
        check: 'configuration',
        result: 'fail',
        detail: messageOf(error),
        fix: 'vitascope-oncall config set aws.region ap-northeast-1',
      },
    ];
  }
  const clients = createAwsClients({ ...options, maxAttempts: 1 });
  // Logs and traces (doctorLogs.ts): their clients are made by their first probe.
  const logChecks = (await import('./doctorLogs.js')).logProbes({ logs }, options, awsFix);
  const stsClient = new sts.STSClient({ ...clientConfig(options), maxAttempts: 1 });
  const now = Date.now();
  let firstCluster: string | undefined;
  try {
    return await runProbes(
      'aws',
      [
        {
          check: 'credentials (sts:GetCallerIdentity)',
          run: async () => {
            const id = await stsClient.send(new sts.GetCallerIdentityCommand({}));
            return `account ${id.Account ?? '?'} as ${(id.Arn ?? '?').replace(/^arn:aws:(iam|sts)::\d+:/, '')} in ${options.region}`;
          },
          fix: awsFix('sts:GetCallerIdentity'),
        },
        {
          check: 'cloudwatch:DescribeAlarms',
          run: async () => {
            const r = await clients.cloudwatch.send(
              new cw.DescribeAlarmsCommand({ MaxRecords: 1, AlarmNamePrefix: options.alarmPrefix }),
            );
            return `${(r.MetricAlarms?.length ?? 0) + (r.CompositeAlarms?.length ?? 0) > 0 ? 'alarms found' : 'no alarms (yet)'}${options.alarmPrefix ? ` with prefix ${options.alarmPrefix}` : ''}`;
          },
          fix: awsFix('cloudwatch:DescribeAlarms'),
        },
        {
          check: 'cloudwatch:DescribeAlarmHistory',
          run: async () => (
            await clients.cloudwatch.send(
              new cw.DescribeAlarmHistoryCommand({ MaxRecords: 1, HistoryItemType: 'StateUpdate' }),
            ),
            'readable'
          ),
          fix: awsFix('cloudwatch:DescribeAlarmHistory'),
        },
        {
          check: 'cloudwatch:GetMetricData',
          run: async () => {
            await clients.cloudwatch.send(
              new cw.GetMetricDataCommand({
                StartTime: new Date(now - 600_000),
                EndTime: new Date(now),
                MetricDataQueries: [
                  {
                    Id: 'q0',
                    MetricStat: {
                      Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization' },
                      Period: 300,
                      Stat: 'Average',
                    },
                  },
                ],
              }),
            );
            return 'readable';
          },
          fix: awsFix('cloudwatch:GetMetricData'),
        },
        {
          check: 'alarms see data (cloudwatch:GetMetricData)',
          run: async () => {
            const [{ describeMetricAlarms }, { alarmDatapoints }, { noDataFindings }] = await Promise.all([
              import('./aws/alarmDefinitions.js'),
              import('./aws/alarmData.js'),
              import('../core/alarms/deployed.js'),
            ]);
            const alarms = await describeMetricAlarms(clients.cloudwatch, options.alarmPrefix ?? '');
            const counts = await alarmDatapoints(clients.cloudwatch, alarms, now, AbortSignal.timeout(20_000));
            const blind = noDataFindings(alarms, counts, now, DEFAULT_POLICY.rules);
            if (blind.length)
              throw new BlindAlarmsError(
                `${blind.length} of ${alarms.length} alarms see no data (they never page); first: ${blind[0]!.alarm}: ${blind[0]!.message}`,
              );
            const unknown = [...counts.values()].filter((v) => v === undefined).length;
            return `${alarms.length} alarm${alarms.length === 1 ? '' : 's'}: every one saw datapoints in its evaluation window${unknown ? ` (${unknown} could not be asked about)` : ''}`;
          },
          fix: (m, error) =>
            error instanceof BlindAlarmsError
              ? 'the message says what to do for the first; vitascope-oncall alarms audit lists every one (kind no-data)'
              : awsFix('cloudwatch:GetMetricData')(m),
        },
        {
          check: 'ecs:ListClusters / ListServices / DescribeServices',
          run: async () => {
            const clusters = options.clusters?.length
              ? [...options.clusters]
              : ((await clients.ecs.send(new ecs.ListClustersCommand({ maxResults: 10 }))).clusterArns ?? []);
            firstCluster = clusters[0];
            if (!firstCluster) return 'no clusters in this region';
            const services =
              (await clients.ecs.send(new ecs.ListServicesCommand({ cluster: firstCluster, maxResults: 1 })))
                .serviceArns ?? [];
            if (services.length)
              await clients.ecs.send(new ecs.DescribeServicesCommand({ cluster: firstCluster, services }));
            return `${clusters.length} cluster(s); ${services.length ? 'services readable' : `no services in ${firstCluster.replace(/^.*\//, '')}`}`;
          },
          fix: awsFix('ecs:ListClusters, ecs:ListServices and ecs:DescribeServices'),
        },
        {
          check: 'application-autoscaling:DescribeScalableTargets',
          run: async () => {
            const r = await clients.autoscaling.send(
              new aas.DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', MaxResults: 1 }),
            );
            return r.ScalableTargets?.length ? 'scalable targets readable' : 'no ECS scalable targets';
          },
          fix: awsFix('application-autoscaling:DescribeScalableTargets'),
        },
        {
          check: 'rds:DescribeDBInstances',
          run: async () => {
            const r = await clients.rds.send(new rds.DescribeDBInstancesCommand({ MaxRecords: 20 }));
            return `${r.DBInstances?.length ?? 0} instance(s)`;
          },
          fix: awsFix('rds:DescribeDBInstances'),
        },
        ...(aws.wafIpSet ? [wafProbe(aws.wafIpSet, options)] : []),
        ...logChecks.probes,
      ],
      deadlines.sourceMs,
    );
  } finally {
    clients.destroy();
    logChecks.close();
    stsClient.destroy();
  }
}

async function pagerDutyChecks(pd: NonNullable<Config['pagerduty']>, deadlines: Deadlines): Promise<Check[]> {
  const [{ PagerDutyClient }, schemas] = await Promise.all([
    import('./pagerduty/index.js'),
    import('./pagerduty/schemas.js'),
  ]);
  const client = new PagerDutyClient({ ...pd, rateLimit: { maxRetries: 0 }, requestTimeoutMs: deadlines.requestMs });
  /** One page of a list, checked as the adapter checks it: an answer without the list is not "readable". */
  const list = async (path: string, key: string, item: import('zod').ZodType) => {
    const page = schemas.checked(
      `PagerDuty GET ${path}`,
      schemas.listEnvelope(key),
      await client.get(path, { limit: '1' }),
    );
    schemas.checkedItems(`PagerDuty GET ${path}`, key, item, page[key] as unknown[]);
  };
  const fix = (what: string) => (m: string) =>
    /401|Unauthorized|token/i.test(m)
      ? 'the token is not valid: create a REST API key (read-only is enough to watch; full access to act) and set PAGERDUTY_TOKEN'
      : /403/.test(m)
        ? `the token may not ${what}: use a full-access key for the actions`
        : /ENOTFOUND|ECONNREFUSED|timed out|no answer|malformed/i.test(m)
          ? `check the network path to PagerDuty (${pd.serviceRegion === 'eu' ? 'api.eu.pagerduty.com' : 'api.pagerduty.com'})`
          : 'see the message';
  try {
    const checks = await runProbes(
      'pagerduty',
      [
        {
          check: 'token (GET /priorities)',
          run: async () => (await list('/priorities', 'priorities', schemas.prioritySchema), 'accepted'),
          fix: fix('read priorities'),
        },
        {
          check: 'incidents (GET /incidents)',
          run: async () => (await list('/incidents', 'incidents', schemas.incidentSchema), 'readable'),
          fix: fix('read incidents'),
        },
        {
          check: 'on-call (GET /oncalls)',
          run: async () => (await list('/oncalls', 'oncalls', schemas.onCallSchema), 'readable'),
          fix: fix('read on-call'),
        },
        {
          check: 'escalation policies (GET /escalation_policies)',
          run: async () => (
            await list('/escalation_policies', 'escalation_policies', schemas.escalationPolicySchema),
            'readable'
          ),
          fix: fix('read escalation policies'),
        },
      ],
      deadlines.sourceMs,
    );
    checks.push(
      pd.from
        ? { source: 'pagerduty', check: 'From header for actions', result: 'ok', detail: `acting as ${pd.from}` }
        : {
            source: 'pagerduty',
            check: 'From header for actions',
            result: 'warn',
            detail: 'pagerduty.from is not set: acknowledging, notes and other actions will be refused',
            fix: 'vitascope-oncall config set pagerduty.from you@example.com',
          },
    );
    return checks;
  } finally {
    client.close();
  }
}

/** What to do about a failed read of a Prometheus-family server: not reachable, or not let in. */
function httpFix(
  name: 'Prometheus' | 'Alertmanager',
  url: string,
  auth: HttpAuth | undefined,
): (message: string) => string {
  const key = name.toLowerCase();
  return (m) => {
    if (/ECONNREFUSED|ENOTFOUND|fetch failed|timed out|abort|no answer|malformed/i.test(m))
      return `check that ${name} answers at ${maskUrl(url)} (${key}.url / VITASCOPE_${name.toUpperCase()}_URL)`;
    if (/\b(401|403)\b|unauthori[sz]ed|forbidden/i.test(m)) {
      return auth?.token
        ? `the proxy refused the credentials: check ${key}.token (VITASCOPE_${name.toUpperCase()}_TOKEN)${auth.user !== undefined ? ` and ${key}.user` : ''}`
        : `${name} needs credentials: set VITASCOPE_${name.toUpperCase()}_TOKEN (a bearer token), plus ${key}.user for basic auth`;
    }
    return 'see the message';
  };
}

async function prometheusChecks(
  url: string,
  auth: HttpAuth | undefined,
  metrics: AppMetricsSettings | undefined,
  deadlines: Deadlines,
): Promise<Check[]> {
  const [{ createPrometheusSources }, { appMetricChecks }] = await Promise.all([
    import('./prometheus/index.js'),
    import('./prometheus/doctor.js'),
  ]);
  const prom = createPrometheusSources({ url, timeoutMs: deadlines.requestMs, ...(auth ? { auth } : {}), metrics });
  const reach = httpFix('Prometheus', url, auth);
  try {
    // One deadline for the whole source, as for the others.
    const started = Date.now();
    const left = () => Math.max(0, deadlines.sourceMs - (Date.now() - started));
    const reachable = await runProbes(
      'prometheus',
      [
        {
          check: 'reachable (query API)',
          run: async () => (await prom.client.query('vector(1)'), `answers at ${maskUrl(url)}`),
          fix: reach,
        },
      ],
      deadlines.sourceMs,
    );
    if (reachable[0]!.result !== 'ok')
      return [
        ...reachable,
        {
          source: 'prometheus',
          check: 'app metrics (prometheus.metrics.*)',
          result: 'skip',
          detail: 'not tried: reachable (query API) failed',
        },
      ];
    // What the server has against the configured names: each row names the setting to change.
    const app = await withDeadline('prometheus', left(), () =>
      appMetricChecks(prom.client, prom.names.configured),
    ).then(
      (rows) => rows.map((r): Check => ({ source: 'prometheus', ...r })),
      (error: unknown): Check[] => [
        {
          source: 'prometheus',
          check: 'app metrics (prometheus.metrics.*)',
          result: 'fail',
          detail: messageOf(error),
          fix: reach(messageOf(error)),
        },
      ],
    );
    const rest = await runProbes(
      'prometheus',
      [
        {
          check: 'named query p95 latency',
          run: async () => (await prom.query('p95_latency_seconds'), 'evaluates'),
          fix: () => 'see the message',
        },
        {
          check: 'rules (GET /api/v1/rules)',
          run: async () => `${(await prom.client.alertingRules()).length} alerting rule(s)`,
          fix: reach,
        },
      ],
      left(),
      0,
    );
    return [...reachable, ...app, ...rest];
  } finally {
    await prom.close();
  }
}

async function alertmanagerChecks(url: string, auth: HttpAuth | undefined, deadlines: Deadlines): Promise<Check[]> {
  const { createAlertmanagerSources } = await import('./alertmanager/index.js');
  const am = createAlertmanagerSources({ url, timeoutMs: deadlines.requestMs, ...(auth ? { auth } : {}) });
  const reach = httpFix('Alertmanager', url, auth);
  try {
    return await runProbes(
      'alertmanager',
      [
        {
          check: 'reachable (GET /api/v2/status)',
          run: async () => `version ${(await am.client.status()).version ?? '?'}`,
          fix: reach,
        },
        {
          check: 'alerts (GET /api/v2/alerts)',
          run: async () => `${(await am.client.listAlerts()).length} alert(s)`,
          fix: reach,
        },
        {
          check: 'silences (GET /api/v2/silences)',
          run: async () => `${(await am.client.listSilences()).length} silence(s)`,
          fix: reach,
        },
      ],
      deadlines.sourceMs,
    );
  } finally {
    await am.close();
  }
}

/** Every configured source, checked with harmless reads only (the journals are checked by the command: commands/doctorJournal.ts). */
export async function runDoctor(config: Config, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const team = await teamChecks(config, env);
  return [...(await sourceChecks(config, env)), ...team];
}

async function sourceChecks(config: Config, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const c = configured(config, env);
  if (!Object.values(c).some(Boolean)) {
    return [
      {
        source: 'sandbox',
        check: 'sources',
        result: 'warn',
        detail: 'nothing configured: the product runs on the sandbox',
        fix: 'README, "Pointing it at production"',
      },
    ];
  }
  const deadlines = deadlinesFor(config);
  const parts = await Promise.all([
    c.aws && config.aws
      ? awsChecks(config.aws, deadlines, config.logs)
      : Promise.resolve([{ source: 'aws', check: 'configured', result: 'skip', detail: 'aws.* not set' } as Check]),
    c.pagerduty && config.pagerduty
      ? pagerDutyChecks(config.pagerduty, deadlines)
      : Promise.resolve([
          { source: 'pagerduty', check: 'configured', result: 'skip', detail: 'PAGERDUTY_TOKEN not set' } as Check,
        ]),
    c.prometheus && config.prometheus?.url
      ? prometheusChecks(config.prometheus.url, config.prometheus, config.prometheus.metrics, deadlines)
      : Promise.resolve([
          { source: 'prometheus', check: 'configured', result: 'skip', detail: 'prometheus.url not set' } as Check,
        ]),
    c.alertmanager && config.alertmanager?.url
      ? alertmanagerChecks(config.alertmanager.url, config.alertmanager, deadlines)
      : Promise.resolve([
          { source: 'alertmanager', check: 'configured', result: 'skip', detail: 'alertmanager.url not set' } as Check,
        ]),
  ]);
  return parts.flat();
}
