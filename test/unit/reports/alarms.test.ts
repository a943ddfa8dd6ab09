import { describe, expect, it } from 'vitest';
import {
  analyseAlarms,
  maxInWindow,
  mergeTransitions,
  niceAbove,
  niceAtMost,
  suggestThreshold,
  suggestWindow,
} from '../../../src/core/reports/alarms.js';
import type { AlarmTransition, Firing, ReportIncident } from '../../../src/core/reports/types.js';

const MIN = 60_000;
const T = Date.UTC(2026, 0, 5, 1);
const tr = (
  alarmName: string,
  at: number,
  to: 'OK' | 'ALARM',
  extra: Partial<AlarmTransition> = {},
): AlarmTransition => ({ alarmName, at, from: to === 'ALARM' ? 'OK' : 'ALARM', to, origin: 'journal', ...extra });
const incident = (
  id: string,
  alarm: string,
  createdAt: number,
  extra: Partial<ReportIncident> = {},
): ReportIncident => ({
  id,
  title: id,
  status: 'resolved',
  createdAt,
  resolvedAt: createdAt + 10 * MIN,
  alarmNames: [alarm],
  assignees: [],
  origins: ['pagerduty'],
  ...extra,
});

describe('firings, flapping and noise', () => {
  it('finds the most firings in any window', () => {
    expect(maxInWindow([0, 10, 20, 70, 75].map((m) => m * MIN))).toBe(3);
    expect(maxInWindow([0, 60, 120].map((m) => m * MIN))).toBe(1);
    expect(maxInWindow([])).toBe(0);
  });

  it('de-duplicates the journal and the alarm history (same alarm, same state, within 90 s), keeping the journal copy', () => {
    const merged = mergeTransitions(
      [tr('a', T, 'ALARM', { incidentId: 'I1' })],
      [
        tr('a', T + 30_000, 'ALARM', { origin: 'alarm-history' }),
        tr('a', T + 5 * MIN, 'OK', { origin: 'alarm-history' }),
      ],
    );
    expect(merged.map((t) => [t.to, t.origin, t.incidentId])).toEqual([
      ['ALARM', 'journal', 'I1'],
      ['OK', 'alarm-history', undefined],
    ]);
  });

  it('tells answered, unanswered and pending firings apart', () => {
    const period = { from: T, to: T + 24 * 60 * MIN };
    const transitions = mergeTransitions(
      [
        tr('acked', T + MIN, 'ALARM'),
        tr('acked', T + 10 * MIN, 'OK'),
        tr('self', T + 20 * MIN, 'ALARM'),
        tr('self', T + 25 * MIN, 'OK'),
        tr('pending', T + 30 * MIN, 'ALARM'),
        tr('bare', T + 40 * MIN, 'ALARM'),
        tr('bare', T + 41 * MIN, 'OK'),
        tr('acted', T + 50 * MIN, 'ALARM'),
        tr('acted', T + 55 * MIN, 'OK'),
      ],
      [],
    );
    const incidents = [
      incident('I-acked', 'acked', T + MIN, { acknowledgedAt: T + 3 * MIN }),
      incident('I-self', 'self', T + 20 * MIN),
      incident('I-pending', 'pending', T + 30 * MIN, { status: 'triggered', resolvedAt: undefined }),
    ];
    const actions = [
      {
        runId: 'r',
        actionId: 'ecs.set-desired-count',
        target: 'w',
        run: '',
        at: T + 52 * MIN,
        plannedAt: T + 52 * MIN,
        outcome: 'verified' as const,
        dryRun: false,
        category: 'remediation' as const,
        changes: [],
      },
    ];
    const { rows } = analyseAlarms({ transitions, alarms: new Map(), period, incidents, actions });
    const by = Object.fromEntries(rows.map((r) => [r.alarmName, r]));
    expect(by.acked!.unanswered).toBe(0);
    expect(by.self).toMatchObject({ unanswered: 1, selfResolved: 1, withoutIncident: 0 });
    expect(by.pending!.unanswered).toBe(0);
    expect(by.bare).toMatchObject({ unanswered: 1, withoutIncident: 1 });
    expect(by.acted!.unanswered).toBe(0);
  });
});

describe('suggested changes', () => {
  const f = (peak: number, unanswered: boolean): Pick<Firing, 'peak' | 'unanswered'> => ({ peak, unanswered });

  it('rounds to two significant digits', () => {
    expect([niceAbove(74.8), niceAbove(83.9), niceAbove(1180), niceAbove(5.6), niceAbove(80)]).toEqual([
      75, 84, 1200, 5.7, 81,
    ]);
    expect([niceAtMost(91.4), niceAtMost(1250)]).toEqual([91, 1200]);
  });

  it('goes above every unanswered peak when the answered firings all peak higher', () => {
    expect(suggestThreshold(80, 'above', [f(81.2, true), f(83.9, true), f(97, false)])).toMatchObject({
      suggested: 84,
      avoided: 2,
      unanswered: 2,
      lostAnswered: 0,
    });
  });

  it('stops under the lowest answered peak, avoiding what it can', () => {
    expect(suggestThreshold(80, 'above', [f(81, true), f(88, true), f(86.5, false)])).toMatchObject({
      suggested: 86,
      avoided: 1,
      unanswered: 2,
      lostAnswered: 0,
    });
  });

  it('says what it would cost when no threshold spares the answered firings', () => {
    expect(suggestThreshold(80, 'above', [f(85, true), f(81, false)])).toMatchObject({
      suggested: 86,
      avoided: 1,
      lostAnswered: 1,
    });
  });

  it('mirrors for alarms on falling values', () => {
    expect(suggestThreshold(30, 'below', [f(25, true), f(10, false)])).toMatchObject({
      suggested: 24,
      avoided: 1,
      direction: 'below',
    });
  });

  it('suggests a breach duration longer than the unanswered firings lasted', () => {
    const firing = (minutes: number, unanswered: boolean): Firing => ({
      alarmName: 'a',
      at: T,
      clearedAt: T + minutes * MIN,
      incidentIds: [],
      acknowledged: !unanswered,
      actions: 0,
      unanswered,
    });
    expect(suggestWindow([firing(3, true), firing(5, true), firing(40, false)], T + 1e9, 2)).toEqual({
      minutes: 6,
      avoided: 2,
      unanswered: 2,
      lostAnswered: 0,
    });
    expect(suggestWindow([firing(3, true)], T + 1e9, 5)).toBeUndefined();
  });
});

describe('suggestions that hold', () => {
  const f = (peak: number, unanswered: boolean): Pick<Firing, 'peak' | 'unanswered'> => ({ peak, unanswered });

  it("keeps a warning's threshold below its critical level, avoiding what it still can", () => {
    // CPU warning at 70 %, critical at 90 %: above the 92 % peak would be 93 %, past the critical.
    expect(
      suggestThreshold(70, 'above', [f(85, true), f(92, true)], 'percent', { next: 90, bound: 100 }),
    ).toMatchObject({ suggested: 89, avoided: 1, unanswered: 2 });
    expect(suggestThreshold(70, 'above', [f(95, true), f(97, true)], 'percent', { next: 90, bound: 100 })).toBe(
      'would-cross-next',
    );
    // p95 warning at 500 ms, critical at 1 s: 1.4 s is never suggested.
    expect(suggestThreshold(500, 'above', [f(1350, true)], 'milliseconds', { next: 1000 })).toBe('would-cross-next');
    expect(suggestThreshold(500, 'above', [f(620, true), f(700, true)], 'milliseconds', { next: 1000 })).toMatchObject({
      suggested: 710,
      avoided: 2,
    });
    // A critical percentage may reach 100 %, not pass it.
    expect(suggestThreshold(90, 'above', [f(99.5, true)], 'percent', { bound: 100 })).toMatchObject({ suggested: 100 });
    expect(suggestThreshold(90, 'above', [f(100, true)], 'percent', { bound: 100 })).toBe('would-cross-next');
  });

  const T0 = Date.UTC(2026, 0, 5, 1);
  const period = { from: T0, to: T0 + 7 * 24 * 60 * MIN };
  // Two unanswered firings (one is not a pattern: see below), the second with the metric's 84 % peak.
  const F = T0 + 2 * 24 * 60 * MIN;
  const noisy = (name: string) =>
    mergeTransitions(
      [
        tr(name, F - 15 * MIN, 'ALARM', { value: 81, threshold: 80, unit: 'percent' }),
        tr(name, F - 12 * MIN, 'OK'),
        tr(name, F, 'ALARM', { threshold: 80, unit: 'percent' }),
        tr(name, F + 5 * MIN, 'OK'),
      ],
      [],
    );
  const series = (name: string, hours: number) =>
    new Map([
      [
        name,
        Array.from({ length: hours * 60 }, (_, m) => ({
          t: T0 + 2 * 24 * 60 * MIN - (hours * 60 - 10) * MIN + m * MIN,
          v: m === hours * 60 - 8 ? 84 : 60,
        })),
      ],
    ]);
  const analyse = (name: string, hours: number, comparison: 'absolute' | 'derived' | 'state' = 'absolute') =>
    analyseAlarms({
      transitions: noisy(name),
      alarms: new Map(),
      period,
      incidents: [],
      actions: [],
      series: series(name, hours),
      comparison: () => comparison,
      limit: () => ({ next: 90, bound: 100 }),
    }).rows[0]!;

  it('suggests a threshold only from at least a day of metric history', () => {
    const short = analyse('a', 2);
    expect(short.threshold).toBeUndefined();
    expect(short.noSuggestionReason).toBe('not-enough-data');
    expect(short.historyMs).toBe((2 * 60 - 1) * MIN);
    const long = analyse('a', 25);
    expect(long.threshold).toMatchObject({ suggested: 85, avoided: 2 });
  });

  it('suggests nothing from one unanswered firing: an event, not a pattern', () => {
    const once = mergeTransitions(
      [tr('a', F, 'ALARM', { threshold: 80, unit: 'percent' }), tr('a', F + 5 * MIN, 'OK')],
      [],
    );
    const row = analyseAlarms({
      transitions: once,
      alarms: new Map(),
      period,
      incidents: [],
      actions: [],
      series: series('a', 25),
      comparison: () => 'absolute',
      limit: () => ({ next: 90, bound: 100 }),
    }).rows[0]!;
    expect(row).toMatchObject({ unanswered: 1, noSuggestionReason: 'one-firing' });
    expect(row.threshold).toBeUndefined();
    expect(row.window).toBeUndefined();
  });

  it('suggests no threshold for a state alarm or a derived comparison, and says which', () => {
    expect(analyse('dep', 25, 'state')).toMatchObject({ noSuggestionReason: 'not-numeric' });
    expect(analyse('dep', 25, 'state').threshold).toBeUndefined();
    expect(analyse('ratio', 25, 'derived')).toMatchObject({ noSuggestionReason: 'not-absolute' });
  });
});
