/**
 * PagerDuty's rate limit: the front answers 429 with rate-limit headers; the adapter waits as they say
 * and retries (and pdjs's own blind retry never reaches the wire), then succeeds; if the 429s go on, or
 * the wait asked for is beyond the bound, it throws an error isThrottling() recognises.
 */
import { expect, it } from 'vitest';
import { isThrottling } from '../../../src/core/live/poller.js';
import type { FrontRecord, Reply } from '../../harness/pagerdutyFront.js';
import { invalidRequests, TEST_FROM, type PagerDutyTestEnv } from '../../harness/pagerdutyPrism.js';

/** Answers the first `times` requests with 429 and these headers (Infinity: every request). */
function throttle(times: number, headers: Record<string, string>) {
  let seen = 0;
  return (): Reply | undefined => {
    seen += 1;
    return seen <= times
      ? { status: 429, headers, body: { error: { message: 'Rate Limit Exceeded', code: 2020 } } }
      : undefined;
  };
}

/** Milliseconds between consecutive requests' arrivals at the front. */
function gaps(calls: readonly FrontRecord[]): number[] {
  return calls.slice(1).map((c, i) => c.at - calls[i]!.at);
}

export function rateLimitCases(env: () => PagerDutyTestEnv): void {
  async function run<T>(
    script: (() => Reply | undefined) | undefined,
    fn: () => Promise<T>,
  ): Promise<{ result: T | Error; calls: FrontRecord[]; ms: number }> {
    const mark = env().front.records.length;
    env().front.script(script);
    const started = performance.now();
    try {
      const result = await fn().catch((e: unknown) => e as Error);
      const calls = env().since(mark);
      expect(invalidRequests(calls)).toEqual([]);
      return { result, calls, ms: performance.now() - started };
    } finally {
      env().front.script(undefined);
    }
  }

  it('waits as Retry-After says, retries, then succeeds; one request per attempt', async () => {
    const pd = env().sources();
    const { result, calls, ms } = await run(
      throttle(2, { 'retry-after': '0.25', 'ratelimit-limit': '960', 'ratelimit-remaining': '0' }),
      () => pd.priorities(),
    );
    expect(Array.isArray(result) && result.length).toBe(5);
    // Exactly three requests reached the server: pdjs's own immediate re-send of a 429 was cancelled.
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(gaps(calls).every((g) => g >= 245 && g < 1_500)).toBe(true);
    expect(ms).toBeLessThan(3_000);
  });

  it('waits as ratelimit-reset says when there is no Retry-After', async () => {
    const pd = env().sources();
    const { result, calls } = await run(
      throttle(1, { 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }),
      () => pd.priorities(),
    );
    expect(result).not.toBeInstanceOf(Error);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(gaps(calls)[0]).toBeGreaterThanOrEqual(995);
  });

  it('retries a change the same way, with the From header each time', async () => {
    const pd = env().sources();
    const { result, calls } = await run(throttle(1, { 'retry-after': '0.1' }), () =>
      pd.incidentActions.acknowledge('PT4KHLK'),
    );
    expect(result).toBeUndefined();
    expect(calls.map((c) => [c.method, c.status, c.from])).toEqual([
      ['PUT', 429, TEST_FROM],
      ['PUT', 200, TEST_FROM],
    ]);
    expect(gaps(calls)[0]).toBeGreaterThanOrEqual(95);
  });

  it('throws a throttling error when the 429s go on', async () => {
    const pd = env().sources({ rateLimit: { maxRetries: 2 } });
    const { result, calls } = await run(throttle(Infinity, { 'retry-after': '0.05' }), () =>
      pd.incidents.getIncident('PT4KHLK'),
    );
    expect(result).toBeInstanceOf(Error);
    expect(isThrottling(result)).toBe(true);
    expect(result).toMatchObject({ status: 429, retryAfterMs: 50 });
    expect((result as Error).message).toBe(
      'PagerDuty GET /incidents/PT4KHLK: rate limited (HTTP 429) after 3 attempt(s); it asks to wait 0.1 s',
    );
    expect(calls).toHaveLength(3);
  });

  it('gives up at once when the wait asked for is beyond the bound', async () => {
    const pd = env().sources({ rateLimit: { maxWaitMs: 5_000 } });
    const { result, calls, ms } = await run(throttle(Infinity, { 'ratelimit-reset': '42' }), () => pd.priorities());
    expect(isThrottling(result)).toBe(true);
    expect(result).toMatchObject({ retryAfterMs: 42_000 });
    expect(calls).toHaveLength(1);
    expect(ms).toBeLessThan(1_000);
  });

  it('backs off on its own (doubling) when a 429 says nothing', async () => {
    const pd = env().sources({ rateLimit: { defaultWaitMs: 100, maxRetries: 2 } });
    const { result, calls } = await run(throttle(2, {}), () => pd.priorities());
    expect(result).not.toBeInstanceOf(Error);
    expect(calls).toHaveLength(3);
    const [first, second] = gaps(calls);
    expect(first).toBeGreaterThanOrEqual(95);
    expect(second).toBeGreaterThanOrEqual(195);
  });
}
