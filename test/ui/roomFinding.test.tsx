/**
 * A logs or traces step's finding in the incident room: the finding's line and top patterns with counts, trend
 * and a sparkline; the evidence lines only behind the room.evidence key; outside text (an escape sequence in a
 * log line) shown inert.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RoomView as Room } from '../../src/core/live/room.js';
import type { FindingRecord } from '../../src/core/runbooks/steps/findingText.js';
import { roomKey } from '../../src/ui/room.js';
import { createTheme } from '../../src/ui/theme.js';
import { RoomView } from '../../src/ui/views/RoomView.js';

const finding: FindingRecord = {
  kind: 'logs',
  service: 'vitascope-api',
  start: 0,
  end: 600_000,
  summary: '203.0.113.7 behind 203 lines of "WARNING login failed reason=bad_password user=<num> client=<ip>"',
  complete: true,
  values: { 'findings.logs.topAddress': '203.0.113.7' },
  items: [
    {
      text: 'WARNING login failed reason=bad_password user=<num> client=<ip>',
      count: 307,
      previousCount: 105,
      trend: '×2.9',
      series: [1, 2, 3, 30, 31, 29],
    },
  ],
  evidence: ['WARNING login failed reason=bad_password user=12345 client=203.0.113.7 \u001b[31mred\u001b[0m'],
};

function room(): Room {
  return {
    id: 'room-1',
    incident: {
      id: 'PSB1001',
      number: 1001,
      title: 'ALARM: vitascope-api-auth-failures-warning',
      alarmNames: ['vitascope-api-auth-failures-warning'],
      createdAt: 0,
    },
    runbook: { id: 'auth-failures', title: 'Login brute force', priority: 'P3' },
    runner: {
      runbookId: 'auth-failures',
      incidentId: 'room-1',
      status: 'completed',
      phase: 'triage',
      steps: [
        {
          phase: 'triage',
          index: 0,
          id: 'failures-in-logs',
          kind: 'logs',
          title: 'Failed logins in the API logs',
          status: 'done',
          output: finding.summary,
          finding,
        },
      ],
      incomplete: [],
    },
    running: false,
  } as unknown as Room;
}

describe('a finding in the room', () => {
  it('shows the pattern with counts, trend and sparkline; the evidence only behind the key, inert', () => {
    const theme = createTheme(false);
    const r = room();
    const hidden = render(
      <RoomView room={r} input={{ text: '' }} readonly={false} now={0} width={140} height={40} theme={theme} />,
    );
    const frame = hidden.lastFrame()!;
    expect(frame).toContain('203.0.113.7 behind 203 lines');
    expect(frame).toMatch(/[▁▂▃▄▅▆▇█]+ 307 \(was 105\) ×2\.9 WARNING login failed/);
    expect(frame).not.toContain('user=12345');
    hidden.unmount();

    const toggled = roomKey(r, { text: '' }, { name: 'e', input: 'e' }, 'room.evidence', false);
    expect(toggled).toEqual({ kind: 'input', input: { text: '', evidence: true } });
    const shown = render(
      <RoomView
        room={r}
        input={{ text: '', evidence: true }}
        readonly={false}
        now={0}
        width={140}
        height={40}
        theme={theme}
      />,
    );
    const withEvidence = shown.lastFrame()!;
    expect(withEvidence).toContain(
      '│ WARNING login failed reason=bad_password user=12345 client=203.0.113.7 ␛[31mred␛[0m',
    );
    expect(withEvidence).not.toContain('\u001b[31m');
    shown.unmount();
  });
});
