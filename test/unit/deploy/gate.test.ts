/**
 * The deployment gate's schedule and verdicts on a simulated clock: samples at the start and every
 * interval, a stop at the first crossing, one retry for a failed read, and "cannot tell" for a
 * required signal without data (no series, no traffic) or an unreadable Prometheus.
 */
import { describe, expect, it } from 'vitest';
import { above, gateExitCode, judge, runGate, sampleCount, type Reading } from '../../../src/core/deploy/gate.js';

const LIMITS = { maxErrorRatePercent: 5, maxP95Seconds: 1 };

/** A clock that moves only when slept on (or when a read takes time). */
function fakeClock(readMs = 0) {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
    readMs,
  };
}

function reader(clock: ReturnType<typeof fakeClock>, readings: (Partial<Reading> | Error)[]) {
  let i = 0;
  return async (): Promise<Reading> => {
    const r = readings[Math.min(i++, readings.length - 1)]!;
    clock.advance(clock.readMs);
    if (r instanceof Error) throw r;
    return { at: clock.now(), requestsPerSecond: 100, ...r };
  };
}

describe('judge', () => {
  it('fails above a limit, passes at it, and says which', () => {
    expect(judge({ at: 0, errorRatePercent: 5, p95Seconds: 1, requestsPerSecond: 10 }, LIMITS)).toEqual({
      verdict: 'ok',
      crossed: [],
      missing: [],
    });
    expect(judge({ at: 0, errorRatePercent: 5.01, p95Seconds: 1.2, requestsPerSecond: 10 }, LIMITS)).toEqual({
      verdict: 'fail',
      crossed: [
        { metric: 'error-rate', value: 5.01, limit: 5 },
        { metric: 'p95', value: 1.2, limit: 1 },
      ],
      missing: [],
    });
  });

  it('does not fail on floating-point noise at the limit (rate() of a steady 0.2 % is sometimes 0.20000000000000004)', () => {
    const at = (e: number, p: number) =>
      judge(
        { at: 0, errorRatePercent: e, p95Seconds: p, requestsPerSecond: 10 },
        { maxErrorRatePercent: 0.2, maxP95Seconds: 0.15 },
      ).verdict;
    expect(at(0.20000000000000004, 0.15000000000000002)).toBe('ok');
    expect(at(0.2000001, 0.15)).toBe('fail');
    expect(at(0.2, 0.1500001)).toBe('fail');
    expect(above(1e-10, 0)).toBe(false);
    expect(above(2e-9, 0)).toBe(true);
  });

  it('treats no requests (NaN, absent or a zero rate) as no data for both signals, never as a pass', () => {
    expect(
      judge({ at: 0, errorRatePercent: Number.NaN, p95Seconds: Number.NaN, requestsPerSecond: 0 }, LIMITS),
    ).toMatchObject({ verdict: 'no-data', missing: ['error-rate', 'p95'] });
    expect(judge({ at: 0 }, LIMITS)).toMatchObject({ verdict: 'no-data', missing: ['error-rate', 'p95'] });
    expect(judge({ at: 0, errorRatePercent: 0, p95Seconds: 0.1, requestsPerSecond: 0 }, LIMITS)).toMatchObject({
      verdict: 'no-data',
      missing: ['error-rate', 'p95'],
    });
  });

  it('judges signal by signal: one without data is no data unless optional; a crossed limit fails whatever is missing', () => {
    const noLatency = { at: 0, errorRatePercent: 0.2, requestsPerSecond: 10 };
    expect(judge(noLatency, LIMITS)).toEqual({ verdict: 'no-data', crossed: [], missing: ['p95'] });
    expect(judge(noLatency, { ...LIMITS, optional: ['p95'] })).toEqual({
      verdict: 'ok',
      crossed: [],
      missing: ['p95'],
    });
    expect(judge({ ...noLatency, p95Seconds: Number.NaN }, { ...LIMITS, optional: ['error-rate'] }).verdict).toBe(
      'no-data',
    );
    expect(judge({ at: 0, errorRatePercent: 9, requestsPerSecond: 10 }, LIMITS)).toEqual({
      verdict: 'fail',
      crossed: [{ metric: 'error-rate', value: 9, limit: 5 }],
      missing: ['p95'],
    });
  });
});

describe('runGate', () => {
  it('samples at the start and every interval until the duration has passed, without drifting', async () => {
    const clock = fakeClock(300);
    const seen: number[] = [];
    const r = await runGate(
      LIMITS,
      { durationMs: 5 * 60_000, intervalMs: 60_000 },
      {
        ...clock,
        read: reader(clock, [{ errorRatePercent: 0.2, p95Seconds: 0.2 }]),
        onSample: (s) => seen.push(s.elapsedMs),
      },
    );
    expect(r.verdict).toBe('healthy');
    expect(r.samples).toHaveLength(6);
    expect(sampleCount({ durationMs: 300_000, intervalMs: 60_000 })).toBe(6);
    // Each read takes 300 ms; the next sample is still due on the minute.
    expect(seen).toEqual([300, 60_300, 120_300, 180_300, 240_300, 300_300]);
    expect(clock.sleeps).toEqual([59_700, 59_700, 59_700, 59_700, 59_700]);
  });

  it('stops at the first sample above a limit', async () => {
    const clock = fakeClock();
    const r = await runGate(
      LIMITS,
      { durationMs: 300_000, intervalMs: 60_000 },
      {
        ...clock,
        read: reader(clock, [
          { errorRatePercent: 1, p95Seconds: 0.3 },
          { errorRatePercent: 1, p95Seconds: 0.3 },
          { errorRatePercent: 7, p95Seconds: 0.3 },
          { errorRatePercent: 0 },
        ]),
      },
    );
    expect(r.verdict).toBe('failed');
    expect(r.samples).toHaveLength(3);
    expect(r.failedAt).toMatchObject({
      n: 3,
      elapsedMs: 120_000,
      crossed: [{ metric: 'error-rate', value: 7, limit: 5 }],
    });
    expect(gateExitCode(r.verdict)).toBe(1);
  });

  it('tries a failed read once more, and cannot tell when that fails too', async () => {
    const clock = fakeClock();
    const retried: number[] = [];
    const once = await runGate(
      LIMITS,
      { durationMs: 60_000, intervalMs: 60_000 },
      {
        ...clock,
        read: reader(clock, [new Error('timeout'), { errorRatePercent: 0.1, p95Seconds: 0.1 }]),
        onRetry: (_e, n) => retried.push(n),
      },
    );
    expect(once.verdict).toBe('healthy');
    expect(retried).toEqual([1]);
    expect(clock.sleeps[0]).toBe(1000);
    const clock2 = fakeClock();
    const twice = await runGate(
      LIMITS,
      { durationMs: 60_000, intervalMs: 60_000 },
      { ...clock2, read: reader(clock2, [{ errorRatePercent: 0.1, p95Seconds: 0.1 }, new Error('ECONNREFUSED')]) },
    );
    expect(twice).toMatchObject({ verdict: 'unknown', reason: 'sample 2 could not be read: ECONNREFUSED' });
    expect(twice.samples).toHaveLength(1);
    expect(gateExitCode('unknown')).toBe(2);
  });

  it('cannot tell when a required signal had no data in any sample, and keeps sampling meanwhile', async () => {
    const clock = fakeClock();
    const none = await runGate(
      LIMITS,
      { durationMs: 2000, intervalMs: 1000 },
      { ...clock, read: reader(clock, [{ requestsPerSecond: 0, errorRatePercent: Number.NaN }]) },
    );
    expect(none).toMatchObject({
      verdict: 'unknown',
      noData: ['error-rate', 'p95'],
      reason: 'no data for the error rate in 3 of 3 samples and p95 in 3 of 3 samples',
    });
    // One sample without traffic among healthy ones is still a gap in the evidence.
    const clock2 = fakeClock();
    const some = await runGate(
      LIMITS,
      { durationMs: 2000, intervalMs: 1000 },
      { ...clock2, read: reader(clock2, [{ requestsPerSecond: 0 }, { errorRatePercent: 0.5, p95Seconds: 0.2 }]) },
    );
    expect(some).toMatchObject({
      verdict: 'unknown',
      noData: ['error-rate', 'p95'],
      reason: 'no data for the error rate in 1 of 3 samples and p95 in 1 of 3 samples',
    });
    expect(some.samples.map((s) => s.verdict)).toEqual(['no-data', 'ok', 'ok']);
    // A later crossing still fails the deployment.
    const clock3 = fakeClock();
    const later = await runGate(
      LIMITS,
      { durationMs: 2000, intervalMs: 1000 },
      { ...clock3, read: reader(clock3, [{ errorRatePercent: 0.5 }, { errorRatePercent: 7 }]) },
    );
    expect(later).toMatchObject({ verdict: 'failed', failedAt: { n: 2 } });
    expect(later.samples.map((s) => s.verdict)).toEqual(['no-data', 'fail']);
  });

  it('passes without an optional signal, but never with no data at all', async () => {
    const clock = fakeClock();
    const r = await runGate(
      { ...LIMITS, optional: ['p95'] },
      { durationMs: 1000, intervalMs: 1000 },
      { ...clock, read: reader(clock, [{ errorRatePercent: 0.5 }]) },
    );
    expect(r.verdict).toBe('healthy');
    expect(r.samples.map((s) => s.missing)).toEqual([['p95'], ['p95']]);
  });

  it('takes one sample for a zero duration', async () => {
    const clock = fakeClock();
    const r = await runGate(
      LIMITS,
      { durationMs: 0, intervalMs: 1000 },
      { ...clock, read: reader(clock, [{ errorRatePercent: 0, p95Seconds: 0.1 }]) },
    );
    expect(r.samples).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });
});
