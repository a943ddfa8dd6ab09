/**
 * `doctor`'s checks of the logs and traces reads (kept apart from doctor.ts, which holds the other sources):
 * every configured log group exists and can be read (logs:FilterLogEvents), Logs Insights answers
 * (logs:StartQuery, logs:GetQueryResults; skipped with logs.insights false), and X-Ray can be read
 * (xray:GetTraceSummaries, xray:BatchGetTraces). Each probe is one small read of the last five minutes.
 */
import type { Config } from '../config/schema.js';
import type { AwsClientOptions } from './aws/clients.js';
import { logGroupsFor } from './logGroups.js';

/** A check as doctor.ts runs it: what is tried, the detail on success, the fix for a failure's message. */
export interface LogProbe {
  readonly check: string;
  run(): Promise<string>;
  fix(message: string): string;
}

const WINDOW_MS = 5 * 60_000;
/** A trace id that exists nowhere: BatchGetTraces answers it as unprocessed when the permission is there. */
const NO_TRACE = '1-00000000-000000000000000000000000';

/**
 * The probes, sharing one pair of clients made on the first probe; `close` destroys them. `awsFix` is
 * doctor.ts's advice for an AWS failure ("allow X in the IAM policy", "refresh the credentials", …).
 */
export function logProbes(
  config: Pick<Config, 'logs'>,
  options: AwsClientOptions,
  awsFix: (action: string) => (m: string) => string,
): { probes: LogProbe[]; close(): void } {
  let made: Promise<import('./aws/clients.js').LogClients> | undefined;
  const clients = () =>
    (made ??= import('./aws/clients.js').then((m) => m.createLogClients({ ...options, maxAttempts: 1 })));
  const byService = logGroupsFor(config);
  const groups = [...new Set(Object.values(byService).flat())];
  const serviceOf = (group: string) => Object.keys(byService).find((s) => byService[s]!.includes(group)) ?? '?';
  let readable: string | undefined;

  const probes: LogProbe[] = [
    {
      check: 'logs:FilterLogEvents (every log group of logs.groups)',
      async run() {
        const [{ logs }, { FilterLogEventsCommand }] = await Promise.all([
          clients(),
          import('@aws-sdk/client-cloudwatch-logs'),
        ]);
        const now = Date.now();
        const missing: string[] = [];
        for (const group of groups) {
          try {
            await logs.send(
              new FilterLogEventsCommand({ logGroupName: group, startTime: now - WINDOW_MS, endTime: now, limit: 1 }),
            );
            readable ??= group;
          } catch (error) {
            if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
            missing.push(group);
          }
        }
        if (missing.length)
          throw new Error(
            `log group${missing.length > 1 ? 's' : ''} not found: ${missing.map((g) => `${g} (${serviceOf(g)})`).join(', ')}`,
          );
        return `${groups.length} log group${groups.length === 1 ? '' : 's'} readable`;
      },
      fix: (m) =>
        /not found/.test(m)
          ? 'set the service\'s groups: vitascope-oncall config set logs.groups \'{"vitascope-api":["/ecs/…"]}\''
          : awsFix('logs:FilterLogEvents')(m),
    },
    {
      check: 'logs:StartQuery / logs:GetQueryResults (Logs Insights)',
      async run() {
        if (config.logs?.insights === false)
          return 'not used (logs.insights is false): windows are read with FilterLogEvents';
        const group = readable ?? groups[0];
        if (!group) return 'no log group configured';
        const [{ logs }, { StartQueryCommand, GetQueryResultsCommand, StopQueryCommand }] = await Promise.all([
          clients(),
          import('@aws-sdk/client-cloudwatch-logs'),
        ]);
        const now = Date.now();
        const { queryId } = await logs.send(
          new StartQueryCommand({
            logGroupNames: [group],
            startTime: Math.floor((now - WINDOW_MS) / 1000),
            endTime: Math.ceil(now / 1000),
            queryString: 'fields @timestamp | limit 1',
            limit: 1,
          }),
        );
        if (!queryId) throw new Error('StartQuery answered without a queryId');
        const out = await logs.send(new GetQueryResultsCommand({ queryId }));
        // Nothing more is needed of it: do not let it scan on (StopQuery is not in the policy: a refusal is fine).
        if (out.status === 'Running' || out.status === 'Scheduled')
          await logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
        return `Logs Insights answers (${group}: query ${out.status ?? 'status unknown'})`;
      },
      fix: (m) =>
        `${awsFix('logs:StartQuery and logs:GetQueryResults')(m)}; without them windows are read with FilterLogEvents (slower)`,
    },
    {
      check: 'xray:GetTraceSummaries',
      async run() {
        const [{ xray }, { GetTraceSummariesCommand }] = await Promise.all([clients(), import('@aws-sdk/client-xray')]);
        const now = Date.now();
        const out = await xray.send(
          new GetTraceSummariesCommand({
            StartTime: new Date(now - WINDOW_MS),
            EndTime: new Date(now),
            Sampling: false,
          }),
        );
        const n = out.TraceSummaries?.length ?? 0;
        return n
          ? `traces in the last 5 min${out.NextToken ? ' (more than one page)' : `: ${n}`}`
          : 'readable; no traces in the last 5 min (is the X-Ray daemon or ADOT collector sending?)';
      },
      fix: awsFix('xray:GetTraceSummaries'),
    },
    {
      check: 'xray:BatchGetTraces',
      async run() {
        const [{ xray }, { BatchGetTracesCommand }] = await Promise.all([clients(), import('@aws-sdk/client-xray')]);
        await xray.send(new BatchGetTracesCommand({ TraceIds: [NO_TRACE] }));
        return 'readable';
      },
      fix: awsFix('xray:BatchGetTraces'),
    },
  ];
  return {
    probes,
    close() {
      void made?.then((c) => c.destroy()).catch(() => undefined);
    },
  };
}
