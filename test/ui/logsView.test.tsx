/**
 * The logs screen's bound and its virtualisation in a real Ink frame: a tail that has read 15,000 lines
 * holds the newest 10,000 (core/cockpit/logTail.ts), says how many older ones it dropped, and the view
 * draws only the rows that fit, at the scroll offset. Lines are numbered by the source below, so what is
 * on screen is checked against what the source wrote, and a hostile line stays inert.
 */
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LOG_TAIL_MAX, LogTail, appendBounded } from '../../src/core/cockpit/logTail.js';
import { INITIAL_LOG_VIEW } from '../../src/core/cockpit/state.js';
import type { LogEvent, LogSource } from '../../src/sources/logPorts.js';
import { createTheme } from '../../src/ui/theme.js';
import { LogsView } from '../../src/ui/views/LogsView.js';

const theme = createTheme(false);
const T0 = Date.UTC(2026, 0, 1);

/** A log source writing numbered lines: `batches[i]` lines on the i-th read, then nothing. */
function numberedSource(batches: readonly number[]): LogSource {
  let next = 1;
  let read = 0;
  const batch = (): LogEvent[] => {
    const n = batches[read++] ?? 0;
    return Array.from({ length: n }, () => {
      const i = next++;
      const message = i === 14_995 ? `line ${i} \u001b[2J\u001b]0;owned\u0007 evil` : `line ${i}`;
      return { timestamp: T0 + i, message, group: '/ecs/api' };
    });
  };
  return {
    query: async () => ({ events: batch(), complete: true, via: 'numbered' }),
    tail: async () => ({ events: batch(), complete: true, via: 'numbered' }),
  };
}

const pending = (p: () => boolean) =>
  new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 5_000;
    const tick = () => (p() ? resolve() : Date.now() > deadline ? reject(new Error('timed out')) : setTimeout(tick, 5));
    tick();
  });

describe('the logs view', () => {
  it('holds at most 10,000 lines, says how many older ones it dropped, and draws only the rows in view', async () => {
    const tail = new LogTail(() => undefined, 5);
    tail.sync(
      {
        service: 'vitascope-api',
        groups: ['/ecs/api'],
        source: numberedSource([6_000, 3_000, 3_000, 3_000]),
        now: () => T0,
      },
      true,
    );
    await pending(() => tail.view()?.lines.at(-1)?.message === 'line 15000');
    const view = tail.view()!;
    tail.stop();
    expect(view.lines).toHaveLength(LOG_TAIL_MAX);
    expect(view.dropped).toBe(5_000);
    expect(view.lines[0]!.message).toBe('line 5001');

    const draw = (scroll: number) => (
      <LogsView
        service="vitascope-api"
        tail={view}
        lines={view.lines}
        patterns={{ name: 'p', health: { state: 'loading', failures: 0 } }}
        options={{ ...INITIAL_LOG_VIEW, follow: false }}
        scroll={scroll}
        width={100}
        height={12}
        theme={theme}
      />
    );
    const { lastFrame, rerender } = render(draw(0));
    let frame = lastFrame()!;
    expect(frame).toContain('5,000 older lines dropped');
    expect(frame).toContain('10,000 held');
    const shown = frame.split('\n').filter((l) => / line \d+/.test(l));
    // Only the rows that fit are drawn: 10 of the 10,000, from the oldest held.
    expect(shown).toHaveLength(10);
    expect(shown[0]).toMatch(/ line 5001$/);
    rerender(draw(Number.MAX_SAFE_INTEGER));
    frame = lastFrame()!;
    const end = frame.split('\n').filter((l) => / line \d+/.test(l));
    expect(end.at(-1)).toMatch(/ line 15000$/);
    // The hostile line is on screen, inert: no escape reaches the terminal.
    expect(frame).toContain('line 14995');
    expect(frame).not.toContain('\u001b]0;');
    expect(frame).not.toContain('\u001b[2J');
  });

  it('appendBounded keeps the newest and counts the rest', () => {
    const ev = (i: number): LogEvent => ({ timestamp: i, message: String(i), group: 'g' });
    const held = Array.from({ length: 8 }, (_, i) => ev(i));
    const r = appendBounded(held, [ev(8), ev(9), ev(10)], 10);
    expect(r.lines.map((e) => e.timestamp)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.dropped).toBe(1);
    const big = appendBounded(
      held,
      Array.from({ length: 12 }, (_, i) => ev(100 + i)),
      10,
    );
    expect(big.lines[0]!.timestamp).toBe(102);
    expect(big.dropped).toBe(10);
  });
});
