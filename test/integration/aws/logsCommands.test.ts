/**
 * `logs` and `traces` (the built binary) against moto behind the front, configured as a real AWS account:
 * lines and patterns read back from what was put, hostile text printed inert (no escape byte on stdout), the
 * offending address found in the patterns, the N+1 span found in the traces, and the usual exit codes.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { describe, expect, it } from 'vitest';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { isolatedEnv, runCli } from '../../harness/cli.js';
import { ensureBuilt } from '../../harness/prometheus.js';

const skip = motoSkipReason();
const API = '/ecs/vitascope-api';

describe.skipIf(skip)('logs and traces commands against AWS (moto)', () => {
  const suite = useAwsSuite();
  const env = () => isolatedEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  const cli = (args: readonly string[]) =>
    runCli(['--endpoint-url', suite.front.url, '--region', 'us-east-1', ...args], env());

  async function seedLogs(): Promise<number> {
    ensureBuilt();
    const now = Date.now();
    const client = new CloudWatchLogsClient(suite.config());
    await client.send(new CreateLogGroupCommand({ logGroupName: API }));
    await client.send(new CreateLogStreamCommand({ logGroupName: API, logStreamName: 'ecs/api/1' }));
    const events: { timestamp: number; message: string }[] = [];
    // The window before (40–20 min ago): health checks only. The window (the last 20 min): a brute force.
    for (let i = 0; i < 40; i++)
      events.push({ timestamp: now - 39 * 60_000 + i * 25_000, message: `GET /health 200 ${3 + (i % 5)}ms` });
    for (let i = 0; i < 30; i++)
      events.push({
        timestamp: now - 19 * 60_000 + i * 30_000,
        message: `POST /auth/login 401 user=${1000 + i} from 203.0.113.${i % 10 === 0 ? 7 : 66}`,
      });
    events.push({ timestamp: now - 60_000, message: '\u001b[2J\u001b]0;owned\u0007 \u009b31m evil' });
    events.sort((a, b) => a.timestamp - b.timestamp);
    await client.send(new PutLogEventsCommand({ logGroupName: API, logStreamName: 'ecs/api/1', logEvents: events }));
    client.destroy();
    return now;
  }

  it('logs: the lines of the window, inert; JSON escaped; an unknown service names the known ones', async () => {
    await seedLogs();
    const text = await cli(['logs', 'api', '--since', '20m']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(text.stdout).toContain('␛[2J␛]0;owned␇ \\u009b31m evil');
    expect(text.stdout.match(/POST \/auth\/login 401/g)).toHaveLength(30);
    expect(text.stdout).not.toContain('GET /health');

    const json = await cli(['logs', 'vitascope-api', '--since', '20m', '--filter', '203.0.113.7', '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
    const parsed = JSON.parse(json.stdout) as { events: { message: string }[]; via: string; complete: boolean };
    expect(parsed.complete).toBe(true);
    expect(parsed.events.map((e) => e.message)).toEqual([
      'POST /auth/login 401 user=1000 from 203.0.113.7',
      'POST /auth/login 401 user=1010 from 203.0.113.7',
      'POST /auth/login 401 user=1020 from 203.0.113.7',
    ]);

    const unknown = await cli(['logs', 'billing']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'vitascope-oncall: logs: unknown service "billing"; known: vitascope-api, vitascope-sync-processor, vitascope-worker (logs.groups in the configuration adds others)\n',
    );
    const badSince = await cli(['logs', 'api', '--since', 'soon']);
    expect(badSince.code).toBe(2);
  });

  it('logs --patterns: the new pattern and its address against the window before', async () => {
    await seedLogs();
    const out = await cli(['logs', 'api', '--since', '20m', '--patterns', '--json']);
    expect(out.code).toBe(0);
    const parsed = JSON.parse(out.stdout) as {
      lines: number;
      previousLines: number;
      patterns: {
        pattern: string;
        count: number;
        trend: { kind: string };
        values: { kind: string; top: { value: string; count: number }[] }[];
      }[];
    };
    expect(parsed.lines).toBe(31);
    expect(parsed.previousLines).toBe(40);
    const login = parsed.patterns.find((p) => p.pattern.startsWith('POST /auth/login'))!;
    expect(login).toMatchObject({ count: 30, trend: { kind: 'new' } });
    expect(login.values.find((v) => v.kind === 'ip')!.top[0]).toMatchObject({ value: '203.0.113.66', count: 27 });
    expect(parsed.patterns.find((p) => p.pattern.startsWith('GET /health'))!.trend.kind).toBe('gone');
  });

  it('logs: a missing log group is a source failure (exit 4), never an empty window', async () => {
    ensureBuilt();
    const out = await cli(['logs', 'worker']);
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(
      /^vitascope-oncall: logs: CloudWatch Logs StartQuery \(\/ecs\/vitascope-worker\) failed: ResourceNotFoundException/,
    );
  });

  it('a source that does not answer: logs and traces give up at timeouts.source with exit 4', async () => {
    await seedLogs();
    suite.front.setFault({ kind: 'slow', delayMs: 30_000 });
    const slowEnv = isolatedEnv({
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      VITASCOPE_TIMEOUT_SOURCE: '2',
      VITASCOPE_TIMEOUT_REQUEST: '1',
    });
    for (const command of ['logs', 'traces']) {
      const started = Date.now();
      const out = await runCli(['--endpoint-url', suite.front.url, '--region', 'us-east-1', command, 'api'], slowEnv);
      const took = Date.now() - started;
      expect(out.code, `${command}: ${out.stderr}`).toBe(4);
      expect(out.stderr).toMatch(new RegExp(`^vitascope-oncall: ${command}: `, 'm'));
      expect(took, command).toBeLessThan(12_000);
    }
    suite.front.setFault({ kind: 'pass' });
  });

  it('traces: the slowest with their critical path and the span that changed most (the N+1 query)', async () => {
    ensureBuilt();
    const now = Date.now();
    const docs: string[] = [];
    let n = 0;
    const request = (t: number, queries: number) => {
      n++;
      const id = `1-${Math.floor(t / 1000).toString(16)}-${n.toString(16).padStart(24, '0')}`;
      const s = t / 1000;
      docs.push(
        JSON.stringify({
          id: (0x1000 + n).toString(16).padStart(16, '0'),
          trace_id: id,
          name: 'vitascope-api',
          start_time: s,
          end_time: s + 0.02 + queries * 0.03,
          http: { request: { method: 'GET', url: 'https://api.example/users/me' }, response: { status: 200 } },
          subsegments: Array.from({ length: queries }, (_, q) => ({
            id: (0x100000 + n * 100 + q).toString(16).padStart(16, '0'),
            name: 'db',
            start_time: s + 0.01 + q * 0.03,
            end_time: s + 0.01 + q * 0.03 + 0.03,
            sql: { sanitized_query: 'SELECT * FROM readings WHERE user_id = ?' },
          })),
        }),
      );
    };
    for (let i = 0; i < 4; i++) request(now - 50 * 60_000 + i * 60_000, 1);
    for (let i = 0; i < 4; i++) request(now - 20 * 60_000 + i * 60_000, 15);
    const xray = new XRayClient(suite.config());
    await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: docs }));
    xray.destroy();

    const out = await cli(['traces', 'api', '--since', '30m', '--json']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const parsed = JSON.parse(out.stdout) as {
      traces: number;
      previousTraces: number;
      slowest: { durationMs: number; criticalPath: { operation: string; spans: number }[] }[];
      changed: { operation: string; addedMsPerTrace: number } | null;
    };
    expect(parsed.traces).toBe(4);
    expect(parsed.previousTraces).toBe(4);
    expect(parsed.slowest[0]!.durationMs).toBe(470);
    expect(parsed.changed).toMatchObject({ operation: 'SQL SELECT * FROM readings WHERE user_id = ?' });
    expect(parsed.changed!.addedMsPerTrace).toBeGreaterThan(400);

    const text = await cli(['traces', 'api', '--since', '30m']);
    expect(text.stdout).toContain(
      'Changed most against the 30m before: vitascope-api SQL SELECT * FROM readings WHERE user_id = ? — 15.0 per request (was 1.0)',
    );
  });
});

describe.skipIf(skip)('doctor: the logs and traces permissions (moto)', () => {
  const suite = useAwsSuite();
  const env = () => isolatedEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  type Report = { checks: { source: string; check: string; result: string; detail: string; fix?: string }[] };
  const doctor = async () => {
    const r = await runCli(['--endpoint-url', suite.front.url, '--region', 'us-east-1', 'doctor', '--json'], env());
    return (JSON.parse(r.stdout) as Report).checks.filter((c) => /^(logs|xray):/.test(c.check));
  };

  it('names the missing log groups, then reads every group, Logs Insights and X-Ray; a refused permission names it', async () => {
    ensureBuilt();
    const missing = await doctor();
    expect(missing.map((c) => c.check)).toEqual([
      'logs:FilterLogEvents (every log group of logs.groups)',
      'logs:StartQuery / logs:GetQueryResults (Logs Insights)',
      'xray:GetTraceSummaries',
      'xray:BatchGetTraces',
    ]);
    expect(missing[0]).toMatchObject({
      result: 'fail',
      detail:
        'log groups not found: /ecs/vitascope-api (vitascope-api), /ecs/vitascope-worker (vitascope-worker), /aws/lambda/vitascope-sync-processor (vitascope-sync-processor)',
    });
    expect(missing[0]!.fix).toContain('config set logs.groups');

    const client = new CloudWatchLogsClient(suite.config());
    for (const logGroupName of ['/ecs/vitascope-api', '/ecs/vitascope-worker', '/aws/lambda/vitascope-sync-processor'])
      await client.send(new CreateLogGroupCommand({ logGroupName }));
    client.destroy();
    const ok = await doctor();
    for (const c of ok) expect(c.result, `${c.check}: ${c.detail}`).toBe('ok');
    expect(ok[0]!.detail).toBe('3 log groups readable');

    suite.front.setFault(
      {
        kind: 'error',
        status: 400,
        body: JSON.stringify({
          __type: 'AccessDeniedException',
          message: 'User is not authorized to perform: xray:GetTraceSummaries',
        }),
      },
      Infinity,
      ['TraceSummaries'],
    );
    const denied = await doctor();
    const xray = denied.find((c) => c.check === 'xray:GetTraceSummaries')!;
    expect(xray.result).toBe('fail');
    expect(xray.fix).toBe('allow xray:GetTraceSummaries in the IAM policy of this role (README, "IAM policy")');
  });
});
