import { describe, expect, it } from 'vitest';
import { boundLabels } from '../../src/core/bounds.js';
import { DEFAULT_POLICY } from '../../src/core/policy/defaults.js';
import { clip, cutMarker, forScreen, MAX_LABELS, TEXT_LIMITS } from '../../src/core/sanitize.js';
import { alertmanagerAlertToAlarm } from '../../src/sources/alertmanager/alerts.js';
import { metricAlarmToAlarm } from '../../src/sources/aws/alarmMapping.js';
import { toService } from '../../src/sources/aws/ecsMapping.js';
import { mapIncident } from '../../src/sources/pagerduty/incidentMap.js';
import { mapLogEntry } from '../../src/sources/pagerduty/timelineMap.js';
import { ruleToAlarm } from '../../src/sources/prometheus/alerts.js';

const HUGE = 100_000;

describe('clip: text cut to a maximum, the cut marked', () => {
  it('leaves text within the limit as it is, and cuts longer text to exactly the limit with the count', () => {
    const short = 'vitascope-api-high-cpu-critical';
    expect(clip(short, 255)).toBe(short);
    const long = 'x'.repeat(HUGE);
    const cut = clip(long, 4096);
    expect(cut.length).toBe(4096);
    const kept = cut.indexOf('…');
    expect(cut).toBe(`${'x'.repeat(kept)}${cutMarker(HUGE - kept)}`);
    expect(cutMarker(95_920)).toBe('…[+95,920 chars]');
    // What was kept plus what the marker counts is the whole text.
    expect(kept + Number(/\+([\d,]+) chars/.exec(cut)![1]!.replace(/,/g, ''))).toBe(HUGE);
  });

  it('never splits a surrogate pair (an emoji at the cut)', () => {
    const text = '🔥'.repeat(1000);
    const cut = clip(text, 255);
    expect(cut.length).toBeLessThanOrEqual(255);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(cut).toMatch(/^(🔥)+…\[\+[\d,]+ chars\]$/);
  });

  it('forScreen keeps at most the characters a box can show', () => {
    expect(forScreen('abc', 10)).toBe('abc');
    expect(forScreen('x'.repeat(HUGE), 121)).toHaveLength(121);
  });
});

describe('sizes bounded at the door: every adapter mapping', () => {
  it("CloudWatch: AWS's own limits, 255 for a name and 1024 for a description and a state reason", () => {
    const alarm = metricAlarmToAlarm(
      {
        AlarmName: `vitascope-${'n'.repeat(HUGE)}`,
        AlarmArn: 'arn:aws:cloudwatch:us-east-1:1:alarm:x',
        AlarmDescription: 'd'.repeat(HUGE),
        StateReason: 'r'.repeat(HUGE),
        StateValue: 'ALARM',
        Dimensions: [{ Name: 'k'.repeat(HUGE), Value: 'v'.repeat(HUGE) }],
        Namespace: 'AWS/ECS',
        MetricName: 'CPUUtilization',
        AlarmActions: Array.from({ length: 500 }, (_, i) => `arn:${i}`),
      },
      DEFAULT_POLICY.rules,
    );
    expect(alarm.name.length).toBe(TEXT_LIMITS.alarmName);
    expect(alarm.name).toMatch(/…\[\+[\d,]+ chars\]$/);
    expect(alarm.description!.length).toBe(1024);
    expect(alarm.reason!.length).toBe(1024);
    expect(JSON.stringify(alarm.metric).length).toBeLessThan(2 * TEXT_LIMITS.name + 200);
    expect(alarm.actions.length).toBe(MAX_LABELS);
    expect(alarm.state).toBe('ALARM');
  });

  it('ECS: service names, events and deployments', () => {
    const s = toService(
      {
        serviceName: 's'.repeat(HUGE),
        desiredCount: 1,
        runningCount: 1,
        pendingCount: 0,
        events: [{ id: 'e', message: 'm'.repeat(HUGE), createdAt: new Date(0) }],
      },
      'c',
    );
    expect(s.name.length).toBe(TEXT_LIMITS.name);
    expect(s.events[0]!.message.length).toBe(TEXT_LIMITS.text);
  });

  it('PagerDuty: incident titles, people and log entries', () => {
    const i = mapIncident({
      id: 'P1',
      status: 'triggered',
      created_at: '2026-01-05T00:00:00Z',
      title: 't'.repeat(HUGE),
      assignments: [{ assignee: { id: 'U', summary: 'a'.repeat(HUGE) } }],
    })!;
    expect(i.title.length).toBe(TEXT_LIMITS.text);
    expect(i.assignees[0]!.name.length).toBe(TEXT_LIMITS.name);
    const e = mapLogEntry(
      {
        id: 'L',
        type: 'annotate_log_entry',
        created_at: '2026-01-05T00:00:00Z',
        channel: { summary: 'n'.repeat(HUGE) },
      },
      'P1',
    )!;
    expect(e.summary.length).toBe(TEXT_LIMITS.text);
  });

  it('Alertmanager and Prometheus: alert names, annotations and labels', () => {
    const alarm = alertmanagerAlertToAlarm(
      {
        fingerprint: 'f',
        labels: { alertname: 'a'.repeat(HUGE), severity: 'critical' },
        annotations: { description: 'd'.repeat(HUGE) },
        startsAt: 0,
        receivers: [],
        state: 'active',
        silencedBy: [],
        inhibitedBy: [],
      },
      1,
    );
    expect(alarm.name.length).toBe(TEXT_LIMITS.alarmName);
    expect(alarm.description!.length).toBe(TEXT_LIMITS.text);
    expect(alarm.level).toBe('critical');
    const rule = ruleToAlarm(
      {
        name: 'r'.repeat(HUGE),
        group: 'g',
        file: 'f',
        query: 'up == 0',
        durationSeconds: 0,
        labels: {},
        annotations: { summary: 's'.repeat(HUGE) },
        state: 'inactive',
        health: 'err',
        lastError: 'e'.repeat(HUGE),
        alerts: [],
      },
      'id',
      0,
    );
    expect(rule.name.length).toBe(TEXT_LIMITS.alarmName);
    expect(rule.reason!.length).toBe(TEXT_LIMITS.stateReason);
    expect(rule.description!.length).toBe(TEXT_LIMITS.text);
  });

  it('labels: names and values bounded, at most MAX_LABELS pairs with the rest counted', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'.repeat(HUGE)]));
    const out = boundLabels(many);
    expect(Object.keys(out)).toHaveLength(MAX_LABELS + 1);
    expect(out['…']).toBe('+36 more');
    expect(out.k0!.length).toBe(TEXT_LIMITS.text);
  });
});
