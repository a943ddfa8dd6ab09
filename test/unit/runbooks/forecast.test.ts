/**
 * A metric check's forecast: the metric followed at its current rate (a least-squares line) until it
 * meets the check's value. Pure arithmetic on points, then the disk-fill sandbox read through the
 * check, compared with the sandbox's own storage state (allocated and used, read back through its
 * port) rather than with the check's own words.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { evaluateCheck } from '../../../src/core/runbooks/checks.js';
import { forecastReach, slope } from '../../../src/core/runbooks/forecast.js';
import type { CheckStep } from '../../../src/core/runbooks/schema.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';

const MIN = 60_000;
const line = (from: number, perMin: number, n: number) => Array.from({ length: n }, (_, i) => ({ t: i * MIN, v: from + perMin * i }));

describe('forecastReach', () => {
  it('follows a falling line to its target, says when it is already there, and when it is not heading there', () => {
    expect(slope(line(100, -2, 10))! * MIN).toBeCloseTo(-2);
    const f = forecastReach(line(100, -2, 10), 0, 'falling');
    // The newest point is 82; at 2 a minute, 41 minutes more.
    expect(f).toEqual({ kind: 'reaches', now: 82, perHour: expect.closeTo(-120, 6), inMs: expect.closeTo(41 * MIN, 0) });
    expect(forecastReach(line(100, 2, 10), 0, 'falling')).toMatchObject({ kind: 'not-heading', now: 118 });
    expect(forecastReach(line(5, 0, 10), 0, 'falling')).toMatchObject({ kind: 'not-heading', perHour: 0 });
    expect(forecastReach(line(-3, -1, 10), 0, 'falling')).toMatchObject({ kind: 'already' });
    expect(forecastReach(line(10, 5, 4), 90, 'rising')).toMatchObject({ kind: 'reaches', inMs: expect.closeTo(13 * MIN, 0) });
    expect(forecastReach(line(10, 5, 2), 90, 'rising')).toEqual({ kind: 'too-few', points: 2 });
  });
});

describe('a forecast check on the disk-fill sandbox', () => {
  const user = { id: 'local', name: 'Aiko Tanaka' };
  const step = (forecast: string, trend?: string): CheckStep => ({
    id: 'full',
    kind: 'check',
    title: 'Full soon?',
    metric: { namespace: 'AWS/RDS', name: 'FreeStorageSpace', dimensions: { DBInstanceIdentifier: 'vitascope-db' }, statistic: 'Minimum' },
    op: '<=',
    value: 0,
    forecast,
    ...(trend ? { trend } : {}),
  });

  it('states the free space in GiB and the rate the sandbox really fills at, and judges the horizon by it', async () => {
    const sb = createSandbox({ seed: 1, scenario: 'disk-fill', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user, frozen: true });
    sb.advance(26 * MIN);
    const before = await sb.storageResizable!.getStorage('vitascope-db');
    sb.advance(10 * MIN);
    const after = await sb.storageResizable!.getStorage('vitascope-db');
    const ctx = { sources: sb, now: sb.now() };
    // Ground truth from the sandbox's state: free GiB now, and GiB used per hour over the last 10 minutes.
    const freeGiB = after.allocatedGiB * (1 - after.usedPercent! / 100);
    const perHour = ((after.usedPercent! - before.usedPercent!) / 100) * after.allocatedGiB * 6;
    const hour = await evaluateCheck(step('1h'), {}, ctx);
    expect(hour.result).toBe('pass');
    const said = /is ([\d.]+) GiB and falling ([\d.]+) GiB an hour over the last 30m: at that rate it reaches 0 GiB in about (\d+)m, within 1h$/.exec(hour.detail);
    expect(said, hour.detail).not.toBeNull();
    expect(Math.abs(Number(said![1]) - freeGiB)).toBeLessThan(0.5);
    expect(Math.abs(Number(said![2]) - perHour) / perHour).toBeLessThan(0.1);
    expect(Math.abs(Number(said![3]) - (freeGiB / perHour) * 60)).toBeLessThan(4);
    // Not within ten minutes at that rate: a fail, saying how long it would take.
    const soon = await evaluateCheck(step('10m'), {}, ctx);
    expect(soon.result).toBe('fail');
    expect(soon.detail).toMatch(/reaches 0 GiB in about \d+m, not within 10m$/);
  });

  it('calm storage is not heading to full; with no points to fit, no data, never a pass', async () => {
    const sb = createSandbox({ seed: 1, scenario: 'calm', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user, frozen: true });
    sb.advance(30 * MIN);
    const r = await evaluateCheck(step('1h'), {}, { sources: sb, now: sb.now() });
    expect(r.result).toBe('fail');
    const none = await evaluateCheck({ ...step('1h'), metric: { namespace: 'AWS/RDS', name: 'FreeStorageSpace', dimensions: { DBInstanceIdentifier: 'no-such-db' } } }, {}, { sources: sb, now: sb.now() });
    expect(none.result).toBe('no-data');
  });
});
