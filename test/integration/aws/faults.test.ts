/**
 * The AWS adapters under the live-model poller when AWS misbehaves: throttling, 5xx, an endpoint
 * that is down, one that answers too slowly. The poller must back off (attempts spaced increasingly),
 * keep the last snapshot, report the error and its age, recover when the server is back, and never
 * let anything escape. The adapters run with one attempt per call here, so the front sees exactly
 * the poller's attempts; the SDK's own single retry is checked last.
 */
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alarm } from '../../../src/core/model.js';
import { isThrottling, Poller, type Snapshot } from '../../../src/core/live/poller.js';
import type { FrontFault } from '../../harness/awsFront.js';
import { motoSkipReason } from '../../harness/awsMoto.js';
import { useAwsSuite } from '../../harness/awsSuite.js';
import { waitFor } from '../../harness/servers.js';

const skip = motoSkipReason();
const BASE_MS = 60;
const TIMEOUT_MS = 400;

describe.skipIf(skip)('AWS sources under the poller when AWS misbehaves', () => {
  const suite = useAwsSuite();
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  let poller: Poller<Alarm[]> | undefined;

  beforeEach(async () => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
    const cw = new CloudWatchClient(suite.config());
    for (const name of [
      'vitascope-api-high-cpu-critical',
      'vitascope-api-high-cpu-warning',
      'vitascope-db-connections-warning',
    ])
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/ECS',
          MetricName: 'CPUUtilization',
          Statistic: 'Average',
          Period: 60,
          EvaluationPeriods: 2,
          Threshold: 90,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      );
    cw.destroy();
  });

  afterEach(() => {
    poller?.stop();
    poller = undefined;
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  /** A poller of the alarms through the front, recording when each attempt started. */
  function startPoller(): { poller: Poller<Alarm[]>; attempts: number[] } {
    const sources = suite.sources({ maxAttempts: 1, alarmPrefix: 'vitascope-' });
    const attempts: number[] = [];
    poller = new Poller<Alarm[]>({
      name: 'alarms',
      intervalMs: 5_000,
      timeoutMs: TIMEOUT_MS,
      backoff: { baseMs: BASE_MS, maxMs: 5_000, jitter: 0 },
      staleAfterMs: 60_000,
      fetch: (signal) => {
        attempts.push(Date.now());
        return sources.alarms.listAlarms(signal);
      },
    });
    poller.start();
    return { poller, attempts };
  }

  async function healthy(p: Poller<Alarm[]>): Promise<Snapshot<Alarm[]>> {
    await waitFor(() => p.snapshot().health.state === 'ok', 'the poller to hold good data', 10_000, 10);
    return p.snapshot();
  }

  /**
   * Runs one fault: good data first, then the fault until four refreshes failed, then recovery.
   * Returns the failing snapshot and the gaps between the failing attempts.
   */
  async function throughFault(
    inject: () => Promise<void> | void,
    heal: () => Promise<void> | void,
  ): Promise<{ failing: Snapshot<Alarm[]>; gaps: number[] }> {
    const { poller: p, attempts } = startPoller();
    const good = await healthy(p);
    expect(good.data).toHaveLength(3);
    const faultAt = Date.now();
    await inject();
    const first = attempts.length;
    void p.refresh();
    await waitFor(() => p.snapshot().health.failures >= 4, 'four failed refreshes', 15_000, 10);
    const failing = p.snapshot();
    const failed = attempts.slice(first, first + 4);
    const gaps = failed.slice(1).map((t, i) => t - failed[i]!);

    // The last good data stays, stamped with its fetch time; the error says when and what.
    expect(failing.data).toEqual(good.data);
    expect(failing.health.fetchedAt).toBe(good.health.fetchedAt);
    expect(failing.health.state).toBe('error');
    expect(failing.health.errorAt).toBeGreaterThanOrEqual(faultAt);
    expect(failing.health.errorAt! - failing.health.fetchedAt!).toBeGreaterThan(0);
    // Spaced increasingly: each wait longer than the one before.
    for (let i = 1; i < gaps.length; i++) expect(gaps[i], `gaps ${gaps.join(', ')}`).toBeGreaterThan(gaps[i - 1]!);
    expect(gaps[gaps.length - 1]! - gaps[0]!).toBeGreaterThanOrEqual(BASE_MS * 2);

    await heal();
    void p.refresh();
    const back = await healthy(p);
    expect(back.health.failures).toBe(0);
    expect(back.health.error).toBeUndefined();
    expect(back.health.fetchedAt).toBeGreaterThan(failing.health.errorAt!);
    expect(back.data).toHaveLength(3);
    return { failing, gaps };
  }

  const fault = (f: FrontFault) => () => suite.front.setFault(f);
  const heal = () => suite.front.setFault({ kind: 'pass' });

  it('backs off on throttling, marks it as throttling, and recovers', async () => {
    const { failing } = await throughFault(
      fault({
        kind: 'error',
        status: 400,
        body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }),
      }),
      heal,
    );
    expect(failing.health.throttled).toBe(true);
    expect(failing.health.error).toMatch(
      /^CloudWatch DescribeAlarms \(prefix "vitascope-"\) failed: ThrottlingException: Rate exceeded \(HTTP 400\)$/,
    );
  });

  it('backs off on 5xx answers, even ones that are not AWS JSON, and recovers', async () => {
    const { failing } = await throughFault(
      fault({
        kind: 'error',
        status: 502,
        body: '<html><body>Bad Gateway</body></html>',
        headers: { 'content-type': 'text/html' },
      }),
      heal,
    );
    expect(failing.health.throttled).toBe(false);
    expect(failing.health.error).toMatch(
      /^CloudWatch DescribeAlarms \(prefix "vitascope-"\) failed: HTTP 502 with an unreadable body$/,
    );
  });

  it('backs off while the endpoint is down (connection refused), and recovers when it is back', async () => {
    const { failing } = await throughFault(
      () => suite.front.down(),
      () => suite.front.up(),
    );
    expect(failing.health.throttled).toBe(false);
    expect(failing.health.error).toMatch(/^CloudWatch DescribeAlarms \(prefix "vitascope-"\) failed: .*ECONNREFUSED/);
  });

  it('abandons answers slower than the timeout, cancels the request, and recovers', async () => {
    const { failing, gaps } = await throughFault(fault({ kind: 'slow', delayMs: 3_000 }), heal);
    expect(failing.health.error).toMatch(/no answer within 0\.4s|cancelled/);
    expect(gaps[0]).toBeGreaterThanOrEqual(TIMEOUT_MS);
    // The poller's abort reached the HTTP request: the front saw its clients hang up.
    await waitFor(() => suite.front.aborted >= 4, 'the abandoned requests to be cancelled', 5_000, 10);
  });

  it('rides out a single dropped connection or 5xx inside one call with the SDK’s one retry', async () => {
    const sources = suite.sources({ alarmPrefix: 'vitascope-' });
    suite.front.clearCalls();
    suite.front.setFault({ kind: 'reset' }, 1);
    expect(await sources.alarms.listAlarms()).toHaveLength(3);
    suite.front.setFault(
      { kind: 'error', status: 503, body: '{"__type":"ServiceUnavailable","message":"try again"}' },
      1,
    );
    expect(await sources.alarms.listAlarms()).toHaveLength(3);
    expect(suite.front.count('DescribeAlarms')).toBe(4);

    // A persistent fault is not retried more than once: the poller decides when to come back.
    suite.front.clearCalls();
    suite.front.setFault({
      kind: 'error',
      status: 400,
      body: '{"__type":"ThrottlingException","message":"Rate exceeded"}',
    });
    const error = await sources.alarms.listAlarms().catch((e: unknown) => e);
    expect(suite.front.count('DescribeAlarms')).toBe(2);
    expect(error).toBeInstanceOf(Error);
    expect(isThrottling(error)).toBe(true);
    expect(error).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
  });
});
