/**
 * The adapter under the live-model Poller, with short intervals, while the front misbehaves: 5xx,
 * throttling, a server that is down, slow answers. The poller must back off, keep the last snapshot,
 * report the error and the data's age, recover, and nothing may escape it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Incident } from '../../../src/core/model.js';
import { Poller, type Snapshot } from '../../../src/core/live/poller.js';
import { waitFor } from '../../harness/servers.js';
import { invalidRequests, TEST_TOKEN, type PagerDutyTestEnv } from '../../harness/pagerdutyPrism.js';

const OPEN = { statuses: ['triggered', 'acknowledged'] as const };

export function faultCases(env: () => PagerDutyTestEnv): void {
  const escaped: unknown[] = [];
  const onUnhandled = (reason: unknown) => escaped.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  /** A poller over the adapter's open incidents; the first good snapshot is awaited. */
  async function polling() {
    const pd = env().sources({ requestTimeoutMs: 5_000 });
    const poller = new Poller<Incident[]>({
      name: 'pagerduty.incidents',
      fetch: (signal) => pd.incidents.listIncidents({ statuses: [...OPEN.statuses] }, signal),
      intervalMs: 200,
      timeoutMs: 600,
      staleAfterMs: 1_000,
      backoff: { baseMs: 100, maxMs: 400, jitter: 0 },
      random: () => 0.5,
    });
    const seen: Snapshot<Incident[]>[] = [];
    poller.subscribe((s) => seen.push(s));
    poller.start();
    const health = () => poller.snapshot().health;
    await waitFor(() => health().state === 'ok', 'first snapshot', 10_000, 20);
    const good = poller.snapshot();
    expect(good.data?.map((i) => i.id)).toEqual(['PT4KHLK']);
    return { poller, good, health, seen };
  }

  async function recovers(p: Awaited<ReturnType<typeof polling>>): Promise<void> {
    env().front.setFault({ kind: 'pass' });
    env().front.script(undefined);
    await waitFor(() => p.health().state === 'ok', 'recovery', 10_000, 20);
    // Healthy again: ok with no failures, and no error left over from the fault (an ok health has none).
    expect(p.health()).toMatchObject({ state: 'ok', failures: 0 });
    expect((p.health() as { error?: string }).error).toBeUndefined();
    expect(p.health().fetchedAt).toBeGreaterThan(p.good.health.fetchedAt!);
    p.poller.stop();
    expect(escaped).toEqual([]);
  }

  /** While failing: the last good data is kept, the error is reported, and the data's age grows. */
  function keptWhileFailing(p: Awaited<ReturnType<typeof polling>>): void {
    const snap = p.poller.snapshot();
    expect(snap.data).toBe(p.good.data);
    expect(snap.health.fetchedAt).toBe(p.good.health.fetchedAt);
    expect(snap.health.errorAt).toBeGreaterThan(snap.health.fetchedAt!);
    expect(Date.now() - snap.health.fetchedAt!).toBeGreaterThan(0);
    expect(snap.health.error).not.toContain(TEST_TOKEN);
  }

  it('5xx: backs off exponentially, keeps the last snapshot, goes stale, recovers', async () => {
    const p = await polling();
    const mark = env().front.records.length;
    env().front.setFault({
      kind: 'error',
      status: 503,
      body: '{"error":{"message":"Service Unavailable","code":2001}}',
    });
    await waitFor(() => p.health().failures >= 5, 'five failures', 10_000, 20);
    keptWhileFailing(p);
    expect(p.health()).toMatchObject({
      throttled: false,
      error: 'PagerDuty GET /incidents: HTTP 503 (Service Unavailable)',
    });
    await waitFor(() => p.health().state === 'stale', 'stale', 10_000, 20);
    expect(p.health().staleSince).toBe(p.good.health.fetchedAt! + 1_000);
    // One request per failed refresh; the gaps between them follow the backoff: 100, 200, 400, 400 ms.
    const failed = env()
      .since(mark)
      .filter((r) => r.status === 503);
    const gaps = failed.slice(1, 5).map((r, i) => r.at - failed[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[2]).toBeGreaterThanOrEqual(395);
    expect(gaps[3]).toBeGreaterThanOrEqual(395);
    expect(gaps[3]).toBeLessThan(1_500);
    expect(invalidRequests(env().since(mark))).toEqual([]);
    await recovers(p);
  });

  it('429: reports throttling, keeps the last snapshot, recovers', async () => {
    const p = await polling();
    // A wait beyond the adapter's bound (30 s): it gives up at once and the poller backs off instead.
    env().front.script(() => ({
      status: 429,
      headers: { 'retry-after': '60' },
      body: { error: { message: 'Rate Limit Exceeded', code: 2020 } },
    }));
    await waitFor(() => p.health().failures >= 2, 'two throttled refreshes', 10_000, 20);
    keptWhileFailing(p);
    expect(p.health()).toMatchObject({ state: 'error', throttled: true });
    expect(p.health().error).toMatch(/rate limited \(HTTP 429\).*60 s/);
    await recovers(p);
  });

  it('server down: reports the connection error, keeps the last snapshot, recovers', async () => {
    const p = await polling();
    const refused = env().front.refused;
    env().front.setFault({ kind: 'down' });
    await waitFor(() => p.health().failures >= 3, 'three failed refreshes', 10_000, 20);
    expect(env().front.refused).toBeGreaterThanOrEqual(refused + 3);
    keptWhileFailing(p);
    expect(p.health().throttled).toBe(false);
    expect(p.health().error).toMatch(/^PagerDuty GET \/incidents: [^/]*(socket|ECONNRESET|disconnected)/);
    await recovers(p);
  });

  it('slow answers: times out, keeps the last snapshot, recovers', async () => {
    const p = await polling();
    env().front.setFault({ kind: 'slow', delayMs: 1_500 });
    await waitFor(() => p.health().failures >= 2, 'two timed-out refreshes', 10_000, 20);
    keptWhileFailing(p);
    expect(p.health().error).toBe('no answer within 0.6s');
    await recovers(p);
  });
}
