import { describe, expect, it } from 'vitest';
import type { Point } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { buildSummary, produceSummary, renderSummaryMarkdown } from '../../../src/core/reports/index.js';
import type { ReportIncident } from '../../../src/core/reports/types.js';
import { storageCapacity } from '../../../src/core/reports/storage.js';
import { createSandbox } from '../../../src/sources/sandbox/sandbox.js';
import { tempJournal } from '../journal/helpers.js';
import { context, DAY, MIN, WEEK_START } from './fixtures.js';

const STEP = 5 * MIN;
const from = WEEK_START;
const to = WEEK_START + 28 * DAY;

describe('the executive summary', () => {
  it('measures availability and p95 against target per service, as the footer defines them', () => {
    const unhealthy: Point[] = [];
    const errorRate: Point[] = [];
    const p95: Point[] = [];
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
    // A: a P1 on the API's PagerDuty service, no alarm recorded (its window: trigger → resolution).
    // B: a P2 on the worker's memory alarm (its window: the alarm's firing, 3 minutes before the trigger to its recovery).
    // C: a P2 on no service of the table, still open at the period's end (its window runs to the end), against both.
    // D: a P3: not downtime.
    const workerAlarm = 'vitascope-worker-high-memory-critical';
    const incidents: ReportIncident[] = [
      {
        id: 'A',
        title: 'a',
        priority: 'P1',
        service: { id: 'PSVCAPI', name: 'Vitascope API' },
        status: 'resolved',
        createdAt: from + DAY,
        acknowledgedAt: from + DAY + 5 * MIN,
        resolvedAt: from + DAY + 65 * MIN,
        alarmNames: [],
        assignees: [],
        origins: ['journal'],
      },
      {
        id: 'B',
        title: 'b',
        priority: 'P2',
        status: 'resolved',
        createdAt: from + 9 * DAY,
        acknowledgedAt: from + 9 * DAY + 15 * MIN,
        resolvedAt: from + 9 * DAY + 35 * MIN,
        alarmNames: [workerAlarm],
        assignees: [],
        origins: ['journal'],
      },
      {
        id: 'C',
        title: 'c',
        priority: 'P2',
        service: { id: 'PSVCDB', name: 'Vitascope Database' },
        status: 'acknowledged',
        createdAt: from + 20 * DAY,
        acknowledgedAt: from + 20 * DAY + 25 * MIN,
        alarmNames: [],
        assignees: [],
        origins: ['journal'],
      },
      {
        id: 'D',
        title: 'd',
        priority: 'P3',
        service: { id: 'PSVCAPI', name: 'Vitascope API' },
        status: 'resolved',
        createdAt: from + 3 * DAY,
        resolvedAt: from + 4 * DAY,
        alarmNames: [],
        assignees: [],
        origins: ['journal'],
      },
    ];
    const windows: Record<string, { from: number; to: number }[]> = {
      'vitascope-api': [
        { from: from + DAY, to: from + DAY + 65 * MIN },
        { from: from + 20 * DAY, to },
      ],
      'vitascope-worker': [
        { from: from + 9 * DAY - 3 * MIN, to: from + 9 * DAY + 30 * MIN },
        { from: from + 20 * DAY, to },
      ],
    };
    const overlaps = (service: string, t: number) => windows[service]!.some((w) => t < w.to && t + STEP > w.from);
    const apiDown = unhealthy.filter(
      (p, i) => p.v >= 1 || errorRate[i]!.v >= 6 || overlaps('vitascope-api', p.t),
    ).length;
    const workerDown = unhealthy.filter((p) => overlaps('vitascope-worker', p.t)).length;
    const report = buildSummary({
      period: { from, to },
      now: to,
      policy: DEFAULT_POLICY,
      environment: 'TEST',
      incidents,
      transitions: [
        { alarmName: workerAlarm, at: from + 9 * DAY - 3 * MIN, from: 'OK', to: 'ALARM', origin: 'journal' },
        { alarmName: workerAlarm, at: from + 9 * DAY + 30 * MIN, from: 'ALARM', to: 'OK', origin: 'journal' },
      ],
      services: [
        { service: 'vitascope-api', unhealthy, errorRate, p95 },
        { service: 'vitascope-worker', unhealthy: unhealthy.map((p) => ({ ...p, v: 0 })) },
      ],
      capacity: [{ label: 'vitascope-api CPU', unit: 'percent', warning: 70, points: cpu }],
      gaps: [],
    });
    const api = report.sla[0]!;
    expect(api.intervals).toBe(n);
    expect(down).toBeLessThan(apiDown); // the incidents add downtime the metrics did not show
    expect(api.downIntervals).toBe(apiDown);
    expect(api.availability).toBeCloseTo(1 - apiDown / n, 12);
    expect(api.incidentIds).toEqual(['A', 'C']);
    expect(api.incidentDowntimeMs).toBe(65 * MIN + (to - (from + 20 * DAY)));
    expect(api.latencyWithinTarget).toBeCloseTo(1 - slow / n, 12);
    expect(api.met).toBe(false);
    // The worker's own metric never said it was down; its P2 incidents did: never 100 % beside them.
    const worker = report.sla[1]!;
    expect(worker).toMatchObject({
      service: 'vitascope-worker',
      incidentIds: ['B', 'C'],
      downIntervals: workerDown,
      met: false,
    });
    expect(worker.availability).toBeCloseTo(1 - workerDown / n, 12);
    // Weeks: A and D in week 1; B in week 2; C, still open, in week 3 (MTTR counts only the resolved).
    expect(report.weeks).toHaveLength(4);
    expect(report.weeks[0]!.incidents).toMatchObject({ P1: 1, P3: 1 });
    expect(report.weeks[1]!.incidents.P2).toBe(1);
    expect(report.weeks[1]!.mttr).toEqual({ count: 1, meanMs: 35 * MIN, medianMs: 35 * MIN });
    expect(report.weeks[2]!.incidents.P2).toBe(1);
    expect(report.weeks[2]!.mttr.count).toBe(0);
    expect(report.totals.mtta.meanMs).toBe(((5 + 15 + 25) / 3) * MIN);
    // CPU climbs 0.02 % an hour: 3.36 % a week, reaching 70 % some 5 weeks after the period's end.
    const c = report.capacity[0]!;
    expect(c.slopePerWeek).toBeCloseTo(0.02 * 24 * 7, 6);
    expect(c.weeksToWarning).toBeCloseTo((70 - (40 + (28 * 24 - 1) * 0.02)) / (0.02 * 24 * 7), 6);
    const md = renderSummaryMarkdown(report, 'en');
    expect(md.split('\n').filter((l) => l.startsWith('## '))).toEqual([
      '## 1. SLA achievement',
      '## 2. Incidents',
      '## 3. Alarm volume',
      '## 4. Capacity trend',
      '## About this report',
    ]);
    expect(md).toContain('Availability: the share of 5-minute intervals');
    const ja = renderSummaryMarkdown(report, 'ja');
    expect(ja).toContain('## 1. SLA 達成状況');
    expect(ja).toContain('約 4.9 週');
  });

  it('counts a P1 against availability even without any metric, and draws no trend from too short a history', () => {
    const p1: ReportIncident = {
      id: 'P',
      title: 'p',
      priority: 'P1',
      service: { id: 'X', name: 'vitascope-api' },
      status: 'resolved',
      createdAt: from + 2 * DAY,
      resolvedAt: from + 2 * DAY + 50 * MIN,
      alarmNames: [],
      assignees: [],
      origins: ['journal'],
    };
    // 90 minutes of CPU climbing fast: a line through it would say "+2,000 % a week".
    const cpu = Array.from({ length: 90 }, (_, m) => ({ t: to - 90 * MIN + m * MIN, v: 30 + m * 0.3 }));
    const report = buildSummary({
      period: { from, to },
      now: to,
      policy: DEFAULT_POLICY,
      environment: 'TEST',
      incidents: [p1],
      transitions: [],
      services: [{ service: 'vitascope-api' }],
      capacity: [{ label: 'vitascope-api CPU', unit: 'percent', warning: 70, points: cpu }],
      gaps: [],
    });
    // Without metrics every 5-minute interval of the period counts; the P1's 50 minutes are 10 of them.
    const intervals = (to - from) / STEP;
    expect(report.sla[0]).toMatchObject({ intervals, downIntervals: 10, incidentDowntimeMs: 50 * MIN, met: false });
    expect(report.sla[0]!.availability).toBeCloseTo(1 - 10 / intervals, 12);
    const c = report.capacity[0]!;
    expect(c.historyMs).toBe(89 * MIN);
    expect(c.slopePerWeek).toBeUndefined();
    expect(c.weeksToWarning).toBeUndefined();
    const md = renderSummaryMarkdown(report, 'en');
    expect(md).toContain('not enough history (1h 29m) to forecast; 7d 0h needed');
    expect(md).not.toMatch(/\/ week/);
  });

  it('is gathered from the sandbox: its services, their health and capacity metrics', async () => {
    const sandbox = createSandbox({
      seed: 1,
      scenario: 'calm',
      speed: 1,
      startOffsetMs: 0,
      policy: DEFAULT_POLICY,
      user: { id: 'u', name: 'U' },
      frozen: true,
    });
    const now = sandbox.now();
    const ctx = { ...context(tempJournal(), sandbox, now), logOrigin: 'sandbox' as const };
    const { report } = await produceSummary(
      ctx,
      { from: now - 14 * DAY, to: now },
      { lang: 'en', format: 'md', redact: true },
    );
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
      'vitascope-db Disk utilisation',
    ]);
    // DB storage: the share of the allocated storage in use, as the sandbox's database reports it now.
    const storage = await sandbox.storageResizable!.getStorage('vitascope-db');
    expect(report.capacity.at(-1)).toMatchObject({ unit: 'percent', warning: 80 });
    expect(report.capacity.at(-1)!.max).toBeGreaterThanOrEqual(storage.usedPercent! - 1);
    // The sandbox's history is short: no trend is drawn from it.
    for (const row of report.capacity) if (row.historyMs < 7 * DAY) expect(row.slopePerWeek).toBeUndefined();
    expect(report.footer.gaps).toEqual([]);
  });
});

describe('DB storage in the capacity trend', () => {
  it('reads the share of the allocated storage in use from FreeStorageSpace where the disk metric is missing', async () => {
    const GIB = 1024 ** 3;
    const free = Array.from({ length: 48 }, (_, h) => ({ t: from + h * 60 * MIN, v: (200 - h) * GIB }));
    const asked: string[] = [];
    const sources = {
      environment: { kind: 'aws' as const, label: 'TEST', production: true },
      now: () => to,
      metrics: {
        getSeries: async (queries: readonly { id: string; metric: { name: string } }[]) => {
          asked.push(...queries.map((q) => q.metric.name));
          return queries.map((q) => ({ id: q.id, points: q.metric.name === 'FreeStorageSpace' ? free : [] }));
        },
      },
      storageResizable: { getStorage: async () => ({ allocatedGiB: 500 }), setAllocatedStorage: async () => {} },
      close: async () => {},
    };
    const gaps: string[] = [];
    // A team's disk metric (a plain share, not the default's metric math), which this source does not have.
    const policy = {
      ...DEFAULT_POLICY,
      rules: DEFAULT_POLICY.rules.map((r) =>
        r.id === 'disk-utilization'
          ? {
              ...r,
              metric: {
                namespace: 'Vitascope/Infra',
                name: 'DiskUtilization',
                statistic: 'Maximum' as const,
                dimensions: ['DBInstanceIdentifier'],
              },
            }
          : r,
      ),
    };
    const rows = await storageCapacity(
      sources,
      policy,
      [{ id: 'db-1', engine: 'postgres', instanceClass: 'db.m5.large', status: 'available', multiAz: false }],
      { from, to },
      3600,
      async (source, read) => {
        try {
          return await read();
        } catch (e) {
          gaps.push(source);
          return undefined;
        }
      },
    );
    expect(asked).toEqual(['DiskUtilization', 'FreeStorageSpace']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ label: 'db-1 Disk utilisation', unit: 'percent', warning: 80 });
    expect(rows[0]!.points.map((p) => p.v)).toEqual(free.map((p) => 100 * (1 - p.v / (500 * GIB))));
    expect(gaps).toEqual([]);
    // The default rule is that same formula as metric math: only FreeStorageSpace is asked for.
    asked.length = 0;
    const byDefault = await storageCapacity(
      sources,
      DEFAULT_POLICY,
      [{ id: 'db-1', engine: 'postgres', instanceClass: 'db.m5.large', status: 'available', multiAz: false }],
      { from, to },
      3600,
      async (_source, read) => read(),
    );
    expect(asked).toEqual(['FreeStorageSpace']);
    expect(byDefault[0]!.points.map((p) => p.v)).toEqual(rows[0]!.points.map((p) => p.v));
  });
});
