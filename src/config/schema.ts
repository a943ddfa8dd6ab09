import * as z from 'zod';
import { policyOverridesSchema } from '../core/policy/overrides.js';
import { scenarioNames } from '../sources/sandbox/scenarios.js';
import { alarmsSectionSchema } from '../core/alarms/inventory.js';
import { SILENCE_MAX_CEILING_MS } from '../core/actions/limits.js';
import { isTimeZone, parseDuration } from '../core/time.js';
import { LABEL_NAME, METRIC_NAME } from '../core/appMetrics.js';
import { checkTeamUrl } from '../sources/team/connect.js';

const url = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
const keyList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
/** CloudWatch Logs' own rule for a log group's name. */
const logGroupName = z
  .string()
  .regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, 'a CloudWatch log group name such as /ecs/vitascope-api');
const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'an AWS region such as ap-northeast-1');

/**
 * A Prometheus-family server, usually behind an authenticating proxy: `token` alone is sent as a
 * bearer token, with `user` as HTTP basic auth (Prometheus's own web.config basic_auth_users, Grafana
 * Cloud). The token is a secret: masked by `config get|list`, better given in the environment.
 */
const httpServer = z
  .object({ url, token: z.string().min(1), user: z.string().min(1) })
  .partial()
  .strict();

const metricName = z.string().regex(METRIC_NAME, 'a Prometheus metric name such as app_request_count_total');
const labelName = z
  .string()
  .regex(LABEL_NAME, 'a Prometheus label name such as job')
  .refine((s) => !s.startsWith('__'), 'not a reserved __ label');

/**
 * The app's metrics as the Prometheus server has them (core/appMetrics.ts has the defaults, which are
 * prometheus_client's names for the strategy's code): every query, gate, rule and doctor check uses these.
 */
const appMetricsSchema = z
  .object({
    /** The counter's series name as exposed: app_request_count_total (prometheus_client appends _total). */
    requestCount: metricName,
    /** The histogram's name, without _bucket/_sum/_count. */
    requestLatency: metricName.refine(
      (s) => !/_(bucket|sum|count)$/.test(s),
      "the histogram's name without _bucket, _sum or _count (app_request_latency_seconds)",
    ),
    /** The API's value of the service label (its scrape job); "" for every series. */
    service: z.string(),
    labels: z
      .object({ service: labelName, endpoint: labelName, statusCode: labelName, method: labelName })
      .partial()
      .strict(),
    /** Prometheus's scrape_interval for the app: rates span at least four of them. */
    scrapeInterval: z
      .string()
      .regex(/^\d+(s|m|h)$/, 'a duration like 15s or 1m')
      .refine((v) => {
        const n = Number(v.slice(0, -1)) * (v.endsWith('h') ? 3600 : v.endsWith('m') ? 60 : 1);
        return n >= 1 && n <= 3600;
      }, 'between 1s and 1h'),
  })
  .partial()
  .strict();

/**
 * The configuration file (config.json in the platform's config directory). Every object is strict,
 * so a misspelt key is reported by name instead of being silently ignored.
 */
export const configSchema = z
  .object({
    aws: z
      .object({
        profile: z.string().min(1),
        region: awsRegion,
        endpointUrl: url,
        /** Marks the account as production: a red banner and typed confirmations. */
        production: z.boolean(),
        accountLabel: z.string().min(1),
        /** ECS clusters to watch; all clusters in the region when unset. */
        clusters: z.array(z.string().min(1)),
        /** Only alarms whose names start with this (filtered by CloudWatch itself). */
        alarmPrefix: z.string().min(1),
        /** max_connections per DB instance, when the parameter group's formula should not be trusted. */
        maxConnections: z.record(z.string().min(1), z.number().int().positive()),
        /** The WAF IP set waf.block-address adds to (an IP set referenced by a blocking rule). */
        wafIpSet: z
          .object({
            name: z.string().min(1),
            id: z.string().min(1),
            scope: z.enum(['REGIONAL', 'CLOUDFRONT']).default('REGIONAL'),
          })
          .strict(),
      })
      .partial()
      .strict(),
    pagerduty: z
      .object({
        token: z.string().min(1),
        serviceRegion: z.enum(['us', 'eu']),
        /** The email of the PagerDuty user acting (the From header of write calls). */
        from: z.email(),
        serviceIds: z.array(z.string().min(1)),
        escalationPolicyId: z.string().min(1),
        /** Overrides the API host, for tests against a local server. */
        apiUrl: url,
      })
      .partial()
      .strict(),
    prometheus: httpServer.extend({ metrics: appMetricsSchema }).partial().strict(),
    alertmanager: httpServer,
    sandbox: z
      .object({
        scenario: z.enum(scenarioNames() as [string, ...string[]]),
        seed: z.number().int().nonnegative(),
        speed: z.number().positive().max(10_000),
      })
      .partial()
      .strict(),
    user: z
      .object({ name: z.string().min(1), email: z.email() })
      .partial()
      .strict(),
    readonly: z.boolean(),
    /**
     * Key overrides for the cockpit, by command id: { "incident": { "ack": ["a", "A"] } } or
     * { "incident.ack": "a" } (ids are listed on the help screen).
     */
    keys: z.record(z.string().min(1), z.union([keyList, z.record(z.string().min(1), keyList)])),
    /**
     * Logs and traces (sources/logGroups.ts has the strategy's defaults): the log groups of each service
     * (a service given here replaces its default groups; at most 50, Logs Insights' limit per query), whether
     * windows are read with Logs Insights (else FilterLogEvents), and the bytes kept of one message.
     */
    logs: z
      .object({
        groups: z.record(z.string().min(1).max(255), z.array(logGroupName).min(1).max(50)),
        insights: z.boolean(),
        maxMessageBytes: z.number().int().min(256).max(262_144),
      })
      .partial()
      .strict(),
    /**
     * Traces (X-Ray): the service names `traces` accepts beyond the strategy's services and those of
     * logs.groups (an X-Ray service name is the name the app's X-Ray SDK reports, e.g. vitascope-api).
     */
    traces: z
      .object({ services: z.array(z.string().min(1).max(255)).max(100) })
      .partial()
      .strict(),
    /** Folders of the team's own runbooks, read after the shipped ones. */
    runbooks: z
      .object({ dirs: z.array(z.string().min(1)) })
      .partial()
      .strict(),
    /** How often each live source is refreshed, in seconds. */
    refresh: z
      .object({
        alarms: z.number().min(1).max(3600),
        services: z.number().min(1).max(3600),
        incidents: z.number().min(1).max(3600),
        onCall: z.number().min(1).max(3600),
        metrics: z.number().min(1).max(3600),
        alerts: z.number().min(1).max(3600),
      })
      .partial()
      .strict(),
    /** Deadlines in seconds (sources/deadlines.ts): connecting, one request, all a headless command waits for a source. */
    timeouts: z
      .object({
        connect: z.number().min(0.1).max(120),
        request: z.number().min(0.1).max(600),
        source: z.number().min(0.1).max(3600),
      })
      .partial()
      .strict(),
    policy: policyOverridesSchema,
    /** What `alarms export|audit|apply` deploy the policy onto: resources, actions, targets. */
    alarms: alarmsSectionSchema,
    /**
     * Limits of the remediations by meaning: the widest range waf.block-address may block (prefix length:
     * 24 allows a /24 and narrower), the longest Alertmanager silence. The whole internet and private,
     * loopback, link-local, multicast and reserved ranges are refused whatever these say.
     */
    /**
     * The team timeline (README, "Team"): the journal replicated through PostgreSQL. `url` is
     * postgres://user@host:port/db?sslmode=… without a password (VITASCOPE_TEAM_PASSWORD or ~/.pgpass);
     * `id` names the team in every row; `retainDays` how long the server keeps events.
     */
    team: z
      .object({
        url: z.string().refine((v) => checkTeamUrl(v) === undefined, {
          error: (i) => checkTeamUrl(String(i.input)) ?? 'a postgres:// URL',
        }),
        id: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'letters, digits, . _ - (at most 128)'),
        schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL name (letters, digits, _)'),
        retainDays: z.number().int().min(1).max(3650),
      })
      .partial()
      .strict()
      .refine((t) => t.url === undefined || t.id !== undefined, {
        error: 'team.id is needed with team.url (the team every row belongs to)',
        path: ['id'],
      }),
    /**
     * How the cockpit and the reports speak: `timezone` (an IANA zone; default the machine's, `--utc` for
     * UTC), `lang` (en or ja; default from LC_ALL/LC_MESSAGES/LANG, `--lang`), `links` (OSC 8 links and
     * OSC 52 copy where the terminal supports them; `--no-links` turns them off).
     */
    display: z
      .object({
        timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Tokyo or UTC'),
        lang: z.enum(['en', 'ja'], { error: 'en or ja' }),
        links: z.boolean(),
      })
      .partial()
      .strict(),
    limits: z
      .object({
        blockPrefixV4: z.number().int().min(1).max(32),
        blockPrefixV6: z.number().int().min(1).max(128),
        silenceMax: z.string().refine((v) => {
          const ms = parseDuration(v);
          return ms !== undefined && ms >= 60_000 && ms <= SILENCE_MAX_CEILING_MS;
        }, 'a duration from 1m to 90d, such as 7d or 12h'),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type Config = z.infer<typeof configSchema>;

// Kept beside the light reader (load.ts), which needs them without zod; exported here as before.
export { ENV_OVERRIDES, isSecretKey } from './load.js';
