import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../../src/core/journal/index.js';
import type { Alarm, Incident, TimelineEntry } from '../../../src/core/model.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/overrides.js';
import { outsideWorkingHours } from '../../../src/core/policy/escalation.js';
import { handoffPeople, outsideHoursOf } from '../../../src/core/reports/handoff.js';
import { produceHandoff } from '../../../src/core/reports/index.js';
import { loadRunbooks } from '../../../src/core/runbooks/load.js';
import {
  aiko,
  context,
  DAY,
  expectedFigures,
  fakeSources,
  HOUR,
  INCIDENTS,
  kenji,
  MIN,
  NO_RUNBOOK_ALARM,
  NOISE_ALARM,
  NOISE_DURATION,
  NOISE_FIRINGS,
  PLANTED,
  WEEK_END,
  WEEK_START,
  weekJournal,
} from './fixtures.js';
import { shiftsBetween } from '../../../src/sources/sandbox/oncall.js';

const period = { from: WEEK_START, to: WEEK_END };
const runbooks = loadRunbooks().runbooks;

async function handoff(
  options: {
    lang?: 'en' | 'ja';
    format?: 'md' | 'json';
    redact?: boolean;
    sources?: Parameters<typeof context>[1];
  } = {},
) {
  const j = weekJournal();
  const ctx = { ...context(j, options.sources ?? fakeSources()), runbooks };
  return produceHandoff(ctx, period, {
    lang: options.lang ?? 'en',
    format: options.format ?? 'md',
    redact: options.redact ?? true,
  });
}

/** "1h 32m": how the English report writes a duration (seconds dropped above an hour). */
function enDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? ` ${String(s % 60).padStart(2, '0')}s` : ''}`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** The noisy memory alarm as the alarm source knows it, with its metric around the four firings. */
function noiseSources() {
  const alarm = {
    id: NOISE_ALARM,
    name: NOISE_ALARM,
    kind: 'metric' as const,
    state: 'OK' as const,
    level: 'warning' as const,
    threshold: 80,
    unit: 'percent',
    comparison: 'GreaterThanOrEqualToThreshold',
    periodSeconds: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    stateSince: WEEK_START,
    actions: [],
    ruleId: 'memory-utilization',
    metric: {
      namespace: 'AWS/ECS',
      name: 'MemoryUtilization',
      dimensions: { ClusterName: 'c', ServiceName: 'vitascope-worker' },
      statistic: 'Average',
    },
  };
  // The metric peaked higher than the transitions recorded in one firing: 86.2. The history spans the
  // four firings (four days): enough to suggest from.
  const points = NOISE_FIRINGS.flatMap((f, i) =>
    [0, 1, 2, 3, 4].map((k) => ({ t: f.at + k * MIN, v: i === 1 && k === 2 ? 86.2 : f.value - 0.5 })),
  );
  return fakeSources({ alarms: [alarm], series: { [NOISE_ALARM]: points } });
}

describe('the handoff of a constructed week', () => {
  it('has every section, in order', async () => {
    const { text } = await handoff();
    const headings = text.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## 1. On call',
      '## 2. Incidents',
      '## 3. Still open',
      '## 4. Actions taken',
      '## 5. Alarms',
      '## 6. Pages outside working hours',
      '## 7. Notes from the outgoing responder',
      '## 8. Next week',
      '## About this report',
    ]);
    for (const sub of [
      '### By priority',
      '### Open incidents',
      '### Open follow-ups',
      '### Fired most',
      '### Flapping',
      '### Noise candidates',
      '### Alarms with no matching runbook',
      '### Rotation',
      '### Known risks',
      '### Recent changes',
    ]) {
      expect(text).toContain(sub);
    }
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('computes MTTA and MTTR as the footer defines them (checked against the raw timestamps)', async () => {
    const expected = expectedFigures();
    const { report, text } = await handoff();
    expect(report.totals.incidents).toBe(INCIDENTS.length);
    expect(report.totals.mtta.count).toBe(expected.acked);
    expect(report.totals.mtta.meanMs).toBe(expected.mtta);
    expect(report.totals.mttr.count).toBe(expected.resolved);
    expect(report.totals.mttr.meanMs).toBe(expected.mttr);
    expect(text).toContain(`MTTA ${enDuration(expected.mtta)}`);
    expect(text).toContain(`MTTR ${enDuration(expected.mttr)}`);
    expect(text).toContain("MTTA (mean time to acknowledge): from the incident's trigger to its first acknowledgement");
    // By priority, from the raw timestamps too.
    for (const p of ['P1', 'P2', 'P3', 'P4'] as const) {
      const ins = INCIDENTS.filter((i) => i.priority === p);
      const acks = ins.filter((i) => i.ackAt !== undefined).map((i) => i.ackAt! - i.createdAt);
      const row = report.byPriority.find((r) => r.priority === p)!;
      expect(row.incidents).toBe(ins.length);
      expect(row.mtta.meanMs).toBe(acks.length ? acks.reduce((a, b) => a + b, 0) / acks.length : undefined);
    }
  });

  it('lists what is still open, with owners, and the actions with their outcome and evidence', async () => {
    const { report, text } = await handoff();
    expect(report.openIncidents.map((i) => i.id)).toEqual(['INC-3']);
    expect(report.openFollowUps.map((f) => [f.owner, f.overdue])).toEqual([
      ['Kenji Sato', true],
      ['Aiko Tanaka', false],
    ]);
    expect(report.closedFollowUps).toHaveLength(1);
    expect(report.actions.map((a) => [a.actionId, a.outcome])).toEqual([
      ['rds.reboot', 'verified'],
      ['autoscaling.set-limits', 'verified'],
      ['ecs.set-desired-count', 'failed'],
    ]);
    expect(report.actions[0]).toMatchObject({ before: 'DatabaseConnections 344', after: 'DatabaseConnections 37' });
    expect(text).toContain(
      '| `ecs.set-desired-count` | vitascope-worker | INC-3 | Aiko Tanaka | failed: AccessDeniedException',
    );
    // INC-3's alarm fired and the journal never saw it clear: in ALARM as far as the record goes.
    expect(report.next.risks.map((r) => r.kind)).toEqual([
      'open-incident',
      'follow-up',
      'follow-up',
      'in-alarm',
      'noise',
      'noise',
      'failed-action',
    ]);
  });

  it('counts noise and flapping correctly', async () => {
    const { report, text } = await handoff();
    // Independently: every firing of the week, by alarm.
    const firings = INCIDENTS.filter((i) => i.alarm).length + NOISE_FIRINGS.length;
    expect(report.alarms.firings).toBe(firings);
    const noise = report.alarms.noise;
    expect(noise.map((r) => r.alarmName)).toEqual([NOISE_ALARM, 'vitascope-api-high-latency-warning']);
    expect(noise[0]).toMatchObject({
      firings: 4,
      unanswered: 4,
      withoutIncident: 4,
      selfResolved: 0,
      maxInWindow: 3,
      flapping: true,
    });
    // No metric history here (only the values the transitions carried): no threshold is suggested from
    // four numbers, the report says why; the breach duration comes from the firings themselves.
    expect(noise[0]!.threshold).toBeUndefined();
    expect(noise[0]!.noSuggestionReason).toBe('no-metric-data');
    expect(noise[0]!.window).toMatchObject({ minutes: NOISE_DURATION / MIN + 1, avoided: 4 });
    // INC-4 resolved by itself, nobody acknowledged it: its firing is unanswered.
    expect(noise[1]).toMatchObject({ firings: 1, unanswered: 1, withoutIncident: 0, selfResolved: 1, flapping: false });
    expect(report.alarms.flapping.map((r) => r.alarmName)).toEqual([NOISE_ALARM]);
    expect(text).toContain(
      'no metric data to base a threshold on; requiring the breach for 6 min would have avoided 4 of 4',
    );
    expect(text).toContain('Flapping: an alarm that entered ALARM at least 3 times within 1h 00m.');
  });

  it("bases the threshold suggestion on the alarm's metric history when there is one", async () => {
    const { report } = await handoff({ sources: noiseSources() });
    expect(report.alarms.noise[0]!.threshold).toMatchObject({ suggested: 87, avoided: 4 });
    // 3 of 3 minutes is the alarm's own window: 6 minutes is a real change.
    expect(report.alarms.noise[0]!.window?.minutes).toBe(6);
  });

  it('names the alarms no runbook but the default one matches', async () => {
    const { report } = await handoff();
    expect(report.alarms.withoutRunbook).toEqual([{ alarmName: NO_RUNBOOK_ALARM, firings: 1 }]);
  });

  it('lists the pages outside working hours (09:00–18:00 Asia/Tokyo, weekdays)', async () => {
    const { report, text } = await handoff();
    // INC-2 Wednesday 00:00 JST, INC-4 Friday 22:00 JST, INC-5 Saturday 10:00 JST.
    expect(report.outsideHours.pages.map((p) => p.incidentId)).toEqual(['INC-2', 'INC-4', 'INC-5']);
    expect(text).toContain('3 of 5 pages came outside working hours (Mon–Fri 9:00–18:00 Asia/Tokyo).');
  });

  it("carries the outgoing responder's notes and next week's rotation", async () => {
    const { report, text } = await handoff();
    expect(report.notes).toHaveLength(1);
    expect(report.notes[0]!.from).toBe('Aiko Tanaka');
    expect(report.people).toMatchObject({ outgoing: 'Aiko Tanaka', incoming: 'Kenji Sato' });
    expect(report.next.rotation.map((s) => [s.role, s.person])).toEqual([
      ['primary', 'Kenji Sato'],
      ['secondary', 'Maya Chen'],
    ]);
    expect(text).toContain('> The reporting job is the usual suspect for DB connections.');
  });

  it("redacts the planted personal data, keeps people's names, and says how much in the footer", async () => {
    const { report, text } = await handoff();
    expect(text).not.toContain(PLANTED.email);
    expect(text).not.toContain(PLANTED.phone);
    expect(text).toContain('[REDACTED:email]');
    expect(text).toContain('Kenji Sato');
    const r = report.footer.redaction;
    expect(r.byKind.email).toBeGreaterThanOrEqual(2);
    expect(r.byKind.phone).toBeGreaterThanOrEqual(1);
    expect(text).toContain(`Redaction: ${r.total} items redacted (`);
  });

  it('leaves everything in with --no-redact, and says so loudly', async () => {
    const { text } = await handoff({ redact: false });
    expect(text).toContain(PLANTED.email);
    expect(text).toContain('Redaction: OFF (--no-redact)');
  });

  it('writes JSON with ISO times, durations in ms and the definitions', async () => {
    const { text } = await handoff({ format: 'json' });
    const json = JSON.parse(text) as Record<string, any>;
    expect(json.kind).toBe('handoff');
    expect(json.period).toEqual({ from: new Date(WEEK_START).toISOString(), to: new Date(WEEK_END).toISOString() });
    expect(json.totals.mtta.meanMs).toBe(expectedFigures().mtta);
    expect(json.incidents[0].createdAt).toBe(new Date(INCIDENTS[0]!.createdAt).toISOString());
    expect(Object.keys(json.definitions)).toEqual(
      expect.arrayContaining(['mtta', 'mttr', 'flapping', 'noise', 'outsideHours']),
    );
    expect(json.footer.redaction.enabled).toBe(true);
  });

  it('is written in Japanese with --lang ja', async () => {
    const { text } = await handoff({ lang: 'ja' });
    expect(text).toContain('# オンコール引き継ぎ: 2026/1/5(月) 10:00 JST 〜 2026/1/12(月) 10:00 JST');
    for (const h of [
      '## 1. 当番',
      '## 2. インシデント',
      '## 3. 未解決の事項',
      '## 4. 実施した対応',
      '## 5. アラーム',
      '## 6. 業務時間外の呼び出し',
      '## 7. 前任者からの引き継ぎメモ',
      '## 8. 来週に向けて',
      '## このレポートについて',
    ]) {
      expect(text).toContain(h);
    }
    expect(text).toContain('MTTA 26分30秒');
    expect(text).toContain('呼び出し 5 件のうち 3 件が業務時間外');
    expect(text).toContain('MTTA（平均受付時間）');
    // The noise suggestion, worded as a sentence (it read "閾値 障害 → 障害 で…" for a state alarm before).
    const withHistory = await handoff({ lang: 'ja', sources: noiseSources() });
    expect(withHistory.text).toContain('閾値を 80 % から 87 % に変えると、対応不要だった 4 回の発報のうち 4 回を回避');
    expect(withHistory.text).not.toContain('障害 →');
  });
});

describe('with PagerDuty configured', () => {
  // A teammate's incident that this machine never saw, and INC-2, which both recorded.
  const team: Incident = {
    id: 'PTEAM01',
    title: 'Auth brute force from one address',
    status: 'resolved',
    urgency: 'low',
    priority: 'P3',
    service: { id: 'PSVCAPI', name: 'Vitascope API' },
    createdAt: WEEK_START + 2 * DAY + HOUR,
    acknowledgedAt: WEEK_START + 2 * DAY + HOUR + 8 * MIN,
    resolvedAt: WEEK_START + 2 * DAY + HOUR + 40 * MIN,
    assignees: [{ id: 'PUMAYA', name: 'Maya Chen' }],
    escalationLevel: 1,
    escalatedAt: WEEK_START + 2 * DAY + HOUR,
    alarmNames: ['vitascope-api-auth-failures-warning'],
  };
  const inc2 = INCIDENTS[1]!;
  const inc2pd: Incident = {
    id: 'INC-2',
    title: inc2.title,
    status: 'resolved',
    urgency: 'high',
    priority: 'P2',
    service: { id: 'PSVCAPI', name: 'Vitascope API' },
    createdAt: inc2.createdAt,
    acknowledgedAt: inc2.ackAt,
    resolvedAt: inc2.resolvedAt,
    assignees: [{ id: 'PUKENJ', name: 'Kenji Sato' }],
    escalationLevel: 2,
    escalatedAt: inc2.createdAt + 30 * MIN,
    alarmNames: [inc2.alarm!.name],
  };
  const logs: Record<string, TimelineEntry[]> = {
    PTEAM01: [
      {
        id: 'pd-log:1',
        at: team.createdAt,
        kind: 'incident.triggered',
        summary: 'Triggered through the API',
        who: 'CloudWatch',
        incidentId: 'PTEAM01',
      },
      {
        id: 'pd-log:2',
        at: team.acknowledgedAt!,
        kind: 'incident.acknowledged',
        summary: 'Acknowledged by Maya Chen',
        who: 'Maya Chen',
        incidentId: 'PTEAM01',
      },
    ],
  };

  it("counts the whole team's incidents once each: merged by id, de-duplicated", async () => {
    const { report } = await handoff({ sources: fakeSources({ incidents: [team, inc2pd], logs }) });
    expect(report.totals.incidents).toBe(INCIDENTS.length + 1);
    expect(report.incidents.filter((i) => i.id === 'INC-2')).toHaveLength(1);
    // Everything comes from the journal, which recorded what PagerDuty knew and it did not (the escalation).
    const merged = report.incidents.find((i) => i.id === 'INC-2')!;
    expect(merged.origins).toEqual(['journal']);
    expect(merged.escalationLevel).toBe(2);
    const acks = [
      ...INCIDENTS.filter((i) => i.ackAt !== undefined).map((i) => i.ackAt! - i.createdAt),
      team.acknowledgedAt! - team.createdAt,
    ];
    expect(report.totals.mtta.meanMs).toBe(acks.reduce((a, b) => a + b, 0) / acks.length);
    expect(report.totals.escalated).toBe(1);
    expect(report.incidents.find((i) => i.id === 'PTEAM01')!.acknowledgedBy).toBe('Maya Chen');
    expect(report.people.responders).toContain('Maya Chen');
    expect(report.people.responders).not.toContain('CloudWatch');
    expect(report.people.responders).toContain(aiko.name);
  });
});

describe('pages outside working hours', () => {
  it("follows the policy's rule exactly, also in zones with half-hour offsets", () => {
    for (const timeZone of ['Asia/Tokyo', 'Asia/Kolkata', 'America/St_Johns', 'UTC']) {
      const policy = { ...DEFAULT_POLICY, workingHours: { timeZone, start: 9, end: 18 } };
      const fast = outsideHoursOf(policy);
      for (let t = WEEK_START - DAY; t < WEEK_END + DAY; t += 7 * MIN + 13_000)
        expect(fast(t), `${timeZone} ${new Date(t).toISOString()}`).toBe(outsideWorkingHours(t, policy));
    }
  });
});

describe('who hands over to whom', () => {
  const shifts = shiftsBetween(WEEK_START, WEEK_END + 14 * DAY);

  it("takes the primary at the period's end and the primary of the NEXT shift, whenever the period ends", () => {
    // A handoff written mid-week (`--since 1d` on Wednesday): the shift covering the period's end is still
    // Aiko's; the next one is Kenji's, from Monday 10:00.
    const midWeek = { from: WEEK_START + 1 * DAY, to: WEEK_START + 2 * DAY };
    const primary = (t: number) => shifts.find((x) => x.role === 'primary' && x.start <= t && t < x.end)!.person.name;
    expect(handoffPeople(midWeek, shifts, [], [])).toEqual({
      outgoing: primary(midWeek.to - 1),
      incoming: primary(WEEK_END),
      handoverAt: WEEK_END,
      outgoingFrom: 'schedule',
      incomingFrom: 'schedule',
    });
    expect(primary(midWeek.to - 1)).not.toBe(primary(WEEK_END));
    // At the rotation's boundary: the week's primary hands over to the next week's.
    expect(handoffPeople({ from: WEEK_START, to: WEEK_END }, shifts, [], [])).toMatchObject({
      outgoing: primary(WEEK_END - 1),
      incoming: primary(WEEK_END),
      handoverAt: WEEK_END,
    });
  });

  it("without a rotation, takes the handoff note's author and whoever acknowledged it", () => {
    const period = { from: WEEK_START, to: WEEK_END };
    const note = {
      id: 7,
      at: WEEK_END - HOUR,
      from: aiko,
      text: 'watch the DB',
      incidentIds: [],
      acknowledged: { at: WEEK_END - 30 * MIN, by: kenji },
    };
    expect(handoffPeople(period, [], [note], [])).toEqual({
      outgoing: 'Aiko Tanaka',
      outgoingFrom: 'handoff-note',
      incoming: 'Kenji Sato',
      incomingFrom: 'handoff-acknowledgement',
    });
    // Nothing but acknowledgements: the person who acknowledged most of the period's pages is outgoing; nobody is invented as incoming.
    const incident = (id: string, by: string) => ({
      id,
      title: id,
      status: 'resolved' as const,
      createdAt: WEEK_START + DAY,
      acknowledgedBy: by,
      alarmNames: [],
      assignees: [],
      origins: ['journal' as const],
    });
    expect(
      handoffPeople(
        period,
        [],
        [],
        [
          incident('a', 'Maya Chen'),
          incident('b', 'Maya Chen'),
          incident('c', 'Aiko Tanaka'),
          incident('d', 'CloudWatch'),
        ],
      ),
    ).toEqual({ outgoing: 'Maya Chen', outgoingFrom: 'acknowledgements' });
  });

  it('says so when the schedule keeps the same person on call', async () => {
    const solo = shifts.map((x) => ({ ...x, person: { id: 'aiko', name: 'Aiko Tanaka' } }));
    expect(handoffPeople({ from: WEEK_START, to: WEEK_END }, solo, [], [])).toMatchObject({
      outgoing: 'Aiko Tanaka',
      incoming: 'Aiko Tanaka',
      incomingFrom: 'schedule',
    });
  });
});

describe('read-only checks and suggestions in the handoff', () => {
  const readOnly = (i: number, dryRun: boolean, failed = false): EventInput[] => {
    const r = {
      runId: `chk-${i}`,
      actionId: 'command.run',
      target: 'aws',
      params: { argv: ['aws', 'ecs', 'describe-services', '--cluster', 'c'], timeout: '60s' },
      ...(dryRun ? { dryRun: true } : {}),
    };
    const at = WEEK_START + 1 * HOUR + 10 * MIN + i * MIN;
    return [
      {
        kind: 'action.planned',
        at,
        who: aiko,
        incidentId: 'INC-1',
        payload: { ...r, plan: { summary: 'run aws ecs describe-services --cluster c' } },
      },
      failed
        ? {
            kind: 'action.failed',
            at: at + 1000,
            who: aiko,
            incidentId: 'INC-1',
            payload: { ...r, stage: 'apply', error: 'aws: program not found' },
          }
        : { kind: 'action.applied', at: at + 1000, who: aiko, incidentId: 'INC-1', payload: { ...r, output: 'ok' } },
    ];
  };

  it('leaves read-only commands out of the actions and the risks, and counts them', async () => {
    const j = weekJournal();
    j.appendMany([...readOnly(0, true), ...readOnly(1, true), ...readOnly(2, false), ...readOnly(3, false, true)]);
    const { report, text } = await produceHandoff({ ...context(j, fakeSources()), runbooks }, period, {
      lang: 'en',
      format: 'md',
      redact: true,
    });
    expect(report.actions.map((a) => a.actionId)).toEqual([
      'rds.reboot',
      'autoscaling.set-limits',
      'ecs.set-desired-count',
    ]);
    // Two ran; two were only recorded as dry runs (no evidence): counted apart.
    expect([report.readOnlyChecks, report.readOnlyChecksDry]).toEqual([2, 2]);
    expect(
      report.next.risks.filter((r) => r.kind === 'failed-action').map((r) => r.kind === 'failed-action' && r.actionId),
    ).toEqual(['ecs.set-desired-count']);
    expect(text).not.toContain('describe-services');
  });

  it('never suggests a warning threshold at or past the critical, nor a threshold for a state alarm', async () => {
    const j = weekJournal();
    const cpuWarning = 'vitascope-api-high-cpu-warning';
    const dependency = 'vitascope-wearables-gateway-dependency-down-critical';
    const peaks = [93, 95, 97];
    const events: EventInput[] = [];
    peaks.forEach((v, i) => {
      const at = WEEK_START + (2 + i) * DAY;
      for (const [name, value, threshold] of [
        [cpuWarning, v, 70],
        [dependency, 1, 1],
      ] as const) {
        events.push({
          kind: 'alarm.transition',
          at,
          who: aiko,
          payload: { alarmId: name, alarmName: name, from: 'OK', to: 'ALARM', value, threshold },
        });
        events.push({
          kind: 'alarm.transition',
          at: at + 4 * MIN,
          who: aiko,
          payload: { alarmId: name, alarmName: name, from: 'ALARM', to: 'OK', value: 0, threshold },
        });
      }
    });
    j.appendMany(events);
    const alarm = (name: string, ruleId: string, threshold: number, unit: string, metric: Alarm['metric']): Alarm => ({
      id: name,
      name,
      kind: 'metric',
      state: 'OK',
      level: name.endsWith('warning') ? 'warning' : 'critical',
      threshold,
      unit,
      comparison: 'GreaterThanOrEqualToThreshold',
      periodSeconds: 60,
      evaluationPeriods: 1,
      stateSince: WEEK_START,
      actions: [],
      ruleId,
      metric,
    });
    const cpuMetric = {
      namespace: 'AWS/ECS',
      name: 'CPUUtilization',
      dimensions: { ClusterName: 'vitascope-cluster', ServiceName: 'vitascope-api' },
      statistic: 'Average',
    };
    // Four days of CPU history around the firings, each firing at its peak.
    const cpu = Array.from({ length: 5 * 24 * 60 }, (_, m) => {
      const t = WEEK_START + DAY + m * MIN;
      const i = peaks.findIndex((_, k) => t >= WEEK_START + (2 + k) * DAY && t < WEEK_START + (2 + k) * DAY + 4 * MIN);
      return { t, v: i >= 0 ? peaks[i]! : 40 };
    });
    const sources = fakeSources({
      alarms: [
        alarm(cpuWarning, 'cpu-utilization', 70, 'percent', cpuMetric),
        alarm(dependency, 'dependency-availability', 1, 'boolean', {
          namespace: 'Vitascope/API',
          name: 'DependencyDown',
          dimensions: { Dependency: 'wearables-gateway' },
        }),
      ],
      series: { [cpuWarning]: cpu, [dependency]: cpu.map((p) => ({ ...p, v: p.v > 50 ? 1 : 0 })) },
    });
    const { report, text } = await produceHandoff({ ...context(j, sources), runbooks }, period, {
      lang: 'en',
      format: 'md',
      redact: true,
    });
    const row = (name: string) => report.alarms.noise.find((r) => r.alarmName === name)!;
    const critical = DEFAULT_POLICY.rules.find((r) => r.id === 'cpu-utilization')!.thresholds.critical!;
    // Every unanswered CPU peak is above the critical: no warning threshold under it avoids any.
    expect(Math.min(...peaks)).toBeGreaterThan(critical);
    expect(row(cpuWarning).threshold).toBeUndefined();
    expect(row(cpuWarning)).toMatchObject({
      noSuggestionReason: 'would-cross-next',
      nextLevel: { value: critical, unit: 'percent' },
    });
    expect(row(dependency).threshold).toBeUndefined();
    expect(row(dependency).noSuggestionReason).toBe('not-numeric');
    expect(text).not.toMatch(/→ 1[01]\d %|failing → failing/);
    const ja = await produceHandoff({ ...context(j, sources), runbooks }, period, {
      lang: 'ja',
      format: 'md',
      redact: true,
    });
    expect(ja.text).not.toMatch(/閾値 障害|障害 →/);
  });
});
