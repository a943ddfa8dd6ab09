import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { buildSummary, produceSummary, renderSummaryMarkdown } from '../../../src/core/reports/index.js';
import type { ReportIncident } from '../../../src/core/reports/types.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { tempJournal } from '../journal/helpers.js';
import { context, DAY, MIN, WEEK_START } from './fixtures.js';

const STEP = 5 * MIN;
const from = WEEK_START;
const to = WEEK_START + 28 * DAY;

describe('the executive summary', () => {
  it('measures availability and p95 against target per service, as the footer defines them', () => {
    const unhealthy = [];
    const errorRate = [];
    const p95 = [];
    let down = 0;
    let slow = 0;
    let n = 0;
    for (let t = from; t < to; t += STEP, n++) {
      const sick = n % 1000 === 7; // 9 intervals unhealthy
      const failing = n % 1500 === 11; // 6 intervals at 6 % errors
      unhealthy.push({ t, v: sick ? 1 : 0 });
      errorRate.push({ t, v: failing ? 6 : 0.2 });
      p95.push({ t, v: n % 50 === 0 ? 900 : 210 });
      if (sick || failing) down += 1;
      if (n % 50 === 0) slow += 1;
    }
    const cpu = Array.from({ length: 28 * 24 }, (_, h) => ({ t: from + h * 60 * MIN, v: 40 + h * 0.02 }));
    const incidents: ReportIncident[] = [
      { id: 'A', title: 'a', priority: 'P1', status: 'resolved', createdAt: from + DAY, acknowledgedAt: from + DAY + 5 * MIN, resolvedAt: from + DAY + 65 * MIN, alarmNames: [], assignees: [], origins: ['journal'] },
      { id: 'B', title: 'b', priority: 'P2', status: 'resolved', createdAt: from + 9 * DAY, acknowledgedAt: from + 9 * DAY + 15 * MIN, resolvedAt: from + 9 * DAY + 35 * MIN, alarmNames: [], assignees: [], origins: ['journal'] },
      { id: 'C', title: 'c', priority: 'P2', status: 'acknowledged', createdAt: from + 10 * DAY, acknowledgedAt: from + 10 * DAY + 25 * MIN, alarmNames: [], assignees: [], origins: ['journal'] },
    ];
    const report = buildSummary({
      period: { from, to },
      now: to,
      policy: DEFAULT_POLICY,
      environment: 'TEST',
      incidents,
      transitions: [],
      services: [
        { service: 'vitascope-api', unhealthy, errorRate, p95 },
        { service: 'vitascope-worker', unhealthy: unhealthy.map((p) => ({ ...p, v: 0 })) },
      ],
      capacity: [{ label: 'vitascope-api CPU', unit: 'percent', warning: 70, points: cpu }],
      gaps: [],
    });
    const api = report.sla[0]!;
    expect(api.intervals).toBe(n);
    expect(api.downIntervals).toBe(down);
    expect(api.availability).toBeCloseTo(1 - down / n, 12);
    expect(api.latencyWithinTarget).toBeCloseTo(1 - slow / n, 12);
    expect(api.met).toBe(false); // 2 % of intervals above 500 ms: the 99 % latency target is missed
    expect(report.sla[1]).toMatchObject({ service: 'vitascope-worker', availability: 1, met: true });
    // Weeks: A in week 1; B and C in week 2. MTTR of week 2 only counts the resolved one.
    expect(report.weeks).toHaveLength(4);
    expect(report.weeks[0]!.incidents.P1).toBe(1);
    expect(report.weeks[1]!.incidents.P2).toBe(2);
    expect(report.weeks[1]!.mttr).toEqual({ count: 1, meanMs: 35 * MIN, medianMs: 35 * MIN });
    expect(report.totals.mtta.meanMs).toBe((5 + 15 + 25) / 3 * MIN);
    // CPU climbs 0.02 % an hour: 3.36 % a week, reaching 70 % some 5 weeks after the period's end.
    const c = report.capacity[0]!;
    expect(c.slopePerWeek).toBeCloseTo(0.02 * 24 * 7, 6);
    expect(c.weeksToWarning).toBeCloseTo((70 - (40 + (28 * 24 - 1) * 0.02)) / (0.02 * 24 * 7), 6);
    const md = renderSummaryMarkdown(report, 'en');
    expect(md.split('\n').filter((l) => l.startsWith('## '))).toEqual(['## 1. SLA achievement', '## 2. Incidents', '## 3. Alarm volume', '## 4. Capacity trend', '## About this report']);
    expect(md).toContain('Availability: the share of 5-minute intervals');
    const ja = renderSummaryMarkdown(report, 'ja');
    expect(ja).toContain('## 1. SLA 達成状況');
    expect(ja).toContain('約 4.9 週');
  });

  it('is gathered from the sandbox: its services, their health and capacity metrics', async () => {
    const sandbox = createSandbox({ seed: 1, scenario: 'calm', speed: 1, startOffsetMs: 0, policy: DEFAULT_POLICY, user: { id: 'u', name: 'U' }, frozen: true });
    const now = sandbox.now();
    const ctx = { ...context(tempJournal(), sandbox, now), logOrigin: 'sandbox' as const };
    const { report } = await produceSummary(ctx, { from: now - 14 * DAY, to: now }, { lang: 'en', format: 'md', redact: true });
    expect(report.sla.map((s) => [s.service, s.availability])).toEqual([
      ['vitascope-api', 1],
      ['vitascope-worker', 1],
    ]);
    expect(report.sla[0]!.latencyWithinTarget).toBe(1);
    expect(report.capacity.map((c) => c.label)).toEqual([
      'vitascope-api CPU utilisation',
      'vitascope-api Memory utilisation',
      'vitascope-worker CPU utilisation',
      'vitascope-worker Memory utilisation',
      'vitascope-db RDS connections',
    ]);
    expect(report.footer.gaps).toEqual([]);
  });
});
