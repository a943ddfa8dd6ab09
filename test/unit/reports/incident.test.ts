import { describe, expect, it } from 'vitest';
import type { Alarm, TimelineEntry } from '../../../src/core/model.js';
import { produceIncidentReport } from '../../../src/core/reports/index.js';
import { context, fakeSources, INCIDENTS, MIN, PLANTED, WEEK_END, weekJournal } from './fixtures.js';

const inc1 = INCIDENTS[0]!;
const alarm1 = inc1.alarm!;

const dbAlarm: Alarm = {
  id: alarm1.name,
  name: alarm1.name,
  kind: 'metric',
  state: 'OK',
  level: 'warning',
  threshold: 80,
  unit: 'percent',
  comparison: 'GreaterThanOrEqualToThreshold',
  periodSeconds: 60,
  evaluationPeriods: 3,
  datapointsToAlarm: 3,
  stateSince: alarm1.clearedAt!,
  actions: [],
  ruleId: 'rds-connections',
  metric: {
    namespace: 'AWS/RDS',
    name: 'DatabaseConnections',
    dimensions: { DBInstanceIdentifier: 'vitascope-db' },
    statistic: 'Maximum',
  },
};

// What PagerDuty recorded for INC-1: the same trigger and acknowledgement, the alert, a mirrored note (the
// journal's own events coming back), and a teammate's note with a secret and personal data in it.
const log: TimelineEntry[] = [
  {
    id: 'pd-log:1',
    at: inc1.createdAt + 5_000,
    kind: 'incident.triggered',
    summary: 'Triggered through CloudWatch',
    who: 'CloudWatch',
    incidentId: 'INC-1',
  },
  {
    id: 'pd-log:2',
    at: alarm1.firedAt + 20_000,
    kind: 'alarm',
    summary: `Alert added: ${alarm1.name} in ALARM`,
    who: 'CloudWatch',
    incidentId: 'INC-1',
  },
  {
    id: 'pd-log:3',
    at: inc1.ackAt! + 30_000,
    kind: 'incident.acknowledged',
    summary: 'Acknowledged by Aiko Tanaka',
    who: 'Aiko Tanaka',
    incidentId: 'INC-1',
  },
  {
    id: 'pd-note:4',
    at: inc1.ackAt! + 2 * MIN,
    kind: 'note',
    summary: '[vitascope-oncall vo-0123456789ab] incident journal, 2 events:\n…',
    who: 'Aiko Tanaka',
    incidentId: 'INC-1',
  },
  {
    id: 'pd-note:5',
    at: inc1.ackAt! + 6 * MIN,
    kind: 'note',
    summary: `Maya: the job runs as ${PLANTED.awsKey}; curl -H "Authorization: Token token=${PLANTED.pagerDutyToken}"; reporter ${PLANTED.email}, 72 bpm`,
    who: 'Maya Chen',
    incidentId: 'INC-1',
  },
  {
    id: 'pd-log:6',
    at: inc1.resolvedAt! + 40_000,
    kind: 'incident.resolved',
    summary: 'Resolved by Aiko Tanaka',
    who: 'Aiko Tanaka',
    incidentId: 'INC-1',
  },
];

function sources() {
  const points = [];
  for (let t = alarm1.firedAt - 40 * MIN; t < alarm1.clearedAt! + 40 * MIN; t += MIN) {
    const during = t >= alarm1.firedAt - 3 * MIN && t < alarm1.clearedAt!;
    points.push({ t, v: during ? (t === alarm1.firedAt + 10 * MIN ? 372 : 340) : 60 });
  }
  return fakeSources({
    incidents: [
      {
        id: 'INC-1',
        title: inc1.title,
        status: 'resolved',
        urgency: 'high',
        priority: 'P1',
        service: { id: 'PSVCDB', name: 'Vitascope Database' },
        createdAt: inc1.createdAt,
        acknowledgedAt: inc1.ackAt! + 30_000,
        resolvedAt: inc1.resolvedAt! + 40_000,
        assignees: [{ id: 'PUAIKO', name: 'Aiko Tanaka' }],
        escalationLevel: 1,
        escalatedAt: inc1.createdAt,
        alarmNames: [alarm1.name],
      },
    ],
    logs: { 'INC-1': log },
    alarms: [dbAlarm],
    history: {
      [alarm1.name]: [
        { at: alarm1.firedAt + 10_000, from: 'OK', to: 'ALARM', reason: 'Threshold crossed' },
        { at: alarm1.clearedAt!, from: 'ALARM', to: 'OK', reason: 'Threshold cleared' },
      ],
    },
    series: { [alarm1.name]: points },
  });
}

describe('the incident report', () => {
  it('has every section, with the impact window from the first alarm to its recovery', async () => {
    const produced = await produceIncidentReport(context(weekJournal(), sources()), 'INC-1', {
      lang: 'en',
      format: 'md',
      redact: true,
    });
    const { report, text } = produced!;
    expect(text.split('\n').filter((l) => l.startsWith('## '))).toEqual([
      '## 1. Summary',
      '## 2. Impact window',
      '## 3. Affected services',
      '## 4. Detection',
      '## 5. Timeline',
      '## 6. Actions and evidence',
      '## 7. Current status',
      '## About this report',
    ]);
    expect(report.impact).toMatchObject({
      start: alarm1.firedAt,
      end: alarm1.clearedAt,
      durationMs: alarm1.clearedAt! - alarm1.firedAt,
      startSource: 'alarm',
      endSource: 'alarm',
    });
    // The incident's service as the journal recorded it when it opened, and the alarm's database.
    expect(report.services).toEqual(['Vitascope API', 'vitascope-db']);
    // The connections metric peaked at 372; a ratio alarm's threshold (80 % of the limit) is not drawn against raw connections.
    expect(report.metrics).toHaveLength(1);
    expect(report.metrics[0]).toMatchObject({
      peak: 372,
      peakAt: alarm1.firedAt + 10 * MIN,
      unit: 'connections',
      thresholds: [],
    });
    // The journal is the record: the acknowledgement and the resolution as the responder recorded them.
    expect(report.detection).toMatchObject({
      alarmName: alarm1.name,
      alarmAt: alarm1.firedAt,
      triggeredAt: inc1.createdAt,
      timeToAcknowledgeMs: inc1.ackAt! - inc1.createdAt,
      acknowledgedBy: 'Aiko Tanaka',
    });
    expect(report.incident.resolvedAt).toBe(inc1.resolvedAt!);
    expect(report.status).toMatchObject({ status: 'resolved', phase: 'resolve', alarmsStillInAlarm: [] });
  });

  it('has one timeline from the journal, which recorded what PagerDuty and the alarm history knew, each moment once, in order', async () => {
    const { report } = (await produceIncidentReport(context(weekJournal(), sources()), 'INC-1', {
      lang: 'en',
      format: 'md',
      redact: true,
    }))!;
    const t = report.timeline;
    for (let i = 1; i < t.length; i++) expect(t[i]!.at).toBeGreaterThanOrEqual(t[i - 1]!.at);
    const kinds = t.map((x) => x.kind);
    expect(kinds.filter((k) => k === 'incident.created' || k === 'incident.triggered')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'incident.acknowledged')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'incident.resolved')).toHaveLength(1);
    expect(t.filter((x) => x.kind === 'alarm').map((x) => x.summary.split(':')[0])).toEqual([alarm1.name, alarm1.name]);
    expect(t.every((x) => x.origins.length === 1 && x.origins[0] === 'journal')).toBe(true);
    // The mirrored note is the journal's own events: not repeated. The teammate's note is there.
    expect(t.some((x) => x.summary.startsWith('[vitascope-oncall'))).toBe(false);
    expect(t.filter((x) => x.kind === 'note').map((x) => x.who)).toEqual(['Maya Chen', 'Aiko Tanaka']);
  });

  it('shows the actions with their before/after evidence', async () => {
    const { report, text } = (await produceIncidentReport(context(weekJournal(), sources()), 'INC-1', {
      lang: 'en',
      format: 'md',
      redact: true,
    }))!;
    expect(report.actions).toHaveLength(1);
    expect(report.actions[0]).toMatchObject({
      actionId: 'rds.reboot',
      outcome: 'verified',
      before: 'DatabaseConnections 344',
      after: 'DatabaseConnections 37',
    });
    expect(text).toContain(
      '| `rds.reboot` | vitascope-db | Aiko Tanaka | verified | DatabaseConnections 344 | DatabaseConnections 37 |',
    );
  });

  it('redacts the planted personal data, health values and secrets, wherever they came from, and counts them', async () => {
    const { report, text } = (await produceIncidentReport(context(weekJournal(), sources()), 'INC-1', {
      lang: 'en',
      format: 'md',
      redact: true,
    }))!;
    for (const planted of Object.values(PLANTED)) expect(text).not.toContain(planted);
    expect(text).not.toContain('72 bpm');
    const r = report.footer.redaction;
    // The journal removed the secrets when it recorded the notes (the responder's and the teammate's from
    // PagerDuty): the report finds them already redacted.
    expect(r.alreadyRedacted).toBeGreaterThanOrEqual(2);
    expect(r.byKind.email).toBeGreaterThanOrEqual(2);
    expect(r.byKind.phone).toBeGreaterThanOrEqual(1);
    expect(r.byKind['user-id']).toBeGreaterThanOrEqual(1);
    expect(r.byKind.health).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(
      /Redaction: \d+ items redacted \(\d+ e-mail addresses, \d+ phone numbers?, \d+ user ids?, \d+ health values\); \d+ secrets were already removed when the journal recorded them/,
    );
  });

  it('is written in Japanese, and as JSON', async () => {
    const ja = (await produceIncidentReport(context(weekJournal(), sources()), 'INC-1', {
      lang: 'ja',
      format: 'md',
      redact: true,
    }))!.text;
    for (const h of [
      '## 1. 概要',
      '## 2. 影響期間',
      '## 3. 影響を受けたサービス',
      '## 4. 検知',
      '## 5. タイムライン',
      '## 6. 対応と効果の証跡',
      '## 7. 現在の状態',
    ])
      expect(ja).toContain(h);
    expect(ja).toContain('発生から 4分');
    const json = JSON.parse(
      (await produceIncidentReport(context(weekJournal(), sources()), 'INC-1', {
        lang: 'en',
        format: 'json',
        redact: true,
      }))!.text,
    ) as Record<string, any>;
    expect(json.kind).toBe('incident');
    expect(json.detection.timeToAcknowledgeMs).toBe(inc1.ackAt! - inc1.createdAt);
    expect(json.timeline[0].at).toBe(new Date(alarm1.firedAt).toISOString());
  });

  it('answers undefined for an incident nobody knows', async () => {
    expect(
      await produceIncidentReport(context(weekJournal(), fakeSources({ incidents: [] }), WEEK_END), 'NOPE', {
        lang: 'en',
        format: 'md',
        redact: true,
      }),
    ).toBeUndefined();
  });

  it('sanitises control characters from the outside world', async () => {
    const src = sources();
    const evil: TimelineEntry = {
      id: 'pd-note:9',
      at: inc1.createdAt + 20 * MIN,
      kind: 'note',
      summary: 'look \u001b[31mred\u001b[0m | pipe\u202eevil',
      who: 'X',
      incidentId: 'INC-1',
    };
    const withEvil = { ...src, incidents: { ...src.incidents!, timeline: async () => [...log, evil] } };
    const { text } = (await produceIncidentReport(context(weekJournal(), withEvil), 'INC-1', {
      lang: 'en',
      format: 'md',
      redact: true,
    }))!;
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('look ␛[31mred␛[0m \\| pipe\\u202eevil');
  });
});
