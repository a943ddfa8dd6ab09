/**
 * The room's by-endpoint table as drawn, from the sandbox's own breakdown of a real scenario: the
 * failing endpoint first with its share and its earlier rate, names cut in the middle at 80 columns,
 * nothing wider than the screen, and an unlabelled answer said as such.
 */
import React from 'react';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { endpointTable } from '../../src/core/runbooks/endpointTable.js';
import type { RunnerSnapshot } from '../../src/core/runbooks/progress.js';
import { createTheme } from '../../src/ui/theme.js';
import { PhaseSteps } from '../../src/ui/views/room/PhaseSteps.js';
import { sandboxAt } from '../harness/ink.js';

const theme = createTheme(false);
const HOUR = 3_600_000;

function runner(table: ReturnType<typeof endpointTable>): RunnerSnapshot {
  return {
    runbookId: 'error-rate',
    incidentId: 'P1',
    status: 'running',
    phase: 'triage',
    current: 'by-endpoint',
    steps: [
      {
        phase: 'triage',
        index: 0,
        id: 'by-endpoint',
        kind: 'query',
        title: 'Error rate by endpoint — one endpoint or all of them?',
        status: 'done',
        output: 'summary',
        endpoints: table,
      },
    ],
  } as unknown as RunnerSnapshot;
}

function frame(table: ReturnType<typeof endpointTable>, width: number): string {
  const { lastFrame, unmount } = render(
    <Box width={width}>
      <PhaseSteps runner={runner(table)} expanded={[]} width={width} maxRows={30} theme={theme} />
    </Box>,
  );
  const f = lastFrame()!;
  unmount();
  return f;
}

describe('the by-endpoint table in the room', () => {
  it('shows the failing endpoint first, its share of the 5xx, and its rate an hour before', async () => {
    const sb = sandboxAt('error-spike', 20);
    const now = sb.now();
    const [latest, earlier] = await Promise.all([
      sb.endpoints!.endpointBreakdown({ end: now, seconds: 300 }),
      sb.endpoints!.endpointBreakdown({ end: now - HOUR, seconds: 300 }),
    ]);
    const table = endpointTable('errors', latest, earlier, HOUR);
    const failing = sb.world.activity.at(sb.world.minute - 1)!.detail.failing!.path;
    for (const width of [160, 80]) {
      const f = frame(table, width);
      const lines = f.split('\n');
      expect(f).toContain('5xx rate by endpoint · last 5m · share of 5xx · vs 1h00m ago');
      const first = lines.find((l) => /%/.test(l) && !l.includes('share of'))!;
      expect(first).toContain(failing);
      const share = Math.round(table.rows[0]!.share! * 100);
      expect(first).toContain(`${share} %`);
      // Up from an hour before, in a word as well as an arrow (no colour needed).
      expect(first).toMatch(/was \S+ %? ?↑ up|was <0\.1 % ↑ up/);
      expect(f).toMatch(/all\s+\S+/);
      for (const l of lines) expect(stringWidth(l), l).toBeLessThanOrEqual(width);
    }
  });

  it('cuts long endpoint names in the middle so their tails stay apart', () => {
    const long = (tail: string) => `/api/v1/organisations/{organisation_id}/members/{member_id}/${tail}`;
    const parts = ['devices', 'sessions'].map((tail, i) => ({
      endpoint: long(tail),
      requestsPerSecond: 10 + i,
      errorsPerSecond: 0,
      p95Seconds: 0.2 + i,
    }));
    const b = {
      at: 0,
      windowSeconds: 300,
      label: 'handler',
      total: { requestsPerSecond: 21, errorsPerSecond: 0, p95Seconds: 1 },
      endpoints: parts,
    };
    const f = frame(endpointTable('latency', b, undefined, HOUR), 80);
    expect(f).toMatch(/…[^\n]*sessions/);
    expect(f).toMatch(/…[^\n]*devices/);
    expect(f).toContain('no earlier data');
  });

  it('says "same" when the rate now and before read alike, whatever the digits behind them', () => {
    const at = (errors: number) => ({
      at: 0,
      windowSeconds: 300,
      label: 'endpoint',
      total: { requestsPerSecond: 100, errorsPerSecond: errors, p95Seconds: 0.2 },
      endpoints: [{ endpoint: '/api/v1/users/me', requestsPerSecond: 100, errorsPerSecond: errors, p95Seconds: 0.2 }],
    });
    // 0.12 % then 0.14 %: both read "0.1 %", a sixth apart — not "↑ up" beside two equal numbers.
    const f = frame(endpointTable('errors', at(0.14), at(0.12), HOUR), 120);
    expect(f).toContain('= same');
    expect(f).not.toMatch(/↑ up|↓ down/);
  });

  it('says a missing endpoint label, rather than "no requests"', () => {
    const b = {
      at: 0,
      windowSeconds: 300,
      label: 'endpoint',
      total: { requestsPerSecond: 21, errorsPerSecond: 0, p95Seconds: 1 },
      endpoints: [],
    };
    const f = frame(endpointTable('latency', b, undefined, HOUR), 100);
    expect(f).toContain('requests, but none labelled "endpoint": set prometheus.metrics.labels.endpoint');
  });
});
