/**
 * The fault drill every Prometheus-family adapter goes through: a Poller with short intervals reads
 * the adapter through test/harness/faultProxy.ts while the proxy answers 429, then 5xx, then is down,
 * then is slower than the poller's timeout. Each time the poller must back off (attempts spaced
 * further apart than the interval, and growing), keep the last good snapshot, report the error, its
 * time and, once old enough, staleness; and recover when the proxy passes again. Nothing may escape
 * the poller (no unhandled rejection).
 */
import { expect } from 'vitest';
import { Poller, type Snapshot } from '../../src/core/live/poller.js';
import type { FaultProxy } from './faultProxy.js';
import { waitFor } from './servers.js';

export const DRILL = { intervalMs: 150, timeoutMs: 400, baseMs: 150, maxMs: 600, staleAfterMs: 1000 } as const;

export async function faultDrill<T>(options: {
  readonly name: string;
  readonly proxy: FaultProxy;
  readonly fetch: (signal: AbortSignal) => Promise<T>;
  /** Whether data is what a healthy refresh gives. */
  readonly good: (data: T) => boolean;
}): Promise<void> {
  const { proxy } = options;
  const attempts: number[] = [];
  const escaped: unknown[] = [];
  const onUnhandled = (reason: unknown) => escaped.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const poller = new Poller<T>({
    name: options.name,
    fetch: (signal) => {
      attempts.push(Date.now());
      return options.fetch(signal);
    },
    intervalMs: DRILL.intervalMs,
    timeoutMs: DRILL.timeoutMs,
    backoff: { baseMs: DRILL.baseMs, maxMs: DRILL.maxMs, jitter: 0 },
    staleAfterMs: DRILL.staleAfterMs,
    random: () => 0.5,
  });
  const snap = (): Snapshot<T> => poller.snapshot();
  const healthy = () => snap().health.state === 'ok' && snap().data !== undefined && options.good(snap().data as T);
  /** Gaps between the attempts made since `from` (an index into attempts). */
  const gaps = (from: number) =>
    attempts
      .slice(from)
      .map((t, i, a) => (i === 0 ? 0 : t - a[i - 1]!))
      .slice(1);

  try {
    proxy.setFault({ kind: 'pass' });
    poller.start();
    await waitFor(healthy, `${options.name}: first snapshot`, 10_000, 20);
    const good = snap().data;
    const goodAt = snap().health.fetchedAt!;

    // 429: throttled, so the backoff starts at twice the base: 300 ms, then 600 (the cap).
    let mark = attempts.length;
    proxy.setFault({ kind: 'error', status: 429, body: '{"message":"slow down"}', headers: { 'retry-after': '1' } });
    await waitFor(() => snap().health.failures >= 3, `${options.name}: three throttled refreshes`, 10_000, 20);
    let h = snap().health;
    expect(h.throttled).toBe(true);
    expect(h.error).toMatch(/HTTP 429: slow down/);
    expect(snap().data).toBe(good); // the last good data, untouched
    expect(h.fetchedAt).toBe(goodAt);
    expect(h.errorAt!).toBeGreaterThan(goodAt);
    let g = gaps(mark + 0).slice(-2);
    // Attempt 1 → 2 waits the throttled base (300 ms), 2 → 3 twice that, capped at 600.
    expect(g[0]!).toBeGreaterThanOrEqual(2 * DRILL.baseMs - 20);
    expect(g[1]!).toBeGreaterThanOrEqual(DRILL.maxMs - 20);

    proxy.setFault({ kind: 'pass' });
    await waitFor(() => healthy() && snap().health.failures === 0, `${options.name}: recovery after 429`, 10_000, 20);
    expect(snap().health.fetchedAt!).toBeGreaterThan(goodAt);

    // 503: not throttling; backoff 150, 300, 600 …, and after staleAfterMs without data the source is stale.
    mark = attempts.length;
    const before503 = snap().health.fetchedAt!;
    proxy.setFault({ kind: 'error', status: 503, body: '{"message":"service unavailable"}' });
    await waitFor(() => snap().health.failures >= 3, `${options.name}: three failed refreshes`, 10_000, 20);
    h = snap().health;
    expect(h.throttled).toBe(false);
    expect(h.error).toMatch(/HTTP 503/);
    g = gaps(mark);
    expect(g[g.length - 2]!).toBeGreaterThanOrEqual(DRILL.baseMs - 20);
    expect(g[g.length - 1]!).toBeGreaterThanOrEqual(2 * DRILL.baseMs - 20);
    await waitFor(() => snap().health.state === 'stale', `${options.name}: stale`, 10_000, 20);
    h = snap().health;
    expect(h.staleSince).toBe(before503 + DRILL.staleAfterMs);
    expect(Date.now() - h.fetchedAt!).toBeGreaterThan(DRILL.staleAfterMs); // the age the panel shows
    expect(snap().data).toBeDefined();

    // Down: connections are cut.
    proxy.setFault({ kind: 'down' });
    await waitFor(
      () => /unreachable/.test(snap().health.error ?? ''),
      `${options.name}: reports unreachable`,
      10_000,
      20,
    );
    expect(snap().data).toBeDefined();

    // Slower than the poller's timeout: abandoned, counted as an error.
    proxy.setFault({ kind: 'slow', delayMs: 3 * DRILL.timeoutMs });
    await waitFor(
      () => /no answer within 0\.4s/.test(snap().health.error ?? ''),
      `${options.name}: reports the timeout`,
      10_000,
      20,
    );
    expect(snap().health.state).toBe('stale');

    proxy.setFault({ kind: 'pass' });
    await waitFor(() => healthy() && snap().health.failures === 0, `${options.name}: recovery`, 10_000, 20);
    h = snap().health;
    expect(h.error).toBeUndefined();
    expect(Date.now() - h.fetchedAt!).toBeLessThan(2000);
  } finally {
    poller.stop();
    proxy.setFault({ kind: 'pass' });
    process.off('unhandledRejection', onUnhandled);
  }
  expect(escaped).toEqual([]);
}
