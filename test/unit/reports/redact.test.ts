import { describe, expect, it } from 'vitest';
import { tempJournal } from '../journal/helpers.js';
import { createRedactor, noRedaction, redactForMirror } from '../../../src/core/reports/redact.js';

describe('report redaction', () => {
  it.each([
    ['mail aiko.tanaka@vitascope.example today', 'mail [REDACTED:email] today', 'email'],
    ['call +81 90-1234-5678', 'call [REDACTED:phone]', 'phone'],
    ['call 090-1234-5678 or 03-1234-5678', 'call [REDACTED:phone] or [REDACTED:phone]', 'phone'],
    ['(415) 555-0100 / 415.555.0100', '[REDACTED:phone] / [REDACTED:phone]', 'phone'],
    ['user usr_8f3k2j9d cannot sync', 'user [REDACTED:user-id] cannot sync', 'user-id'],
    ['{"user_id": "u12345"}', '{"user_id": "[REDACTED:user-id]"}', 'user-id'],
    ['patientId=998877', 'patientId=[REDACTED:user-id]', 'user-id'],
    ['glucose 180 mg/dL', 'glucose [REDACTED:health]', 'health'],
    ['5.6 mmol/L at noon', '[REDACTED:health] at noon', 'health'],
    ['BP 150/95 mmHg', 'BP [REDACTED:health]', 'health'],
    ['heart rate: 130', 'heart rate: [REDACTED:health]', 'health'],
    ['"heart_rate": 72', '"heart_rate": [REDACTED:health]', 'health'],
    ['weight 82.5 kg', 'weight [REDACTED:health]', 'health'],
    ['血糖値は140で体重 65', '血糖値は[REDACTED:health]で体重 [REDACTED:health]', 'health'],
    ['Authorization: Token token=y_NbAkKc66ryYTWUXYEu', 'Authorization: [REDACTED]', 'secret'],
    ['key AKIAIOSFODNN7EXAMPLE leaked', 'key [REDACTED] leaked', 'secret'],
  ] as const)('redacts %j', (text, expected, kind) => {
    const r = createRedactor();
    expect(r.text(text)).toBe(expected);
    expect(r.counts().byKind[kind]).toBeGreaterThan(0);
    expect(r.counts().total).toBe(Object.values(r.counts().byKind).reduce((a, b) => a + b, 0));
  });

  it.each([
    'at 2026-01-05 10:15:03Z from 203.0.113.45: CPU 93.5 %, p95 1200 ms, 1,234 req/min',
    'arn:aws:ecs:ap-northeast-1:000000000000:service/vitascope-cluster/vitascope-api',
    'vitascope-api:42 rolled back to 41; desired 2 → 4; PSB1001 PUAIKO PSVCAPI',
    'Aiko Tanaka acknowledged; Kenji Sato escalated to Hiroshi Nakamura',
    'queue depth 1500 msgs (threshold 1000), 12 connections/min, retry 3 times in 60s',
    'the pulse of the team; the weight of evidence',
    'version 1.2.3, host 10.0.0.1, epoch 1767577200000, window 12:30-13:45',
  ])('keeps %j', (text) => {
    const r = createRedactor();
    expect(r.text(text)).toBe(text);
    expect(r.counts().total).toBe(0);
  });

  it('counts across texts and deep values, and counts what the journal had already removed', () => {
    const r = createRedactor();
    const out = r.deep({
      a: 'x@example.com and y@example.com',
      list: ['PAGERDUTY_TOKEN=abc123 and [REDACTED]', 42],
      nested: { health: '72 bpm' },
    });
    expect(out).toEqual({
      a: '[REDACTED:email] and [REDACTED:email]',
      list: ['PAGERDUTY_TOKEN=[REDACTED] and [REDACTED]', 42],
      nested: { health: '[REDACTED:health]' },
    });
    expect(r.counts()).toEqual({
      enabled: true,
      total: 4,
      byKind: { secret: 1, email: 2, phone: 0, 'user-id': 0, health: 1 },
      alreadyRedacted: 1,
    });
  });

  it('is off only when asked: noRedaction passes text through and says it is off', () => {
    const r = noRedaction();
    expect(r.text('x@example.com')).toBe('x@example.com');
    expect(r.counts().enabled).toBe(false);
  });

  it('redacts the notes the journal mirrors to PagerDuty', async () => {
    const j = tempJournal({ mirror: true });
    j.upsertIncident({
      id: 'PABC123',
      title: 'API down',
      status: 'triggered',
      source: 'pagerduty',
      createdAt: Date.UTC(2026, 0, 5),
    });
    j.append({
      kind: 'note',
      who: { kind: 'local', id: 'aiko', name: 'Aiko Tanaka' },
      incidentId: 'PABC123',
      payload: { text: 'patient usr_abcd1234 (aiko@example.com) at 190 mg/dL' },
    });
    const sent: string[] = [];
    const result = await j.mirrorPending(async (_id, text) => void sent.push(text), { redact: redactForMirror });
    expect(result.notesSent).toBe(1);
    expect(sent[0]).toContain('Aiko Tanaka: note: patient [REDACTED:user-id] ([REDACTED:email]) at [REDACTED:health]');
  });

  it('gives the journal mirror a redact function for notes going to PagerDuty', () => {
    expect(redactForMirror('2026-01-05 alice: note: call +81 90-1234-5678 about usr_abcd1234')).toBe(
      '2026-01-05 alice: note: call [REDACTED:phone] about [REDACTED:user-id]',
    );
  });
});
