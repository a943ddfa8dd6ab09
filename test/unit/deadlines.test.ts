import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINES, DeadlineError, deadlinesFor, withDeadline } from '../../src/sources/deadlines.js';
import { withSourceDeadlines } from '../../src/sources/sourceDeadlines.js';
import { didNotAnswer } from '../../src/sources/doctor.js';
import { PagerDutyError } from '../../src/sources/pagerduty/errors.js';
import { HttpApiError } from '../../src/sources/prometheus/http.js';
import type { Sources } from '../../src/sources/ports.js';

const never = () => new Promise<never>(() => {});

describe('deadlines from one place', () => {
  it('come from the configuration (seconds), defaults for the rest', () => {
    expect(deadlinesFor({})).toEqual(DEFAULT_DEADLINES);
    expect(deadlinesFor({ timeouts: { request: 0.5, source: 2 } })).toEqual({
      connectMs: DEFAULT_DEADLINES.connectMs,
      requestMs: 500,
      sourceMs: 2000,
    });
  });

  it('withDeadline gives up at the deadline even when the work ignores its signal, and aborts the signal', async () => {
    let seen: AbortSignal | undefined;
    const error = await withDeadline('CloudWatch', 30, (signal) => ((seen = signal), never())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as Error).message).toBe('CloudWatch: no answer within 0 s');
    expect(seen?.aborted).toBe(true);
    expect(await withDeadline('x', 1000, async () => 42)).toBe(42);
  });

  it('a caller that aborts ends the wait at once, with its reason', async () => {
    const outer = new AbortController();
    const pending = withDeadline('x', 10_000, () => never(), outer.signal);
    outer.abort(new Error('poller gave up'));
    await expect(pending).rejects.toThrow('poller gave up');
  });
});

describe('the source deadline of headless commands', () => {
  it('bounds every read, passes the signal on, and does not ask a source that missed it again', async () => {
    let calls = 0;
    let signal: AbortSignal | undefined;
    const sources = {
      environment: { kind: 'aws', label: 'AWS', production: true },
      now: () => 0,
      close: async () => {},
      incidents: {
        listIncidents: (_filter: unknown, s?: AbortSignal) => ((calls += 1), (signal = s), never()),
        getIncident: async () => undefined,
        timeline: async () => [],
        extra: () => 'kept',
      },
    } as unknown as Sources;
    const bounded = withSourceDeadlines(sources, { sourceMs: 40 }, { incidents: 'PagerDuty' });
    await expect(bounded.incidents!.listIncidents({})).rejects.toThrow('PagerDuty: no answer within 0 s');
    expect(signal?.aborted).toBe(true);
    await expect(bounded.incidents!.getIncident('P1')).rejects.toMatchObject({ name: 'DeadlineError', earlier: true });
    expect(calls).toBe(1);
    expect((bounded.incidents as unknown as { extra(): string }).extra()).toBe('kept');
    expect(bounded.now()).toBe(0);
  });
});

describe('doctor: a source that did not answer, told from tags', () => {
  it('deadlines, network failures, 5xx, 429 and malformed answers; not a refusal', () => {
    expect(didNotAnswer(new DeadlineError('aws', 1000))).toBe(true);
    expect(didNotAnswer(new PagerDutyError('x', { malformed: true, status: 200 }))).toBe(true);
    expect(didNotAnswer(new PagerDutyError('x', { status: 503 }))).toBe(true);
    expect(didNotAnswer(new PagerDutyError('x', { status: 401 }))).toBe(false);
    expect(didNotAnswer(new HttpApiError('x', { what: 'q', errorType: 'malformed', status: 200 }))).toBe(true);
    expect(didNotAnswer(new HttpApiError('x', { what: 'q' }))).toBe(true);
    expect(didNotAnswer(new HttpApiError('x', { what: 'q', status: 403 }))).toBe(false);
    expect(
      didNotAnswer(
        Object.assign(new Error('Request aborted'), {
          name: 'AbortError',
          cause: new DeadlineError('the request', 1000),
        }),
      ),
    ).toBe(true);
    expect(
      didNotAnswer(
        Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }),
      ),
    ).toBe(false);
    expect(didNotAnswer(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
  });
});
