import { describe, expect, it } from 'vitest';
import { isThrottling, Poller, type Timers } from '../../../src/core/live/poller.js';

/** A clock the test moves by hand: timers fire in order as time passes. */
class ManualTimers implements Timers {
  time = 1_000_000;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.pending.set(id, { at: this.time + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown) => void this.pending.delete(h as number);
  /** Moves time forward, firing due timers and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const next = [...this.pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.time = next[1].at;
      this.pending.delete(next[0]);
      next[1].fn();
    }
    this.time = end;
    await flush();
  }
  scheduledDelays(): number[] {
    return [...this.pending.values()].map((p) => p.at - this.time);
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

function source() {
  let mode: 'ok' | 'fail' | 'throttle' | 'hang' = 'ok';
  let value = 0;
  const calls: number[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  return {
    set: (m: typeof mode) => (mode = m),
    calls,
    maxConcurrent: () => maxConcurrent,
    fetch: async (_signal: AbortSignal, timers: ManualTimers) => {
      calls.push(timers.now());
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      try {
        await flush();
        if (mode === 'fail') throw Object.assign(new Error('HTTP 503 from upstream'), { status: 503 });
        if (mode === 'throttle') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
        if (mode === 'hang') await new Promise(() => undefined);
        return ++value;
      } finally {
        concurrent -= 1;
      }
    },
  };
}

function make(timers: ManualTimers, s: ReturnType<typeof source>) {
  return new Poller<number>({
    name: 'test',
    fetch: (signal) => s.fetch(signal, timers),
    intervalMs: 10_000,
    timeoutMs: 5_000,
    backoff: { baseMs: 1_000, maxMs: 60_000, jitter: 0.3 },
    timers,
    random: () => 0.5,
  });
}

describe('the live-model poller', () => {
  it('refreshes at once, then on its interval, stamping snapshots with the fetch time', async () => {
    const timers = new ManualTimers();
    const s = source();
    const p = make(timers, s);
    const seen: number[] = [];
    p.subscribe((snap) => seen.push(snap.data!));
    p.start();
    await timers.advance(0);
    expect(p.snapshot().data).toBe(1);
    expect(p.snapshot().health).toMatchObject({ state: 'ok', fetchedAt: 1_000_000, failures: 0 });
    await timers.advance(30_000);
    expect(s.calls.map((t) => t - 1_000_000)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(seen).toEqual([1, 2, 3, 4]);
    p.stop();
  });

  it('backs off exponentially with jitter on errors, keeps the last data, and recovers', async () => {
    const timers = new ManualTimers();
    const s = source();
    const p = make(timers, s);
    p.start();
    await timers.advance(0);
    s.set('fail');
    await timers.advance(10_000);
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = s.calls.length;
      const delay = timers.scheduledDelays()[0]!;
      gaps.push(delay);
      await timers.advance(delay);
      expect(s.calls.length).toBe(before + 1);
    }
    // base 1 s doubling, jitter centred (random 0.5): 1 s, 2 s, 4 s, 8 s, 16 s, 32 s
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16000]);
    const snap = p.snapshot();
    expect(snap.data).toBe(1);
    expect(snap.health.state).toBe('stale');
    expect(snap.health.error).toBe('HTTP 503 from upstream');
    expect(snap.health.failures).toBe(6);
    expect(snap.health.staleSince).toBe(1_000_000 + 30_000);
    s.set('ok');
    await timers.advance(timers.scheduledDelays()[0]!);
    expect(p.snapshot().health).toMatchObject({ state: 'ok', failures: 0 });
    expect(p.snapshot().data).toBe(2);
    expect(timers.scheduledDelays()).toEqual([10_000]);
    p.stop();
  });

  it('caps the backoff and starts higher when throttled', async () => {
    const timers = new ManualTimers();
    const s = source();
    const p = make(timers, s);
    s.set('throttle');
    p.start();
    await timers.advance(0);
    expect(p.snapshot().health).toMatchObject({ state: 'error', throttled: true, failures: 1 });
    expect(timers.scheduledDelays()).toEqual([2000]);
    for (let i = 0; i < 12; i++) await timers.advance(timers.scheduledDelays()[0]!);
    expect(timers.scheduledDelays()[0]).toBe(60_000);
    p.stop();
  });

  it('waits as long as the server asks (Retry-After), up to the cap', async () => {
    const timers = new ManualTimers();
    const p = new Poller<number>({
      name: 'pd',
      fetch: async () => Promise.reject(Object.assign(new Error('429'), { status: 429, retryAfterMs: 45_000 })),
      intervalMs: 10_000,
      backoff: { baseMs: 1000, maxMs: 60_000, jitter: 0 },
      timers,
    });
    p.start();
    await timers.advance(0);
    expect(timers.scheduledDelays()).toEqual([45_000]);
    p.stop();
  });

  it('abandons a refresh that takes longer than its timeout, as an error', async () => {
    const timers = new ManualTimers();
    const s = source();
    const p = make(timers, s);
    s.set('hang');
    p.start();
    await timers.advance(5_000);
    expect(p.snapshot().health).toMatchObject({ state: 'error', error: 'no answer within 5s', failures: 1 });
    p.stop();
  });

  it('never runs two refreshes of one source at once', async () => {
    const timers = new ManualTimers();
    const s = source();
    const p = make(timers, s);
    await Promise.all([p.refresh(), p.refresh(), p.refresh()]);
    expect(s.calls).toHaveLength(1);
    expect(s.maxConcurrent()).toBe(1);
  });

  it('survives a listener that throws', async () => {
    const timers = new ManualTimers();
    const s = source();
    const p = make(timers, s);
    p.subscribe(() => {
      throw new Error('bug in a view');
    });
    await expect(p.refresh()).resolves.toBeUndefined();
    expect(p.snapshot().data).toBe(1);
  });

  it('recognises throttling from AWS and HTTP', () => {
    expect(isThrottling({ name: 'ThrottlingException' })).toBe(true);
    expect(isThrottling({ $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling({ status: 429 })).toBe(true);
    expect(isThrottling({ status: 503 })).toBe(false);
    expect(isThrottling(new Error('boom'))).toBe(false);
  });
});

describe('the live model and sources the configuration lacks', () => {
  it('asks an unconfigured source once and never polls it; configured ones keep their schedule', async () => {
    const { LiveModel } = await import('../../../src/core/live/model.js');
    const timers = new ManualTimers();
    let incidentCalls = 0;
    // A PagerDuty-only shape: incidents, nothing from AWS.
    const sources = {
      environment: { kind: 'aws' as const, label: 'LIVE', production: true },
      now: () => timers.now(),
      incidents: {
        async listIncidents() {
          incidentCalls += 1;
          return [];
        },
        async getIncident() {
          return undefined;
        },
        async timeline() {
          return [];
        },
      },
      close: async () => {},
    };
    const live = new LiveModel(
      sources as never,
      { alarms: 10, services: 10, incidents: 10, onCall: 10, metrics: 10 },
      timers,
    );
    live.start();
    await timers.advance(0);
    const first = live.snapshot();
    expect(first.services.health).toMatchObject({ state: 'unconfigured', source: 'service', failures: 0 });
    expect(first.services.health.error).toBeUndefined();
    expect(first.databases.health).toMatchObject({ state: 'unconfigured', source: 'database' });
    await timers.advance(60 * 60_000);
    // Nothing is scheduled for the unconfigured sources: an hour later they are still unconfigured, never failing.
    expect(live.snapshot().services.health).toMatchObject({ state: 'unconfigured', failures: 0 });
    await live.refreshAll();
    expect(live.snapshot().databases.health).toMatchObject({ state: 'unconfigured', failures: 0 });
    expect(incidentCalls).toBeGreaterThan(300);
    live.stop();
  });
});
