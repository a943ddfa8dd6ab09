/**
 * The CloudWatch Logs adapter against moto behind the front: Logs Insights for a window, the fall back to
 * FilterLogEvents where moto's Insights cannot answer (it skips `filter`), paging with nextToken, deadlines
 * honoured (a slow scan, a query that does not finish: StopQuery), and hostile lines (escape sequences,
 * 100 KB messages, invalid UTF-8) bounded and well formed. The events are read back from moto itself.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { motoSkipReason, TEST_CREDENTIALS, TEST_REGION } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { CloudWatchLogsAdapter } from '../../../src/sources/aws/logs.js';
import { createLogClients } from '../../../src/sources/aws/clients.js';

const skip = motoSkipReason();
const API = '/ecs/vitascope-api';
const WORKER = '/ecs/vitascope-worker';
const ESCAPES = '\u001b[2J\u001b]0;pwned\u0007 login failed from 203.0.113.9 \u009b31m';
const HUGE = `GET /users/me ${'x'.repeat(100_000)}`;
const BROKEN = 'bad bytes \ud800 here \udfff end';

describe.skipIf(skip)('CloudWatch Logs adapter (moto behind the front)', () => {
  const suite = useAwsSuite();

  /** Puts events; returns [start, end) around them. */
  async function seed(events: Record<string, { t: number; message: string; stream?: string }[]>): Promise<void> {
    const client = new CloudWatchLogsClient(suite.config());
    for (const [group, list] of Object.entries(events)) {
      await client.send(new CreateLogGroupCommand({ logGroupName: group }));
      const streams = new Map<string, { timestamp: number; message: string }[]>();
      for (const e of list) {
        const s = e.stream ?? 'ecs/api/task-1';
        streams.set(s, [...(streams.get(s) ?? []), { timestamp: e.t, message: e.message }]);
      }
      for (const [stream, logEvents] of streams) {
        await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
        await client.send(
          new PutLogEventsCommand({
            logGroupName: group,
            logStreamName: stream,
            logEvents: logEvents.sort((a, b) => a.timestamp - b.timestamp),
          }),
        );
      }
    }
    client.destroy();
    suite.front.clearCalls();
  }

  async function adapter(options: ConstructorParameters<typeof CloudWatchLogsAdapter>[1] = {}) {
    const clients = await createLogClients({
      region: TEST_REGION,
      endpointUrl: suite.front.url,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    return { logs: new CloudWatchLogsAdapter(clients.logs, options), close: () => clients.destroy() };
  }

  const base = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;

  it('reads a window with Logs Insights: both groups, oldest first, the window [start, end) only, hostile text bounded', async () => {
    await seed({
      [API]: [
        { t: base - 5_000, message: 'before the window' },
        { t: base + 1_000, message: ESCAPES },
        { t: base + 2_000, message: HUGE, stream: 'ecs/api/task-2' },
        { t: base + 3_000, message: BROKEN },
        { t: base + 60_000, message: 'at the end: outside [start, end)' },
      ],
      [WORKER]: [{ t: base + 1_500, message: 'worker picked job 42' }],
    });
    const { logs, close } = await adapter();
    const out = await logs.query({ groups: [API, WORKER], start: base, end: base + 60_000, limit: 100 });
    close();

    expect(suite.front.count('StartQuery')).toBe(1);
    expect(out).toMatchObject({ complete: true, via: 'Logs Insights' });
    expect(out.events.map((e) => [e.timestamp - base, e.group])).toEqual([
      [1_000, API],
      [1_500, WORKER],
      [2_000, API],
      [3_000, API],
    ]);
    // The escape sequence is kept as text (printers make it inert); the 100 KB line is cut to 8 KB.
    expect(out.events[0]!.message).toBe(ESCAPES);
    const huge = out.events[2]!;
    expect(huge.truncated).toBe(true);
    expect(huge.stream).toBe('ecs/api/task-2');
    expect(Buffer.byteLength(huge.message)).toBeLessThanOrEqual(8 * 1024);
    expect(huge.message).toMatch(/^GET \/users\/me x+…\[\+\d{2},\d{3} bytes\]$/);
    // Invalid UTF-8 (lone surrogates once decoded) comes out as U+FFFD, the rest of the line intact.
    expect(out.events[3]!.message).toBe('bad bytes \ufffd here \ufffd end');
    expect(Buffer.from(out.events[3]!.message).toString()).toBe(out.events[3]!.message);
  });

  it('falls back to FilterLogEvents when the server ignores the Insights filter (moto does), and stays there', async () => {
    await seed({
      [API]: [1, 2, 3, 4, 5, 6].map((i) => ({
        t: base + i * 1000,
        message: i % 2 ? `login failed from 198.51.100.${i}` : `GET /health 200 ${i}ms`,
      })),
    });
    const { logs, close } = await adapter();
    const first = await logs.query({
      groups: [API],
      start: base,
      end: base + 60_000,
      limit: 100,
      contains: 'login failed',
    });
    const second = await logs.query({
      groups: [API],
      start: base,
      end: base + 60_000,
      limit: 100,
      contains: '198.51.100.3',
    });
    close();

    expect(first.via).toBe('FilterLogEvents (the server ignored the Insights filter)');
    expect(first.events.map((e) => e.message)).toEqual([
      'login failed from 198.51.100.1',
      'login failed from 198.51.100.3',
      'login failed from 198.51.100.5',
    ]);
    expect(second.events.map((e) => e.message)).toEqual(['login failed from 198.51.100.3']);
    // One Insights query in all: the second filtered read went straight to the scan, with the phrase as its pattern.
    expect(suite.front.count('StartQuery')).toBe(1);
    const bodies = suite.front
      .bodies('FilterLogEvents')
      .map((b) => JSON.parse(b) as { filterPattern?: string; endTime: number });
    expect(bodies.at(-1)!.filterPattern).toBe('"198.51.100.3"');
    expect(bodies.at(-1)!.endTime).toBe(base + 60_000 - 1);
  });

  it('pages FilterLogEvents with nextToken across every page, and keeps the newest events when over the limit', async () => {
    await seed({
      [API]: Array.from({ length: 40 }, (_, i) => ({
        t: base + i * 100,
        message: `line ${i}`,
        stream: i % 2 ? 'a' : 'b',
      })),
    });
    const { logs, close } = await adapter({ insights: false, pageSize: 7 });
    const all = await logs.query({ groups: [API], start: base, end: base + 60_000, limit: 1000 });
    const pagesForAll = suite.front.count('FilterLogEvents');
    const newest = await logs.query({ groups: [API], start: base, end: base + 60_000, limit: 10 });
    close();

    expect(pagesForAll).toBe(6);
    expect(all).toMatchObject({ complete: true, via: 'FilterLogEvents (Insights off in the configuration)' });
    expect(all.events.map((e) => e.message)).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i}`));
    expect(newest.complete).toBe(false);
    expect(newest.reason).toBe('the newest 10 events only');
    expect(newest.events.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${30 + i}`));
    expect(suite.front.count('StartQuery')).toBe(0);
  });

  it('honours the deadline of a scan: what was read comes back marked incomplete, in about the deadline', async () => {
    await seed({ [API]: Array.from({ length: 20 }, (_, i) => ({ t: base + i * 100, message: `line ${i}` })) });
    const { logs, close } = await adapter({ insights: false, pageSize: 5 });
    // Every page would answer after 5 s.
    suite.front.setFault({ kind: 'slow', delayMs: 5_000 }, Infinity, ['FilterLogEvents']);
    const started = Date.now();
    const out = await logs.query({ groups: [API], start: base, end: base + 60_000, limit: 100, deadlineMs: 800 });
    const took = Date.now() - started;
    suite.front.setFault({ kind: 'pass' });
    close();

    expect(took).toBeLessThan(3_000);
    expect(out.complete).toBe(false);
    expect(out.reason).toBe('no complete answer within 0.8 s');
    expect(out.events).toEqual([]);
  });

  it('stops an Insights query that does not finish by the deadline (StopQuery) and says the answer is incomplete', async () => {
    await seed({ [API]: [{ t: base + 1000, message: 'one' }] });
    const { logs, close } = await adapter({ pollMs: [50, 100] });
    suite.front.setFault({ kind: 'slow', delayMs: 5_000 }, Infinity, ['GetQueryResults']);
    const started = Date.now();
    const out = await logs.query({ groups: [API], start: base, end: base + 60_000, limit: 100, deadlineMs: 700 });
    const took = Date.now() - started;
    suite.front.setFault({ kind: 'pass' });
    close();

    expect(took).toBeLessThan(4_000);
    expect(out).toMatchObject({
      complete: false,
      via: 'Logs Insights',
      reason: 'no complete answer within 0.7 s (query stopped)',
    });
    expect(suite.front.count('StopQuery')).toBe(1);
  });

  it('reads with FilterLogEvents when StartQuery is refused (no logs:StartQuery permission)', async () => {
    await seed({
      [API]: [
        { t: base + 1000, message: 'one' },
        { t: base + 2000, message: 'two' },
      ],
    });
    const { logs, close } = await adapter();
    suite.front.setFault(
      {
        kind: 'error',
        status: 400,
        body: JSON.stringify({ __type: 'AccessDeniedException', message: 'not authorized to perform logs:StartQuery' }),
      },
      1,
      ['StartQuery'],
    );
    const out = await logs.query({ groups: [API], start: base, end: base + 60_000, limit: 100 });
    close();

    expect(out.via).toBe('FilterLogEvents (Logs Insights refused: AccessDeniedException)');
    expect(out.events.map((e) => e.message)).toEqual(['one', 'two']);
  });

  it('a missing group is a failure naming the group, never an empty window', async () => {
    await seed({ [API]: [{ t: base + 1000, message: 'one' }] });
    const { logs, close } = await adapter({ insights: false });
    await expect(logs.query({ groups: ['/ecs/nope'], start: base, end: base + 60_000, limit: 10 })).rejects.toThrow(
      /FilterLogEvents \(\/ecs\/nope\) failed: ResourceNotFoundException/,
    );
    close();
  });

  it('tails: only events after the last one seen', async () => {
    const now = Date.now();
    await seed({
      [API]: [
        { t: now - 3000, message: 'old' },
        { t: now - 2000, message: 'seen' },
        { t: now - 1000, message: 'new' },
      ],
    });
    const { logs, close } = await adapter();
    const out = await logs.tail({ groups: [API], since: now - 2000, limit: 100 });
    close();
    expect(out.events.map((e) => e.message)).toEqual(['new']);
    expect(suite.front.count('StartQuery')).toBe(0);
  });
});
