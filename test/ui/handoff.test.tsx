/**
 * The handoff screen: what the report knows, said in sentences (never the report's raw objects).
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { AlarmRow, HandoffReport } from '../../src/core/reports/types.js';
import { createTheme } from '../../src/ui/theme.js';
import { HandoffView } from '../../src/ui/views/HandoffView.js';

const DAY = 24 * 3_600_000;
const T0 = Date.UTC(2026, 0, 5, 1, 40);
const none = { count: 0 } as HandoffReport['totals']['mtta'];

function report(noise: readonly AlarmRow[]): HandoffReport {
  return {
    kind: 'handoff',
    period: { from: T0 - 7 * DAY, to: T0 },
    people: { onCall: [], responders: [] },
    totals: { incidents: 0, mtta: none, mttr: none, escalated: 0 },
    byPriority: [],
    incidents: [],
    openIncidents: [],
    openFollowUps: [],
    closedFollowUps: [],
    actions: [],
    readOnlyChecks: 0,
    readOnlyChecksDry: 0,
    alarms: { firings: 6, alarmsFired: 1, mostFired: noise, flapping: [], noise, withoutRunbook: [], inAlarmNow: [] },
    outsideHours: { pages: [], total: 0 },
    notes: [],
    next: { rotation: [], risks: [], changes: [] },
    footer: {
      generatedAt: T0,
      timeZone: 'Asia/Tokyo',
      redaction: { emails: 0, phones: 0, userIds: 0, health: 0 },
      gaps: [],
      environment: 'SANDBOX',
    },
  } as unknown as HandoffReport;
}

const latency: AlarmRow = {
  alarmName: 'vitascope-api-high-latency-warning',
  firings: 6,
  withoutIncident: 6,
  selfResolved: 6,
  unanswered: 6,
  maxInWindow: 2,
  flapping: false,
  timeInAlarmMs: 30 * 60_000,
  threshold: {
    current: 500,
    suggested: 1400,
    avoided: 5,
    unanswered: 6,
    lostAnswered: 0,
    unit: 'milliseconds',
    direction: 'above',
  },
};

describe('the handoff screen', () => {
  it("says a noisy alarm's suggested threshold in words, not as JSON", () => {
    const frame = render(
      <HandoffView
        handoff={{ data: report([latency]), health: { state: 'ok' } } as never}
        height={60}
        theme={createTheme(false)}
      />,
    ).lastFrame()!;
    expect(frame).toContain('noise: vitascope-api-high-latency-warning fired 6×, 6 unanswered');
    expect(frame).not.toMatch(/[{}"]|current|suggested/);
    expect(frame).toMatch(/unanswered: threshold 500 ms → 1[.,]4 s would/);
  });
});
